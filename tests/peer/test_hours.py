"""A peer supporter's usual hours: checking them, "inside them now?" across midnight and on
the days the clocks change (Europe/Stockholm), the words in each language, and the line a
client sees where they write and on the peer's page."""

from datetime import datetime, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale

from extensions import db
from peer import hours, profiles
from peer.errors import PeerError
from tests.conftest import login, main_of, make_contact, make_peer_profile, make_user, post

STOCKHOLM = ZoneInfo("Europe/Stockholm")
WEEKDAYS = "0,1,2,3,4"


def _profile(days=WEEKDAYS, start="09:00", end="17:00"):
    return SimpleNamespace(usual_days=days, usual_from=start, usual_to=end)


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (_utc(2027, 3, 26, 7, 30), False),  # Friday before the spring change: 08:30 CET
        (_utc(2027, 3, 26, 8, 0), True),  # 09:00 CET
        (_utc(2027, 3, 26, 15, 59), True),  # 16:59 CET
        (_utc(2027, 3, 26, 16, 0), False),  # 17:00 CET: the end is not inside
        (_utc(2027, 3, 29, 7, 30), True),  # Monday after the change: the same UTC is 09:30 CEST
        (_utc(2027, 3, 29, 15, 0), False),  # 17:00 CEST
        (_utc(2026, 10, 23, 7, 30), True),  # Friday before the autumn change: 09:30 CEST
        (_utc(2026, 10, 26, 7, 30), False),  # Monday after it: 08:30 CET
        (_utc(2027, 3, 27, 10, 0), False),  # Saturday
        (_utc(2027, 3, 28, 10, 0), False),  # Sunday
    ],
)
def test_inside_weekday_hours_across_the_clock_changes(moment, inside):
    assert hours.within(_profile(), moment, STOCKHOLM) is inside


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (_utc(2027, 3, 28, 0, 30), True),  # the spring-forward night: 01:30 CET
        (_utc(2027, 3, 28, 0, 59), True),  # 01:59 CET; the next minute is 03:00 CEST
        (_utc(2027, 3, 28, 1, 0), False),  # 03:00 CEST: 02:00-03:00 does not exist that night
        (_utc(2026, 10, 25, 0, 30), True),  # the autumn night: 02:30 CEST
        (_utc(2026, 10, 25, 1, 30), True),  # 02:30 CET, the same hour once more
        (_utc(2026, 10, 25, 2, 0), False),  # 03:00 CET
    ],
)
def test_hours_on_the_nights_the_clocks_change(moment, inside):
    assert hours.within(_profile("0,1,2,3,4,5,6", "01:00", "03:00"), moment, STOCKHOLM) is inside


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (_utc(2026, 12, 4, 20, 59), False),  # Friday 21:59
        (_utc(2026, 12, 4, 21, 0), True),  # Friday 22:00
        (_utc(2026, 12, 4, 22, 59), True),  # Friday 23:59
        (_utc(2026, 12, 4, 23, 0), True),  # Saturday 00:00: still Friday night
        (_utc(2026, 12, 5, 0, 59), True),  # Saturday 01:59
        (_utc(2026, 12, 5, 1, 0), False),  # Saturday 02:00
        (_utc(2026, 12, 5, 21, 30), False),  # Saturday 22:30: Saturday is not listed
        (_utc(2026, 12, 3, 23, 30), False),  # Friday 00:30: Thursday night is not listed
    ],
)
def test_hours_past_midnight_belong_to_the_day_they_start(moment, inside):
    assert hours.within(_profile("4", "22:00", "02:00"), moment, STOCKHOLM) is inside


def test_midnight_as_the_end():
    profile = _profile("0", "18:00", "00:00")  # Monday evening until midnight
    assert hours.within(profile, _utc(2026, 11, 30, 22, 59), STOCKHOLM)  # Monday 23:59
    assert not hours.within(profile, _utc(2026, 11, 30, 23, 0), STOCKHOLM)  # Tuesday 00:00


def test_no_hours_set_is_always_inside():
    assert hours.within(_profile("", "", ""), _utc(2026, 11, 29, 3, 0), STOCKHOLM)
    assert hours.within(None, _utc(2026, 11, 29, 3, 0), STOCKHOLM)


def test_the_words_in_each_language(app):
    with app.test_request_context():
        for locale, expected in (("en", "Mon–Fri, 9–17"), ("sv", "mån–fre, 9–17"), ("da", "man.–fre., 9–17")):
            with force_locale(locale):
                assert hours.describe(_profile()) == expected
        with force_locale("en"):
            assert hours.describe(_profile("0,2,4,5", "08:30", "16:15")) == "Mon, Wed, Fri–Sat, 8:30–16:15"
            assert hours.describe(_profile("0,1,2,3,4,5,6", "22:00", "02:00")) == "every day, 22–2"
        with force_locale("da"):
            assert hours.describe(_profile("6", "08:30", "12:00")) == "søn., 8.30–12"


