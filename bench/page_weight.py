"""Page weight in a real Chromium: compressed bytes over the network, first and repeat load.

    .venv/bin/python bench/page_weight.py       (figures only, never asserted; exits 0)

The app runs on a loopback port (werkzeug, threaded) on a temporary SQLite database, CSRF
on: a client "demo" with a year of demo data, an approved peer supporter in contact with
them, a relative who accepted their invitation, a coordinator. Each role logs in once
through the real /login form; its cookies are copied into a fresh context per page.

Per page and role, Playwright drives Debian's Chromium with a CDP session on the tab
(`context.new_cdp_session(page)`, `Network.enable`). FIRST load: a fresh context (empty
cache, no service worker), goto, wait until no request has been in flight for a moment.
REPEAT load: wait for `navigator.serviceWorker.ready` (app.js registers /sw.js), reload so
the tab is controlled, then go to the same page again and measure that.
Tab bytes: `encodedDataLength` of `Network.loadingFinished` (compressed body plus headers;
redirects add theirs), summed by resource type: Document, Stylesheet, Script, other.
Responses marked `fromServiceWorker`/`fromDiskCache`/`fromPrefetchCache` in
`Network.responseReceived`, or reported by `Network.requestServedFromCache`, count 0 and are
counted as "cache/SW". The tab never sees the service worker's own fetches (its precache,
or a page it fetches to answer a navigation), so a WSGI middleware also counts what the
server really sent (bodies) during each load: "srv" and "req".
Budget (../shared/DESIGN.md) on the tab's first load: HTML+CSS+JS at most 50 KB, HTML under
14 KB (KB = 1024 bytes, headers included, so slightly strict).
"""

from __future__ import annotations

import logging
import random
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from werkzeug.serving import make_server  # noqa: E402

from app import create_app  # noqa: E402
from extensions import db, make_engine, upgrade_schema  # noqa: E402
from tests.browser.conftest import ARGS, CHROMIUM  # noqa: E402
from tests.conftest import FAST_ARGON2, PASSWORD, make_contact, make_peer_profile, make_user  # noqa: E402

SW_READY = (
    "() => 'serviceWorker' in navigator && Promise.race([navigator.serviceWorker.ready.then(() => true),"
    " new Promise(done => setTimeout(() => done(false), 3000))])"
)
CONTROLLED = "() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)"
KB = 1024
BUDGET_TOTAL, BUDGET_HTML = 50 * KB, 14 * KB
HANDLES = {"client": "demo", "peer": "peerok", "relative": "relative1", "coordinator": "coord1"}
CACHED = ("fromServiceWorker", "fromDiskCache", "fromPrefetchCache")


def prepare(tmp: Path):
    """The app with its people and data; returns (app, ids)."""
    url = f"sqlite:///{tmp / 'weight.sqlite3'}"
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    app = create_app(
        {"DATABASE_URL": url, "RATELIMIT_ENABLED": False, **FAST_ARGON2}, instance_path=str(tmp / "instance")
    )
    ids = {role: make_user(app, handle, role=role, approved=role == "peer")[0] for role, handle in HANDLES.items()}
    make_peer_profile(app, ids["peer"])
    ids["contact"] = make_contact(app, ids["client"], ids["peer"])
    with app.app_context():
        from sqlmodel import select

        from accounts.models import User
        from diary.cli import fill
        from diary.models import Goal
        from peer import messages, relatives
        from peer.models import Contact

        session = db.session
        client, peer, relative = (session.get(User, ids[r]) for r in ("client", "peer", "relative"))
        fill(session, client, 365, random.Random(7))
        ids["goal"] = session.exec(select(Goal.id).where(Goal.user_id == client.id).order_by(Goal.id)).first()
        contact = session.get(Contact, ids["contact"])
        messages.send(session, client, contact, "Hello, could we talk about work?")
        messages.send(session, peer, contact, "Of course. How are things going?")
        _invitation, code = relatives.create_invitation(
            session, client, label="Mum", share_checkin=True, goal_ids=[ids["goal"]], alerts=False, messaging=True
        )
        relatives.accept_invitation(session, relative, code)
        relatives.add_note(session, relative, "Remember to ask about the flat.")
    return app, ids


