"""Fail when a word from the never-list (../shared/LANGUAGE.md) is in what users read:
templates, translation catalogs, Python source strings and the front-end scripts."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Whole words, any case. Danish and Swedish plural and definite forms included.
NEVER = [
    r"addicts?",
    r"junkies?",
    r"abusers?",
    r"druggies?",
    r"substance abuse",
    r"drug abuse",
    r"fell off the wagon",
    r"ruined your streak",
    r"failures?",
    r"failed",
    r"missbrukare(?:n|na)?",
    r"narkoman(?:er|erna|en)?",
    r"knarkare(?:n|na)?",
    r"pundare(?:n|na)?",
    r"tjackhora",
    r"drogmissbruk",
    r"narkotikamissbruk",
    r"misslyckades",
    r"misslyckande",
    r"förstörde din svit",
    r"misbruger(?:e|en|ne)?",
    r"stofmisbruger(?:e|en|ne)?",
    r"stofmisbrug",
    r"narkoluder",
    r"fejlede",
    r"fiasko",
    r"ødelagde din stime",
]
PATTERN = re.compile(r"(?<!\w)(?:" + "|".join(NEVER) + r")(?!\w)", re.IGNORECASE)

WHERE = [
    ("templates", "*.html"),
    ("translations", "*.po"),
    ("static/js", "*.js"),
    ("static", "*.webmanifest"),
    ("accounts", "*.py"),
    ("diary", "*.py"),
    ("peer", "*.py"),
    ("push", "*.py"),
    ("help", "*.py"),
]


def find_hits(root: Path = ROOT) -> list[str]:
    hits = []
    for folder, glob in WHERE:
        for path in sorted((root / folder).rglob(glob)):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.lstrip().startswith("#") and path.suffix in (".py", ".po"):
                    continue  # comments are for developers, not what users read
                for match in PATTERN.finditer(line):
                    hits.append(f"{path.relative_to(root)}:{number}: {match.group(0)!r}")
    return hits


def main() -> int:
    hits = find_hits()
    for hit in hits:
        print(hit)
    if hits:
        print(f"{len(hits)} word(s) from the never-list in LANGUAGE.md; say it another way.")
        return 1
    print("word check: no word from the never-list")
    return 0


if __name__ == "__main__":
    sys.exit(main())
