"""Quick exit replaces the page at once with an ordinary one; going back does not return to it."""

import re

from playwright.sync_api import expect


def test_quick_exit_leaves_no_app_page_behind_it(page):
    page.goto("/signup")
    page.get_by_role("link", name="Need help now").click()
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
