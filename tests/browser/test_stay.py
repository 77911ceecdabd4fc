"""Stay with me at 390×844: the client starts it, time passes on the server (the tick with a
later `now`), the chosen peer supporter's browser shows the alert and "I'm on it", and the
client's page then shows who is on it. Plus axe on each of its pages."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in, open_page
from tests.browser.test_frame import TARGETS_JS
from tests.conftest import make_contact, make_peer_profile, make_user


def _tick(app, minutes: int) -> int:
    from extensions import db, utcnow
    from stay import service

    with app.app_context():
        return service.tick(db.session, utcnow() + timedelta(minutes=minutes))


def test_stay_with_me_from_start_to_on_it(chromium, live_server, page):
    app = live_server.app
    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle, display_name="Helle")
    make_contact(app, mira, helle)

    log_in(page, "mira")
    page.goto("/today")
    page.get_by_role("link", name="Stay with me").click()
    expect(page.get_by_text("This is not an emergency service. Nobody is called automatically.")).to_be_visible()
    expect(page.get_by_role("link", name="What to do in an overdose")).to_have_attribute("href", "/help/first-aid")
    assert axe_violations(page) == []
    assert page.evaluate(TARGETS_JS) == []  # every control at least 44×44 px
    page.get_by_label("10 minutes", exact=True).check()
    page.get_by_label("Helle (peer supporter)").check()
    page.get_by_label("Where you are and how to get in (optional)").fill("Green door, 3rd floor")
    page.get_by_role("button", name="Start Stay with me").click()
    expect(page.get_by_role("heading", name="Stay with me is on")).to_be_visible()
    assert axe_violations(page) == []

    assert _tick(app, 8) == 1  # asked
    page.goto("/today")
    expect(page.get_by_role("heading", name="Are you OK?")).to_be_visible()
    assert axe_violations(page) == [] and page.evaluate(TARGETS_JS) == []
    assert _tick(app, 13) == 1  # no answer within the grace period: Helle is told

    peer = open_page(chromium, live_server)
    try:
        log_in(peer, "helle")
        peer.goto("/inbox")
        expect(peer.get_by_role("heading", name="mira has not answered")).to_be_visible()
        expect(peer.get_by_text("Green door, 3rd floor")).to_be_visible()
        assert axe_violations(peer) == []
        assert peer.evaluate(TARGETS_JS) == []
        peer.get_by_role("button", name="I'm on it").first.click()
        expect(peer.get_by_text("On it: You")).to_be_visible()
        assert axe_violations(peer) == []
        assert not peer.problems.errors, peer.problems.errors
    finally:
        peer.context.close()

    page.goto("/stay")
    expect(page.get_by_text("On it: Helle (peer supporter)")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="I'm OK").click()
    expect(page.get_by_text("We told the people who were alerted that you are OK.")).to_be_visible()
