"""A client adds the end of a prison term to "my next steps" and plans the first weeks:
the warning about tolerance, the checklist, and check-ins by their peer supporter."""

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in
from tests.conftest import make_contact, make_peer_profile, make_user


def test_the_client_adds_a_release_step_and_sees_the_plan(page, live_server):
    app = live_server.app
    client_id, _ = make_user(app, "mira")
    peer_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, peer_id)
    make_contact(app, client_id, peer_id)
    log_in(page, "mira")

    page.goto("/next-steps")
    page.get_by_role("link", name="Add a step").click()
    page.get_by_label("What kind of step?").select_option(label="After prison")
    page.get_by_label("The step, in your own words").fill("I get out")
    page.get_by_label("When (optional)").fill("2027-03-01T10:00")
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Plan your first weeks").click()
    expect(page.get_by_role("heading", name="Your first weeks", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Your tolerance drops fast")).to_be_visible()
    page.get_by_label("I have naloxone, and the people around me know where it is").check()
    page.get_by_label("Who checks in on you?").select_option(label="Helle (peer supporter)")
    page.get_by_label("Day 3 after", exact=False).uncheck()
    page.get_by_role("button", name="Save my plan").click()

    expect(page.get_by_text("Your plan is saved.")).to_be_visible()
    expect(page.get_by_label("I have naloxone, and the people around me know where it is")).to_be_checked()
    expect(page.get_by_label("Day 1 after", exact=False)).to_be_checked()
    expect(page.get_by_label("Day 3 after", exact=False)).not_to_be_checked()
    expect(page.get_by_label("Day 14 after", exact=False)).to_have_accessible_name("Day 14 after: 15 Mar 2027")
    assert not axe_violations(page)
