"""A client invites someone close; the relative joins through the link in a browser of
their own, sees only the shared goal (once the client is back: it is sealed to them then),
and once the client switches it off, the next page load no longer shows it."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, open_page

PASSWORD = "green kettle morning walk"


def test_invite_join_see_only_the_shared_goal_and_lose_it_when_consent_ends(chromium, live_server, page):
    page.goto("/signup")
    page.get_by_label("A made-up name").fill("mira")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("button", name="I have saved them").click()
    for title in ("Only at weekends", "A flat of my own"):
        page.goto("/goals/new")
        page.get_by_role("radio", name="Use less" if title.startswith("Only") else "Something in my life").check()
        if not title.startswith("Only"):
            page.get_by_role("combobox", name="Part of life").select_option(label="Housing")
        page.get_by_label("The goal, in your own words").fill(title)
        page.get_by_role("button", name="Save goal").click()
        expect(page.get_by_role("heading", name=title)).to_be_visible()

    page.get_by_role("link", name="Contacts", exact=True).click()
    page.get_by_role("link", name="Invite someone close to you").click()
    page.get_by_label("Who is this for you?").fill("Mum")
    page.get_by_role("checkbox", name="Only at weekends").check()
    expect(page.get_by_role("checkbox", name="How I am doing")).not_to_be_checked()
    assert not axe_violations(page)
    page.get_by_role("button", name="Make the invitation").click()
    link = page.locator(".invite-link").inner_text()
    assert re.search(r"/invite/[A-Z0-9]{10}$", link)

    relative = open_page(chromium, live_server)
    try:
        relative.goto(link)
        expect(relative.get_by_text("Someone close to you invites you")).to_be_visible()
        relative.get_by_label("A made-up name").fill("mum")
        relative.get_by_label("Password").fill(PASSWORD)
        relative.get_by_role("button", name="Create account and accept").click()
        relative.get_by_role("button", name="I have saved them").click()
        expect(relative.get_by_role("heading", name="Shared with you", exact=True)).to_be_visible()
        # Sealed to mum only once mira is here again: mum is told so, kindly.
        expect(relative.get_by_text("mira has shared more with you.", exact=False)).to_be_visible()
        expect(relative.get_by_text("Only at weekends")).to_have_count(0)
        page.get_by_role("link", name="Contacts", exact=True).click()
        relative.reload()
        expect(relative.get_by_text("Only at weekends")).to_be_visible()
        expect(relative.get_by_text("mira has shared more with you.", exact=False)).to_have_count(0)
        expect(relative.get_by_text("A flat of my own")).to_have_count(0)
        expect(relative.get_by_text("Not shared with you.")).to_be_visible()
        assert not axe_violations(relative)

        page.get_by_role("link", name="Contacts", exact=True).click()
        page.get_by_role("link", name="Change what they see").click()
        page.get_by_role("checkbox", name="Only at weekends").uncheck()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text("sees exactly this from now on")).to_be_visible()

        relative.reload()
        expect(relative.get_by_text("No goals are shared with you right now.")).to_be_visible()
        expect(relative.get_by_text("Only at weekends")).to_have_count(0)

        page.get_by_role("link", name="Who has looked at what you shared").click()
        expect(page.get_by_text("Mum (relative) looked at a goal")).to_be_visible()
        expect(page.get_by_text("You switched off for Mum (relative): a goal")).to_be_visible()
        assert not relative.problems.errors, relative.problems.errors
    finally:
        relative.context.close()
