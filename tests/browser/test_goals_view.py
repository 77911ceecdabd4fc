"""On a 390×844 phone, every goal action answers where the person looks: the goal
check-in, the setback's kind words and a ticked step are in the viewport and focused,
with htmx, and the setback also without JavaScript."""

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in
from tests.conftest import PASSWORD, db_session, make_user

# Long enough that the check-in and the steps start below the first screen.
WHY = "Money left for rent, and mornings that are mine. " * 14
STEPS = [f"Step number {n}" for n in range(1, 13)]


def _goal(app, handle="mira") -> int:
    from accounts.models import User
    from diary import goals

    user_id, _codes = make_user(app, handle)
    with app.app_context():
        user = db_session().get(User, user_id)
        goal = goals.create_goal(
            db_session(), user, kind="less", area=None, title="Only at weekends", why=WHY, steps=STEPS
        )
        return goal.id


def _in_view_and_focused(page, locator):
    expect(locator).to_be_visible()
    expect(locator).to_be_focused()
    box = locator.bounding_box()
    view = page.viewport_size
    assert box is not None
    assert box["y"] >= 0 and box["y"] + min(box["height"], view["height"]) <= view["height"] + 1, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= view["width"] + 1, box
    # Nothing fixed (the bottom bar, an app bar) covers it.
    covered = locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height, 40) / 2);"
        " return !(hit && (hit === el || el.contains(hit))); }"
    )
    assert not covered


def test_goal_answers_are_in_view_and_focused(page, live_server):
    goal_id = _goal(live_server.app)
    log_in(page, "mira", PASSWORD)
    page.goto(f"/goals/{goal_id}")

    # A good day: one tap, and the praise is where the person is looking.
    page.get_by_role("button", name="Went as planned").click()
    praise = page.get_by_text("Checked in. Well done for keeping at it.")
    _in_view_and_focused(page, praise)

    # A setback: the kind words come at once, in view and focused, with someone to talk to.
    page.get_by_role("button", name="Not this time").click()
    support = page.locator("#goal-answer")
    expect(support).to_contain_text("Thank you for checking in, today too.")
    expect(support).to_contain_text("Your 1 good day still counts")
    _in_view_and_focused(page, support)
    expect(support.get_by_role("link", name="Your contacts")).to_be_visible()
    assert not axe_violations(page)

    # Ticking a step far down the list answers at the step.
    page.get_by_role("button", name="Step number 11", exact=True).click()
    said = page.get_by_text("Done: Step number 11. Well done for taking this step.")
    _in_view_and_focused(page, said)
    expect(page.get_by_role("button", name="Step number 11", exact=True)).to_have_attribute("aria-pressed", "true")

    # Adding and removing a step answer in place too.
    page.get_by_label("A new small step").fill("Call the clinic")
    page.get_by_role("button", name="Add step").click()
    _in_view_and_focused(page, page.get_by_text("Added: Call the clinic."))
    page.get_by_role("button", name="Remove step: Step number 2").click()
    _in_view_and_focused(page, page.get_by_text("The step is removed."))
    expect(page.get_by_role("button", name="Step number 2", exact=True)).to_have_count(0)


def test_a_setback_without_javascript_lands_on_the_kind_words(chromium, live_server):
    goal_id = _goal(live_server.app, "noscript")
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", base_url=live_server, java_script_enabled=False
    )
    page = context.new_page()
    log_in(page, "noscript", PASSWORD)
    page.goto(f"/goals/{goal_id}")
    page.get_by_role("button", name="Not this time").click()
    page.wait_for_load_state("load")
    assert "#" not in page.url
    support = page.locator("#goal-answer")
    expect(support).to_contain_text("Thank you for checking in, today too.")
    _in_view_and_focused(page, support)

    # A ticked step, without JavaScript, lands on the step's answer too.
    page.get_by_role("button", name="Step number 12", exact=True).click()
    page.wait_for_load_state("load")
    _in_view_and_focused(page, page.get_by_text("Done: Step number 12."))
    context.close()


def test_goal_ideas_fill_the_form_and_goals_are_cards(page, live_server):
    make_user(live_server.app, "mira")
    log_in(page, "mira", PASSWORD)
    page.goto("/goals")
    set_goal = page.get_by_role("link", name="Set a goal")
    assert set_goal.bounding_box()["height"] >= 44
    page.get_by_role("link", name="Never use alone").click()
    expect(page.get_by_label("The goal, in your own words")).to_have_value("Never use alone")
    expect(page.get_by_role("radio", name="Use more safely")).to_be_checked()
    page.get_by_label("The goal, in your own words").fill("Never use alone, call Sam first")
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_role("heading", name="Never use alone, call Sam first")).to_be_visible()
    page.get_by_role("link", name="Goals", exact=True).first.click()
    card = page.get_by_role("link", name="Never use alone, call Sam first")
    box = card.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300
    assert not axe_violations(page)


def test_a_diary_entry_opens_from_anywhere_on_its_card(page, live_server):
    from accounts.models import User
    from diary import entries

    user_id, _codes = make_user(live_server.app, "mira")
    with live_server.app.app_context():
        user = db_session().get(User, user_id)
        entry = entries.save_entry(
            db_session(), user, mood=4, text="A calm evening with a book", answers={}, strengths=["Patience"]
        )
        entry_id = entry.id
    log_in(page, "mira", PASSWORD)
    page.goto("/diary")
    card = page.locator("#entries article").first
    assert card.bounding_box()["height"] >= 44
    # The date link is itself a full tap target, and a tap on the words opens the entry too.
    date_link = card.get_by_role("link").first
    assert date_link.bounding_box()["height"] >= 44
    card.get_by_text("A calm evening with a book").click(force=True)  # the card link lies over the words
    page.wait_for_url(f"**/diary/{entry_id}")
    # A strength on the card stays its own link.
    page.goto("/diary")
    page.locator("#entries article").first.get_by_role("link", name="Patience").click()
    page.wait_for_url("**/diary?strength=*")
