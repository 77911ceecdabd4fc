"""Strengths stored by key: a built-in strength is counted once and shown in the reader's
language, whichever language (or earlier release, which stored the translated word) named it;
a person's own words stay as they wrote them."""

import pytest
from flask_babel import force_locale
from sqlmodel import select

from accounts.models import User
from diary import entries, vocab
from diary.models import DiaryEntry, EntryStrength
from tests.conftest import make_user


@pytest.fixture
def mira(app):
    user_id, _ = make_user(app, "mira")
    with app.test_request_context():
        from extensions import db

        yield db.session, db.session.get(User, user_id)


def _write(session, user, strengths, text=""):
    return entries.save_entry(session, user, mood=None, text=text, answers={}, strengths=strengths)


def test_a_built_in_strength_is_stored_by_its_key_and_shown_in_the_readers_language(mira):
    session, user = mira
    entry = _write(session, user, ["courage", "persistence", "Baking bread"])
    rows = entries.with_details(session, [entry])[0].strengths
    assert [row.name_key for row in rows] == ["courage", "persistence", "baking bread"]
    with force_locale("en"):
        assert [row.label for row in rows] == ["Courage", "Persistence", "Baking bread"]
    with force_locale("da"):
        assert [row.label for row in rows][0] == "Mod"
        assert [row.label for row in rows][2] == "Baking bread"  # own words as written


def test_words_stored_before_keys_map_back_to_their_strength(mira):
    """Rows from before this release hold the translated word (sealed, so no migration could
    convert them): read, they count as the built-in strength."""
    session, user = mira
    old = _write(session, user, ["Cooking"], text="old entry")
    for word in ("Mod", "Courage", "Vedholdenhed", "Inte ge upp", "Nysgerrighed"):
        session.add(EntryStrength(entry_id=old.id, user_id=user.id, name=word, name_key=word.casefold()))
    session.commit()
    _write(session, user, ["courage"], text="a new one")
    with force_locale("da"):
        summary = entries.strengths_summary(session, user, with_words=True)
        names = [s.name for s in summary]
        assert names.count("Mod") == 1 and "Courage" not in names
        courage = next(s for s in summary if s.key == "courage")
        assert courage.count == 3 and courage.latest_words == "a new one"
        persistence = next(s for s in summary if s.key == "persistence")
        assert persistence.count == 2
        assert {s.key for s in summary} == {"courage", "persistence", "curiosity", "cooking"}
    # The filter finds old and new uses alike, by any of the words.
    found = {v.entry.id for v in entries.list_entries(session, user, tag="Mod")[0]}
    assert len(found) == 2


def test_every_strength_word_maps_to_its_key():
    for key, words in vocab.STRENGTH_WORDS.items():
        assert key in vocab.STRENGTHS
        for word in words + [key, f"  {words[0].upper()} "]:
            assert vocab.strength_key(word) == key, word
    assert vocab.strength_key("My Own Thing") == "my own thing"


def test_own_strengths_offered_again_are_only_the_persons_own_words(mira):
    session, user = mira
    _write(session, user, ["Mod", "Cooking", "patience"])
    assert entries.own_strength_names(session, user) == ["Cooking"]


def test_latest_words_come_from_the_newest_entry_and_are_cut_short(mira):
    session, user = mira
    _write(session, user, ["honesty"], text="first")
    _write(session, user, ["honesty"], text="word " * 100)
    (honesty,) = entries.strengths_summary(session, user, with_words=True)
    assert honesty.count == 2 and honesty.latest_words.endswith("…") and len(honesty.latest_words) <= 140
    newest = max(session.exec(select(DiaryEntry)).all(), key=lambda e: e.id)
    assert honesty.latest_day == newest.day and honesty.latest_entry_id == newest.id
