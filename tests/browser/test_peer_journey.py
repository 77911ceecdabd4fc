"""A client finds a woman peer supporter who speaks Danish and asks for contact; the peer,
in a browser of her own, accepts and replies, and the reply appears in the client's open
conversation without a reload (htmx polling with ETag / 304)."""

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in, open_page

PASSWORD = "green kettle morning walk"


def _make_peers(app):
    from accounts import service
    from extensions import db
    from peer import profiles

    with app.app_context():
        for handle, name, gender, languages in (
            ("helle", "Helle", "woman", ["da", "sv"]),
            ("ola", "Ola", "man", ["da"]),
            ("sara", "Sara", "woman", ["sv"]),
        ):
            user, _ = service.sign_up(db.session, handle, PASSWORD, role="peer")
            service.approve_peer(db.session, handle)
            profiles.save_profile(
                db.session,
                user,
                display_name=name,
                about=f"{name} has been there too.",
                topics=["women"] if gender == "woman" else [],
                gender=gender,
                languages=languages,
                hours="weekdays",
                taking_new=True,
            )


def test_find_a_peer_ask_and_get_a_reply_without_reloading(chromium, live_server, page):
    _make_peers(live_server.app)
    page.goto("/signup")
    page.get_by_label("A made-up name").fill("mira")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("button", name="I have saved them").click()

    page.get_by_role("link", name="Contacts").click()
    page.get_by_role("link", name="Find a peer supporter").click()
    page.get_by_role("combobox", name="Gender").select_option(label="Woman")
    page.get_by_role("combobox", name="Language").select_option(label="Dansk")
    page.get_by_role("button", name="Show").click()
    cards = page.locator(".strengths > li")
    expect(cards).to_have_count(1)
    assert not axe_violations(page)
    page.get_by_role("link", name="Helle").click()
    page.get_by_label("A short note, if you like").fill("I would like to talk about work.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Waiting for an answer")).to_be_visible()

    peer = open_page(chromium, live_server)
    try:
        log_in(peer, "helle")
        expect(peer.get_by_role("heading", name="Inbox")).to_be_visible()
        expect(peer.get_by_text("I would like to talk about work.")).to_be_visible()
        assert not axe_violations(peer)
        peer.get_by_role("button", name="Accept mira").click()
        expect(peer.get_by_role("heading", name="mira")).to_be_visible()

        page.reload()
        page.get_by_role("link", name="Helle").click()
        expect(page.get_by_text("No messages yet.")).to_be_visible()
        assert not axe_violations(page)

        peer.get_by_label("Message").fill("Hi Mira, good that you wrote. How is work going?")
        peer.get_by_role("button", name="Send").click()
        expect(peer.get_by_text("How is work going?")).to_be_visible()
        expect(peer.get_by_label("Message")).to_have_value("")

        # No reload on the client's side: the open conversation polls and shows the reply.
        expect(page.get_by_text("How is work going?")).to_be_visible(timeout=20000)
        page.get_by_label("Message").fill("Thank you, it is hard but okay.")
        page.get_by_role("button", name="Send").click()
        expect(peer.get_by_text("it is hard but okay")).to_be_visible(timeout=20000)
        expect(page.get_by_text("Seen")).to_be_visible(timeout=20000)
        assert not peer.problems.errors, peer.problems.errors
    finally:
        peer.context.close()
