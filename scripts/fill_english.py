"""English is the source language: fill the en catalog's empty entries with their msgid,
so the catalog is complete and a test can check that every language has every string."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PATH = Path(__file__).resolve().parent.parent / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def main() -> None:
    with PATH.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = (message.id[0], message.id[1])
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with PATH.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, no_location=True, sort_output=True)


if __name__ == "__main__":
    main()