def pages(ids) -> dict[str, list[str]]:
    return {
        "anonymous": ["/", "/signup", "/login", "/recover", "/help", "/help/services", "/away"],
        "client": [
            "/today",
            "/diary",
            "/diary/new",
            "/diary/month",
            "/strengths",
            "/goals",
            f"/goals/{ids['goal']}",
            "/trends",
            "/trends?days=90",
            "/contacts",
            "/next-steps",
            "/settings",
            "/push/settings",
        ],
        "peer": ["/inbox", "/profile", f"/contacts/{ids['contact']}"],
        "relative": ["/linked", "/relatives/notes"],
        "coordinator": ["/coordinator", "/coordinator/peers", "/coordinator/help"],
    }


class NetworkLog:
    """The tab's Network events (CDP), summed per resource type."""

    def __init__(self, cdp) -> None:
        self.reset()
        self.in_flight: set[str] = set()
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", lambda e: self.in_flight.discard(e["requestId"]))
        cdp.send("Network.enable")

    def reset(self) -> None:
        self.types, self.cached, self.bytes = {}, set(), defaultdict(int)

    def _sent(self, event) -> None:
        rid = event["requestId"]
        self.types[rid] = event.get("type", "Other")
        self.in_flight.add(rid)
        if event.get("redirectResponse"):  # the redirect's own bytes, which loadingFinished leaves out
            self.bytes[self._group(rid)] += int(event["redirectResponse"].get("encodedDataLength", 0))

    def _response(self, event) -> None:
        rid = event["requestId"]
        self.types[rid] = event.get("type", self.types.get(rid, "Other"))
        if any(event["response"].get(flag) for flag in CACHED):
            self.cached.add(rid)

    def _finished(self, event) -> None:
        self.in_flight.discard(event["requestId"])
        if event["requestId"] not in self.cached:
            self.bytes[self._group(event["requestId"])] += int(event.get("encodedDataLength", 0))

    def _group(self, rid: str) -> str:
        kind = self.types.get(rid, "Other")
        return kind if kind in ("Document", "Stylesheet", "Script") else "other"

    def figures(self) -> dict:
        b = self.bytes
        return {
            "doc": b["Document"],
            "css": b["Stylesheet"],
            "js": b["Script"],
            "other": b["other"],
            "total": sum(b.values()),
            "cached": len(self.cached),
        }


class ServerTally:
    """WSGI middleware: the bytes (bodies, compressed) and paths the server answered, for the
    tab or for the service worker, whose own fetches the tab's CDP session never sees."""

    def __init__(self, app) -> None:
        self.app, self.lock, self.bytes, self.paths = app, threading.Lock(), 0, []

    def reset(self) -> None:
        with self.lock:
            self.bytes, self.paths = 0, []

    def __call__(self, environ, start_response):
        body = self.app(environ, start_response)
        data = b"".join(body)
        getattr(body, "close", lambda: None)()
        with self.lock:
            self.bytes += len(data)
            self.paths.append(environ.get("PATH_INFO", ""))
        return [data]

    def figures(self) -> dict:
        with self.lock:
            shell = sorted({p for p in self.paths if p.startswith("/static/") and p.endswith((".css", ".js"))})
            return {"srv": self.bytes, "srv_req": len(self.paths), "srv_shell": shell}


def settle(page, log: NetworkLog, calm_ms: int = 150, limit_s: float = 5.0) -> None:
    """Wait until no request of the tab has been in flight for calm_ms (a page that keeps
    polling is measured as it stands after limit_s)."""
    end, calm = time.monotonic() + limit_s, 0
    while calm < calm_ms and time.monotonic() < end:
        page.wait_for_timeout(25)
        calm = 0 if log.in_flight else calm + 25


def new_context(browser, base: str, state=None):
    return browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="en-GB",
        base_url=base,
        storage_state=state,
        service_workers="allow",
    )


def log_in(browser, base: str, handle: str) -> dict:
    """Log in through the real form; returns the cookies for fresh contexts."""
    context = new_context(browser, base)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Your name here").fill(handle)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    state = context.storage_state()
    context.close()
    return state


