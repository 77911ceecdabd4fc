"""Conversation figures: server time of the page with 2000 messages, of the 304 poll, and
requests per second of the poll endpoint under 20 concurrent clients (gunicorn on
loopback, a fixed number of requests). Figures are printed, never asserted.

    .venv/bin/python bench/conversation.py [--requests 200] [--load 4000]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from extensions import make_engine, upgrade_schema, utcnow  # noqa: E402

PASSWORD = "green kettle morning walk"


def prepare(url: str, instance: str) -> int:
    app = create_app({"DATABASE_URL": url}, instance_path=instance)
    with app.app_context():
        from accounts import service
        from extensions import db
        from peer import contacts, profiles
        from peer.models import Message

        client, _ = service.sign_up(db.session, "bench", PASSWORD)
        peer, _ = service.sign_up(db.session, "helper", PASSWORD, role="peer")
        service.approve_peer(db.session, "helper")
        profiles.save_profile(
            db.session,
            peer,
            display_name="Helper",
            about="",
            topics=[],
            gender="woman",
            languages=["sv"],
            hours="",
            taking_new=True,
        )
        contact = contacts.request_peer(db.session, client, peer.id)
        contacts.accept(db.session, peer, contact)
        start = utcnow() - timedelta(days=200)
        for i in range(2000):
            db.session.add(
                Message(
                    contact_id=contact.id,
                    sender_id=(client.id, peer.id)[i % 2],
                    body=f"Message number {i}, about how the day went.",
                    sent_at=start + timedelta(hours=2 * i),
                    read_at=start + timedelta(hours=2 * i + 1),
                )
            )
        db.session.commit()
        return contact.id


def timed(app, contact_id: int, requests: int) -> None:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    client.post("/login", data={"csrf_token": token, "handle": "bench", "password": PASSWORD})
    for label, path, headers in (
        ("conversation page, 2000 messages", f"/contacts/{contact_id}", {}),
        ("poll with changes (200)", f"/contacts/{contact_id}/messages", {"HX-Request": "true"}),
    ):
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            client.get(path, headers=headers)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{label:<40} median {statistics.median(times):7.2f} ms")
    tag = client.get(f"/contacts/{contact_id}/messages", headers={"HX-Request": "true"}).headers["ETag"]
    times = []
    for _ in range(requests * 5):
        start = time.perf_counter()
        response = client.get(f"/contacts/{contact_id}/messages", headers={"HX-Request": "true", "If-None-Match": tag})
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 304
    print(f"{'poll, nothing new (304)':<40} median {statistics.median(times):7.2f} ms")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load(url: str, instance: str, contact_id: int, total: int, clients: int = 20) -> None:
    port = _free_port()
    # Two workers on memory:// rate-limit storage: gunicorn.conf.py (read from the project
    # folder) refuses that unless told; the bench measures polling, not the limits on tries.
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "NARA_INSTANCE": instance,
        "SESSION_COOKIE_SECURE": "0",
        "NARA_ALLOW_MEMORY_LIMITS": "1",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-w",
            "2",
            "--threads",
            "8",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/help")
                break
            except OSError:
                time.sleep(0.1)
        # Through the real login form. The answer sets two cookies (the session and the
        # known-device one): getheader() joins them, so each Set-Cookie is read on its own.
        sys.path.insert(0, str(ROOT / "bench"))
        from _serve import Browser

        browser = Browser(port)
        browser.log_in("bench")
        cookie = browser.cookie_header()
        conn = http.client.HTTPConnection("127.0.0.1", port)
        conn.request("GET", f"/contacts/{contact_id}/messages", headers={"Cookie": cookie, "HX-Request": "true"})
        response = conn.getresponse()
        response.read()
        tag = response.getheader("ETag")
        per_client = total // clients
        statuses: list[int] = []

        def worker():
            connection = http.client.HTTPConnection("127.0.0.1", port)
            for _ in range(per_client):
                connection.request(
                    "GET",
                    f"/contacts/{contact_id}/messages",
                    headers={"Cookie": cookie, "HX-Request": "true", "If-None-Match": tag},
                )
                reply = connection.getresponse()
                reply.read()
                statuses.append(reply.status)

        threads = [threading.Thread(target=worker) for _ in range(clients)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        share = statuses.count(304) / len(statuses)
        print(
            f"{'poll (304) under 20 concurrent clients':<40} {len(statuses) / elapsed:7.0f} requests/s "
            f"({len(statuses)} requests, {share:.0%} answered 304; gunicorn 2 workers x 8 threads, SQLite)"
        )
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--load", type=int, default=4000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    upgrade_schema(make_engine(url))
    instance = str(tmp / "instance")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
    contact_id = prepare(url, instance)
    app = create_app({"DATABASE_URL": url, "RATELIMIT_ENABLED": False}, instance_path=instance)
    timed(app, contact_id, args.requests)
    load(url, instance, contact_id, args.load)


if __name__ == "__main__":
    main()
