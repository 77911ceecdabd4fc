"""Approval with eyes open (issue 19, point 4): the coordinator sees the profile and confirms
before approving; the peer supporter is told once in the app and by a neutral push; the
waiting page says what to do meanwhile."""

from __future__ import annotations

from sqlmodel import select

from tests.conftest import login, main_of, make_peer_profile, make_user, post

CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
WELCOME = "You&#39;re approved as a peer supporter. Welcome!"


def _subscribe(app, user_id: int) -> None:
    from accounts.models import User
    from extensions import db
    from push import service

    with app.app_context():
        service.subscribe(db.session, db.session.get(User, user_id), "https://93.184.215.14/x", "B" * 87, "A" * 22)


def _pushes(app, user_id: int) -> list[dict]:
    from extensions import db
    from push.models import Notification

    with app.app_context():
        rows = db.session.exec(select(Notification).where(Notification.user_id == user_id))
        return [(row.kind, row.payload) for row in rows]


def test_the_coordinator_sees_each_profile_or_that_there_is_none(app):
    make_user(app, "cora", role="coordinator")
    helle_id, _ = make_user(app, "helle", role="peer")
    make_user(app, "bare", role="peer")
    make_peer_profile(app, helle_id, display_name="Helle H", about="Ten years on the other side", hours="Evenings")
    cora = app.test_client()
    login(cora, "cora")
    page = main_of(cora.get("/coordinator"))
    for words in (
        "Helle H",
        "Ten years on the other side",
        "Evenings",
        "Women only",
        "Dansk",
        "bare",
        "No profile yet.",
    ):
        assert words in page, words
    assert 'aria-label="Approve Helle H"' in page


def test_approving_asks_first_then_tells_the_peer_once_in_the_app_and_by_push(app):
    from accounts.models import User
    from extensions import db

    make_user(app, "cora", role="coordinator")
    helle_id, _ = make_user(app, "helle", role="peer")
    make_peer_profile(app, helle_id, display_name="Helle H")
    _subscribe(app, helle_id)
    cora, helle = app.test_client(), app.test_client()
    login(cora, "cora")
    login(helle, "helle")
    question = main_of(cora.get(f"/coordinator/peers/{helle_id}/confirm-approve"))
    assert "Approve Helle H as a peer supporter?" in question and "Yes, approve" in question and "Cancel" in question
    with app.app_context():
        assert db.session.get(User, helle_id).peer_approved_at is None  # asking changed nothing
    for _ in range(2):  # a double tap approves once and tells once
        assert post(cora, f"/coordinator/peers/{helle_id}/approve").status_code == 302
    assert "Nobody is waiting right now." in main_of(cora.get("/coordinator"))
    assert "already approved" in main_of(cora.get(f"/coordinator/peers/{helle_id}/confirm-approve"))
    pushes = _pushes(app, helle_id)
    assert [kind for kind, _payload in pushes] == ["approved"]
    assert pushes[0][1]["body"] == "Something new for you" and "approved" not in pushes[0][1]["body"]

    # A link from another site does not use up the notice; the start page shows it once.
    assert WELCOME not in helle.get("/inbox", headers=CROSS_SITE).get_data(as_text=True)
    first = helle.get("/home", follow_redirects=True).get_data(as_text=True)
    assert WELCOME in first and "data-answer" in first
    assert WELCOME not in helle.get("/inbox").get_data(as_text=True)
    assert WELCOME not in helle.get("/home", follow_redirects=True).get_data(as_text=True)


def test_the_waiting_page_lists_what_to_do_meanwhile(app):
    helle_id, _ = make_user(app, "helle", role="peer")
    helle = app.test_client()
    login(helle, "helle")
    page = main_of(helle.get("/home"))
    assert "While you wait" in page and page.count("Not yet") == 2
    assert 'href="/profile"' in page and 'href="/push/settings"' in page
    make_peer_profile(app, helle_id)
    _subscribe(app, helle_id)
    page = main_of(helle.get("/home"))
    assert "Not yet" not in page and page.count("Done") == 2


def test_only_a_waiting_or_approved_peer_supporter_can_be_looked_at_for_approval(app):
    make_user(app, "cora", role="coordinator")
    mira_id, _ = make_user(app, "mira")
    cora = app.test_client()
    login(cora, "cora")
    assert cora.get(f"/coordinator/peers/{mira_id}/confirm-approve").status_code == 404
    assert cora.get("/coordinator/peers/999999/confirm-approve").status_code == 404
    assert cora.get("/coordinator/peers/abc/confirm-approve").status_code == 404
    assert cora.get("/coordinator/peers/99999999999999999999/confirm-approve").status_code == 404
    assert post(cora, "/coordinator/peers/99999999999999999999/approve").status_code == 404


def test_two_approvals_at_the_same_moment_tell_the_peer_supporter_once(app):
    """Both requests loaded the account while it was waiting: one conditional UPDATE
    approves, so only the first says it did, and one push goes out."""
    from sqlmodel import Session

    from accounts import approval
    from accounts.models import User
    from extensions import db

    helle_id, _ = make_user(app, "helle", role="peer")
    _subscribe(app, helle_id)
    with app.app_context(), Session(db.engine) as first, Session(db.engine) as second:
        one, two = first.get(User, helle_id), second.get(User, helle_id)
        assert approval.approve(first, one) is True
        assert approval.approve(second, two) is False
        assert two.peer_approved_at is not None
    assert [kind for kind, _payload in _pushes(app, helle_id)] == ["approved"]
