"""The phone's side of push: the service worker registers, a payload that the app's sender
encrypted and the loopback push service decrypted is delivered to it through the DevTools
protocol, and the notification it shows carries only the neutral title. A push whose id
was shown before (a worker stopped between sending and writing it down) is dropped."""

from playwright.sync_api import expect

from tests.push.pushservice import PushService

PASSWORD = "green kettle morning walk"


def test_a_pushed_message_shows_a_neutral_notification(chromium, live_server, page):
    app = live_server.app
    page.context.grant_permissions(["notifications"], origin=live_server)
    page.goto("/signup")
    page.get_by_label("A made-up name").fill("mira")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("button", name="I have saved them").click()

    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    page.goto("/push/settings")
    expect(page.get_by_role("button", name="Turn on")).to_be_visible()
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    assert any(r["scopeURL"] == f"{live_server}/" for r in registrations)
    registration_id = next(r["registrationId"] for r in registrations if r["scopeURL"] == f"{live_server}/")

    service = PushService(open(app.config["VAPID_PUBLIC_KEY_FILE"]).read().strip())
    try:
        with app.app_context():
            from accounts import service as accounts
            from extensions import db
            from push import outbox, sender
            from push import service as push

            app.config["PUSH_ALLOW_LOOPBACK"] = True  # the loopback push service; tests only
            user = accounts.find_by_handle(db.session, "mira")
            user.locale = "en"
            device = service.device("phone")
            push.subscribe(db.session, user, service.endpoint("phone"), device.p256dh, device.auth_b64)
            outbox.enqueue(db.session, user.id, "message", "/contacts")
            db.session.commit()
            sender.run_once(db.session, sender.make_sender(app))
        ((_name, payload, _headers),) = service.received
    finally:
        service.close()

    import json

    def deliver(data):
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": live_server, "registrationId": registration_id, "data": json.dumps(data)},
        )

    def shown_when(condition):
        shown = []
        for _ in range(50):  # the service worker shows it asynchronously
            shown = page.evaluate("""() => navigator.serviceWorker.ready.then(r => r.getNotifications())
                .then(list => list.map(n => ({title: n.title, body: n.body, tag: n.tag})))""")
            if condition(shown):
                break
            page.wait_for_timeout(100)
        return shown

    assert isinstance(payload["id"], int)
    deliver(payload)
    shown = shown_when(bool)
    assert [(n["title"], n["body"]) for n in shown] == [("Nära", "Something new for you")]

    # The same notification again, after the first was dismissed: not shown a second time.
    # A later, different one is; pushes are handled in order, so by then the repeat was.
    page.evaluate(
        "() => navigator.serviceWorker.ready.then(r => r.getNotifications()).then(list => list.forEach(n => n.close()))"
    )
    deliver({**payload, "tag": "first-again"})
    deliver({**payload, "id": payload["id"] + 1, "tag": "second", "body": "Another"})
    shown = shown_when(lambda found: any(n["tag"] == "second" for n in found))
    assert [(n["tag"], n["body"]) for n in shown] == [("second", "Another")]
