"""Today and the writing screen on a 390×844 phone: a first entry in a few taps, a mood in
one, the answer of each shown where the person looks and focused; strengths by key."""

import os

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in
from tests.browser.test_diary_journey import sign_up
from tests.conftest import PASSWORD, make_user

SHOTS = os.environ.get("NARA_SHOTS")  # a folder: screenshots for a person to look at


def _shot(page, name):
    if SHOTS:
        before = len(page.problems.errors)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
        del page.problems.errors[before:]  # Playwright's own style, to hide the caret, meets the CSP


def _small_targets(page, selector):
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector)).map(e => e.getBoundingClientRect())
             .filter(r => r.width < 44 || r.height < 44).length""",
        selector,
    )


def test_a_first_diary_entry_in_at_most_four_taps_shown_and_focused(page):
    sign_up(page, "newone")
    expect(page.get_by_role("heading", name="Where would you like to start?")).to_be_visible()
    _shot(page, "today-first-run")
    assert not axe_violations(page)
    taps = 0
    write = page.get_by_role("link", name="Write in my diary", exact=True)
    expect(write).to_be_in_viewport()  # the first thing to do, near the top
    write.click()
    taps += 1
    page.get_by_label("Anything you want to write").fill("My first words here")
    taps += 1
    save = page.get_by_role("button", name="Save", exact=True)
    expect(save).to_be_in_viewport()  # always in reach, above the bottom bar
    save.click()
    taps += 1
    assert taps <= 4
    saved = page.locator(".saved-entry")
    expect(saved).to_be_focused()
    expect(saved).to_be_in_viewport()
    expect(saved.get_by_text("My first words here")).to_be_in_viewport()
    expect(saved.get_by_text("Saved. Good that you took a moment for yourself.")).to_be_visible()
    _shot(page, "write-saved")
    assert not axe_violations(page)
    page.get_by_role("link", name="Write another").click()
    expect(page.get_by_label("Anything you want to write")).to_have_value("")
    # Once started, Today no longer shows the first-run invitations.
    page.goto("/today")
    expect(page.get_by_role("heading", name="Where would you like to start?")).to_have_count(0)


def test_the_writing_screen_has_the_box_first_and_wrapping_chips(page, live_server):
    make_user(live_server.app, "mira")
    log_in(page, "mira")
    page.goto("/diary/new")
    box = page.get_by_label("Anything you want to write").bounding_box()
    chips = page.locator("label.chip")
    assert chips.count() >= 2 + 5 + 12
    assert _small_targets(page, "label.chip") == 0
    boxes = [chips.nth(i).bounding_box() for i in range(chips.count())]
    assert all(b["y"] > box["y"] for b in boxes)  # the big box first
    assert len({round(b["y"]) for b in boxes}) < len(boxes)  # chips share rows: they wrap, not stack
    assert max(b["width"] for b in boxes) < 360
    # A prompt chip shows its question above the box; what is written answers it.
    prompt = page.get_by_role("group", name="Something to write about").get_by_role("radio").first
    question = prompt.evaluate("e => e.parentElement.textContent.trim()")
    prompt.check()
    expect(page.locator(".write-question:visible")).to_have_text(question)
    page.get_by_label("Anything you want to write").fill("Asked for a lift")
    page.get_by_role("checkbox", name="Patience").check()
    _shot(page, "write-form")
    assert not axe_violations(page)
    page.get_by_role("button", name="Save", exact=True).click()
    saved = page.locator(".saved-entry")
    expect(saved).to_be_focused()
    expect(saved.get_by_text(question)).to_be_visible()
    expect(saved.get_by_text("Patience")).to_be_visible()


def test_one_tap_mood_then_add_more_each_answered_in_place(page, live_server):
    make_user(live_server.app, "mira")
    log_in(page, "mira")
    page.goto("/today")
    checkin = page.locator("#checkin")
    expect(page.get_by_text("How are you today?")).to_have_count(1)
    assert _small_targets(page, ".mood-button") == 0
    expect(checkin.get_by_role("button", name="Good", exact=True)).to_be_visible()
    checkin.get_by_role("button", name="Good", exact=True).click()
    answer = page.locator("#checkin [data-answer]")
    expect(answer).to_be_focused()
    expect(answer).to_be_in_viewport()
    expect(answer).to_contain_text("Thank you for checking in.")
    expect(answer).to_contain_text("Your mood today: Good")
    expect(page.locator(".week-strip li.is-today")).to_contain_text("Good")
    _shot(page, "today-checked-in")
    # Add more: craving as a row of chips, sleep, use, a good thing.
    page.get_by_text("Add more").click()
    checkin.get_by_role("group", name="Craving right now").get_by_role("radio", name="7", exact=True).check()
    assert _small_targets(page, "#checkin label.chip") == 0
    checkin.get_by_role("group", name="How did you sleep?").get_by_role("radio", name="Okay").check()
    checkin.get_by_label("One thing that went well").fill("Made soup")
    _shot(page, "today-add-more")
    assert not axe_violations(page)
    checkin.get_by_role("button", name="Save check-in").click()
    answer = page.locator("#checkin [data-answer]")
    expect(answer).to_be_focused()
    expect(answer).to_contain_text("7 of 10")
    expect(answer).to_contain_text("Made soup")
    expect(answer).to_contain_text("Your mood today: Good")
    # Changing the mood keeps the rest.
    checkin.get_by_role("button", name="Very good", exact=True).click()
    expect(page.locator("#checkin [data-answer]")).to_contain_text("Your mood today: Very good")
    expect(page.locator("#checkin [data-answer]")).to_contain_text("7 of 10")


def test_a_danish_strengths_page_shows_each_strength_once(page, live_server):
    from accounts.models import User
    from extensions import db

    user_id, _ = make_user(live_server.app, "mira")
    log_in(page, "mira")
    page.goto("/diary/new")
    page.get_by_label("Anything you want to write").fill("Said no to a party")
    page.get_by_role("checkbox", name="Courage").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".saved-entry")).to_be_focused()
    with live_server.app.app_context():
        db.session.get(User, user_id).locale = "da"
        db.session.commit()
    page.goto("/diary/new")
    page.locator("#text").fill("Ringede til min søster")
    page.get_by_role("checkbox", name="Mod", exact=True).check()
    page.locator(".save-bar button").click()
    expect(page.locator(".saved-entry")).to_be_focused()
    page.goto("/strengths")
    cards = page.locator(".strength-card")
    expect(cards).to_have_count(1)
    expect(cards.first.locator(".strength-name")).to_have_text("Mod")
    expect(cards.first).to_contain_text("Ringede til min søster")
    _shot(page, "strengths-da")
    assert not axe_violations(page)


def test_the_mood_buttons_and_add_more_work_without_javascript(chromium, live_server):
    make_user(live_server.app, "mira")
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", base_url=live_server, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Your name here").fill("mira")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto("/today")
        page.locator("#checkin").get_by_role("button", name="Okay", exact=True).click()
        expect(page.locator(".flashes")).to_contain_text("Thank you for checking in.")
        expect(page.locator("#checkin")).to_contain_text("Your mood today: Okay")
        page.get_by_text("Add more").click()
        page.get_by_role("group", name="Craving right now").get_by_role("radio", name="2", exact=True).check()
        page.get_by_role("button", name="Save check-in").click()
        expect(page.locator("#checkin")).to_contain_text("2 of 10")
        expect(page.locator("#checkin")).to_contain_text("Your mood today: Okay")
    finally:
        context.close()


MOOD_WORDS = {
    "sv": ["Väldigt tungt", "Tungt", "Okej", "Bra", "Riktigt bra"],
    "da": ["Meget tungt", "Tungt", "Okay", "Godt", "Rigtig godt"],
    "en": ["Very low", "Low", "Okay", "Good", "Very good"],
}


def test_each_mood_word_fits_whole_on_a_phone_in_every_language(chromium):
    """Five mood buttons in a row from 375 px, wrapping below that: never a word split mid-word."""
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "app.css").read_text()
    for width in (320, 360, 375, 390):
        context = chromium.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for language, words in MOOD_WORDS.items():
            buttons = "".join(
                f'<button class="mood-button"><span class="mood-shape mood-{i}"></span><span>{w}</span></button>'
                for i, w in enumerate(words, 1)
            )
            page.set_content(
                f'<html lang="{language}"><head><style>{css}</style></head><body><main><section class="card">'
                f'<div class="mood-row">{buttons}</div></section></main></body></html>'
            )
            spilling = page.evaluate(
                """() => [...document.querySelectorAll('.mood-button')]
                     .filter(b => b.scrollWidth > b.clientWidth + 0.5).map(b => b.textContent)"""
            )
            tops = page.evaluate(
                "() => new Set([...document.querySelectorAll('.mood-button')].map(b => b.offsetTop)).size"
            )
            assert not spilling, f"{language} at {width} px: {spilling}"
            assert (tops == 1) == (width >= 375), f"{language} at {width} px: {tops} rows"
        context.close()
