"""A coordinator looks at a waiting peer supporter's profile, approves after a confirmation
in one browser; the peer supporter, in a browser of their own, sees the waiting page's
checklist before and the welcome notice, once and focused, after."""

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in, open_page

PASSWORD = "green kettle morning walk"


def _people(app):
    from accounts import service
    from extensions import db
    from peer import profiles

    with app.app_context():
        helle, _ = service.sign_up(db.session, "helle", PASSWORD, role="peer")
        profiles.save_profile(
            db.session,
            helle,
            display_name="Helle",
            about="Twelve years of my own way through it.",
            topics=["women"],
            gender="woman",
            languages=["da", "sv"],
            hours="Weekday evenings",
            taking_new=True,
        )
        cora, _ = service.sign_up(db.session, "cora", PASSWORD, role="client")
        cora.role = "coordinator"
        db.session.add(cora)
        db.session.commit()


def test_approve_with_a_confirmation_and_the_peer_is_welcomed_once(chromium, live_server, page):
    _people(live_server.app)
    peer = open_page(chromium, live_server)
    try:
        log_in(peer, "helle")
        expect(peer.get_by_role("heading", name="Waiting for approval")).to_be_visible()
        expect(peer.get_by_role("link", name="Fill in your profile", exact=False)).to_be_visible()
        assert not axe_violations(peer)

        log_in(page, "cora")
        page.goto("/coordinator")
        expect(page.get_by_text("Twelve years of my own way through it.")).to_be_visible()
        expect(page.get_by_text("Weekday evenings")).to_be_visible()
        assert not axe_violations(page)
        page.get_by_role("link", name="Approve Helle").click()
        question = page.get_by_role("heading", name="Approve Helle as a peer supporter?")
        expect(question).to_be_focused()
        assert not axe_violations(page)
        page.get_by_role("button", name="Yes, approve").click()
        expect(page.get_by_text("Helle is approved as a peer supporter. They will be told.")).to_be_visible()
        expect(page.get_by_text("Nobody is waiting right now.")).to_be_visible()

        peer.goto("/home")
        notice = peer.get_by_text("You're approved as a peer supporter. Welcome!", exact=False)
        expect(notice).to_be_visible()
        expect(peer.locator(".flashes")).to_be_focused()
        expect(peer.get_by_role("heading", name="Inbox")).to_be_visible()
        assert not axe_violations(peer)
        peer.reload()
        expect(peer.get_by_role("heading", name="Inbox")).to_be_visible()
        expect(notice).to_have_count(0)
        assert not peer.problems.errors, peer.problems.errors
    finally:
        peer.context.close()
