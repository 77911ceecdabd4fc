"""Handover with consent in two browsers: Helle, a peer supporter, hands Mira over to Ola
from their conversation; Mira sees who on her contacts page, with Ola's profile and
Helle's goodbye, says yes, finds Ola in Contacts, and can still read the old conversation
with the goodbye in it."""

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in, open_page

PASSWORD = "green kettle morning walk"


def _people(app) -> None:
    from accounts import service
    from extensions import db
    from peer import contacts, messages, profiles

    with app.app_context():
        peers = {}
        for handle, name, gender in (("helle", "Helle", "woman"), ("ola", "Ola", "man")):
            user, _ = service.sign_up(db.session, handle, PASSWORD, role="peer")
            service.approve_peer(db.session, handle)
            profiles.save_profile(
                db.session,
                user,
                display_name=name,
                about=f"{name} has been there too.",
                topics=[],
                gender=gender,
                languages=["sv", "da"],
                hours="weekdays",
                taking_new=True,
            )
            peers[handle] = user
        mira, _ = service.sign_up(db.session, "mira", PASSWORD)
        contact = contacts.request_peer(db.session, mira, peers["helle"].id, "")
        contacts.accept(db.session, peers["helle"], contact)
        messages.send(db.session, mira, contact, "Thank you for last week.")


def test_peer_hands_over_and_the_client_says_yes(chromium, live_server, page):
    _people(live_server.app)
    peer = open_page(chromium, live_server)
    try:
        log_in(peer, "helle")
        peer.get_by_role("link", name="mira").first.click()
        peer.get_by_role("link", name="Hand over").click()
        expect(peer.get_by_role("heading", name="Hand over mira to a colleague")).to_be_visible()
        expect(peer.get_by_text("Ola has been there too.")).to_be_visible()
        assert not axe_violations(peer)
        peer.get_by_role("radio", name="Ola").check()
        peer.get_by_label("A goodbye message (optional)").fill("It has been good to know you. Ola is kind.")
        peer.get_by_role("button", name="Ask mira").click()
        expect(peer.get_by_text("Asked whether Ola may continue. No answer yet.")).to_be_visible()
        assert not peer.problems.errors, peer.problems.errors

        log_in(page, "mira")
        page.get_by_role("link", name="Contacts").click()
        expect(page.get_by_role("heading", name="Would you like to continue with Ola?")).to_be_visible()
        expect(page.get_by_text("It has been good to know you. Ola is kind.").first).to_be_visible()
        assert not axe_violations(page)
        page.get_by_role("button", name="Yes, continue with Ola").click()
        expect(page.get_by_role("heading", name="Ola")).to_be_visible()

        page.get_by_role("link", name="Contacts").click()
        expect(page.get_by_role("link", name="Ola (peer supporter)")).to_be_visible()
        expect(page.get_by_role("heading", name="Would you like to continue with Ola?")).to_have_count(0)
        page.get_by_role("link", name="Helle (peer supporter)").click()
        expect(
            page.get_by_text("This contact has ended. You can still read what you wrote to each other.")
        ).to_be_visible()
        expect(page.get_by_text("Thank you for last week.")).to_be_visible()
        expect(page.get_by_text("It has been good to know you. Ola is kind.")).to_be_visible()
        expect(page.get_by_text("You chose to continue with Ola.")).to_be_visible()
        assert not axe_violations(page)

        peer.reload()
        expect(peer.get_by_text("Said yes: continues with Ola.")).to_be_visible()
    finally:
        peer.context.close()
