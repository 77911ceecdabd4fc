"""Debriefs: a peer supporter asks (how soon, how; no free text), one open at a time, the
coordinators are told with neutral words and answer "I'll be in touch"."""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlmodel import select

from accounts.models import User
from extensions import db
from peer import debrief
from peer.debrief import DebriefRequest
from peer.errors import PeerError
from push import service as push
from push.models import Notification
from tests.conftest import login, main_of, make_peer_profile, make_user, post


@pytest.fixture
def world(app):
    ids = {
        "helle": make_user(app, "helle", role="peer", approved=True)[0],
        "ola": make_user(app, "ola", role="peer", approved=True)[0],
        "waiting": make_user(app, "waiting", role="peer")[0],
        "mira": make_user(app, "mira")[0],
        "coord": make_user(app, "coord", role="coordinator")[0],
    }
    make_peer_profile(app, ids["helle"])
    with app.app_context():
        session = db.session
        yield session, {name: session.get(User, user_id) for name, user_id in ids.items()}


def test_one_open_request_per_peer_and_a_new_one_after_it_is_arranged(world):
    session, people = world
    helle = people["helle"]
    first, new = debrief.ask(session, helle, "today", "phone")
    assert new and (first.soon, first.how, first.arranged_at) == ("today", "phone", None)
    again, new = debrief.ask(session, helle, "no_hurry", "meeting")
    assert not new and again.id == first.id and again.soon == "today"
    assert debrief.shown_to_peer(session, helle).id == first.id
    debrief.arrange(session, first)
    arranged_at = first.arranged_at
    debrief.arrange(session, first)  # a second tap changes nothing
    assert first.arranged_at == arranged_at
    assert debrief.shown_to_peer(session, helle).arranged_at is not None
    assert debrief.shown_to_peer(session, helle, now=arranged_at + timedelta(days=15)) is None
    second, new = debrief.ask(session, helle, "week", "either")
    assert new and second.id != first.id


@pytest.mark.parametrize(("soon", "how", "code"), [("now", "phone", "debrief_soon"), ("week", "", "debrief_how")])
def test_only_the_listed_choices(world, soon, how, code):
    session, people = world
    with pytest.raises(PeerError) as refused:
        debrief.ask(session, people["helle"], soon, how)
    assert refused.value.code == code


@pytest.mark.parametrize("who", ["mira", "waiting", "coord"])
def test_only_an_approved_peer_supporter_asks(world, who):
    session, people = world
    with pytest.raises(PeerError):
        debrief.ask(session, people[who], "week", "phone")


def test_the_open_index_holds_under_a_race(world):
    """Two inserts that both missed the other's row: the partial unique index refuses one."""
    session, people = world
    session.add(DebriefRequest(user_id=people["helle"].id, soon="week", how="phone"))
    session.commit()
    original = debrief.open_of
    calls = []

    def missed_once(session_, user_id):
        calls.append(user_id)
        return None if len(calls) == 1 else original(session_, user_id)

    debrief.open_of = missed_once
    try:
        request, new = debrief.ask(session, people["helle"], "today", "meeting")
    finally:
        debrief.open_of = original
    assert not new and request.soon == "week"
    assert len(session.exec(select(DebriefRequest)).all()) == 1


def test_coordinators_see_the_most_pressing_first_by_display_name(world):
    session, people = world
    debrief.ask(session, people["ola"], "no_hurry", "meeting")
    debrief.ask(session, people["helle"], "today", "phone")
    rows = debrief.open_requests(session)
    with force_locale("en"):
        shown = [(row.name, str(row.soon_text), str(row.how_text)) for row in rows]
    assert shown == [
        ("Helle", "Today, if possible", "By phone"),
        ("ola", "No hurry", "Meeting in person"),  # no profile yet: their handle
    ]


