"""The diary's rules: private entries, any one field is enough, search, strengths, month."""

from datetime import date

import pytest
from flask_babel import force_locale

from accounts.models import User
from diary import entries
from diary.entries import DiaryError
from diary.models import DiaryEntry
from tests.conftest import make_user


@pytest.fixture
def people(app):
    mira_id, _ = make_user(app, "mira")
    noor_id, _ = make_user(app, "noor")
    with app.app_context():
        from extensions import db

        yield db.session, db.session.get(User, mira_id), db.session.get(User, noor_id)


def _write(session, user, **fields):
    values = {"mood": None, "text": "", "answers": {}, "strengths": []}
    values.update(fields)
    return entries.save_entry(session, user, **values)


@pytest.mark.parametrize(
    "fields",
    [
        {"mood": 3},
        {"text": "just this"},
        {"answers": {"handled": "I said no"}},
        {"strengths": ["Humour"]},
    ],
)
def test_any_one_field_is_enough(people, fields):
    session, mira, _ = people
    assert _write(session, mira, **fields).id


def test_an_empty_entry_is_explained_not_saved(people):
    session, mira, _ = people
    with pytest.raises(DiaryError) as error:
        _write(session, mira, text="   ", answers={"handled": " "}, strengths=[" ", ""])
    assert error.value.code == "empty_entry"


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"mood": 6}, "mood"),
        ({"mood": 0}, "mood"),
        ({"text": "x" * 10001}, "text_too_long"),
        ({"answers": {"handled": "x" * 2001}}, "answer_too_long"),
        ({"strengths": ["x" * 41]}, "strength_too_long"),
        ({"strengths": [f"s{i}" for i in range(13)]}, "too_many_strengths"),
    ],
)
def test_limits_are_explained(people, fields, code):
    session, mira, _ = people
    with pytest.raises(DiaryError) as error:
        _write(session, mira, **fields)
    assert error.value.code == code


def test_unknown_prompts_are_ignored_and_strengths_deduplicated(people):
    session, mira, _ = people
    entry = _write(
        session,
        mira,
        answers={"handled": "yes", "evil": "no"},
        strengths=["Courage", "courage ", "Mod", "Cooking", " cooking"],
    )
    view = entries.with_details(session, [entry])[0]
    assert [a.prompt for a in view.answers] == ["handled"]
    # "Mod" is Courage in Swedish and Danish: the same built-in strength, named once.
    assert [s.name for s in view.strengths] == ["Courage", "Cooking"]
    assert [s.key for s in view.strengths] == ["courage", "cooking"]


def test_entries_are_private_to_their_author(people):
    session, mira, noor = people
    entry = _write(session, mira, text="mine")
    assert entries.get_entry(session, noor, entry.id) is None
    assert entries.list_entries(session, noor)[0] == []
    with pytest.raises(DiaryError):
        _write(session, noor, text="taken over", entry=entry)
    with pytest.raises(DiaryError):
        entries.delete_entry(session, noor, entry)
    assert session.get(DiaryEntry, entry.id).text == "mine"


def test_editing_replaces_answers_and_strengths(people):
    session, mira, _ = people
    entry = _write(session, mira, answers={"handled": "a"}, strengths=["Patience"])
    _write(session, mira, text="changed", strengths=["Courage"], entry=entry)
    view = entries.with_details(session, [entry])[0]
    assert view.entry.text == "changed" and view.answers == [] and [s.name for s in view.strengths] == ["Courage"]


def test_list_is_newest_first_twenty_at_a_time(people):
    session, mira, _ = people
    ids = [_write(session, mira, text=f"entry {i}").id for i in range(45)]
    first, more = entries.list_entries(session, mira)
    assert more and [v.entry.id for v in first] == ids[::-1][:20]
    second, more = entries.list_entries(session, mira, before=first[-1].entry.id)
    assert more and [v.entry.id for v in second] == ids[::-1][20:40]
    third, more = entries.list_entries(session, mira, before=second[-1].entry.id)
    assert not more and len(third) == 5


def test_search_by_text_answer_and_strength_tag(people):
    session, mira, noor = people
    a = _write(session, mira, text="Walked by the SEA", strengths=["Courage"])
    b = _write(session, mira, answers={"helped": "my sister at the sea"})
    c = _write(session, mira, text="100% tired_out", strengths=["courage"])
    _write(session, noor, text="sea too")
    found = lambda **kw: {v.entry.id for v in entries.list_entries(session, mira, **kw)[0]}  # noqa: E731
    assert found(q="sea") == {a.id, b.id}
    assert found(tag="COURAGE") == {a.id, c.id}
    assert found(q="%") == {c.id}
    assert found(q="_") == {c.id}
    assert found(q="sea", tag="courage") == {a.id}


def test_my_strengths_most_often_first_with_days(people):
    session, mira, _ = people
    for names in (["Courage", "Humour"], ["courage"], ["Patience", "Courage"]):
        _write(session, mira, strengths=names)
    summary = entries.strengths_summary(session, mira)
    assert [(s.key, s.count) for s in summary][0] == ("courage", 3)
    with force_locale("en"):
        summary = entries.strengths_summary(session, mira)
    assert {s.name for s in summary} == {"Courage", "Humour", "Patience"}
    assert all(s.days for s in summary)


def test_month_view_marks_days_with_entries_and_mood(people):
    session, mira, _ = people
    entry = _write(session, mira, mood=2)
    other = _write(session, mira, mood=4)
    weeks = entries.month_view(session, mira, entry.day.year, entry.day.month)
    cells = [cell for week in weeks for cell in week if cell is not None]
    assert len(cells) in range(28, 32)
    today = next(cell for cell in cells if cell.day == entry.day)
    assert today.entries == 2 and today.mood == 3.0
    assert all(cell.entries == 0 for cell in cells if cell.day != other.day)


def test_the_entry_day_is_the_writers_own_day(people):
    session, mira, _ = people
    from datetime import datetime, timezone

    from diary.days import local_day

    mira.time_zone = "Europe/Stockholm"
    late = datetime(2026, 6, 30, 22, 30, tzinfo=timezone.utc)  # 00:30 on 1 July in Stockholm
    assert local_day(mira, late) == date(2026, 7, 1)
    mira.time_zone = "UTC"
    assert local_day(mira, late) == date(2026, 6, 30)


def test_search_ignores_case_for_every_letter(session):
    from accounts import service
    from diary import entries

    user, _ = service.sign_up(session, "mira", "green kettle morning walk")
    entries.save_entry(session, user, mood=None, text="Promenad i Örebro med Åsa", answers={}, strengths=["Ærlighed"])
    entries.save_entry(session, user, mood=None, text="Nothing here", answers={}, strengths=[])
    for term in ("örebro", "ÖREBRO", "åsa", "ÆRLIGHED", "ærlighed"):
        found, _more = entries.list_entries(session, user, q=term)
        assert [v.entry.text for v in found] == ["Promenad i Örebro med Åsa"], term
    assert entries.list_entries(session, user, q="100%")[0] == []  # a % is a letter here, not a wildcard
