"""Bad input gets a clear answer, never a 500: JSON sent to forms, NUL characters (which
PostgreSQL refuses in text) from every way input arrives, and dates outside 1900-2200."""

from __future__ import annotations

import io
import re

import pytest
from sqlmodel import select

from tests.conftest import PASSWORD, csrf_token, login, make_diary, make_user, post

DATE_MESSAGE = "Choose a date between 1900 and 2200."
DEEP_ARRAY = "[" * 50_000 + "]" * 50_000


def _main(response) -> str:
    return re.search(r"<main.*?</main>", response.get_data(as_text=True), re.S).group(0)


def _json(client, url: str, body: str, content_type: str = "application/json"):
    return client.post(url, data=body, content_type=content_type, headers={"X-CSRFToken": csrf_token(client)})


# JSON bodies: forms take form bodies only ------------------------------------------------


@pytest.mark.parametrize(
    "body", ['"a string"', "1e999999", "[1, 2]", "null", DEEP_ARRAY, '{"handle": "mira", "password": "%s"}' % PASSWORD]
)
def test_a_json_body_to_login_is_refused_and_never_read(app, client, body):
    make_user(app, "mira")
    response = _json(client, "/login", body)
    assert response.status_code == 415
    assert "Something in that request was not right" in response.get_data(as_text=True)
    assert client.get("/settings").status_code == 302  # nobody was logged in


@pytest.mark.parametrize("content_type", ["application/json", "application/vnd.api+json"])
def test_a_json_body_to_a_signed_in_form_is_refused(app, client, content_type):
    from diary.models import DiaryEntry
    from extensions import db

    make_user(app, "mira")
    login(client, "mira")
    assert _json(client, "/diary/new", '{"text": "from json", "mood": "4"}', content_type).status_code == 415
    with app.app_context():
        assert db.session.exec(select(DiaryEntry)).all() == []


def test_forms_never_read_a_json_body(app):
    """Even where a JSON body gets past the door, a form sees no data in it."""
    from accounts.forms import LoginForm

    with app.test_request_context(
        "/login", method="POST", data='{"handle": 1e999999}', content_type="application/json"
    ):
        form = LoginForm(meta={"csrf": False})
        assert form.handle.data is None and not form.validate()
    with app.test_request_context("/login", method="POST", data=DEEP_ARRAY, content_type="application/json"):
        assert LoginForm(meta={"csrf": False}).handle.data is None


def test_a_json_endpoint_answers_400_to_json_nested_too_deep(app, client):
    make_user(app, "mira")
    login(client, "mira")
    response = _json(client, "/push/subscriptions", DEEP_ARRAY)
    assert response.status_code == 400
    assert _json(client, "/push/subscriptions", '{"a":' * 20_000 + "1" + "}" * 20_000).status_code == 400


# NUL characters ------------------------------------------------------------------------------


def test_nul_in_the_diary_search_and_tag_filter(app, client):
    user, _ = make_user(app, "mira")
    make_diary(app, user)
    login(client, "mira")
    for query in ("q=quiet%00", "tag=Pat%00ience", "q=%00&tag=%00", "before=%00"):
        response = client.get(f"/diary?{query}")
        assert response.status_code == 200, query
    assert "a quiet good day" in client.get("/diary?q=qu%00iet").get_data(as_text=True)
    assert "a quiet good day" in client.get("/diary?tag=Pat%00ience").get_data(as_text=True)


def test_query_args_come_without_control_characters(app):
    from flask import request

    with app.test_request_context("/diary?q=a%00b%01c&x%00y=1"):
        assert request.args["q"] == "abc" and request.args["xy"] == "1"


def test_nul_in_a_list_field_is_cleaned(app, client):
    from diary.models import EntryStrength
    from extensions import db

    make_user(app, "mira")
    login(client, "mira")
    response = post(client, "/diary/new", {"strengths": ["Pat\x00ience", "Cou\x00rage\x01"], "text": "x"})
    assert response.status_code == 302
    with app.app_context():
        names = sorted(row.name for row in db.session.exec(select(EntryStrength)))
    assert names == ["Courage", "Patience"]


def test_every_list_field_is_cleaned_by_the_base_form(app):
    from peer.forms import ProfileForm

    with app.test_request_context(
        "/profile", method="POST", data={"topics": ["wo\x00men", "opioids"], "languages": ["d\x00a"]}
    ):
        form = ProfileForm(meta={"csrf": False})
        assert form.topics.data == ["women", "opioids"] and form.languages.data == ["da"]


def _coordinator(app, client):
    make_user(app, "coord", role="coordinator")
    login(client, "coord")


