"""The peer supporter's inbox (one row per person: alerts pinned, then who waited longest;
"Waiting" and "All") and their private note per person (sealed by their own key, read by
them only), as rules and over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import attributes
from sqlmodel import select

from accounts.models import User
from accounts.sealing import SEALED_PREFIX, Unopened
from extensions import db, utcnow
from peer import alerts, contacts, messages, notes_private
from peer.errors import PeerError
from peer.models import Contact, Message, PeerNote
from tests.conftest import PASSWORD, csrf_token, login, main_of, make_contact, make_peer_profile, make_user, post

HX = {"HX-Request": "true"}


@pytest.fixture
def world(app):
    ids = {name: make_user(app, name)[0] for name in ("mira", "noor", "sam", "lou")}
    ids["helle"], _ = make_user(app, "helle", role="peer", approved=True)
    ids["ola"], _ = make_user(app, "ola", role="peer", approved=True)
    ids["coord"], _ = make_user(app, "coord", role="coordinator")
    make_peer_profile(app, ids["helle"])
    make_peer_profile(app, ids["ola"], display_name="Ola")
    with app.app_context():
        session = db.session
        yield session, {name: session.get(User, user_id) for name, user_id in ids.items()}


def _contact(session, people, client: str, peer: str = "helle") -> Contact:
    contact = contacts.request_peer(session, people[client], people[peer].id)
    contacts.accept(session, people[peer], contact)
    return contact


def _wrote(session, people, contact: Contact, who: str, body: str, hours_ago: float) -> Message:
    message = messages.send(session, people[who], contact, body)
    message.sent_at = utcnow() - timedelta(hours=hours_ago)
    session.add(message)
    session.commit()
    return message


def test_alerts_are_pinned_then_who_waited_longest_then_the_rest(world):
    session, people = world
    mira, noor, sam, lou = (_contact(session, people, name) for name in ("mira", "noor", "sam", "lou"))
    _wrote(session, people, mira, "mira", "Hello", hours_ago=30)  # waited longest
    _wrote(session, people, noor, "noor", "Hi", hours_ago=2)
    _wrote(session, people, sam, "sam", "Hey", hours_ago=50)
    _wrote(session, people, sam, "helle", "I'm here", hours_ago=49)  # answered
    _wrote(session, people, lou, "lou", "Are you there?", hours_ago=1)  # waits least, but raises an alert
    alerts.raise_alert(session, people["lou"], "bad night")
    rows = messages.inbox(session, people["helle"])
    assert [row.client.handle for row in rows] == ["lou", "mira", "noor", "sam"]
    assert [row.needs_answer for row in rows] == [True, True, True, False]
    assert rows[0].alert is not None and rows[0].alert.note == "bad night"
    assert rows[1].waited >= timedelta(hours=30) and rows[1].preview == "Hello"
    # The alert is answered by a reply: lou is a waiting row no more, and goes to the rest.
    messages.send(session, people["helle"], lou, "I'm with you")
    rows = messages.inbox(session, people["helle"])
    assert [row.client.handle for row in rows] == ["mira", "noor", "lou", "sam"]
    assert [row.needs_answer for row in rows] == [True, True, False, False]


def test_an_ended_contact_is_last_and_never_waiting(world):
    session, people = world
    mira, noor = _contact(session, people, "mira"), _contact(session, people, "noor")
    _wrote(session, people, mira, "mira", "Old words", hours_ago=100)
    _wrote(session, people, noor, "noor", "Hi", hours_ago=1)
    contacts.end(session, people["mira"], mira)
    rows = messages.inbox(session, people["helle"])
    assert [(row.client.handle, row.needs_answer) for row in rows] == [("noor", True), ("mira", False)]
    assert rows[1].waiting is None and rows[1].preview == "Old words"


def test_the_row_shows_the_first_line_of_the_newest_waiting_message(world):
    session, people = world
    mira = _contact(session, people, "mira")
    _wrote(session, people, mira, "mira", "First, older", hours_ago=3)
    _wrote(session, people, mira, "mira", "\n  Newest first line  \nsecond line", hours_ago=1)
    (row,) = messages.inbox(session, people["helle"])
    assert row.preview == "Newest first line" and row.waited >= timedelta(hours=3)
    _wrote(session, people, mira, "mira", "x" * 500, hours_ago=0)
    (row,) = messages.inbox(session, people["helle"])
    assert len(row.preview) == messages.PREVIEW_MAX and row.preview.endswith("…")


def test_a_message_that_does_not_open_yet_reads_as_new_message(world):
    session, people = world
    mira = _contact(session, people, "mira")
    message = _wrote(session, people, mira, "mira", "Secret words", hours_ago=1)
    attributes.set_committed_value(message, "body", Unopened(f"c{mira.id}"))
    assert messages.first_line(message) is None  # the page says "New message", never guesses


@pytest.mark.parametrize(
    ("name", "initial"),
    [("mira", "M"), ("\u200f\u202eölof", "Ö"), ("😀 sam", "S"), ("🙂", "?"), ("", "?"), (None, "?"), ("ßa", "ß")],
)
def test_the_initial_leaves_out_emoji_and_direction_marks(name, initial):
    assert messages.initial_of(name) == initial


def test_the_private_note_is_sealed_and_only_its_peer_supporter_reaches_it(world):
    session, people = world
    mira = _contact(session, people, "mira")
    _contact(session, people, "noor", peer="ola")
    assert notes_private.save(session, people["helle"], mira, "  Likes to talk after 18.  ") is True
    assert notes_private.text_of(session, people["helle"], mira) == "Likes to talk after 18."
    raw = session.execute(text("SELECT text FROM peer_note")).scalar_one()
    assert raw.startswith(SEALED_PREFIX) and "Likes" not in raw
    for who in ("mira", "ola", "coord", "noor"):
        assert notes_private.note_contact(session, people[who], mira.id) is None, who
    with pytest.raises(PeerError):
        notes_private.save(session, people["mira"], mira, "the client cannot write one")
    # Saving again (a double tap, a retry) keeps one note; too long says so and keeps the old one.
    notes_private.save(session, people["helle"], mira, "Likes to talk after 18.")
    with pytest.raises(PeerError) as too_long:
        notes_private.save(session, people["helle"], mira, "x" * (notes_private.NOTE_MAX + 1))
    assert too_long.value.code == "peer_note_long"
    session.rollback()
    assert session.execute(text("SELECT count(*) FROM peer_note")).scalar_one() == 1
    assert notes_private.noted_contacts(session, people["helle"]) == {mira.id}
    rows = messages.inbox(session, people["helle"], [])
    assert [row.noted for row in rows] == [True]
    # Empty takes it away.
    assert notes_private.save(session, people["helle"], mira, "   ") is False
    assert notes_private.note_of(session, people["helle"], mira) is None


def test_the_note_is_in_the_peers_export_only_and_goes_with_the_contact(world):
    from accounts.exporting import export_user

    session, people = world
    mira = _contact(session, people, "mira")
    notes_private.save(session, people["helle"], mira, "Remember the dog")
    assert [n["text"] for n in export_user(session, people["helle"])["peer_notes"]] == ["Remember the dog"]
    assert export_user(session, people["mira"])["peer_notes"] == []
    session.delete(session.get(Contact, mira.id))
    session.commit()
    assert session.execute(text("SELECT count(*) FROM peer_note")).scalar_one() == 0


def test_the_note_goes_with_either_account(app, world):
    from accounts import service

    session, people = world
    mira, noor = _contact(session, people, "mira"), _contact(session, people, "noor")
    notes_private.save(session, people["helle"], mira, "one")
    notes_private.save(session, people["helle"], noor, "two")
    service.delete_account(session, people["mira"], PASSWORD)
    assert session.execute(text("SELECT count(*) FROM peer_note")).scalar_one() == 1
    service.delete_account(session, session.get(User, people["helle"].id), PASSWORD)
    assert session.execute(text("SELECT count(*) FROM peer_note")).scalar_one() == 0


# -- Over HTTP ----------------------------------------------------------------------------


@pytest.fixture
def pair(app):
    mira, _ = make_user(app, "mira")
    noor, _ = make_user(app, "noor")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle)
    client, peer = app.test_client(), app.test_client()
    login(client, "mira")
    login(peer, "helle")
    return client, peer, make_contact(app, mira, helle), make_contact(app, noor, helle)


def _rows(page: str) -> list[str]:
    return re.findall(r'<a class="inbox-row[^"]*" href="/contacts/\d+">(.*?)</a>', page, re.S)


def test_waiting_is_the_default_and_all_shows_everyone(app, pair):
    client, peer, with_mira, with_noor = pair
    page = main_of(peer.get("/inbox"))
    # Two new people, no message yet: both wait for a first hello.
    assert len(_rows(page)) == 2 and page.count("New here: say hello") == 2
    assert 'href="/inbox?show=all"' in page and re.search(r'href="/inbox" aria-current="page">Waiting', page)
    post(peer, f"/contacts/{with_mira}/messages", {"body": "Hello Mira"})
    post(peer, f"/contacts/{with_noor}/messages", {"body": "Hello Noor"})
    page = main_of(peer.get("/inbox"))
    assert _rows(page) == [] and "Nobody is waiting for an answer right now." in page
    post(client, f"/contacts/{with_mira}/messages", {"body": "Can we talk?\nAbout work"})
    page = main_of(peer.get("/inbox"))
    (row,) = _rows(page)
    assert '<span class="inbox-initial" aria-hidden="true">M</span>' in row
    assert "<bdi>Can we talk?</bdi>" in row and "About work" not in row and "waiting for" in row
    assert f'href="/contacts/{with_mira}"' in page and f'href="/contacts/{with_noor}"' not in page
    everyone = main_of(peer.get("/inbox?show=all"))
    assert len(_rows(everyone)) == 2 and re.search(r'href="/inbox\?show=all" aria-current="page">All', everyone)
    assert "You: <bdi>Hello Noor</bdi>" in everyone
    # The availability switch is one compact button in the header, not a form card.
    assert re.search(r'class="availability-toggle">\s*<span class="availability-dot"', page)
    assert 'id="availability-h"' not in page


def test_the_availability_button_says_what_it_asks_for_so_a_double_tap_stays_away(app, pair):
    from peer.models import Contact
    from peer.profiles import profile_of
    from tests.conftest import db_session

    def helle_available() -> bool:
        with app.app_context():
            session = db_session()
            return profile_of(session, session.get(Contact, with_mira).other_id).available

    _client, peer, with_mira, _with_noor = pair
    page = main_of(peer.get("/inbox?show=all"))
    assert '<input type="hidden" name="to" value="away">' in page and 'name="show" value="all"' in page
    for _ in range(2):  # a double tap
        answer = post(peer, "/inbox/availability", {"to": "away", "show": "all"})
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/inbox?show=all")
    assert helle_available() is False
    post(peer, "/inbox/availability", {"to": "available"})
    assert helle_available() is True


def test_the_private_note_over_http(app, pair):
    client, peer, with_mira, _with_noor = pair
    url = f"/contacts/{with_mira}/note"
    saved = post(peer, url, {"text": "Prefers evenings \u202eטוב\u202c"})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/contacts/{with_mira}?note=saved#note")
    page = main_of(peer.get(saved.headers["Location"]))
    assert "Prefers evenings \u202eטוב\u202c" in page and "data-answer" in page and "Only you can read it." in page
    assert 'dir="auto"' in page
    # The client's side of the same conversation: no panel, no words.
    theirs = main_of(client.get(f"/contacts/{with_mira}"))
    assert "Prefers evenings" not in theirs and "My private note" not in theirs
    assert post(client, url, {"text": "x"}).status_code == 404
    # The inbox shows that a note exists, never what it says.
    inbox = main_of(peer.get("/inbox?show=all"))
    assert '<span class="note-mark">note</span>' in inbox and "Prefers evenings" not in inbox


def test_the_note_with_htmx_answers_in_place(app, pair):
    _client, peer, with_mira, _with_noor = pair
    answer = post(peer, f"/contacts/{with_mira}/note", {"text": "Call on Fridays"}, headers=HX)
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200 and body.lstrip().startswith("<details") and "<main" not in body
    assert 'id="note" open' in body and "data-answer" in body and "Call on Fridays" in body


def test_bad_note_input_gets_a_clear_message(app, pair):
    _client, peer, with_mira, _with_noor = pair
    url = f"/contacts/{with_mira}/note"
    long = post(peer, url, {"text": "y" * 100_000})
    assert long.status_code == 200 and "at most 2,000 characters" in long.get_data(as_text=True)
    assert "y" * 2001 in long.get_data(as_text=True)  # what was written is kept in the form
    # A JSON body is not a form: refused with a clear message, never read.
    token = {"X-CSRFToken": csrf_token(peer)}
    json = peer.post(url, data='{"text": "as json"}', content_type="application/json", headers=token)
    assert json.status_code == 415 and "Something in that request was not right" in json.get_data(as_text=True)
    # Without the page's token: said in words, nothing kept.
    stale = peer.post(url, data={"text": "stale", "csrf_token": "old"})
    assert stale.status_code == 400
    assert post(peer, url, {"text": "a\x00b"}).status_code == 302
    page = main_of(peer.get(f"/contacts/{with_mira}"))
    assert re.search(r"<textarea[^>]*id=\"text\"[^>]*>\s*ab</textarea>", page)
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM peer_note")).scalar_one() == 1


def test_a_double_submit_keeps_one_note(app, pair):
    _client, peer, with_mira, _with_noor = pair
    for _ in range(2):
        assert post(peer, f"/contacts/{with_mira}/note", {"text": "Same words"}).status_code == 302
    with app.app_context():
        (note,) = db.session.exec(select(PeerNote)).all()
        assert note.text == "Same words"


def test_a_coordinator_never_reaches_a_note(app, pair):
    _client, peer, with_mira, _with_noor = pair
    post(peer, f"/contacts/{with_mira}/note", {"text": "Only mine"})
    make_user(app, "coord", role="coordinator")
    coordinator = app.test_client()
    login(coordinator, "coord")
    assert post(coordinator, f"/contacts/{with_mira}/note", {"text": "x"}).status_code == 404
    assert coordinator.get(f"/contacts/{with_mira}").status_code == 404
    for url in ("/coordinator", "/coordinator/reports"):
        response = coordinator.get(url)
        assert "Only mine" not in response.get_data(as_text=True), url
