"""Times of day as people write them (push/times.py), and reminders' times over HTTP:
several time fields, "Add another time" and "Remove" without JavaScript, and bodies that
are not a form."""

import re
from datetime import time

import pytest
from sqlmodel import select

from extensions import db
from push.models import Reminder
from push.times import MAX_TIMES, TimeError, parse_time, parse_times, stored
from tests.conftest import csrf_token, login, make_user, post


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("08:30", time(8, 30)),
        ("8:30", time(8, 30)),
        ("8", time(8, 0)),
        ("08", time(8, 0)),
        ("0", time(0, 0)),
        ("8.30", time(8, 30)),
        ("0830", time(8, 30)),
        ("830", time(8, 30)),
        ("20", time(20, 0)),
        ("2030", time(20, 30)),
        ("23:59", time(23, 59)),
        ("00:00", time(0, 0)),
        (" 7:05 ", time(7, 5)),
        ("08:30:00", time(8, 30)),  # a browser's time field with seconds
        ("08:30:00.000", time(8, 30)),
    ],
)
def test_times_are_read_however_they_are_written(written, read):
    assert parse_time(written) == read


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("25", "time_hour"),
        ("24:00", "time_hour"),
        ("2460", "time_hour"),
        ("8.75", "time_minute"),
        ("0875", "time_minute"),
        ("12:60", "time_minute"),
        ("abc", "time_format"),
        ("", "time_format"),
        ("8.5", "time_format"),  # 8:05 or 8:30? asked, never guessed
        ("8:", "time_format"),
        (":30", "time_format"),
        ("12345", "time_format"),
        ("-8", "time_format"),
        ("8 pm", "time_format"),
        ("８:３０", "time_format"),  # full-width digits
        ("٨", "time_format"),  # other scripts' digits
        ("08\x00:30", "time_format"),
        ("08:30\x00", "time_format"),
        ("\x00", "time_format"),
        ("8" * 100_000, "time_long"),
        ("08:30" + " " * 20, "time_long"),
    ],
)
def test_times_that_cannot_be_read_say_why(written, code):
    with pytest.raises(TimeError) as refused:
        parse_time(written)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        (["20:30", "08:00"], "08:00,20:30"),
        ("20:30, 08:00", "08:00,20:30"),  # one text, as the form had it before
        (["8", "08:00", "0800", "8.00"], "08:00"),  # the same time once
        (["", " ", "2030", ""], "20:30"),
        ([], ""),
        (None, ""),
        ([f"{h}" for h in range(MAX_TIMES)], ",".join(f"{h:02}:00" for h in range(MAX_TIMES))),
    ],
)
def test_several_times_are_kept_once_each_in_order(given, kept):
    assert stored(parse_times(given)) == kept


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ([f"{h}" for h in range(MAX_TIMES + 1)], "times_too_many"),
        (["8"] * 1000, "times_too_many"),
        ("8," * 1000, "time_long"),
        (["8", "x" * 100_000], "time_long"),
        (["8", "25"], "time_hour"),
        (["8", 8], "time_format"),
    ],
)
def test_too_many_or_unreadable_times_are_refused(given, code):
    with pytest.raises(TimeError) as refused:
        parse_times(given)
    assert refused.value.code == code


def _reminder(app):
    with app.app_context():
        return db.session.exec(select(Reminder)).one()


def test_a_reminder_takes_several_time_fields(app, client):
    make_user(app, "mira")
    login(client, "mira")
    answer = post(
        client, "/push/reminders/new", {"kind": "medicine", "title": "Pills", "times": ["2030", "8.30", "8:30", ""]}
    )
    assert answer.status_code == 302
    assert _reminder(app).times == "08:30,20:30"
    listing = client.get("/push/reminders").get_data(as_text=True)
    assert "08:30, 20:30" in listing
    reminder_id = re.search(r"/push/reminders/(\d+)/edit", listing).group(1)
    page = client.get(f"/push/reminders/{reminder_id}/edit").get_data(as_text=True)
    assert re.findall(r'<input id="times[^"]*" name="times" value="([^"]*)"\s+type="time"', page) == ["08:30", "20:30"]
    assert "Add another time" in page and "Remove time 2" in page


@pytest.mark.parametrize(
    ("times", "message"),
    [
        (["25"], "A day's hours go from 0 to 23"),
        (["8.75"], "Minutes go from 00 to 59"),
        (["abc"], "Write a time like 8:30, 0830 or 20"),
        (["8", "x" * 100_000], "That is too long to be a time"),
        ([str(h) for h in range(MAX_TIMES + 1)], f"at most {MAX_TIMES} times"),
        (["8"] * 100, f"at most {MAX_TIMES} times"),
    ],
)
def test_unreadable_times_are_answered_in_words(app, client, times, message):
    make_user(app, "mira")
    login(client, "mira")
    answer = post(client, "/push/reminders/new", {"kind": "medicine", "title": "Pills", "times": times})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and message in page
    with app.app_context():
        assert db.session.exec(select(Reminder)).all() == []


def test_a_time_with_a_nul_byte_is_refused_not_read_as_another(app, client):
    make_user(app, "mira")
    login(client, "mira")
    answer = post(client, "/push/reminders/new", {"kind": "medicine", "title": "Pills", "times": ["08\x00:30"]})
    assert answer.status_code == 200 and "Write a time like" in answer.get_data(as_text=True)


def test_add_and_remove_without_javascript_draw_the_form_again(app, client):
    make_user(app, "mira")
    login(client, "mira")
    base = {"kind": "medicine", "title": "Pills"}
    page = post(client, "/push/reminders/new", {**base, "times": ["0830"], "add_time": "1"}).get_data(as_text=True)
    fields = re.findall(r'<input id="(times[^"]*)" name="times" value="([^"]*)"\s+type="time"\s*(autofocus)?', page)
    assert fields == [("times", "08:30", ""), ("times-2", "", "autofocus")]
    page = post(client, "/push/reminders/new", {**base, "times": ["0830", "2030", "12"], "remove_time": "1"}).get_data(
        as_text=True
    )
    fields = re.findall(r'<input id="(times[^"]*)" name="times" value="([^"]*)"\s+type="time"\s*(autofocus)?', page)
    assert fields == [("times", "08:30", ""), ("times-2", "12:00", "autofocus")]
    full = post(
        client, "/push/reminders/new", {**base, "times": [str(h) for h in range(MAX_TIMES - 1)], "add_time": "1"}
    )
    page = full.get_data(as_text=True)
    assert page.count('name="times"') == MAX_TIMES and re.search(r"data-add-time\s+hidden", page)
    with app.app_context():  # nothing was saved by adding or removing a field
        assert db.session.exec(select(Reminder)).all() == []


def test_a_json_body_is_answered_in_words_not_a_500(app, client):
    make_user(app, "mira")
    login(client, "mira")
    for body in ('{"kind": "medicine", "title": "Pills", "times": ["08:30"]}', "[" * 5000, '"08:30"', "8" * 100_000):
        answer = client.post(
            "/push/reminders/new",
            data=body,
            content_type="application/json",
            headers={"X-CSRFToken": csrf_token(client)},
        )
        assert answer.status_code == 415, body[:20]
        assert "Something in that request was not right" in answer.get_data(as_text=True)
    # Another body that is not a form: read as no form at all, and answered as one left empty.
    answer = client.post(
        "/push/reminders/new",
        data="times=08:30",
        content_type="text/plain",
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert answer.status_code == 200 and "Please check this" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.exec(select(Reminder)).all() == []
