"""Writes under `kill -9`: writers save diary entries and send messages against gunicorn on
loopback, the whole server is killed with SIGKILL twice mid-run and started again, and every
write whose answer was lost is retried with the same one-time key, as the page does. Then
the database is counted: acknowledged writes that are missing (lost) and writes stored more
than once (duplicated). Figures are printed, never asserted.

    .venv/bin/python bench/kill9_writes.py [--seconds 40] [--writers 20] [--db sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import create_app  # noqa: E402
from extensions import make_engine, upgrade_schema  # noqa: E402

PASSWORD = "green kettle morning walk"
PG_ADMIN = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test").replace(
    "postgresql://", "postgresql+psycopg://"
)
FAST = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_COST": "1024", "ARGON2_PARALLELISM": "1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(url: str, instance: str, writers: int) -> list[tuple[str, int]]:
    """Writers as clients, each with a peer supporter to write to: (handle, contact id)."""
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    app = create_app({"DATABASE_URL": url, **{k: int(v) for k, v in FAST.items()}}, instance_path=instance)
    people = []
    with app.app_context():
        from accounts import service
        from extensions import db
        from peer import contacts, profiles

        peer, _ = service.sign_up(db.session, "benchpeer", PASSWORD, role="peer")
        service.approve_peer(db.session, "benchpeer")
        profiles.save_profile(
            db.session,
            peer,
            display_name="Peer",
            about="",
            topics=[],
            gender="woman",
            languages=["sv"],
            hours="",
            taking_new=True,
        )
        for i in range(writers):
            client, _ = service.sign_up(db.session, f"writer{i}", PASSWORD)
            contact = contacts.request_peer(db.session, client, peer.id)
            contacts.accept(db.session, peer, contact)
            people.append((f"writer{i}", contact.id))
    app.extensions["nara_db"].engine.dispose()
    return people


class Server:
    def __init__(self, url: str, instance: str, port: int):
        self.env = {
            **os.environ,
            **FAST,
            "DATABASE_URL": url,
            "NARA_INSTANCE": instance,
            "RATELIMIT_ENABLED": "0",
            "SESSION_COOKIE_SECURE": "0",
        }
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "-c",
                str(ROOT / "gunicorn.conf.py"),
                "-w",
                "2",
                "--threads",
                "4",
                "-b",
                f"127.0.0.1:{self.port}",
                "app:create_app()",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/offline", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def kill9(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)  # the master and every worker, at once
        self.process.wait()


def writer(base: str, handle: str, contact_id: int, stop: threading.Event, acked: list, tried: list) -> None:
    session = requests.Session()
    token = ""

    def login() -> str:
        page = session.get(f"{base}/login", timeout=5).text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        session.post(f"{base}/login", data={"csrf_token": csrf, "handle": handle, "password": PASSWORD}, timeout=5)
        page = session.get(f"{base}/today", timeout=5).text
        return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)

    n = 0
    while not stop.is_set():
        n += 1
        key = secrets.token_hex(16)
        kind = "entry" if n % 2 else "message"
        url = f"{base}/diary/new" if kind == "entry" else f"{base}/contacts/{contact_id}/messages"
        body = {"text" if kind == "entry" else "body": f"{handle} {kind} {n}", "client_key": key}
        tried.append((kind, key))
        for _attempt in range(60):  # the page retries a write whose answer was lost
            try:
                if not token:
                    token = login()
                answer = session.post(
                    url, data={**body, "csrf_token": token}, timeout=5, headers={"HX-Request": "true"}
                )
                if answer.status_code in (200, 201, 302) and "X-Nara-Locked" not in answer.headers:
                    acked.append((kind, key))
                    break
                if answer.status_code in (400, 401, 403):
                    token = ""
            except (requests.RequestException, AttributeError):
                token = ""
                time.sleep(0.3)


def count(url: str, acked: list) -> tuple[int, int, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        entries = dict(conn.execute(text("SELECT client_key, count(*) FROM diary_entry GROUP BY client_key")).all())
        messages = dict(conn.execute(text("SELECT client_key, count(*) FROM message GROUP BY client_key")).all())
    engine.dispose()
    stored = {("entry", k): v for k, v in entries.items() if k} | {("message", k): v for k, v in messages.items() if k}
    lost = sum(1 for item in acked if item not in stored)
    duplicated = sum(v - 1 for v in stored.values() if v > 1)
    return lost, duplicated, len(stored)


def run(name: str, url: str, seconds: float, writers: int) -> None:
    instance = tempfile.mkdtemp(prefix="nara-bench-")
    people = prepare(url, instance, writers)
    server = Server(url, instance, free_port())
    server.start()
    base = f"http://127.0.0.1:{server.port}"
    stop, acked, tried = threading.Event(), [], []
    threads = [threading.Thread(target=writer, args=(base, h, c, stop, acked, tried), daemon=True) for h, c in people]
    for thread in threads:
        thread.start()
    kills = 0
    for fraction in (0.35, 0.7):
        time.sleep(seconds * (fraction - (0.35 if kills else 0)))
        server.kill9()
        kills += 1
        time.sleep(0.5)
        server.start()
    time.sleep(seconds * 0.3)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    server.kill9()
    lost, duplicated, stored = count(url, list(acked))
    print(
        f"{name:10} writers {writers}, {seconds:.0f} s, kill -9 x{kills}: {len(acked)} writes acknowledged, "
        f"{stored} stored, lost {lost}, duplicated {duplicated}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    if args.db in ("sqlite", "both"):
        path = Path(tempfile.mkdtemp(prefix="nara-bench-db-")) / "bench.sqlite3"
        run("SQLite", f"sqlite:///{path}", args.seconds, args.writers)
    if args.db in ("postgresql", "both"):
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        name = f"nara_bench_{secrets.token_hex(4)}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run(
                "PostgreSQL",
                make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False),
                args.seconds,
                args.writers,
            )
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
