"""The polls' fast path (peer/fast_poll.py) gives exactly the answers of the full stack.

Each row: a state of the world made by `change`, then one poll (the unread badge or the
open conversation) with the tag the page holds. It is asked once through the fast path and
once through Flask alone, with the same cookie and headers; both answers must be the same,
and the fast path must have answered only where the row says (the "nothing new" case).
"""

from __future__ import annotations

import time

import pytest

from tests.conftest import PASSWORD, login, make_contact, make_peer_profile, make_user, post

POLL = {"HX-Request": "true", "X-Nara-Background": "1"}


@pytest.fixture
def world(app):
    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    other, _ = make_user(app, "otto")
    make_peer_profile(app, helle)
    contact = make_contact(app, mira, helle)
    elsewhere = make_contact(app, other, helle)  # someone else's contact
    client, peer = app.test_client(), app.test_client()
    login(client, "mira")
    login(peer, "helle")
    post(peer, f"/contacts/{contact}/messages", {"body": "Hello from Helle"})
    post(client, f"/contacts/{contact}/messages", {"body": "Hello from Mira"})
    return {
        "app": app,
        "client": client,
        "peer": peer,
        "contact": contact,
        "elsewhere": elsewhere,
        "ids": (mira, helle),
    }


def _tags(w) -> tuple[str, str]:
    """What the client's open page holds: the conversation's tag (opening it marks read),
    then the badge's."""
    client, contact = w["client"], w["contact"]
    convo = client.get(f"/contacts/{contact}/messages", headers=POLL).headers["ETag"]
    return convo, client.get("/unread", headers=POLL).headers["ETag"]


def _both(app, client, path, headers):
    """The answer through the fast path, then through Flask alone: (fast, slow, answered)."""
    fast_path = app.wsgi_app
    before = fast_path.answered
    fast = client.get(path, headers=headers)
    answered = fast_path.answered - before
    app.wsgi_app = fast_path.wsgi_app
    try:
        slow = client.get(path, headers=headers)
    finally:
        app.wsgi_app = fast_path
    return fast, slow, answered


# -- what happens between the page's last answer and the poll ---------------------------------


def nothing(w):
    pass


def message_from_the_other(w):
    post(w["peer"], f"/contacts/{w['contact']}/messages", {"body": "Something new from Helle"})


def the_other_reads(w):
    w["peer"].get(f"/contacts/{w['contact']}")  # Helle opens it: Mira's message is seen


def read_on_another_device(w):
    second = w["app"].test_client()
    login(second, "mira")
    post(w["peer"], f"/contacts/{w['contact']}/messages", {"body": "Unread for a moment"})
    second.get(f"/contacts/{w['contact']}")


def contact_ended(w):
    post(w["peer"], f"/contacts/{w['contact']}/end")


def contact_blocked(w):
    post(w["client"], f"/contacts/{w['contact']}/block")


def logged_out_here(w):
    """The page's cookie is kept (a copy) and sent again after logging out."""
    cookie = w["client"].get_cookie("nara_session").value
    post(w["client"], "/logout")
    w["client"].set_cookie("nara_session", cookie)


def logged_out_everywhere(w):
    from accounts import service
    from accounts.models import User
    from extensions import db

    with w["app"].app_context():
        service.end_other_sessions(db.session, db.session.get(User, w["ids"][0]))


def password_changed_elsewhere(w):
    second = w["app"].test_client()
    login(second, "mira")
    answer = post(
        second, "/settings/password", {"current_password": PASSWORD, "new_password": "blue river evening light"}
    )
    assert answer.status_code == 302


def locked(w):
    _pin_on(w)
    with w["client"].session_transaction() as session:
        session["locked"] = True


def idle_past_the_lock(w):
    _pin_on(w)
    with w["client"].session_transaction() as session:
        session["seen"] = int(time.time()) - 3600


def pin_and_recently_seen(w):
    _pin_on(w)
    with w["client"].session_transaction() as session:
        session["seen"] = int(time.time())


def _pin_on(w):
    from accounts.models import User
    from accounts.passwords import hash_password
    from extensions import db

    with w["app"].app_context():
        user = db.session.get(User, w["ids"][0])
        user.pin_hash = hash_password("2580")
        db.session.add(user)
        db.session.commit()


