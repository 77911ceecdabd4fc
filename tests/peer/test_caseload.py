"""The caseload: how many people a peer supporter can carry, at its edge, on SQLite and
PostgreSQL; the profile form's number; the inbox header's partial."""

import threading
import time

import pytest
from flask import render_template
from flask_login import login_user

from accounts.models import User
from extensions import db
from peer import contacts, profiles
from peer.errors import PeerError
from tests.conftest import login, main_of, make_peer_profile, make_user, post


@pytest.fixture
def world(app):
    ids = {name: make_user(app, name)[0] for name in ("mira", "noor", "sami", "tove")}
    ids["helle"], _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, ids["helle"], caseload=3)
    with app.app_context():
        session = db.session
        yield session, {name: session.get(User, user_id) for name, user_id in ids.items()}


def _offered(session) -> list[str]:
    return [card.profile.display_name for card in profiles.find_peers(session)]


def _ask(session, client, peer) -> object:
    return contacts.request_peer(session, client, peer.id, "hi")


def test_offered_below_the_caseload_and_not_at_it(world):
    session, people = world
    helle = people["helle"]
    first = _ask(session, people["mira"], helle)
    contacts.accept(session, helle, first)
    _ask(session, people["noor"], helle)  # pending: counts as well
    assert profiles.carried(session, helle.id) == 2
    assert profiles.room_left(session, helle.id) == 1
    assert _offered(session) == ["Helle"]
    _ask(session, people["sami"], helle)
    assert profiles.carried(session, helle.id) == 3
    assert profiles.room_left(session, helle.id) == 0
    assert _offered(session) == []
    card = profiles.listed_peer(session, people["tove"], helle.id)
    assert card is not None and card.full  # the page still shows, without the request button
    with pytest.raises(PeerError) as refused:
        _ask(session, people["tove"], helle)
    assert refused.value.code == "peer_full"
    # One ends: a place opens by itself, no switch needed.
    contacts.end(session, people["mira"], first)
    assert profiles.room_left(session, helle.id) == 1
    assert _offered(session) == ["Helle"]
    assert not profiles.listed_peer(session, people["tove"], helle.id).full
    assert _ask(session, people["tove"], helle).status == "pending"


def test_a_declined_request_frees_its_place(world):
    session, people = world
    helle = people["helle"]
    requests = [_ask(session, people[name], helle) for name in ("mira", "noor", "sami")]
    assert _offered(session) == []
    contacts.decline(session, helle, requests[0])
    assert _offered(session) == ["Helle"]


def test_no_caseload_means_no_limit(world):
    session, people = world
    helle = people["helle"]
    profile = profiles.profile_of(session, helle.id)
    profile.caseload = None
    session.add(profile)
    session.commit()
    for name in ("mira", "noor", "sami", "tove"):
        _ask(session, people[name], helle)
    assert profiles.carried(session, helle.id) == 4
    assert profiles.room_left(session, helle.id) is None
    assert _offered(session) == ["Helle"]
    assert not profiles.listed_peer(session, people["mira"], helle.id).full


def test_a_lowered_caseload_stops_offers_and_taking_new_still_works(world):
    session, people = world
    helle = people["helle"]
    _ask(session, people["mira"], helle)
    _ask(session, people["noor"], helle)
    make_caseload = profiles.profile_of(session, helle.id)
    make_caseload.caseload = 1
    session.add(make_caseload)
    session.commit()
    assert profiles.room_left(session, helle.id) == 0  # over the number: 0, never negative
    assert _offered(session) == []
    make_caseload.caseload, make_caseload.taking_new = 10, False
    session.add(make_caseload)
    session.commit()
    assert _offered(session) == []  # the manual switch still says no


@pytest.mark.parametrize("value", ["0", "201", "-3", "two", "3.5", "1e3"])
def test_the_caseload_number_is_checked(value):
    with pytest.raises(PeerError) as refused:
        profiles.clean_caseload(value)
    assert refused.value.code == "caseload_number"


def test_the_caseload_number_accepts_its_range():
    assert profiles.clean_caseload("") is None
    assert profiles.clean_caseload("  ") is None
    assert profiles.clean_caseload(None) is None
    assert profiles.clean_caseload(" 1 ") == 1
    assert profiles.clean_caseload("200") == 200


