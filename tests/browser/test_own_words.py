"""A person's own lock-screen words, kept on the phone only: set on the notification
settings page, they are there after a reload, and the service worker shows them instead
of the server's neutral words on a real push (sent by the app's worker through the
loopback push service, delivered through the DevTools protocol). "Remove" brings the
neutral words back; logging out and "Forget this phone" leave no trace of them."""

import json

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in
from tests.conftest import make_user
from tests.push.pushservice import PushService

HEADING = "Your own words on this phone's lock screen"


def _server_payloads(app, handle: str, kinds: list[tuple[str, int | None]]) -> list[dict]:
    """What the app's worker sends for these notifications, as the phone would receive it."""
    service = PushService(open(app.config["VAPID_PUBLIC_KEY_FILE"]).read().strip())
    try:
        with app.app_context():
            from accounts import service as accounts
            from extensions import db
            from push import outbox, sender
            from push import service as push

            app.config["PUSH_ALLOW_LOOPBACK"] = True  # the loopback push service; tests only
            user = accounts.find_by_handle(db.session, handle)
            user.locale = "en"
            device = service.device("phone")
            push.subscribe(db.session, user, service.endpoint("phone"), device.p256dh, device.auth_b64)
            for kind, reminder_id in kinds:
                outbox.enqueue(db.session, user.id, kind, "/today", reminder_id=reminder_id)
            db.session.commit()
            sender.run_once(db.session, sender.make_sender(app))
        return sorted((payload for _name, payload, _headers in service.received), key=lambda p: p["id"])
    finally:
        service.close()


class Phone:
    """The page's service worker, reached through the DevTools protocol."""

    def __init__(self, page, live_server):
        self.page, self.origin = page, str(live_server)
        self.cdp = page.context.new_cdp_session(page)
        self.registrations = []
        self.cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: self.registrations.extend(e["registrations"]))
        self.cdp.send("ServiceWorker.enable")

    def ready(self):
        self.page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        for _ in range(50):
            if any(r["scopeURL"] == f"{self.origin}/" for r in self.registrations):
                break
            self.page.wait_for_timeout(100)

    def deliver(self, payload):
        registration = next(r["registrationId"] for r in self.registrations if r["scopeURL"] == f"{self.origin}/")
        self.cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": self.origin, "registrationId": registration, "data": json.dumps(payload)},
        )

    def shown(self, count: int) -> list[dict]:
        found = []
        for _ in range(50):  # the service worker shows it asynchronously
            found = self.page.evaluate("""() => navigator.serviceWorker.ready.then(r => r.getNotifications())
                .then(list => list.map(n => ({title: n.title, body: n.body, tag: n.tag,
                                              actions: n.actions.map(a => a.action)})))""")
            if len(found) >= count:
                break
            self.page.wait_for_timeout(100)
        return found

    def dismiss_all(self):
        self.page.evaluate(
            "() => navigator.serviceWorker.ready.then(r => r.getNotifications()).then(l => l.forEach(n => n.close()))"
        )


def _caches(page) -> list[str]:
    return page.evaluate("() => caches.keys()")


def _save_own_words(page, title: str, text: str):
    own = page.get_by_role("region", name=HEADING)
    own.get_by_label("Title").fill(title)
    own.get_by_label("Text (optional)").fill(text)
    own.get_by_role("button", name="Save on this phone").click()
    status = own.get_by_role("status")
    expect(status).to_have_text("Saved on this phone.")
    expect(status).to_be_focused()
    return own


def test_own_words_stay_on_the_phone_and_show_on_its_lock_screen(live_server, page):
    app = live_server.app
    make_user(app, "mira")
    page.context.grant_permissions(["notifications"], origin=live_server)
    log_in(page, "mira")
    phone = Phone(page, live_server)
    sent = []
    page.on("request", lambda request: sent.append((request.url, request.post_data or "")))
    page.goto("/push/settings")
    phone.ready()
    own = page.get_by_role("region", name=HEADING)
    expect(own.get_by_text("never sent to the server")).to_be_visible()
    expect(own.get_by_text("need JavaScript")).to_be_hidden()
    assert not axe_violations(page)

    # A text without a title is not kept: the page says so.
    own.get_by_label("Text (optional)").fill("Sunny later")
    own.get_by_role("button", name="Save on this phone").click()
    expect(own.get_by_role("status")).to_have_text("Write a title too, or leave both empty.")
    expect(own.get_by_label("Title")).to_be_focused()
    assert "own-words" not in _caches(page)

    _save_own_words(page, "  Weather   today ", "Sunny later")
    assert "own-words" in _caches(page)
    assert not any("Weather" in url or "Weather" in body for url, body in sent), sent
    page.reload()
    own = page.get_by_role("region", name=HEADING)
    expect(own.get_by_label("Title")).to_have_value("Weather today")
    expect(own.get_by_label("Text (optional)")).to_have_value("Sunny later")

    # The server sends its neutral words; the phone shows its own, on every kind.
    message, reminder, alert = _server_payloads(app, "mira", [("message", None), ("reminder", 7), ("alert", None)])
    assert (message["title"], message["body"]) == ("Nära", "Something new for you")
    phone.deliver(message)
    phone.deliver(reminder)
    shown = sorted(phone.shown(2), key=lambda n: n["tag"])
    assert [(n["title"], n["body"], n["actions"]) for n in shown] == [
        ("Weather today", "Sunny later", []),
        ("Weather today", "Sunny later", ["done", "later"]),
    ]

    # "Remove": gone from the phone, and the neutral words are back.
    phone.dismiss_all()
    own = page.get_by_role("region", name=HEADING)
    own.get_by_role("button", name="Remove").click()
    status = own.get_by_role("status")
    expect(status).to_have_text("Removed from this phone. Notifications show the usual words again.")
    expect(status).to_be_focused()
    expect(own.get_by_label("Title")).to_have_value("")
    assert "own-words" not in _caches(page)
    phone.deliver(alert)
    assert [(n["title"], n["body"]) for n in phone.shown(1)] == [("Nära", "Something new for you")]
    page.reload()
    expect(page.get_by_role("region", name=HEADING).get_by_label("Title")).to_have_value("")


def test_logging_out_and_forgetting_the_phone_take_the_own_words_along(live_server, page):
    make_user(live_server.app, "mira")
    log_in(page, "mira")
    page.goto("/push/settings")
    _save_own_words(page, "Weather", "")
    assert "own-words" in _caches(page)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out. Take care.")).to_be_visible()
    assert "own-words" not in _caches(page)

    log_in(page, "mira")
    page.goto("/push/settings")
    expect(page.get_by_role("region", name=HEADING).get_by_label("Title")).to_have_value("")
    _save_own_words(page, "Weather", "Sunny")
    page.goto("/settings/phone")
    page.get_by_role("button", name="Forget this phone").click()
    expect(page.get_by_text("This phone has forgotten you")).to_be_visible()
    assert "own-words" not in _caches(page)


def test_without_javascript_the_page_says_own_words_need_it(chromium, live_server):
    make_user(live_server.app, "mira")
    context = chromium.new_context(java_script_enabled=False, base_url=live_server, locale="en-GB")
    try:
        page = context.new_page()
        log_in(page, "mira")
        page.goto("/push/settings")
        own = page.get_by_role("region", name=HEADING)
        expect(own.get_by_text("Your own words need JavaScript on this phone.")).to_be_visible()
        expect(own.get_by_label("Title")).to_be_hidden()
        expect(own.get_by_role("button", name="Save on this phone")).to_be_hidden()
    finally:
        context.close()
