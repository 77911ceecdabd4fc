"""Fill empty sv/da entries of the catalogs from a tab-separated file (msgid, sv, da).

Used after `make extract-messages` when new strings come in from several branches at once:
    .venv/bin/python scripts/fill_translations.py FILE [FILE ...]
Only empty translations are filled; existing ones are never overwritten, unless the first
argument is --overwrite (for a reviewed wording change). For a plural, the
first column is the singular msgid and each translation is "singular||plural".
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(paths: list[str]) -> None:
    overwrite = bool(paths) and paths[0] == "--overwrite"
    paths = paths[1:] if overwrite else paths
    table: dict[str, tuple[str, str]] = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                msgid, sv, da = line.split("\t")
                table[msgid.replace("\\n", "\n")] = (sv.replace("\\n", "\n"), da.replace("\\n", "\n"))
    for index, lang in enumerate(("sv", "da")):
        po_path = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        filled = 0
        for message in catalog:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            empty = not message.string or (isinstance(message.string, tuple) and not all(message.string))
            if key and (empty or overwrite) and key in table:
                value = table[key][index]
                message.string = tuple(value.split("||")) if isinstance(message.id, tuple) else value
                filled += 1
        with po_path.open("wb") as handle:
            write_po(handle, catalog, no_location=True, ignore_obsolete=True)
        print(f"{lang}: {filled} filled")


if __name__ == "__main__":
    main(sys.argv[1:])
