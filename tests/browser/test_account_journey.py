"""A person signs up, keeps a recovery code, logs out and in, resets the password with the
code, and switches to Danish, in a real Chromium on a phone-sized screen."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

PASSWORD = "green kettle morning walk"
NEW_PASSWORD = "quiet harbour after rain"


def test_sign_up_recover_and_switch_language(page):
    page.goto("/")
    assert not axe_violations(page)
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("A made-up name").fill("mira")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", name="Welcome, mira")).to_be_visible()
    codes = page.get_by_role("list").filter(has=page.locator("code")).get_by_role("listitem")
    expect(codes).to_have_count(8)
    page.get_by_role("button", name="Copy the codes").click()
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    copied = page.evaluate("() => navigator.clipboard.readText()").splitlines()
    assert len(copied) == 8
    code = copied[0]
    assert re.fullmatch(r"[a-z0-9]{4}(-[a-z0-9]{4}){3}", code)
    assert not axe_violations(page)

    page.get_by_role("button", name="I have saved them").click()
    expect(page.get_by_role("heading", name="Hi, mira")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out")).to_be_visible()

    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Your name here").fill("mira")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hi, mira")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    # Logging out clears the site's data: let it land before going on, or the next
    # navigation aborts it (or is aborted by it).
    expect(page.get_by_text("You are logged out")).to_be_visible()

    page.goto("/login")
    page.get_by_role("link", name="Forgot your password? Use a recovery code.").click()
    page.get_by_label("Your name here").fill("mira")
    page.get_by_label("One of your recovery codes").fill(code)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("You have 7 recovery codes left")).to_be_visible()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    assert not axe_violations(page)

    page.get_by_role("button", name="Dansk").click()
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", name="Indstillinger", exact=True)).to_be_visible()

    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url(lambda url: "/settings" not in url)  # the logout has landed
    page.goto("/login")
    page.get_by_label("Dit navn i appen").fill("mira")
    page.get_by_label("Adgangskode").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator("html")).to_have_attribute("lang", "da")


def test_a_wrong_password_is_explained_next_to_the_form(page):
    page.goto("/login")
    page.get_by_label("Your name here").fill("nobody")
    page.get_by_label("Password").fill("not a real password")
    page.get_by_role("button", name="Log in").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("do not match")
    expect(alert).to_be_focused()
    assert not axe_violations(page)


def test_need_help_now_is_one_tap_away(page):
    page.goto("/signup")
    page.get_by_role("link", name="Get help").click()
    expect(page.get_by_role("link", name="Call 112")).to_have_attribute("href", "tel:112")
    assert not axe_violations(page)