def test_two_clients_asking_for_the_last_place_at_once(app, world, monkeypatch):
    """The first holds the peer's profile row from its count to its commit; the second
    waits for it, counts again and is told kindly that the place has gone."""
    session, people = world
    helle_id = people["helle"].id
    _ask(session, people["mira"], people["helle"])
    _ask(session, people["noor"], people["helle"])
    client_ids = [people["sami"].id, people["tove"].id]
    session.close()

    first_inside, let_first_go = threading.Event(), threading.Event()
    real_make = contacts.links.make

    def slow_make(session_, contact):
        if threading.current_thread().name == "first":
            first_inside.set()
            assert let_first_go.wait(10)
        return real_make(session_, contact)

    monkeypatch.setattr(contacts.links, "make", slow_make)
    results = {}

    def ask(name, client_id):
        with app.app_context():
            try:
                _ask(db.session, db.session.get(User, client_id), db.session.get(User, helle_id))
                results[name] = "sent"
            except PeerError as error:
                db.session.rollback()
                results[name] = error.code

    first = threading.Thread(target=ask, args=("first", client_ids[0]), name="first")
    first.start()
    assert first_inside.wait(10)  # the first holds the lock and has counted 2
    second = threading.Thread(target=ask, args=("second", client_ids[1]), name="second")
    second.start()
    time.sleep(0.5)
    assert second.is_alive(), "the second request waits for the first one's lock"
    let_first_go.set()
    first.join(10)
    second.join(10)
    assert results == {"first": "sent", "second": "peer_full"}
    with app.app_context():
        assert profiles.carried(db.session, helle_id) == 3


def test_the_profile_form_saves_and_checks_the_number(app, client, world):
    session, people = world
    login(client, "helle")
    page = client.get("/profile").get_data(as_text=True)
    assert "How many people can you carry at once?" in page and 'value="3"' in page
    form = {"display_name": "Helle", "languages": ["sv"], "gender": "woman", "caseload": "abc"}
    answer = post(client, "/profile", form)
    assert answer.status_code == 200
    assert "Write a whole number from 1 to 200, or leave it empty for no limit." in main_of(answer)
    assert post(client, "/profile", {**form, "caseload": "500"}).status_code == 200
    assert post(client, "/profile", {**form, "caseload": "20", "taking_new": "y"}).status_code == 302
    session.expire_all()
    assert profiles.profile_of(session, people["helle"].id).caseload == 20
    assert post(client, "/profile", {**form, "caseload": ""}).status_code == 302
    session.expire_all()
    assert profiles.profile_of(session, people["helle"].id).caseload is None
    as_json = client.post("/profile", json={"caseload": 5})
    assert as_json.status_code in (200, 400) and as_json.status_code != 500


def test_a_full_peer_page_has_no_request_button_and_a_stale_page_is_refused(app, client, world):
    session, people = world
    helle = people["helle"]
    for name in ("mira", "noor"):
        _ask(session, people[name], helle)
    login(client, "tove")
    page = main_of(client.get(f"/peers/{helle.id}"))
    assert "Send request" in page
    _ask(session, people["sami"], helle)  # the last place goes while Tove reads
    answer = post(client, f"/peers/{helle.id}", {"note": "hello"})
    assert answer.status_code == 200
    text = main_of(answer)
    assert "has just reached the number of people they can carry" in text
    assert "Not taking new people right now" in text and "Send request" not in text
    page = main_of(client.get(f"/peers/{helle.id}"))
    assert "Not taking new people right now" in page and "Send request" not in page
    assert "Helle" not in main_of(client.get("/peers"))


def _capacity(app, user_id: int) -> str:
    """The partial rendered alone, as an include in another page would render it."""
    with app.test_request_context("/inbox", headers={"Accept-Language": "en"}):
        login_user(db.session.get(User, user_id))
        return " ".join(render_template("peer/_capacity.html").split())


def test_the_capacity_partial_from_the_page_context_alone(app, world):
    session, people = world
    helle = people["helle"]
    _ask(session, people["mira"], helle)
    assert "1 of 3 people" in _capacity(app, helle.id)
    for name in ("noor", "sami"):
        _ask(session, people[name], helle)
    text = _capacity(app, helle.id)
    assert "Not taking new people right now — you carry 3 of 3." in text
    assert 'href="/profile#caseload"' in text
    assert 'href="/debrief"' in text  # looking after the load: a debrief is one tap away
    profile = profiles.profile_of(session, helle.id)
    profile.caseload = None
    session.add(profile)
    session.commit()
    assert "3 people, no limit set" in _capacity(app, helle.id)
    assert _capacity(app, people["mira"].id) == ""  # a client sees nothing of it
