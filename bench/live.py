"""Live channel figures: N open /live streams held by gunicorn gthread workers (the
production choice, docs/deploy.md), memory per held stream, how long a sent message takes
to reach every stream, and a page's time while they are held. Printed, never asserted.

    .venv/bin/python bench/live.py [--streams 1000] [--workers 2] [--bus redis|postgresql]

Needs Redis on 127.0.0.1:6379 for --bus redis (two workers need a shared bus).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from extensions import make_engine, upgrade_schema  # noqa: E402

PASSWORD = "green kettle morning walk"
print = functools.partial(print, flush=True)  # noqa: A001  (figures survive a cut run)


def prepare(url: str, instance: str) -> int:
    app = create_app({"DATABASE_URL": url}, instance_path=instance)
    with app.app_context():
        from accounts import service
        from extensions import db
        from peer import contacts, profiles

        client, _ = service.sign_up(db.session, "bench", PASSWORD)
        peer, _ = service.sign_up(db.session, "helper", PASSWORD, role="peer")
        service.approve_peer(db.session, "helper")
        profiles.save_profile(
            db.session, peer, display_name="Helper", about="", topics=[], gender="woman", languages=["sv"],
            hours="", taking_new=True,
        )  # fmt: skip
        contact = contacts.request_peer(db.session, client, peer.id)
        contacts.accept(db.session, peer, contact)
        return contact.id


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session(response) -> str:
    return next(c.split(";")[0] for c in response.msg.get_all("Set-Cookie") if c.startswith("nara_session="))


def log_in(port: int, handle: str) -> tuple[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/login")
    response = conn.getresponse()
    cookie = _session(response)
    token = re.search(r'name="csrf-token" content="([^"]+)"', response.read().decode()).group(1)
    body = f"csrf_token={token}&handle={handle}&password={PASSWORD.replace(' ', '+')}"
    conn.request("POST", "/login", body, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    cookie = _session(response)
    conn.request("GET", "/help", headers={"Cookie": cookie})
    response = conn.getresponse()
    if any(c.startswith("nara_session=") for c in response.msg.get_all("Set-Cookie") or []):
        cookie = _session(response)  # the CSRF token's secret was just kept in the session
    token = re.search(r'name="csrf-token" content="([^"]+)"', response.read().decode()).group(1)
    return cookie, token


def workers(master: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def rss_kb(master: int) -> int:
    """The resident memory of gunicorn's master and its workers."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if int(entry.name) == master or ppid == master:
                for line in (entry / "status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return total


async def hold(port: int, cookie: str, n: int, opened: list, arrivals: list):
    """Open n streams; each records when it sees an event."""

    async def one(i: int):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        assert b" 200 " in head.split(b"\r\n")[0], head[:200]
        opened.append(i)
        while True:
            line = await reader.readline()
            if not line:
                return
            if line.startswith(b"data:"):
                arrivals.append(time.monotonic())

    return [asyncio.create_task(one(i)) for i in range(n)]


def send(port: int, cookie: str, token: str, contact_id: int, n: int) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = f"csrf_token={token}&body=Hello+{n}&client_key={secrets.token_hex(16)}"
    start = time.monotonic()
    conn.request("POST", f"/contacts/{contact_id}/messages", body,
                 {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    response = conn.getresponse()
    response.read()
    assert response.status == 302, response.status
    return start


def page_times(port: int, cookie: str, count: int = 200) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    times = []
    for _ in range(count):
        start = time.perf_counter()
        conn.request("GET", "/help", headers={"Cookie": cookie})
        conn.getresponse().read()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


async def run(args, port: int, master: int, contact_id: int) -> None:
    client_cookie, _ = log_in(port, "bench")
    peer_cookie, peer_token = log_in(port, "helper")
    base_pages = page_times(port, client_cookie)
    time.sleep(0.5)
    before = rss_kb(master)
    opened, arrivals = [], []
    started = time.monotonic()
    tasks = await hold(port, client_cookie, args.streams, opened, arrivals)
    while len(opened) < args.streams and time.monotonic() - started < 60:
        await asyncio.sleep(0.1)
    took = time.monotonic() - started
    await asyncio.sleep(1)
    after = rss_kb(master)
    print(f"streams held open                 {len(opened)} of {args.streams} (opened in {took:.1f} s)")
    print(f"memory, gunicorn master+workers   {before / 1024:.0f} MB before, {after / 1024:.0f} MB with the streams "
          f"= {(after - before) / max(1, len(opened)):.0f} KB per stream")  # fmt: skip
    rounds = []
    for n in range(args.messages):
        arrivals.clear()
        sent = await asyncio.to_thread(send, port, peer_cookie, peer_token, contact_id, n)
        deadline = time.monotonic() + 10
        while len(arrivals) < len(opened) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        delays = sorted((at - sent) * 1000 for at in arrivals)
        rounds.append(delays)
        await asyncio.sleep(0.3)
    firsts = [d[0] for d in rounds if d]
    lasts = [d[-1] for d in rounds if d]
    every = [x for d in rounds for x in d]
    print(f"message -> event, first stream    median {statistics.median(firsts):.0f} ms (send request included)")
    print(f"message -> event, every stream    p95 {p95(every):.0f} ms, last stream median {statistics.median(lasts):.0f} ms "
          f"({sum(len(d) for d in rounds)} of {len(opened) * args.messages} events arrived)")  # fmt: skip
    held_pages = await asyncio.to_thread(page_times, port, client_cookie)
    print(
        f"GET /help p95                     {p95(base_pages):.1f} ms alone, {p95(held_pages):.1f} ms with the streams held"
    )
    for task in tasks:
        task.cancel()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--threads", type=int, default=0, help="per worker (default: streams + 64)")
    parser.add_argument("--bus", choices=["redis", "postgresql"], default="redis")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    if args.bus == "postgresql":
        from sqlalchemy import create_engine, text

        name = f"nara_bench_{secrets.token_hex(4)}"
        with create_engine("postgresql+psycopg://postgres@127.0.0.1/test", isolation_level="AUTOCOMMIT").connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        url = f"postgresql+psycopg://postgres@127.0.0.1/{name}"
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    upgrade_schema(make_engine(url))
    instance = str(tmp / "instance")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
    contact_id = prepare(url, instance)
    port = _free_port()
    # One thread per held stream; the kernel does not share connections evenly between the
    # workers, so each worker gets threads enough for all of them, and some for pages.
    threads = args.threads or args.streams + 64
    env = {**os.environ, "DATABASE_URL": url, "NARA_INSTANCE": instance, "SESSION_COOKIE_SECURE": "0",
           "RATELIMIT_ENABLED": "0", "LIVE_BACKEND": args.bus}  # fmt: skip
    if args.bus == "redis":
        env["LIVE_REDIS_URL"] = "redis://127.0.0.1:6379/14"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-k", "gthread", "-w", str(args.workers),
         "--threads", str(threads), "--worker-connections", str(threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "--backlog", "4096", "app:create_app()"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    print(f"gunicorn gthread: {args.workers} workers x {threads} threads, {args.bus} bus, "
          f"{'SQLite' if args.bus == 'redis' else 'PostgreSQL'}, {os.cpu_count()} CPUs")  # fmt: skip
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/help")
                break
            except OSError:
                time.sleep(0.1)
        asyncio.run(run(args, port, server.pid, contact_id))
    finally:
        children = workers(server.pid)
        server.send_signal(signal.SIGINT)  # quick shutdown: the held streams need not end first
        try:
            server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        for pid in children:  # workers still holding streams after their master went
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


if __name__ == "__main__":
    main()
