"""A reminder's times on a phone (390×844): time fields, "Add another time" that adds a
field in place and focuses it, "Remove" for each time, the saved answer in view and
focused. Without JavaScript the same buttons send the form and it comes back with one
more or one fewer field, and Enter still saves."""

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations

PASSWORD = "green kettle morning walk"


def sign_up(page, handle):
    page.goto("/signup")
    page.get_by_label("A made-up name").fill(handle)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("button", name="I have saved them").click()


def small_controls(page) -> list[str]:
    """Controls in the main content under 44×44 CSS px (links inside running text aside; a
    tick box or radio button counts by its label's row)."""
    return page.evaluate("""() => [...document.querySelectorAll(
        'main button, main input:not([type=hidden], [type=checkbox], [type=radio]), main select, main a.button, main a.push-link, main label.choice')]
      .filter(el => el.getClientRects().length)
      .map(el => [el, el.getBoundingClientRect()])
      .filter(([el, box]) => box.height < 44 || box.width < 44)
      .map(([el, box]) => `${el.outerHTML.slice(0, 80)} ${Math.round(box.width)}×${Math.round(box.height)}`)""")


def answer_in_view(page, text):
    answer = page.locator(".flashes", has_text=text)
    expect(answer).to_be_visible()
    expect(answer).to_be_in_viewport()
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('.flashes')")


def test_a_reminder_with_two_times_is_added_changed_and_one_time_removed(page):
    sign_up(page, "mira")
    page.goto("/push/reminders")
    page.get_by_role("link", name="New reminder").click()
    page.get_by_label("What is it for?").select_option(label="Medicine")
    page.get_by_label("Name").fill("Pills")
    times = page.get_by_role("group", name="Times of day")
    expect(times.get_by_label("Time 1", exact=True)).to_have_attribute("type", "time")
    times.get_by_label("Time 1", exact=True).fill("08:30")
    times.get_by_role("button", name="Add another time").click()
    second = times.get_by_label("Time 2", exact=True)
    expect(second).to_be_focused()  # added in place, without leaving the page
    expect(second).to_have_attribute("type", "time")
    second.fill("20:15")
    assert not small_controls(page), small_controls(page)
    assert not axe_violations(page)
    page.get_by_role("button", name="Save reminder").click()

    answer_in_view(page, "Your reminder is saved.")
    reminder = page.get_by_role("listitem").filter(has_text="Pills")
    expect(reminder).to_contain_text("08:30, 20:15")
    assert not small_controls(page), small_controls(page)

    reminder.get_by_role("link", name="Pills").click()
    times = page.get_by_role("group", name="Times of day")
    expect(times.get_by_label("Time 1", exact=True)).to_have_value("08:30")
    expect(times.get_by_label("Time 2", exact=True)).to_have_value("20:15")
    times.get_by_role("button", name="Remove time 1").click()
    expect(times.get_by_label("Time 2", exact=True)).to_have_count(0)
    only = times.get_by_label("Time 1", exact=True)
    expect(only).to_have_value("20:15")
    expect(only).to_be_focused()
    # Enter in a field saves: it does not press "Remove" or "Add another time".
    page.get_by_label("Name").press("Enter")

    answer_in_view(page, "Your reminder is saved.")
    reminder = page.get_by_role("listitem").filter(has_text="Pills")
    expect(reminder).to_contain_text("20:15")
    expect(reminder).not_to_contain_text("08:30")


def test_quiet_hours_are_time_fields_and_every_control_is_big_enough(page):
    sign_up(page, "noor")
    page.goto("/push/settings")
    expect(page.get_by_label("Quiet from")).to_have_attribute("type", "time")
    page.get_by_label("Quiet from").fill("22:00")
    page.get_by_label("Quiet until").fill("07:30")
    assert not small_controls(page), small_controls(page)
    page.get_by_role("button", name="Save", exact=True).click()
    answer_in_view(page, "Saved.")
    expect(page.get_by_label("Quiet until")).to_have_value("07:30")


def test_times_can_be_added_and_removed_without_javascript(chromium, live_server):
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", base_url=live_server, java_script_enabled=False
    )
    page = context.new_page()
    sign_up(page, "noscript")
    page.goto("/push/reminders/new")
    page.get_by_label("Name").fill("Walk")
    page.get_by_label("Time 1", exact=True).fill("07:00")
    page.get_by_role("button", name="Add another time").click()
    expect(page.get_by_label("Time 2", exact=True)).to_be_focused()
    expect(page.get_by_label("Time 1", exact=True)).to_have_value("07:00")
    expect(page.get_by_label("Name")).to_have_value("Walk")
    page.get_by_label("Time 2", exact=True).fill("19:00")
    page.get_by_role("button", name="Add another time").click()
    page.get_by_label("Time 3", exact=True).fill("12:00")
    page.get_by_role("button", name="Remove time 2").click()
    expect(page.get_by_label("Time 3", exact=True)).to_have_count(0)
    expect(page.get_by_label("Time 2", exact=True)).to_have_value("12:00")
    page.get_by_label("Name").press("Enter")  # saves, not "Remove time 1"
    expect(page.get_by_text("Your reminder is saved.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Walk")).to_contain_text("07:00, 12:00")
    context.close()