def measure(browser, base: str, state, path: str, tally: ServerTally) -> tuple[dict, dict]:
    context = new_context(browser, base, state)
    try:
        page = context.new_page()
        log = NetworkLog(context.new_cdp_session(page))
        tally.reset()
        response = page.goto(path)
        settle(page, log)
        first = {**log.figures(), "status": response.status if response else 0, "landed": page.url[len(base) :]}
        first["sw"] = page.evaluate(SW_READY)  # activated means installed: its precache is in the tally
        first.update(tally.figures())
        page.reload()  # now controlled by the service worker
        settle(page, log)
        log.reset()
        tally.reset()
        page.goto(path)
        settle(page, log)
        return first, {**log.figures(), **tally.figures(), "controlled": page.evaluate(CONTROLLED)}
    finally:
        context.close()


def notes_on(where: str, path: str, first: dict, repeat: dict) -> list[str]:
    notes = []
    if first["status"] != 200 or first["landed"] != path:
        notes.append(f"{where} answered {first['status']} at {first['landed']}")
    if not first["sw"]:
        notes.append(f"{where} no service worker became ready (the page does not register one)")
    elif not repeat["controlled"]:
        notes.append(f"{where} not controlled by the service worker on the repeat load")
    if repeat["css"] + repeat["js"] or repeat["srv_shell"]:
        notes.append(f"{where} the repeat load fetched CSS/JS over the network: {repeat['srv_shell']}")
    return notes


def report(rows, notes: list[str], seconds: float) -> None:
    def kb(n: int) -> str:
        return f"{n / KB:.1f}"

    print(
        "KB = 1024 bytes. doc..total: compressed bytes the tab got over the network (headers included). "
        "srv, req: bytes (bodies) and\nrequests the server answered, the service worker's own fetches "
        "included. cache/SW: requests the tab got from the service worker or a cache.\n"
    )
    head = (
        f"{'role':<12}{'page':<18}{'first: doc':>11}{'css':>6}{'js':>6}{'other':>6}{'total':>7}{'srv':>6}"
        f"  | repeat: total{'srv':>6}{'req':>4}{'cache/SW':>9}  budget (HTML+CSS+JS <= 50, HTML < 14)"
    )
    print(head + "\n" + "-" * len(head))
    over = 0
    for role, path, f, r in rows:
        problems = [
            name
            for name, bad in (
                ("total", f["doc"] + f["css"] + f["js"] > BUDGET_TOTAL),
                ("html", f["doc"] >= BUDGET_HTML),
            )
            if bad
        ]
        over += bool(problems)
        print(
            f"{role:<12}{path:<18}{kb(f['doc']):>11}{kb(f['css']):>6}{kb(f['js']):>6}{kb(f['other']):>6}"
            f"{kb(f['total']):>7}{kb(f['srv']):>6}  |{kb(r['total']):>14}{kb(r['srv']):>6}{r['srv_req']:>4}"
            f"{r['cached']:>9}  {'OVER ' + '+'.join(problems) if problems else 'ok'}"
        )
    print(f"\n{len(rows)} pages, {over} over budget, {seconds:.0f} s.")
    for note in notes:
        print("note:", note)


def main() -> None:
    from playwright.sync_api import sync_playwright

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    started = time.perf_counter()
    tmp = tempfile.TemporaryDirectory(prefix="nara-weight-", ignore_cleanup_errors=True)
    app, ids = prepare(Path(tmp.name))
    app.wsgi_app = tally = ServerTally(app.wsgi_app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    rows, notes = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for role, paths in pages(ids).items():
            for path in paths:
                try:  # a missing figure is a note, not a failure
                    if path == paths[0]:
                        state = None if role == "anonymous" else log_in(browser, base, HANDLES[role])
                    first, repeat = measure(browser, base, state, path, tally)
                except Exception as error:  # noqa: BLE001
                    notes.append(f"{role} {path}: not measured: {str(error).splitlines()[0]}")
                    if path == paths[0]:
                        break  # could not log in: the role's other pages would only show the login page
                    continue
                rows.append((role, path, first, repeat))
                notes += notes_on(f"{role} {path}:", path, first, repeat)
        browser.close()
    server.shutdown()
    with app.app_context():
        db.engine.dispose()
    tmp.cleanup()
    report(rows, notes, time.perf_counter() - started)


if __name__ == "__main__":
    main()