@pytest.mark.parametrize(
    ("days", "start", "end", "code", "field"),
    [
        (["0"], "", "17:00", "hours_time", "usual_from"),
        (["0"], "09:00", "", "hours_time", "usual_to"),
        ([], "09:00", "17:00", "hours_days", "usual_days"),
        (["7"], "09:00", "17:00", "hours_days", "usual_days"),
        (["monday"], "09:00", "17:00", "hours_days", "usual_days"),
        (["0"], "25:00", "17:00", "hours_time", "usual_from"),
        (["0"], "9", "17:00", "hours_time", "usual_from"),
        (["0"], "09:00", "09:00", "hours_same", "usual_to"),
        (["0"], "09:09", "9:0\u0669", "hours_time", "usual_to"),  # an Arabic-Indic nine is not a time here
    ],
)
def test_hours_are_checked(days, start, end, code, field):
    with pytest.raises(PeerError) as refused:
        hours.clean(days, start, end)
    assert (refused.value.code, refused.value.field) == (code, field)


def test_hours_are_stored_plainly():
    assert hours.clean(["4", "0", "0"], "9:00", "17.30") == ("0,4", "09:00", "17:30")
    assert hours.clean([], "", "") == ("", "", "")


@pytest.fixture
def pair(app):
    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle, usual_days=["0", "1", "2", "3", "4"], usual_from="09:00", usual_to="17:00")
    contact = make_contact(app, mira, helle)
    return {"mira": mira, "helle": helle, "contact": contact}


def test_the_client_sees_the_usual_hours_outside_them(app, client, pair, monkeypatch):
    login(client, "mira")
    line = "Helle usually answers Mon–Fri, 9–17."
    monkeypatch.setattr(hours, "utcnow", lambda: _utc(2026, 11, 28, 20, 0))  # Saturday evening
    conversation = main_of(client.get(f"/contacts/{pair['contact']}"))
    assert line in conversation
    assert conversation.index(line) < conversation.index('name="body"')  # near the message field
    assert line in main_of(client.get(f"/peers/{pair['helle']}"))
    monkeypatch.setattr(hours, "utcnow", lambda: _utc(2026, 11, 30, 10, 0))  # Monday 11:00
    assert line not in main_of(client.get(f"/contacts/{pair['contact']}"))
    page = main_of(client.get(f"/peers/{pair['helle']}"))
    assert line not in page and "Usually answers: Mon–Fri, 9–17" in page


def test_the_line_is_in_the_clients_language(app, client, pair, monkeypatch):
    monkeypatch.setattr(hours, "utcnow", lambda: _utc(2026, 11, 28, 20, 0))
    login(client, "mira")
    post(client, "/language", {"locale": "sv"})
    page = main_of(client.get(f"/contacts/{pair['contact']}"))
    assert "mån–fre, 9–17" in page


def test_the_peer_supporter_does_not_see_it_on_their_side(app, client, pair, monkeypatch):
    monkeypatch.setattr(hours, "utcnow", lambda: _utc(2026, 11, 28, 20, 0))
    login(client, "helle")
    assert "usually answers" not in main_of(client.get(f"/contacts/{pair['contact']}"))


def test_the_profile_form_saves_hours_and_says_what_is_wrong(app, client, pair):
    login(client, "helle")
    page = client.get("/profile").get_data(as_text=True)
    assert 'type="time"' in page and "Monday" in page
    form = {"display_name": "Helle", "languages": ["sv"], "gender": "woman", "taking_new": "y"}
    answer = post(client, "/profile", {**form, "usual_days": ["5", "6"], "usual_from": "10:00", "usual_to": "late"})
    assert answer.status_code == 200 and "Write a time like 09:00." in main_of(answer)
    answer = post(client, "/profile", {**form, "usual_days": ["5", "6"], "usual_from": "10:00", "usual_to": "14:00"})
    assert answer.status_code == 302
    with app.app_context():
        profile = profiles.profile_of(db.session, pair["helle"])
        assert (profile.usual_days, profile.usual_from, profile.usual_to) == ("5,6", "10:00", "14:00")
    assert post(client, "/profile", form).status_code == 302  # all empty: no usual hours
    with app.app_context():
        profile = profiles.profile_of(db.session, pair["helle"])
        assert (profile.usual_days, profile.usual_from, profile.usual_to) == ("", "", "")
