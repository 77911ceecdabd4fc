"""One help flow on a phone: a client with a relative they call "Mum" taps the help button,
then Tell my people, sends, and sees who was told, in view and focused; Mum, in her own
browser, sees the alert."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, open_page

PASSWORD = "green kettle morning walk"
HELP = re.compile(r"^(Get help|Need help now)$")  # the app bar's help button


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 100) <= size["height"]


def test_tell_my_people_names_mum_in_view_and_mum_sees_the_alert(chromium, live_server, page):
    page.goto("/signup")
    page.get_by_label("A made-up name").fill("mira")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("button", name="I have saved them").click()

    # Nobody yet: the help page says so before anything could be sent, and offers the directory.
    page.get_by_role("link", name=HELP).first.click()
    tell = page.locator("#tell")
    expect(tell).to_contain_text("Nobody would be told yet")
    expect(tell.get_by_role("link", name="Find a peer supporter")).to_be_visible()
    expect(tell.get_by_role("button", name="Yes, send it")).to_have_count(0)

    page.goto("/contacts/invite")
    page.get_by_label("Who is this for you?").fill("Mum")
    page.get_by_role("checkbox", name=re.compile("alerts")).check()
    page.get_by_role("button", name="Make the invitation").click()
    link = page.locator(".invite-link").inner_text()

    mum = open_page(chromium, live_server)
    try:
        mum.goto(link)
        mum.get_by_label("A made-up name").fill("mum")
        mum.get_by_label("Password").fill(PASSWORD)
        mum.get_by_role("button", name="Create account and accept").click()
        mum.get_by_role("button", name="I have saved them").click()
        expect(mum.get_by_role("heading", name="Shared with you", exact=True)).to_be_visible()

        page.get_by_role("link", name="Contacts", exact=True).click()
        page.get_by_role("link", name=HELP).first.click()
        expect(page.get_by_role("link", name="Call 112")).to_have_attribute("href", "tel:112")
        expect(tell).to_contain_text("Mum (relative)")
        assert not axe_violations(page)

        tell.get_by_role("link", name="Tell my people").click()
        expect(tell.get_by_role("button", name="Yes, send it")).to_be_visible()
        expect(tell).to_be_focused()
        tell.get_by_label(re.compile("A few words")).fill("rough night")
        tell.get_by_role("button", name="Yes, send it").click()

        expect(tell.get_by_role("heading", name="Your people know now")).to_be_visible()
        answer = tell.locator(".help-told").get_by_role("listitem").filter(has_text="Mum (relative)")
        expect(answer).to_be_visible()
        expect(tell).to_be_focused()
        assert _in_view(page, tell)
        assert not axe_violations(page)

        mum.goto("/linked")
        expect(mum.get_by_role("heading", name="mira needs support now")).to_be_visible()
        expect(mum.get_by_text("rough night")).to_be_visible()
        assert not mum.problems.errors, mum.problems.errors
    finally:
        mum.context.close()
