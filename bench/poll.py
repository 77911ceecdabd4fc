"""The request paths of an open app: a poll with nothing new (304, the unread badge and an
open conversation), a full page view, and sending a message. Figures are printed, never
asserted.

1. In process (Flask test client, one request at a time): p50/p95 ms of each.
2. Under load (gunicorn on loopback, 2 sync workers as in the issue, `--clients` threads on
   keep-alive connections, each logged in as its own client with a year of messages):
   requests/s and p50/p95 ms of each, one kind at a time.

    .venv/bin/python bench/poll.py [--db sqlite|postgresql] [--seconds 8] [--clients 20]
                                   [--workers 2] [--threads 1] [--skip-load]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _serve import FAST, PASSWORD, Browser, Server, database, figures, hammer, prepare  # noqa: E402

from app import create_app  # noqa: E402


def in_process(url: str, instance: str, contact_id: int, rounds: int) -> None:
    app = create_app(
        {"DATABASE_URL": url, "RATELIMIT_ENABLED": False, **{k: int(v) for k, v in FAST.items()}},
        instance_path=instance,
    )
    client = app.test_client()
    token = lambda page: re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # noqa: E731
    login_page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": token(login_page), "handle": "bench0", "password": PASSWORD})
    csrf = token(client.get("/contacts").get_data(as_text=True))
    poll = {"HX-Request": "true", "X-Nara-Background": "1"}
    convo = client.get(f"/contacts/{contact_id}/messages", headers=poll).headers["ETag"]  # marks read
    badge = client.get("/unread", headers=poll).headers["ETag"]

    shown = {"tag": convo}

    def send(in_page: bool = False):
        """Sending as the page does: `in_page` sends the tag the page holds (X-Nara-Shown), so
        the answer is only the new message; without it the answer is the whole list."""
        answer = client.post(
            f"/contacts/{contact_id}/messages",
            data={"csrf_token": csrf, "body": "A new message about the day.", "client_key": uuid.uuid4().hex},
            headers={"HX-Request": "true", **({"X-Nara-Shown": shown["tag"]} if in_page else {})},
        )
        shown["tag"] = answer.headers.get("ETag", shown["tag"])
        return answer

    kinds = [
        ("badge poll, nothing new (304)", lambda: client.get("/unread", headers={**poll, "If-None-Match": badge})),
        (
            "conversation poll, nothing new (304)",
            lambda: client.get(f"/contacts/{contact_id}/messages", headers={**poll, "If-None-Match": convo}),
        ),
        ("page view: conversation", lambda: client.get(f"/contacts/{contact_id}")),
        ("page view: contacts", lambda: client.get("/contacts")),
        ("page view: today", lambda: client.get("/today")),
        ("sending a message (htmx, whole list back)", send),
        ("sending a message (htmx, from the open page)", lambda: send(in_page=True)),
    ]
    print(f"In process (Flask test client), {rounds} rounds each (CPU time: what a busy machine does not blur):")
    for label, call in kinds:
        times, cpu, statuses = [], [], set()
        for _ in range(rounds):
            start, start_cpu = time.perf_counter(), time.process_time()
            statuses.add(call().status_code)
            cpu.append((time.process_time() - start_cpu) * 1000)
            times.append((time.perf_counter() - start) * 1000)
        print(f"  {label:<40} {figures(times)}  CPU median {statistics.median(cpu):6.2f} ms  status {sorted(statuses)}")


def under_load(url: str, instance: str, people, seconds: float, workers: int, threads: int) -> None:
    server = Server(url, instance, workers=workers, threads=threads)
    try:
        browsers = []
        for handle, contact_id in people:
            browser = Browser(server.port)
            browser.log_in(handle)
            browser.convo = browser.etag(f"/contacts/{contact_id}/messages")  # marks read
            browser.badge = browser.etag("/unread")
            browser.contact_id = contact_id
            browsers.append(browser)
        bg = {"HX-Request": "true", "X-Nara-Background": "1"}
        kinds = [
            (
                "badge poll, nothing new (304)",
                lambda b: b.request("GET", "/unread", headers={**bg, "If-None-Match": b.badge})[0].status,
            ),
            (
                "conversation poll, nothing new (304)",
                lambda b: (
                    b.request("GET", f"/contacts/{b.contact_id}/messages", headers={**bg, "If-None-Match": b.convo})[
                        0
                    ].status
                ),
            ),
            ("page view: conversation", lambda b: b.request("GET", f"/contacts/{b.contact_id}")[0].status),
            ("page view: contacts", lambda b: b.request("GET", "/contacts")[0].status),
            ("sending a message (htmx, whole list back)", lambda b: b.send(b.contact_id)[0].status),
            ("sending a message (htmx, from the open page)", lambda b: b.send_in_page(b.contact_id)[0].status),
        ]
        mode = f"{workers} sync workers" if threads == 1 else f"{workers} workers x {threads} threads"
        print(f"Under load (gunicorn {mode}, {len(browsers)} clients, {seconds:.0f} s each):")
        for label, call in kinds:
            rate, times, statuses = hammer(lambda i, call=call: call(browsers[i]), len(browsers), seconds)
            counted = {code: statuses.count(code) for code in sorted(set(statuses))}
            print(f"  {label:<40} {rate:7.0f} req/s  {figures(times)}  {counted}")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
    url, drop = database(args.db)
    try:
        instance = tempfile.mkdtemp(prefix="nara-bench-instance-")
        people = prepare(url, instance, clients=args.clients)
        print(f"Database: {args.db}; {len(people)} clients, each with a year of 400 messages.")
        in_process(url, instance, people[0][1], args.rounds)
        if not args.skip_load:
            under_load(url, instance, people, args.seconds, args.workers, args.threads)
    finally:
        drop()


if __name__ == "__main__":
    main()
