"""A coordinator publishes a drug-supply warning in one browser; a client who chose that area
sees it on Today in another, as a calm card, and one who chose another area does not."""

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in, open_page
from tests.conftest import make_user

FOUND = "Pills sold as oxycodone hold a much stronger opioid"


def test_a_coordinator_publishes_and_a_client_of_that_area_sees_it_on_today(chromium, live_server, page):
    make_user(live_server.app, "mira")
    make_user(live_server.app, "coord", role="coordinator")

    log_in(page, "mira")
    page.goto("/settings")
    page.get_by_role("link", name="Drug warnings").click()
    expect(page.get_by_role("checkbox", name="All of Sweden")).to_be_checked()  # before choosing: the country
    page.get_by_role("checkbox", name="All of Sweden").uncheck()
    page.get_by_role("checkbox", name="Skåne, Sweden").check()
    assert not axe_violations(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved. You see warnings for the areas you chose.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Skåne, Sweden")).to_be_checked()
    page.goto("/today")
    expect(page.get_by_text(FOUND)).to_have_count(0)

    coordinator = open_page(chromium, live_server)
    try:
        log_in(coordinator, "coord")
        coordinator.goto("/warnings")
        coordinator.get_by_role("link", name="Publish a warning").click()
        coordinator.get_by_label("Where is it for?").select_option(label="Skåne, Sweden")
        coordinator.get_by_label("What was found").fill(FOUND)
        coordinator.get_by_label("Where (town, area or place)").fill("Malmö")
        coordinator.get_by_label("What to do").fill("Use less than usual, not alone, and keep naloxone near.")
        coordinator.get_by_label("Source: who says so").fill("A drop-in in Malmö")
        coordinator.get_by_label("Source: web address").fill("https://example.org/warning")
        coordinator.get_by_label("Last day it is shown").fill((date.today() + timedelta(days=200)).isoformat())
        assert not axe_violations(coordinator)
        coordinator.get_by_role("button", name="Publish").click()
        expect(coordinator.locator("#ends_on-error")).to_contain_text("at most 90 days")  # words, not a 500
        coordinator.get_by_label("Last day it is shown").fill((date.today() + timedelta(days=10)).isoformat())
        coordinator.get_by_role("button", name="Publish").click()
        expect(coordinator.get_by_text("Published.", exact=False)).to_be_visible()
        expect(
            coordinator.get_by_role("heading", name="Information about drugs going around: Skåne, Sweden")
        ).to_be_visible()
        assert not axe_violations(coordinator)
        assert not coordinator.problems.errors, coordinator.problems.errors
    finally:
        coordinator.context.close()

    page.reload()
    card = page.locator(".supply-card")
    expect(card.get_by_text(FOUND)).to_be_visible()
    expect(card.get_by_text("Where: Malmö")).to_be_visible()
    expect(page.get_by_role("heading", name="Good to know right now")).to_be_visible()
    expect(card.get_by_role("link", name="A drop-in in Malmö")).to_be_visible()
    assert not axe_violations(page)
    page.goto("/help")
    expect(page.locator(".supply-card").get_by_text(FOUND)).to_be_visible()
