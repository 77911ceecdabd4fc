"""Messages the moment they are sent: the live stream (/live) makes the open conversation
ask at once. The timeouts are well below the 60 s fallback poll, so these fail when only
polling works; and with the stream unreachable, the page polls quietly, without errors."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from tests.browser.conftest import log_in, open_page
from tests.conftest import make_contact, make_peer_profile, make_user

LIVE_TIMEOUT_MS = 5_000  # far below the 60 s fallback poll


def _pair(app):
    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle)
    return make_contact(app, mira, helle)


def _connected(page) -> None:
    """The stream is open once live.js has rested the polls."""
    expect(page.locator("#messages")).to_have_attribute("data-poll", "3600", timeout=LIVE_TIMEOUT_MS)


def test_a_message_appears_in_the_open_conversation_at_once(chromium, live_server, page):
    contact_id = _pair(live_server.app)
    log_in(page, "mira")
    page.goto(f"/contacts/{contact_id}")
    _connected(page)

    peer = open_page(chromium, live_server)
    try:
        log_in(peer, "helle")
        peer.goto(f"/contacts/{contact_id}")
        _connected(peer)
        delays = []
        for n in range(3):
            words = f"Hello number {n}, how is the week going?"
            peer.get_by_label("Message").fill(words)
            sent = time.monotonic()
            peer.get_by_role("button", name="Send").click()
            expect(page.get_by_text(words)).to_be_visible(timeout=LIVE_TIMEOUT_MS)
            delays.append(time.monotonic() - sent)
        print(f"\nlive: message shown in the other browser after {', '.join(f'{d * 1000:.0f} ms' for d in delays)}")
        # Reading it tells the writer at once too ("Seen").
        expect(peer.get_by_text("Seen").last).to_be_visible(timeout=LIVE_TIMEOUT_MS)
        assert not peer.problems.errors, peer.problems.errors
    finally:
        peer.context.close()


def test_the_unread_badge_counts_at_once(chromium, live_server, page):
    contact_id = _pair(live_server.app)
    log_in(page, "mira")
    page.goto("/contacts")
    badge = page.locator("#unread-badge")
    expect(badge).to_have_attribute("data-poll", "3600", timeout=LIVE_TIMEOUT_MS)
    peer = open_page(chromium, live_server)
    try:
        log_in(peer, "helle")
        peer.goto(f"/contacts/{contact_id}")
        peer.get_by_label("Message").fill("Are you there?")
        peer.get_by_role("button", name="Send").click()
        expect(badge).to_contain_text("1", timeout=LIVE_TIMEOUT_MS)
    finally:
        peer.context.close()


def test_without_the_stream_the_page_polls_quietly(live_server, page):
    contact_id = _pair(live_server.app)
    # The stream cannot be reached (a proxy that does not pass it, say): refused at once.
    page.route("**/live", lambda route: route.fulfill(status=503, body=""))
    # The browser itself notes each refused stream in the console ("Failed to load resource"),
    # whatever the page does; those notes, and only those, are not the page's errors.
    refused = []
    page.on(
        "console",
        lambda m: m.type == "error" and m.location.get("url", "").endswith("/live") and refused.append(m.text),
    )
    log_in(page, "mira")
    page.goto(f"/contacts/{contact_id}")
    page.wait_for_timeout(1_500)
    messages = page.locator("#messages")
    expect(messages).to_have_attribute("data-poll", "60")
    expect(page.locator(".flash-error:visible, [role=alert]:visible")).to_have_count(0)  # nothing alarming is said
    # The fallback poll still asks (app.js every data-poll seconds): made quick here.
    polls = []
    page.on("response", lambda r: r.url.endswith(f"/contacts/{contact_id}/messages") and polls.append(r.status))
    page.evaluate("document.getElementById('messages').dataset.poll = '2'")
    page.wait_for_timeout(4_500)
    assert polls, "the page kept polling without the stream"
    for text in refused:
        page.problems.errors.remove(f"console: {text}")