def test_nul_in_an_uploaded_csv_is_cleaned(app, client):
    from extensions import db
    from help.models import HelpService

    _coordinator(app, client)
    upload = b"country,kind,name,region\r\nSE,drop_in,Caf\x00\xc3\xa9 N\xc3\xa4ra,Malm\x00\xc3\xb6\r\n"
    response = client.post(
        "/coordinator/help/import",
        content_type="multipart/form-data",
        data={"csrf_token": csrf_token(client), "csv_file": (io.BytesIO(upload), "help.csv")},
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.exec(select(HelpService)).one()
    assert (row.name, row.region) == ("Café Nära", "Malmö")


# Dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["10000000000000-1", "99999-12", "0-1", "2026-0", "-1--1", "1e9-1", "2026-13"])
def test_a_month_out_of_range_shows_this_month(app, client, month):
    make_user(app, "mira")
    login(client, "mira")
    response = client.get(f"/diary/month?m={month}")
    assert response.status_code == 200
    assert _main(response) == _main(client.get("/diary/month"))


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "99999-12-31T23:59", "1899-12-31T23:59", "2201-01-01T00:00"])
def test_a_next_step_far_in_the_past_or_future_is_refused_next_to_the_field(app, client, when):
    from diary.models import NextStep
    from extensions import db

    make_user(app, "mira")
    login(client, "mira")
    response = post(client, "/next-steps/new", {"kind": "other", "title": "Call", "when": when})
    assert response.status_code == 200
    assert DATE_MESSAGE in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.exec(select(NextStep)).all() == []


def test_dates_at_the_edges_of_the_range_are_kept(app, client):
    make_user(app, "mira")
    login(client, "mira")
    for when in ("1900-01-01T00:00", "2200-12-31T23:59"):
        assert post(client, "/next-steps/new", {"kind": "other", "title": "Call", "when": when}).status_code == 302


def test_a_next_step_saved_with_a_broken_date_still_opens(app, client):
    from accounts.models import User
    from diary import next_steps as steps
    from diary.models import NextStep
    from extensions import db

    user_id, _ = make_user(app, "mira")
    with app.app_context():
        row = steps.save_step(
            db.session, db.session.get(User, user_id), kind="other", title="Call", when=None, who="", phone="", note=""
        )
        row = db.session.get(NextStep, row.id)
        row.when_local = "1-01-01T00:00"  # what an older version stored for the year 1
        db.session.add(row)
        db.session.commit()
        step_id = row.id
    login(client, "mira")
    assert client.get(f"/next-steps/{step_id}/edit").status_code == 200
    assert client.get("/next-steps").status_code == 200


def test_a_reminder_once_in_the_year_1_is_refused_next_to_the_field(app, client):
    make_user(app, "mira")
    login(client, "mira")
    response = post(client, "/push/reminders/new", {"kind": "task", "title": "Call", "once_at": "0001-01-01T00:00"})
    assert response.status_code == 200
    assert DATE_MESSAGE in response.get_data(as_text=True)


def test_a_goal_date_out_of_range_is_refused_next_to_the_field(app, client):
    make_user(app, "mira")
    login(client, "mira")
    for day in ("0001-01-01", "99999-12-31"):
        response = post(client, "/goals/new", {"kind": "less", "title": "Weekends", "target_date": day})
        assert response.status_code == 200
        assert DATE_MESSAGE in response.get_data(as_text=True)


def test_a_help_date_out_of_range_is_refused_in_the_form_and_the_csv(app, client):
    _coordinator(app, client)
    response = post(
        client,
        "/coordinator/help/new",
        {"country": "SE", "kind": "drop_in", "name": "Café", "last_verified": "0001-01-01"},
    )
    assert response.status_code == 200 and DATE_MESSAGE in response.get_data(as_text=True)
    imported = post(
        client,
        "/coordinator/help/import",
        {"csv_text": "country,kind,name,last_verified\nSE,drop_in,Café,0001-01-01\n"},
    )
    assert imported.status_code == 200
    assert "Line 2: " + DATE_MESSAGE in imported.get_data(as_text=True)


# Numbers that name a row --------------------------------------------------------------------

HUGE = ["99999999999999999999", "9223372036854775808", "\u00b2", "-1", "0x10"]


@pytest.mark.parametrize("value", HUGE)
def test_a_report_naming_no_real_message_is_refused(app, client, value):
    from extensions import db
    from peer.models import Report
    from tests.conftest import make_contact, make_peer_profile

    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle)
    contact = make_contact(app, mira, helle)
    login(client, "mira")
    response = post(client, f"/contacts/{contact}/report", {"messages": value})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.exec(select(Report)).all() == []


@pytest.mark.parametrize("value", HUGE)
def test_sharing_with_a_contact_that_is_not_one_is_harmless(app, client, value):
    user, _ = make_user(app, "mira")
    ids = make_diary(app, user)
    login(client, "mira")
    assert post(client, f"/diary/{ids['entry']}/share", {"contacts": value}).status_code in (200, 302)
    assert post(client, "/next-steps/share", {"contacts": value}).status_code in (200, 302)


@pytest.mark.parametrize("value", HUGE)
def test_an_invitation_naming_no_real_goal_is_refused(app, client, value):
    user, _ = make_user(app, "mira")
    make_diary(app, user)
    login(client, "mira")
    response = post(client, "/contacts/invite", {"label": "Mum", "goals": value, "messaging": "y"})
    assert response.status_code == 200


@pytest.mark.parametrize("value", HUGE)
def test_a_csv_row_naming_no_real_id_is_reported(app, client, value):
    _coordinator(app, client)
    response = post(client, "/coordinator/help/import", {"csv_text": f"id,country,kind,name\n{value},SE,drop_in,A\n"})
    assert response.status_code == 200
    assert "Line 2: There is no entry with that id." in response.get_data(as_text=True)
