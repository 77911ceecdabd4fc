"""A poor connection: the app installs, its shell is kept in a versioned cache, pages fall
back to the offline page, and a diary entry written offline is sent once when the
network returns (and never twice, even when the first try did arrive)."""

import re
import tempfile

from playwright.sync_api import expect

from tests.browser.conftest import ARGS, CHROMIUM, PageProblems, log_in
from tests.conftest import PASSWORD, make_user


def _controlled(page):
    """Wait for the service worker, then reload so it controls the page."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("() => !!navigator.serviceWorker.controller")


def _entries(app, handle="mira"):
    from sqlmodel import select

    from accounts import service
    from diary.models import DiaryEntry
    from extensions import db

    with app.app_context():
        user = service.find_by_handle(db.session, handle)
        # An account made in the browser: the test opens its keys the way a login does.
        service.log_in(db.session, handle, PASSWORD)
        texts = [row.text for row in db.session.exec(select(DiaryEntry).where(DiaryEntry.user_id == user.id))]
        return texts


def test_chromium_finds_the_app_installable_in_both_looks(chromium, live_server):
    context = chromium.browser_type.launch_persistent_context(
        tempfile.mkdtemp(), executable_path=CHROMIUM, args=ARGS, headless=True, base_url=live_server
    )
    try:
        page = context.new_page()
        problems = PageProblems()
        problems.watch(page)
        page.goto("/login")
        _controlled(page)
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [] and "look=nara" in manifest["url"]
        # The neutral look: another name and icon, still installable.
        context.add_cookies([{"name": "nara_look", "value": "plain", "url": live_server}])
        page.reload()
        manifest = cdp.send("Page.getAppManifest")
        assert "look=plain" in manifest["url"] and '"name": "Notes"' in manifest["data"]
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        expect(page).to_have_title("Log in · Notes")
        assert not problems.errors, problems.errors
    finally:
        context.close()


def test_the_shell_is_kept_in_one_versioned_cache_that_a_deploy_replaces(page, live_server):
    from shell import routes

    page.goto("/help")
    _controlled(page)
    version = re.search(r'var VERSION = "(\w+)"', page.request.get("/sw.js").text()).group(1)
    assert [name for name in page.evaluate("() => caches.keys()") if name.startswith("nara-")] == [f"nara-{version}"]
    kept = page.evaluate(
        f"() => caches.open('nara-{version}').then(c => c.keys()).then(k => k.map(r => new URL(r.url).pathname))"
    )
    assert {"/offline", "/help", "/away", "/static/css/app.css", "/static/js/app.js"} <= set(kept)
    # A deploy: the server's worker has a new version; the phone installs it and drops the old cache.
    body = routes._service_worker()
    routes._SW_CACHE["sw"] = body.replace(version.encode(), b"0" * len(version))
    try:
        page.evaluate("() => navigator.serviceWorker.getRegistration().then(r => r.update())")
        page.wait_for_function(
            "() => caches.keys().then(k => k.includes('nara-' + '0'.repeat(16)) && k.filter(n => n.startsWith('nara-')).length === 1)"
        )
    finally:
        routes._SW_CACHE.clear()


def _writing_page(page, live_server):
    """A client on the writing page, with the service worker in control."""
    make_user(live_server.app, "mira")
    log_in(page, "mira")
    page.goto("/diary/new")
    _controlled(page)


def test_pages_without_a_network_fall_back_to_the_offline_page(page, live_server):
    _writing_page(page, live_server)
    page.context.set_offline(True)
    try:
        page.goto("/goals")
        expect(page.get_by_role("heading", name="No connection right now")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("Write in your diary"))).to_be_visible()
        page.get_by_role("link", name=re.compile("Need help now: numbers")).click()
        expect(page.get_by_role("link", name="Call 112")).to_be_visible()
    finally:
        page.context.set_offline(False)


def test_an_entry_written_offline_is_sent_once_when_the_network_returns(page, live_server):
    _writing_page(page, live_server)
    page.context.set_offline(True)
    page.get_by_label("Anything you want to write").fill("Wrote this on the bus with no signal")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.get_by_text("Saved on this phone. It will be sent to your diary when you are online again.")
    ).to_be_visible()
    waiting = page.get_by_role("region", name="Saved on this phone")
    expect(waiting.get_by_role("listitem")).to_contain_text("Wrote this on the bus")
    expect(page.get_by_label("Anything you want to write")).to_have_value("")
    # Still offline, the kept writing page shows what waits.
    page.goto("/diary/new")
    expect(page.get_by_role("region", name="Saved on this phone").get_by_role("listitem")).to_have_count(1)
    assert _entries(live_server.app) == []
    page.context.set_offline(False)
    expect(page.get_by_text("Everything you wrote offline has been sent to your diary.")).to_be_visible()
    assert _entries(live_server.app) == ["Wrote this on the bus with no signal"]
    page.goto("/diary")
    expect(page.get_by_text("Wrote this on the bus with no signal")).to_have_count(1)
    _forgive_the_cut(page)


def test_a_save_whose_answer_was_lost_is_not_saved_twice(page, live_server):
    make_user(live_server.app, "mira")
    log_in(page, "mira")
    page.goto("/diary/new")

    def arrive_but_lose_the_answer(route):
        route.fetch()  # the server saves it...
        route.abort("connectionreset")  # ...and the phone never hears back

    page.route(
        "**/diary/new",
        lambda route: arrive_but_lose_the_answer(route) if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_label("Anything you want to write").fill("Only once, please")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved on this phone. It will be sent")).to_be_visible()
    page.unroute("**/diary/new")
    page.reload()  # the next page sends what waits, with the same key
    expect(page.get_by_text("Everything you wrote offline has been sent to your diary.")).to_be_visible()
    assert _entries(live_server.app) == ["Only once, please"]
    _forgive_the_cut(page)


def _forgive_the_cut(page):
    """htmx and Chromium report the cut connection on the console, as they should; any other
    error still fails the test."""
    expected = (
        "htmx:sendError",
        "htmx:afterRequest",
        "ERR_INTERNET_DISCONNECTED",
        "ERR_CONNECTION_RESET",
        "ERR_FAILED",
    )
    page.problems.errors[:] = [e for e in page.problems.errors if not any(x in e for x in expected)]


def _write(page, text):
    page.get_by_label("Anything you want to write").fill(text)
    page.get_by_role("button", name="Save", exact=True).click()


def test_several_entries_written_around_an_outage_are_all_kept(page, live_server):
    """Saved online first, then two written offline from the kept page: three entries."""
    _writing_page(page, live_server)
    _write(page, "Saved while online")
    expect(page.get_by_text("Saved. Good that you took a moment for yourself.")).to_be_visible()
    page.context.set_offline(True)
    page.goto("/diary/new")  # the page the service worker kept
    _write(page, "First one offline")
    expect(page.get_by_text("Saved on this phone. It will be sent")).to_be_visible()
    page.goto("/diary/new")
    _write(page, "Second one offline")
    expect(page.get_by_role("region", name="Saved on this phone").get_by_role("listitem")).to_have_count(2)
    page.context.set_offline(False)
    expect(page.get_by_text("Everything you wrote offline has been sent to your diary.")).to_be_visible()
    assert sorted(_entries(live_server.app)) == ["First one offline", "Saved while online", "Second one offline"]
    _forgive_the_cut(page)


def test_a_server_in_trouble_does_not_lose_the_entry(page, live_server):
    """A 503 during a deploy: the entry waits on the phone and goes when the server answers."""
    _writing_page(page, live_server)
    page.route(
        "**/diary/new",
        lambda route: route.fulfill(status=503, body="busy") if route.request.method == "POST" else route.continue_(),
    )
    _write(page, "Written during a deploy")
    expect(page.get_by_text("Saved on this phone. It will be sent")).to_be_visible()
    assert _entries(live_server.app) == []
    page.unroute("**/diary/new")
    page.reload()
    expect(page.get_by_text("Everything you wrote offline has been sent to your diary.")).to_be_visible()
    assert _entries(live_server.app) == ["Written during a deploy"]
    page.problems.errors[:] = [e for e in page.problems.errors if "503" not in e and "htmx:responseError" not in e]


def test_the_writing_page_works_offline_for_someone_who_only_ever_saw_today(page, live_server):
    """Signed up, saw the codes and Today, never opened the writing page online: offline it
    is there all the same."""
    page.goto("/signup")
    page.get_by_label("A made-up name").fill("newone")
    page.get_by_label("Password").fill("green kettle morning walk")
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("button", name="I have saved them").click()
    expect(page.get_by_role("heading", name=re.compile("newone"))).to_be_visible()
    page.wait_for_function("() => caches.match('/diary/new').then(Boolean)", timeout=15000)
    page.context.set_offline(True)
    page.goto("/diary/new")
    expect(page.get_by_label("Anything you want to write")).to_be_visible()
    page.get_by_label("Anything you want to write").fill("First words, written offline")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(
        page.get_by_text("Saved on this phone. It will be sent to your diary when you are online again.")
    ).to_be_visible()
    page.context.set_offline(False)
    expect(page.get_by_text("Everything you wrote offline has been sent to your diary.")).to_be_visible(timeout=20000)
    assert _entries(live_server.app, "newone") == ["First words, written offline"]
    _forgive_the_cut(page)
