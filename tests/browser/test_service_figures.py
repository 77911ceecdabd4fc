"""A coordinator on a phone finds how the service is doing from their home page: six charts
that fit the screen, the week's figures as a table, and no person named anywhere."""

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in
from tests.conftest import make_contact, make_peer_profile, make_user


def test_a_coordinator_reads_the_weeks_figures_on_a_phone(live_server, page):
    app = live_server.app
    peer_id, _codes = make_user(app, "saffronpeer", role="peer", approved=True)
    make_peer_profile(app, peer_id, display_name="Wilhelmina Quartz")
    for n in range(6):
        client_id, _codes = make_user(app, f"tangerine{n}")
        make_contact(app, client_id, peer_id)
    make_user(app, "coord", role="coordinator")

    log_in(page, "coord")
    page.goto("/coordinator")
    page.get_by_role("link", name="How the service is doing").click()
    expect(page.get_by_role("heading", name="How the service is doing", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="New clients")).to_be_visible()
    assert page.get_by_role("img").filter(has=page.locator("title")).count() >= 6
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"

    section = page.get_by_role("region", name="New clients")
    section.get_by_text("The figures as a table").click()
    last_row = section.get_by_role("row").last
    expect(last_row).to_contain_text("so far")
    expect(last_row.get_by_role("cell")).to_have_text("6")
    body = page.content()
    assert "Wilhelmina Quartz" not in body and "saffronpeer" not in body and "tangerine" not in body
    assert not axe_violations(page)
