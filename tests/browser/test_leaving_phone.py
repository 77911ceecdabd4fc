"""Leaving a phone in a real Chromium: logging out and "Forget this phone" have the browser
forget what this site keeps (Clear-Site-Data), and first say so, in place, when diary
entries still wait on the phone to be sent."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in
from tests.conftest import make_user

WAITING = "Something you wrote has not been sent yet."


def _entries(app, handle="mira") -> list[str]:
    from sqlmodel import select

    from accounts import service
    from diary.models import DiaryEntry
    from extensions import db

    with app.app_context():
        user = service.find_by_handle(db.session, handle)
        return [row.text for row in db.session.exec(select(DiaryEntry).where(DiaryEntry.user_id == user.id))]


def _busy(route):
    if route.request.method == "POST":
        route.fulfill(status=503, body="busy")
    else:
        route.continue_()


def _an_entry_waits_on_the_phone(page, live_server, text="Written while the server was busy"):
    """A client whose entry could not reach the server: it waits on the phone (IndexedDB)."""
    make_user(live_server.app, "mira")
    log_in(page, "mira")
    page.goto("/diary/new")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.route("**/diary/new", _busy)
    page.route("**/diary/sync", _busy)
    page.get_by_label("Anything you want to write").fill(text)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved on this phone. It will be sent")).to_be_visible()


def _forgive_the_busy_server(page):
    page.problems.errors[:] = [
        e
        for e in page.problems.errors
        if "503" not in e and "htmx:responseError" not in e and "htmx:afterRequest" not in e
    ]


def _storage(page) -> dict:
    return page.evaluate(
        """async () => ({
            caches: await caches.keys(),
            local: localStorage.length,
            databases: (await indexedDB.databases()).map((d) => d.name),
            workers: (await navigator.serviceWorker.getRegistrations()).length,
        })"""
    )


def test_forget_this_phone_warns_about_waiting_entries_then_clears_everything(page, live_server):
    _an_entry_waits_on_the_phone(page, live_server)
    page.goto("/settings/phone")
    before = _storage(page)
    assert before["caches"] and before["local"] and "nara-keep" in before["databases"] and before["workers"]
    session_before = {c["name"]: c["value"] for c in page.context.cookies()}
    assert "nara_session" in session_before and "nara_device" in session_before

    page.get_by_role("button", name="Forget this phone").click()
    warning = page.get_by_role("alert").filter(has_text=WAITING)
    expect(warning).to_be_visible()
    expect(warning).to_be_focused()
    assert not axe_violations(page)

    # Stay: the server answers again, and the entry is sent.
    page.unroute("**/diary/sync")
    page.unroute("**/diary/new")
    warning.get_by_role("button", name="Stay and send it").click()
    expect(warning).to_be_hidden()
    expect(page.get_by_role("button", name="Forget this phone")).to_be_focused()
    for _ in range(50):
        if _entries(live_server.app):
            break
        page.wait_for_timeout(100)
    assert _entries(live_server.app) == ["Written while the server was busy"]

    # Nothing waits now: the phone forgets at once.
    page.get_by_role("button", name="Forget this phone").click()
    expect(page.get_by_text("This phone has forgotten you")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/\?phone=forgotten$"))
    after = _storage(page)
    assert after == {"caches": [], "local": 0, "databases": [], "workers": 0}, after
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert "nara_device" not in cookies
    assert cookies.get("nara_session") != session_before["nara_session"]
    page.goto("/settings")
    expect(page).to_have_url(re.compile(r"/login"))
    _forgive_the_busy_server(page)


def test_logging_out_with_an_entry_waiting_asks_first_and_can_go_on_anyway(page, live_server):
    _an_entry_waits_on_the_phone(page, live_server, text="Not sent yet")
    page.goto("/today")
    page.get_by_role("button", name="Log out").click()
    warning = page.get_by_role("alert").filter(has_text=WAITING)
    expect(warning).to_be_focused()
    expect(page).to_have_url(re.compile(r"/today$"))
    warning.get_by_role("button", name="Log out anyway").click()
    expect(page.get_by_text("You are logged out. Take care.")).to_be_visible()
    after = _storage(page)
    assert "nara-keep" not in after["databases"]
    assert _entries(live_server.app) == []
    _forgive_the_busy_server(page)


def test_logging_out_with_nothing_waiting_just_logs_out_and_clears_the_kept_pages(page, live_server):
    make_user(live_server.app, "mira")
    log_in(page, "mira")
    page.goto("/diary/new")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    assert _storage(page)["caches"]
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out. Take care.")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text=WAITING)).to_have_count(0)
    # The start page registers the shell's worker again; nothing of the person is kept.
    kept = page.evaluate(
        """async () => {
            const found = [];
            for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) { found.push(new URL(request.url).pathname); }
            }
            return found;
        }"""
    )
    assert "/diary/new" not in kept