def bad_signature(w):
    cookie = w["client"].get_cookie("nara_session").value
    w["client"].set_cookie("nara_session", cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"))


def other_address(w):
    w["client"].environ_base["REMOTE_ADDR"] = "10.9.8.7"  # Flask-Login marks the session not fresh


# (name, change, which poll, tag held: "own"/"weak"/"other's"/"none", fast path answers?, expected status)
ROWS = [
    ("nothing new: badge", nothing, "badge", "own", True, 304),
    ("nothing new: conversation", nothing, "conversation", "own", True, 304),
    ("a weak tag (compressed answer): conversation", nothing, "conversation", "weak", True, 304),
    ("no tag: conversation", nothing, "conversation", "none", False, 200),
    ("a message: badge", message_from_the_other, "badge", "own", False, 200),
    ("a message: conversation", message_from_the_other, "conversation", "own", False, 200),
    ("a read mark: conversation", the_other_reads, "conversation", "own", False, 200),
    ("a read mark: badge is the same", the_other_reads, "badge", "own", True, 304),
    ("a message read on another device: badge is the same", read_on_another_device, "badge", "own", True, 304),
    ("a message read on another device: conversation", read_on_another_device, "conversation", "own", False, 200),
    ("an end of contact: conversation", contact_ended, "conversation", "own", False, 200),
    ("a block: conversation", contact_blocked, "conversation", "own", False, 200),
    ("logged out, the old cookie again: badge", logged_out_here, "badge", "own", False, 302),
    ("logged out, the old cookie again: conversation", logged_out_here, "conversation", "own", False, 302),
    ("logged out everywhere: badge", logged_out_everywhere, "badge", "own", False, 302),
    ("password changed elsewhere: conversation", password_changed_elsewhere, "conversation", "own", False, 302),
    ("locked: badge", locked, "badge", "own", False, 401),
    ("locked: conversation", locked, "conversation", "own", False, 401),
    ("idle past the PIN lock: conversation", idle_past_the_lock, "conversation", "own", False, 401),
    ("PIN on, seen a moment ago: badge", pin_and_recently_seen, "badge", "own", True, 304),
    ("a changed cookie: badge", bad_signature, "badge", "own", False, 302),
    ("another address: conversation", other_address, "conversation", "own", False, 304),
    ("someone else's contact, its tag computed: conversation", nothing, "elsewhere", "other's", False, 404),
]


@pytest.mark.parametrize(("name", "change", "poll", "held", "fast", "status"), ROWS, ids=[row[0] for row in ROWS])
def test_the_fast_path_answers_as_the_full_stack(app, world, name, change, poll, held, fast, status):
    from peer import messages

    convo_tag, badge_tag = _tags(world)
    change(world)
    if poll == "badge":
        path, tag = "/unread", badge_tag
    elif poll == "conversation":
        path, tag = f"/contacts/{world['contact']}/messages", convo_tag
    else:  # a tag made by the formula for a contact that is not the client's
        path = f"/contacts/{world['elsewhere']}/messages"
        with app.app_context():
            from extensions import db

            row = db.session.exec(messages.tag_query(world["elsewhere"])).one()
            tag = '"' + messages.tag_of(world["elsewhere"], world["ids"][0], "active", row) + '"'
    headers = dict(POLL)
    if held == "weak":
        headers["If-None-Match"] = "W/" + tag
    elif held != "none":
        headers["If-None-Match"] = tag
    fast_answer, slow_answer, answered = _both(app, world["client"], path, headers)
    assert answered == (1 if fast else 0), name
    assert fast_answer.status_code == slow_answer.status_code == status, name
    if status == 304:
        assert fast_answer.data == slow_answer.data == b""
        assert fast_answer.headers["ETag"] == slow_answer.headers["ETag"]
        for header in ("Content-Security-Policy", "Cache-Control", "Vary", "X-Frame-Options", "Referrer-Policy"):
            assert fast_answer.headers[header] == slow_answer.headers[header], header
    if status == 200 and poll == "conversation" and change is message_from_the_other:
        assert "Something new from Helle" in fast_answer.get_data(as_text=True)
    if status == 401:
        assert fast_answer.headers.get("X-Nara-Locked") == slow_answer.headers.get("X-Nara-Locked")


def test_the_fast_304_changes_nothing(app, world):
    """A 304 from the fast path writes no cookie and marks nothing read."""
    from sqlmodel import func, select

    from extensions import db
    from peer.models import Message

    unread = select(func.count(Message.id)).where(Message.read_at.is_(None))
    _tags(world)
    post(world["peer"], f"/contacts/{world['contact']}/messages", {"body": "Unread still"})
    badge = world["client"].get("/unread", headers=POLL).headers["ETag"]
    with app.app_context():
        before = db.session.exec(unread).one()
    answered = app.wsgi_app.answered
    answer = world["client"].get("/unread", headers={**POLL, "If-None-Match": badge})
    assert answer.status_code == 304 and app.wsgi_app.answered == answered + 1
    assert "Set-Cookie" not in answer.headers
    with app.app_context():
        assert db.session.exec(unread).one() == before


def test_a_coordinators_badge_poll_is_still_not_found(app):
    from tests.conftest import make_user as make

    make(app, "cora", role="coordinator")
    coordinator = app.test_client()
    login(coordinator, "cora")
    answered = app.wsgi_app.answered
    answer = coordinator.get("/unread", headers={**POLL, "If-None-Match": '"u0"'})
    assert answer.status_code == 404 and app.wsgi_app.answered == answered
