"""A GET never changes what another person sees when another site sent the browser there:
a link from elsewhere marks no message read, no alert seen, and locks nothing."""

from __future__ import annotations

from sqlmodel import select

from tests.conftest import PASSWORD, login, make_contact, make_peer_profile, make_user, post

CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
OWN_APP = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate"}


def _unread(app, contact_id: int) -> int:
    from extensions import db
    from peer.models import Message

    with app.app_context():
        return len(
            db.session.exec(select(Message).where(Message.contact_id == contact_id, Message.read_at.is_(None))).all()
        )


def test_a_link_from_another_site_marks_no_message_read(app):
    client_id, _codes = make_user(app, "mira")
    peer_id, _codes = make_user(app, "lena", role="peer", approved=True)
    make_peer_profile(app, peer_id)
    contact_id = make_contact(app, client_id, peer_id)
    mira, lena = app.test_client(), app.test_client()
    login(mira, "mira")
    login(lena, "lena")
    post(mira, f"/contacts/{contact_id}/messages", {"body": "Hello there", "client_key": "a" * 32})
    assert _unread(app, contact_id) == 1

    page = lena.get(f"/contacts/{contact_id}", headers=CROSS_SITE)
    assert page.status_code == 200 and "Hello there" in page.get_data(as_text=True)
    assert _unread(app, contact_id) == 1  # mira still sees it as not seen yet

    lena.get(f"/contacts/{contact_id}", headers=OWN_APP)
    assert _unread(app, contact_id) == 0


def test_a_support_alert_is_not_marked_seen_by_a_link_from_elsewhere(app):
    from extensions import db
    from peer.models import AlertDelivery

    client_id, _codes = make_user(app, "mira")
    peer_id, _codes = make_user(app, "lena", role="peer", approved=True)
    make_peer_profile(app, peer_id)
    contact_id = make_contact(app, client_id, peer_id)
    mira, lena = app.test_client(), app.test_client()
    login(mira, "mira")
    login(lena, "lena")
    assert post(mira, "/support", {"note": ""}).status_code in (200, 302)

    def seen():
        with app.app_context():
            rows = db.session.exec(select(AlertDelivery).where(AlertDelivery.contact_id == contact_id)).all()
            assert rows, "the alert reached the peer supporter"
            return [row.seen_at is not None for row in rows]

    lena.get(f"/contacts/{contact_id}", headers=CROSS_SITE)
    assert seen() == [False]
    lena.get(f"/contacts/{contact_id}", headers=OWN_APP)
    assert seen() == [True]


def test_a_link_to_the_lock_page_from_elsewhere_locks_nothing(app, client):
    make_user(app, "mira")
    login(client, "mira")
    assert (
        post(
            client, "/settings/lock", {"pin": "2580", "repeat": "2580", "idle_minutes": "5", "password": PASSWORD}
        ).status_code
        == 302
    )
    answer = client.get("/lock", headers=CROSS_SITE)
    assert answer.status_code == 302
    assert client.get("/today", headers=OWN_APP).status_code == 200  # not locked
    # From the app itself ("Lock now", the idle timer) it locks.
    assert client.get("/lock", headers=OWN_APP).status_code == 200
    assert client.get("/today", headers=OWN_APP).status_code == 302
