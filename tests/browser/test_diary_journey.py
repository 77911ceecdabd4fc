"""A person writes in the diary, sets a "use less" goal, has a setback, and sees that
nothing they built is gone: in a real Chromium on a phone-sized screen, with htmx."""

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

PASSWORD = "green kettle morning walk"


def sign_up(page, handle="mira"):
    page.goto("/signup")
    page.get_by_label("A made-up name").fill(handle)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("button", name="I have saved them").click()


def test_entry_goal_and_a_setback_that_takes_nothing_away(page):
    sign_up(page)
    expect(page.get_by_role("heading", name="How are you today?")).to_be_visible()
    assert not axe_violations(page)

    # The daily check-in: one tap on a mood saves it in place (htmx); the rest is "Add more".
    checkin = page.locator("#checkin")
    checkin.get_by_role("button", name="Good", exact=True).click()
    expect(page.get_by_text("Thank you for checking in.")).to_be_visible()
    checkin.get_by_text("Add more").click()
    checkin.get_by_role("group", name="Craving right now").get_by_role("radio", name="3", exact=True).check()
    checkin.get_by_role("group", name="How did you sleep?").get_by_role("radio", name="Okay").check()
    checkin.get_by_label("One thing that went well").fill("Made soup")
    checkin.get_by_role("button", name="Save check-in").click()
    expect(checkin.get_by_text("Made soup")).to_be_visible()
    expect(checkin.locator("[data-answer]")).to_be_focused()

    # A diary entry: one tap to save, and the saved entry is shown where the form was.
    page.get_by_role("link", name="Diary", exact=True).click()
    page.get_by_role("link", name="Write in my diary").click()
    page.get_by_label("Anything you want to write").fill("A calm evening with a book")
    page.get_by_role("checkbox", name="Patience").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved. Good that you took a moment for yourself.")).to_be_visible()
    saved = page.locator(".saved-entry")
    expect(saved).to_be_focused()
    expect(saved.get_by_text("A calm evening with a book")).to_be_in_viewport()
    assert page.url.endswith("/diary/new")
    assert not axe_violations(page)
    page.get_by_role("link", name="See your diary").click()
    expect(page.get_by_text("A calm evening with a book")).to_be_visible()

    # A "use less" goal, offered with the same weight as every other kind.
    page.get_by_role("link", name="Goals", exact=True).click()
    page.get_by_role("link", name="Set a goal").click()
    kinds = page.get_by_role("group", name="What kind of goal?").get_by_role("radio")
    expect(kinds).to_have_count(4)
    page.get_by_role("radio", name="Use less").check()
    page.get_by_label("The goal, in your own words").fill("Only at weekends")
    page.get_by_label("Why it matters to me").fill("Money left for rent")
    page.get_by_label("Small steps, one per line").fill("Tell Sam\nPlan Fridays")
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_role("heading", name="Only at weekends")).to_be_visible()
    assert not axe_violations(page)

    total = page.locator("#progress .stats div").first.locator("dd")
    page.get_by_role("button", name="Went as planned").click()
    expect(page.get_by_text("Checked in. Well done")).to_be_visible()
    expect(total).to_have_text("1")

    page.get_by_role("button", name="Not this time").click()
    expect(page.get_by_text("Thank you for checking in, today too.")).to_be_visible()
    expect(total).to_have_text("1")
    expect(page.get_by_text("Starts with your next good day")).to_be_visible()
    expect(page.locator("#progress").get_by_role("link", name="Need help now")).to_be_visible()

    # Ticking a step happens in place.
    page.get_by_role("button", name="Tell Sam", exact=True).click()
    expect(page.get_by_role("button", name="Tell Sam", exact=True)).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(total).to_have_text("1")
    expect(page.get_by_role("button", name="Tell Sam", exact=True)).to_have_attribute("aria-pressed", "true")

    page.get_by_role("link", name="Today").click()
    page.get_by_role("link", name="See how the last weeks went").click()
    # One check-in so far: the words of what went well, and the charts once there are three.
    expect(page.get_by_text("You checked in 1 of 30 days.")).to_be_visible()
    expect(page.get_by_text("Your charts appear here after three check-ins.")).to_be_visible()
    expect(page.get_by_role("img", name="Mood")).to_have_count(0)
    assert not axe_violations(page)


def test_the_diary_works_without_javascript(chromium, live_server):
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", base_url=live_server, java_script_enabled=False
    )
    page = context.new_page()
    sign_up(page, "noscript")
    page.goto("/diary/new")
    page.get_by_label("Anything you want to write").fill("Written without scripts")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved. Good that you took a moment for yourself.")).to_be_visible()
    page.goto("/diary")
    expect(page.get_by_text("Written without scripts")).to_be_visible()
    context.close()
