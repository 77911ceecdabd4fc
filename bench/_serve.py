"""What bench/poll.py and bench/capacity.py share: a database with people and a year of
messages, gunicorn on loopback, a logged-in cookie taken through the real login form, and
load from a few threads on keep-alive connections (wrk-like, without wrk).

Nothing here is part of the app."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import create_app  # noqa: E402
from extensions import make_engine, upgrade_schema, utcnow  # noqa: E402

PASSWORD = "green kettle morning walk"
FAST = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_COST": "1024", "ARGON2_PARALLELISM": "1"}
PG_ADMIN = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test").replace(
    "postgresql://", "postgresql+psycopg://"
)


def database(kind: str) -> tuple[str, callable]:
    """A fresh empty database of the schema: (url, drop)."""
    if kind == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='nara-bench-')) / 'bench.sqlite3'}"
        drop = lambda: None  # noqa: E731
    else:
        name = f"nara_bench_{secrets.token_hex(4)}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)

        def drop():
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    return url, drop


def prepare(url: str, instance: str, clients: int = 1, messages: int = 400) -> list[tuple[str, int]]:
    """`clients` clients, each in contact with one of a few peer supporters, each contact with
    `messages` messages over a year, all read but the last: [(handle, contact id)]."""
    from accounts import service
    from extensions import db
    from peer import contacts, profiles
    from peer.models import Message

    app = create_app({"DATABASE_URL": url, **{k: int(v) for k, v in FAST.items()}}, instance_path=instance)
    people = []
    with app.app_context():
        peers = []
        for i in range(max(1, clients // 20)):
            peer, _ = service.sign_up(db.session, f"benchpeer{i}", PASSWORD, role="peer")
            service.approve_peer(db.session, f"benchpeer{i}")
            profiles.save_profile(
                db.session,
                peer,
                display_name=f"Peer {i}",
                about="",
                topics=[],
                gender="woman",
                languages=["sv"],
                hours="",
                taking_new=True,
            )
            peers.append(peer)
        start = utcnow() - timedelta(days=365)
        for i in range(clients):
            client, _ = service.sign_up(db.session, f"bench{i}", PASSWORD)
            peer = peers[i % len(peers)]
            contact = contacts.request_peer(db.session, client, peer.id)
            contacts.accept(db.session, peer, contact)
            step = timedelta(days=365) / max(messages, 1)
            for n in range(messages):
                db.session.add(
                    Message(
                        contact_id=contact.id,
                        sender_id=(client.id, peer.id)[n % 2],
                        body=f"Message number {n}, about how the day went and what helped.",
                        sent_at=start + step * n,
                        read_at=None if n == messages - 1 else start + step * n + timedelta(minutes=5),
                    )
                )
            db.session.commit()
            people.append((f"bench{i}", contact.id))
    app.extensions["nara_db"].engine.dispose()
    return people


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on loopback with the project's gunicorn.conf.py."""

    def __init__(self, url: str, instance: str, workers: int = 2, threads: int = 1, port: int | None = None):
        self.port = port or free_port()
        env = {
            **os.environ,
            **FAST,
            "DATABASE_URL": url,
            "NARA_INSTANCE": instance,
            "RATELIMIT_ENABLED": "0",
            "SESSION_COOKIE_SECURE": "0",
            "NARA_ALLOW_MEMORY_LIMITS": "1",
        }
        args = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-w", str(workers)]
        if threads > 1:
            args += ["--threads", str(threads)]
        args += ["-b", f"127.0.0.1:{self.port}", "--log-level", "warning", "app:create_app()"]
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                conn.request("GET", "/offline")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(15)


class Browser:
    """One logged-in person over http.client: cookies kept, the CSRF token of the last page."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        head = {"Cookie": self.cookie_header(), **(headers or {})}
        data = None
        if body is not None:
            data = urlencode(body)
            head["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, data, head)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # a sync worker closed it: open a new one
            self.conn.request(method, path, data, head)
            response = self.conn.getresponse()
        payload = response.read()
        for line in response.msg.get_all("Set-Cookie") or []:
            name, _, value = line.split(";")[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        found = re.search(rb'name="csrf-token" content="([^"]+)"', payload)
        if found:
            self.csrf = found.group(1).decode()
        return response, payload

    def log_in(self, handle: str) -> None:
        self.request("GET", "/login")
        response, _ = self.request("POST", "/login", {"csrf_token": self.csrf, "handle": handle, "password": PASSWORD})
        if response.status != 302:
            raise RuntimeError(f"login of {handle} answered {response.status}")
        self.request("GET", "/contacts")  # a page: its CSRF token

    def etag(self, path: str) -> str:
        response, _ = self.request("GET", path, headers={"HX-Request": "true", "X-Nara-Background": "1"})
        return response.getheader("ETag")

    def send(self, contact_id: int, words: str = "A new message about the day.", shown: str | None = None):
        """Send as the page does; with `shown` (the tag the page holds) as the browser sends
        it, so an up-to-date page is answered with only the new message."""
        return self.request(
            "POST",
            f"/contacts/{contact_id}/messages",
            {"csrf_token": self.csrf, "body": words, "client_key": uuid.uuid4().hex},
            {"HX-Request": "true", **({"X-Nara-Shown": shown} if shown else {})},
        )

    def send_in_page(self, contact_id: int, words: str = "A new message about the day."):
        """Send from an open conversation that keeps its tag (static/js/app.js)."""
        tags = self.__dict__.setdefault("tags", {})
        if contact_id not in tags:
            tags[contact_id] = self.etag(f"/contacts/{contact_id}/messages")
        response, payload = self.send(contact_id, words, shown=tags[contact_id])
        tags[contact_id] = response.getheader("ETag") or tags[contact_id]
        return response, payload


def figures(times: list[float]) -> str:
    if not times:
        return "no answers"
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered):7.2f} ms  p95 {p95:7.2f} ms"


def hammer(make_request, threads: int, seconds: float) -> tuple[float, list[float], list[int]]:
    """`threads` threads each repeating make_request(worker index) for `seconds`:
    (requests per second, latencies in ms, statuses)."""
    times: list[float] = []
    statuses: list[int] = []
    stop = time.perf_counter() + seconds

    def worker(index: int) -> None:
        mine, codes = [], []
        while time.perf_counter() < stop:
            start = time.perf_counter()
            codes.append(make_request(index))
            mine.append((time.perf_counter() - start) * 1000)
        times.extend(mine)
        statuses.extend(codes)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return len(times) / (time.perf_counter() - started), times, statuses
