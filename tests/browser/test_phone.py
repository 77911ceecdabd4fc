"""For a shared phone: the PIN lock after idle time, and choices that make the app look like
something else (name, icon, where Quick exit goes)."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.conftest import PASSWORD, make_user


def _set_pin(page, pin="4826"):
    page.get_by_label("New PIN").fill(pin)
    page.get_by_label("The same PIN again").fill(pin)
    page.get_by_label("Ask for it when the app has not been used for").select_option(label="1 minute")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Save the PIN").click()


def _writing_with_a_pin(page, live_server):
    """A client with a PIN asked after one minute, on the writing page, with a fake clock."""
    make_user(live_server.app, "mira")
    page.clock.install()
    log_in(page, "mira")
    page.goto("/settings/lock")
    _set_pin(page)
    page.goto("/diary/new")


def test_the_pin_lock_asks_after_the_idle_time_and_opens_with_the_pin(page, live_server):
    make_user(live_server.app, "mira")
    page.clock.install()
    log_in(page, "mira")
    page.goto("/settings")
    page.get_by_role("link", name="PIN lock").first.click()
    _set_pin(page)
    expect(page.get_by_text("The PIN lock is on. It asks after 1 minute without use.")).to_be_visible()

    page.goto("/diary")
    page.clock.run_for("00:30")
    expect(page).to_have_url(re.compile(r"/diary$"))  # half a minute: still open
    page.clock.run_for("00:35")
    expect(page.get_by_role("heading", name="Locked")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/lock\?next="))
    assert "mira" not in page.content()
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)

    page.get_by_label("PIN").fill("1111")
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_text("That PIN is not right. You have 4 more tries.").first).to_be_visible()
    page.get_by_label("PIN").fill("4826")
    page.get_by_role("button", name="Open").click()
    expect(page).to_have_url(re.compile(r"/diary$"))
    expect(page.get_by_role("heading", name="Diary", exact=True)).to_be_visible()


def test_typing_keeps_the_lock_away(page, live_server):
    _writing_with_a_pin(page, live_server)
    box = page.get_by_label("Anything you want to write")
    for word in ("Slowly", " writing", " a", " long", " entry"):
        page.clock.run_for("00:40")
        box.press_sequentially(word)
    expect(page).to_have_url(re.compile(r"/diary/new$"))
    expect(box).to_have_value("Slowly writing a long entry")


def test_this_phone_can_look_like_notes_and_exit_to_the_weather(page, live_server):
    make_user(live_server.app, "mira")
    log_in(page, "mira")
    page.goto("/settings")
    page.get_by_role("link", name="This phone").click()
    page.get_by_role("radio", name="Notes, with a plain notebook icon").check()
    page.get_by_role("radio", name="The weather from SMHI").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved for this phone.")).to_be_visible()
    expect(page).to_have_title("This phone · Notes")
    expect(page.get_by_role("link", name="Quick exit")).to_have_attribute("href", "https://www.smhi.se/")
    page.goto("/today")
    expect(page.locator("link[rel=icon]")).to_have_attribute("href", re.compile("plain-icon-192"))
    # Back to the soup recipe, which also works offline.
    page.goto("/settings/phone")
    page.get_by_role("radio", name="A soup recipe (works offline too)").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Quick exit").click()
    expect(page.get_by_role("heading", name="Tomato soup")).to_be_visible()


OFFER = """() => {
  const offer = new Event('beforeinstallprompt', {cancelable: true});
  offer.prompt = () => { window.__prompted = true; return Promise.resolve(); };
  offer.userChoice = Promise.resolve({outcome: 'accepted'});
  window.dispatchEvent(offer);
  return offer.defaultPrevented;
}"""


def test_the_install_card_appears_only_when_the_browser_offers_it(page, live_server):
    make_user(live_server.app, "mira")
    log_in(page, "mira")
    card = page.get_by_role("region", name="Keep Nära on your home screen")
    expect(card).to_be_hidden()
    assert page.evaluate(OFFER)  # the browser's own bar gives way to the card
    expect(card).to_be_visible()
    card.get_by_role("button", name="Add to home screen").click()
    assert page.evaluate("() => window.__prompted === true")
    expect(card).to_be_hidden()
    # "Not now" is remembered on Today; the phone settings page still offers it.
    page.reload()
    page.evaluate(OFFER)
    card.get_by_role("button", name="Not now").click()
    page.reload()
    page.evaluate(OFFER)
    expect(card).to_be_hidden()
    page.goto("/settings/phone")
    page.evaluate(OFFER)
    expect(page.get_by_role("region", name="Keep Nära on your home screen")).to_be_visible()


def test_what_was_being_written_when_the_app_locked_is_kept_for_after_the_pin(page, live_server):
    _writing_with_a_pin(page, live_server)
    page.get_by_label("Anything you want to write").fill("Half a thought about today")
    page.wait_for_timeout(500)  # the scroll that filling caused counts as use; let it land first
    page.clock.run_for("01:05")
    expect(page.get_by_role("heading", name="Locked")).to_be_visible()
    # Locked and offline: the writing page kept by the service worker is not shown.
    page.context.set_offline(True)
    page.goto("/diary/new")
    expect(page.get_by_role("heading", name="No connection right now")).to_be_visible()
    page.context.set_offline(False)
    page.goto("/lock?next=/diary/new")
    page.get_by_label("PIN").fill("4826")
    page.get_by_role("button", name="Open").click()
    waiting = page.get_by_role("region", name="Saved on this phone")
    expect(waiting).to_contain_text("Half a thought about today")
    expect(waiting).to_contain_text("You were writing this when the app locked.")
    waiting.get_by_role("button", name="Put it back in the form").click()
    box = page.get_by_label("Anything you want to write")
    expect(box).to_have_value("Half a thought about today")
    box.fill("Half a thought about today, now finished")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved. Good that you took a moment for yourself.")).to_be_visible()
    expect(page.get_by_role("region", name="Saved on this phone")).to_be_hidden()
    page.reload()
    expect(page.get_by_role("region", name="Saved on this phone")).to_be_hidden()
    page.problems.errors[:] = [e for e in page.problems.errors if "ERR_INTERNET_DISCONNECTED" not in e]


def test_a_save_the_server_refuses_because_it_locked_keeps_the_words(page, live_server):
    """The server locked before the page did (its minute has not passed on the page's clock):
    the words are kept, the lock page comes, and after the PIN they are offered back."""
    _writing_with_a_pin(page, live_server)
    page.get_by_label("Anything you want to write").fill("Words the server would not take")
    live_server.app.config["PIN_MINUTE_SECONDS"] = -60  # and the server's idle time is long past
    try:
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("heading", name="Locked")).to_be_visible()
    finally:
        live_server.app.config["PIN_MINUTE_SECONDS"] = 60
    page.get_by_label("PIN").fill("4826")
    page.get_by_role("button", name="Open").click()
    expect(page).to_have_url(re.compile(r"/today$"))
    page.goto("/diary/new")
    waiting = page.get_by_role("region", name="Saved on this phone")
    expect(waiting).to_contain_text("Words the server would not take")
    expect(waiting).to_contain_text("You were writing this when the app locked.")
    page.problems.errors[:] = [e for e in page.problems.errors if "401" not in e]
