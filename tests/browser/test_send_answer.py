"""Sending in the browser: the answer is only the new message when the page was up to date,
the list reads right afterwards (order, once each, the other person's messages in between),
and a double tap shows one message (issue 17)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import log_in, open_page
from tests.browser.test_live import LIVE_TIMEOUT_MS, _connected, _pair


def test_sending_adds_only_the_new_message_and_the_list_stays_right(chromium, live_server, page):
    contact_id = _pair(live_server.app)
    answers: list[str] = []  # how each send was answered: "added" or "whole"
    page.on(
        "response",
        lambda r: (
            r.request.method == "POST"
            and r.url.endswith(f"/contacts/{contact_id}/messages")
            and answers.append("added" if r.headers.get("hx-reswap") == "beforeend" else "whole")
        ),
    )
    log_in(page, "mira")
    page.goto(f"/contacts/{contact_id}")
    _connected(page)
    box, send = page.get_by_label("Message"), page.get_by_role("button", name="Send")
    for n in range(2):
        box.fill(f"Mine number {n}")
        send.click()
        expect(page.locator(".message.mine").last).to_contain_text(f"Mine number {n}")
    assert answers == ["whole", "added"], answers  # the first replaces "No messages yet"

    peer = open_page(chromium, live_server)
    try:
        log_in(peer, "helle")
        peer.goto(f"/contacts/{contact_id}")
        peer.get_by_label("Message").fill("Helle answers")
        peer.get_by_role("button", name="Send").click()
        expect(page.get_by_text("Helle answers")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    finally:
        peer.context.close()
    expect(page.get_by_text("Seen").first).to_be_visible(timeout=LIVE_TIMEOUT_MS)

    box.fill("After her answer")
    send.dblclick()  # a double tap
    expect(page.locator(".message.mine").last).to_contain_text("After her answer")
    page.wait_for_timeout(500)
    texts = page.locator(".message-list .message-body").all_inner_texts()
    assert texts == ["Mine number 0", "Mine number 1", "Helle answers", "After her answer"], texts
    page.reload()  # what the server holds reads the same
    assert page.locator(".message-list .message-body").all_inner_texts() == texts
    assert "added" in answers[2:], answers
    assert not page.problems.errors, page.problems.errors
