"""Every string a person reads exists in Swedish, Danish and English, and none of them
uses a word from the never-list in ../shared/LANGUAGE.md."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from scripts.check_words import PATTERN, find_hits

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ["sv", "da", "en"]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
IGNORED = {"tests", "bench", "migrations", "scripts", "static", "node_modules", "translations"}


def _catalog(locale):
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def _source_ids() -> set[str]:
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    ids = set()

    def skip(path):
        return not any(part in IGNORED or part.startswith(".") for part in Path(path).parts)

    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=KEYWORDS, directory_filter=skip
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


@pytest.mark.parametrize("locale", LOCALES)
def test_every_source_string_is_translated(locale):
    catalog = _catalog(locale)
    missing = []
    for msgid in sorted(_source_ids()):
        message = catalog.get(msgid)
        if message is None or "fuzzy" in message.flags:
            missing.append(msgid)
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(msgid)
    assert not missing, f"{locale}: run `make extract-messages` and translate: {missing[:10]}"


@pytest.mark.parametrize("locale", ["sv", "da"])
def test_placeholders_survive_translation(locale):
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for message in _catalog(locale):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, tuple) else (message.id,)
        target = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(placeholder.findall(source[-1]))
        for text in target:
            assert set(placeholder.findall(text)) <= wanted | set(placeholder.findall(source[0])), message.id


def test_no_word_from_the_never_list():
    assert find_hits() == []


def test_the_word_check_catches_what_it_should():
    for text in ("you are an addict", "Missbrukare", "narkomanerna", "stofmisbrugere", "you failed"):
        assert PATTERN.search(text), text
    for text in ("person som använder narkotika", "brug af stoffer", "not this time"):
        assert not PATTERN.search(text), text