def test_coordinators_get_a_neutral_push(world):
    session, people = world
    push.subscribe(session, people["coord"], "https://93.184.215.14/c", "B" * 87, "A" * 22)
    push.subscribe(session, people["ola"], "https://93.184.215.14/o", "B" * 87, "A" * 22)
    debrief.ask(session, people["helle"], "today", "phone")
    sent = session.exec(select(Notification)).all()
    assert [(n.user_id, n.kind) for n in sent] == [(people["coord"].id, "debrief")]
    payload = sent[0].payload
    assert payload["url"] == "/coordinator/debriefs"
    assert "Helle" not in str(payload) and "helle" not in str(payload)
    debrief.ask(session, people["helle"], "today", "phone")  # the same open request: nobody told twice
    assert len(session.exec(select(Notification)).all()) == 1


def test_the_peer_asks_over_http_bad_input_json_and_a_double_tap(app, client, world):
    session, people = world
    login(client, "helle")
    page = main_of(client.get("/debrief"))
    assert "How soon would you like to talk?" in page and "<textarea" not in page
    answer = post(client, "/debrief", {"soon": "yesterday", "how": "phone"})
    assert answer.status_code == 200 and "Choose how soon you would like to talk." in main_of(answer)
    answer = post(client, "/debrief", {"soon": "week"})
    assert answer.status_code == 200 and "Choose how you would like to talk." in main_of(answer)
    assert client.post("/debrief", json={"soon": "week", "how": "phone"}).status_code in (200, 400)
    assert client.post("/debrief", data="garbage", content_type="application/json").status_code in (200, 400)
    assert session.exec(select(DebriefRequest)).all() == []
    assert post(client, "/debrief", {"soon": "week", "how": "phone"}).status_code == 302
    answer = post(client, "/debrief", {"soon": "week", "how": "phone"}, follow_redirects=True)
    assert "You have already asked." in answer.get_data(as_text=True)
    assert len(session.exec(select(DebriefRequest)).all()) == 1
    page = main_of(client.get("/debrief"))
    assert "A coordinator will see it soon" in page and "Ask for a debrief</button>" not in page


def test_the_coordinator_answers_and_the_peer_sees_it(app, world):
    session, people = world
    request, _new = debrief.ask(session, people["helle"], "week", "either")
    coordinator = app.test_client()
    login(coordinator, "coord")
    assert "Debrief requests from peer supporters" in main_of(coordinator.get("/coordinator/peers"))
    assert '<span class="badge">1</span>' in main_of(coordinator.get("/coordinator/peers"))
    assert "1 peer supporter asks for a debrief" in main_of(coordinator.get("/coordinator"))  # their home page
    page = main_of(coordinator.get("/coordinator/debriefs"))
    assert "Helle" in page and "This week" in page and "Either is fine" in page
    assert post(coordinator, f"/coordinator/debriefs/{request.id}/arranged").status_code == 302
    assert post(coordinator, f"/coordinator/debriefs/{request.id}/arranged").status_code == 302  # a double tap
    assert "No open requests." in main_of(coordinator.get("/coordinator/debriefs"))
    assert "asks for a debrief" not in main_of(coordinator.get("/coordinator"))
    assert post(coordinator, "/coordinator/debriefs/999999/arranged").status_code == 404
    post(coordinator, "/logout")
    login(coordinator, "helle")
    page = main_of(coordinator.get("/debrief"))
    assert "A coordinator has seen your request and will contact you." in page
    assert "Ask for a debrief</button>" in page  # they may ask again


@pytest.mark.parametrize("who", ["helle", "ola", "mira"])
def test_nobody_but_a_coordinator_marks_a_request(app, world, who):
    session, people = world
    request, _new = debrief.ask(session, people["helle"], "week", "either")
    client = app.test_client()
    login(client, who)
    assert client.get("/coordinator/debriefs").status_code == 404
    assert post(client, f"/coordinator/debriefs/{request.id}/arranged").status_code == 404
    session.expire_all()
    assert session.get(DebriefRequest, request.id).arranged_at is None


def test_the_request_is_in_the_peers_export(world):
    from accounts.exporting import export_user

    session, people = world
    debrief.ask(session, people["helle"], "today", "meeting")
    exported = export_user(session, people["helle"])
    rows = exported["debrief_requests"]
    assert [(row["soon"], row["how"]) for row in rows] == [("today", "meeting")]
    assert export_user(session, people["ola"])["debrief_requests"] == []
