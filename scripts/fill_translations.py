"""Fill empty sv/da entries of the catalogs from a tab-separated file (msgid, sv, da).

Used after `make extract-messages` when new strings come in from several branches at once:
    .venv/bin/python scripts/fill_translations.py FILE [FILE ...]
Only empty translations are filled; existing ones are never overwritten.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(paths: list[str]) -> None:
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
            if message.id and not message.string and message.id in table:
                message.string = table[message.id][index]
                filled += 1
        with po_path.open("wb") as handle:
            write_po(handle, catalog, no_location=True, ignore_obsolete=True)
        print(f"{lang}: {filled} filled")


if __name__ == "__main__":
    main(sys.argv[1:])
