"""The answer to sending a message: when the page shows all there was (the tag it holds,
sent back as X-Nara-Shown), only what is new, added to the end of its list; whenever the
page may be out of date, the whole list, as before (issue 17)."""

import pytest

from tests.conftest import login, make_contact, make_peer_profile, make_user, post

HX = {"HX-Request": "true"}


@pytest.fixture
def talk(app):
    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle)
    client, peer = app.test_client(), app.test_client()
    login(client, "mira")
    login(peer, "helle")
    contact = make_contact(app, mira, helle)
    post(peer, f"/contacts/{contact}/messages", {"body": "Hello from Helle"})
    return client, peer, contact


def _tag(client, contact) -> str:
    return client.get(f"/contacts/{contact}/messages", headers=HX).headers["ETag"]


def _send(client, contact, body, shown=None):
    headers = {**HX, **({"X-Nara-Shown": shown} if shown else {})}
    return post(client, f"/contacts/{contact}/messages", {"body": body}, headers=headers)


def test_a_page_that_shows_everything_gets_only_the_new_message(app, talk):
    client, peer, contact = talk
    tag = _tag(client, contact)
    answer = _send(client, contact, "Thanks, a good day", shown=f"W/{tag}")  # weak, as when compressed
    html = answer.get_data(as_text=True)
    assert answer.headers["HX-Reswap"] == "beforeend" and answer.headers["HX-Retarget"] == "#messages .message-list"
    assert "Thanks, a good day" in html and "Hello from Helle" not in html
    assert 'class="message mine"' in html and "day-separator" not in html  # the same day as the one before
    # The tag it carries is the one the whole list would carry now: the next poll is a 304.
    assert answer.headers["ETag"] == _tag(client, contact)
    quiet = client.get(f"/contacts/{contact}/messages", headers={**HX, "If-None-Match": answer.headers["ETag"]})
    assert quiet.status_code == 304


@pytest.mark.parametrize("change", ["their_message", "they_read_mine", "no_tag", "stale_tag"])
def test_whenever_the_page_may_be_out_of_date_the_whole_list_comes(app, talk, change):
    client, peer, contact = talk
    _send(client, contact, "Mine, first")
    tag = _tag(client, contact)
    if change == "their_message":
        post(peer, f"/contacts/{contact}/messages", {"body": "Helle again"})
    elif change == "they_read_mine":
        peer.get(f"/contacts/{contact}")  # "Seen" now stands under "Mine, first"
    shown = {"no_tag": None, "stale_tag": '"0123456789abcdef"'}.get(change, tag)
    answer = _send(client, contact, "Mine, second", shown=shown)
    html = answer.get_data(as_text=True)
    assert "HX-Reswap" not in answer.headers
    assert "Hello from Helle" in html and "Mine, second" in html and '<ol class="message-list">' in html
    if change == "their_message":
        assert "Helle again" in html
    if change == "they_read_mine":
        assert "Seen" in html


def test_a_retried_send_gets_the_whole_list_and_stores_nothing_twice(app, talk):
    """The first answer was lost: the page's tag is from before it, so the retry (the same
    one-time key) gets the whole list, with the message once."""
    client, peer, contact = talk
    tag = _tag(client, contact)
    data = {"body": "Only once", "client_key": "k" * 32}
    first = post(client, f"/contacts/{contact}/messages", data, headers={**HX, "X-Nara-Shown": tag})
    assert first.headers["HX-Reswap"] == "beforeend"
    again = post(client, f"/contacts/{contact}/messages", data, headers={**HX, "X-Nara-Shown": tag})
    assert "HX-Reswap" not in again.headers and again.get_data(as_text=True).count("Only once") == 1


def test_the_first_message_of_a_conversation_gets_the_whole_list(app):
    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle)
    client = app.test_client()
    login(client, "mira")
    contact = make_contact(app, mira, helle)
    tag = _tag(client, contact)
    answer = _send(client, contact, "First words", shown=tag)
    html = answer.get_data(as_text=True)
    assert "HX-Reswap" not in answer.headers and "No messages yet" not in html and "First words" in html


def test_a_new_day_starts_with_its_line(app, talk):
    from datetime import timedelta

    from sqlmodel import select

    from extensions import db
    from peer.models import Message

    client, peer, contact = talk
    with app.app_context():
        for message in db.session.exec(select(Message)).all():
            message.sent_at -= timedelta(days=2)
            db.session.add(message)
        db.session.commit()
    tag = _tag(client, contact)
    html = _send(client, contact, "Two days later", shown=tag).get_data(as_text=True)
    assert html.index('class="day-separator"') < html.index("Two days later")
