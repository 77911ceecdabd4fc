"""A meeting with the authorities in two browsers at 390×844: Mira prepares a meeting from
an appointment in "my next steps", prints one page of it and asks Helle, her peer supporter,
to come along; Helle sees the question in her inbox with the preparation Mira shared, says
yes, and both see the meeting in their next steps."""

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in, open_page
from tests.conftest import make_contact, make_peer_profile, make_user


def test_prepare_ask_and_the_peer_says_yes(chromium, live_server, page):
    app = live_server.app
    client_id, _ = make_user(app, "mira")
    peer_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, peer_id)
    make_contact(app, client_id, peer_id)
    log_in(page, "mira")

    page.goto("/next-steps")
    page.get_by_role("link", name="Add a step").click()
    page.get_by_label("What kind of step?").select_option(label="An appointment")
    page.get_by_label("The step, in your own words").fill("Meeting about housing")
    page.get_by_label("When (optional)").fill("2031-03-03T10:00")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Prepare the meeting").click()
    expect(page.get_by_role("heading", name="Prepare the meeting", level=1)).to_be_visible()
    page.get_by_label("What kind of meeting?").select_option(label="Social services")
    page.get_by_label("What I want to say").fill("I have slept at friends' since May.")
    page.get_by_label("What I want to ask").fill("How long is the queue?")
    page.get_by_role("button", name="Save my preparation").click()
    expect(page.get_by_text("Your preparation is saved.", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="My rights at this meeting")).to_be_visible()
    expect(page.get_by_text("Förvaltningslagen (2017:900) 14 §", exact=False).first).to_be_visible()
    assert not axe_violations(page)

    page.get_by_role("link", name="One page to print or save as PDF").click()
    expect(page.get_by_role("heading", name="Meeting about housing", level=1)).to_be_visible()
    expect(page.get_by_text("How long is the queue?")).to_be_visible()
    expect(page.get_by_role("heading", name="What I bring")).to_have_count(0)  # not filled in: not printed
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_visible()
    page.go_back()

    page.get_by_role("link", name="Ask a peer supporter to come along").click()
    page.get_by_label("Who would you like to ask?").select_option(label="Helle")
    page.get_by_label("Where is the meeting?").fill("Town hall, entrance B")
    page.get_by_label("Take notes").check()
    page.get_by_label("Let them see how I prepared").check()
    send = page.get_by_role("button", name="Send the question")
    send.dblclick()  # a double tap asks once
    expect(page.get_by_text("You asked Helle to come along. They have not answered yet.")).to_be_visible()

    peer = open_page(chromium, live_server)
    try:
        log_in(peer, "helle")
        peer.get_by_role("link", name="1 person asks you to come along to a meeting").click()
        peer.get_by_role("link", name="mira asks you to come to a meeting").click()
        expect(peer.get_by_role("heading", name="A meeting with mira", level=1)).to_be_visible()
        expect(peer.get_by_text("Town hall, entrance B")).to_be_visible()
        expect(peer.get_by_text("I have slept at friends' since May.")).to_be_visible()
        assert not axe_violations(peer)
        peer.get_by_role("button", name="Yes, I'll come").click()
        expect(peer.get_by_text("Thank you. The meeting is in your next steps", exact=False)).to_be_visible()
        peer.get_by_role("link", name="My next steps").click()
        expect(peer.get_by_role("link", name="With mira")).to_be_visible()
        assert not peer.problems.errors, peer.problems.errors
    finally:
        peer.context.close()

    page.goto("/next-steps")
    expect(page.get_by_text("Helle is coming along.")).to_be_visible()
    assert not axe_violations(page)
