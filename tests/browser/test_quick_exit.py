"""Quick exit replaces the page at once with an ordinary one; going back does not return to it."""

import re

from playwright.sync_api import expect


def test_quick_exit_leaves_no_app_page_behind_it(page):
    page.goto("/signup")
    page.get_by_role("link", name="Get help").click()
    expect(page).to_have_url(re.compile(r"/help$"))
    page.get_by_role("link", name="Quick exit").click()
    expect(page.get_by_role("heading", name="Tomato soup")).to_be_visible()
    assert "Nära" not in page.content()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/signup$"))  # the page exited from is gone from history


def test_escape_twice_is_a_quick_exit(page):
    page.goto("/help")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", name="Tomato soup")).to_be_visible()


def _client_with_private_things(live_server, page):
    from tests.browser.conftest import log_in
    from tests.conftest import make_user

    make_user(live_server.app, "mira")
    log_in(page, "mira")
    page.goto("/today")
    checkin = page.locator("#checkin")
    checkin.get_by_role("button", name="Low", exact=True).click()
    expect(page.get_by_text("Thank you for checking in.")).to_be_visible()
    checkin.get_by_text("Add more").click()
    checkin.get_by_role("group", name="Craving right now").get_by_role("radio", name="7", exact=True).check()
    checkin.get_by_role("group", name="How did you sleep?").get_by_role("radio", name="Okay").check()
    checkin.get_by_role("button", name="Save check-in").click()
    expect(checkin.get_by_text("7 of 10")).to_be_visible()
    page.goto("/goals/new")
    page.get_by_role("radio", name="Use less").check()
    page.get_by_label("The goal, in your own words").fill("Only use at weekends")
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_role("heading", name="Only use at weekends")).to_be_visible()


PRIVATE = ("Only use at weekends", "7 of 10", "Craving")


def _nothing_private(page) -> None:
    text = page.locator("body").inner_text() if page.locator("body").is_visible() else ""
    for words in PRIVATE:
        assert words not in text, f"{words!r} is on the page after Back"


def test_back_after_quick_exit_shows_the_login_page_not_the_persons_pages(live_server, page):
    _client_with_private_things(live_server, page)
    page.get_by_role("link", name="Quick exit").click()
    expect(page.get_by_role("heading", name="Tomato soup")).to_be_visible()
    page.go_back()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    _nothing_private(page)


def test_back_after_quick_exit_with_a_pin_shows_the_lock(live_server, page):
    from tests.conftest import PASSWORD

    _client_with_private_things(live_server, page)
    page.goto("/settings/lock")
    page.get_by_label("New PIN").fill("4826")
    page.get_by_label("The same PIN again").fill("4826")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Save the PIN").click()
    page.goto("/goals")
    expect(page.get_by_text("Only use at weekends")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", name="Tomato soup")).to_be_visible()
    page.go_back()
    page.wait_for_load_state()
    expect(page.get_by_label("PIN")).to_be_visible()
    _nothing_private(page)
    page.get_by_label("PIN").fill("4826")
    page.get_by_role("button", name=re.compile("Open")).click()
    expect(page.get_by_role("heading", name="PIN lock", exact=True)).to_be_visible()  # back where Back led
    page.goto("/goals")
    expect(page.get_by_text("Only use at weekends")).to_be_visible()


def test_quick_exit_forgets_the_writing_page_kept_for_offline(live_server, page):
    from tests.browser.conftest import log_in
    from tests.conftest import make_user

    make_user(live_server.app, "mira")
    log_in(page, "mira")
    page.goto("/today")
    page.wait_for_function("() => caches.match('/diary/new').then(Boolean)", timeout=15000)
    page.get_by_role("link", name="Quick exit").click()
    expect(page.get_by_role("heading", name="Tomato soup")).to_be_visible()
    page.wait_for_function("() => caches.match('/diary/new').then(found => !found)", timeout=5000)
