"""Push delivery under faults, against the loopback push service of the tests (never the
network). Figures are printed, never asserted; every wait is bounded.

(a) Duplicates after `kill -9`: 200 notifications queued, a worker process sends them and
    is killed mid-round; after its lease another worker sends the rest. Counted by the
    notification id in each decrypted body, on SQLite and on PostgreSQL, two ways:
    - "between sends": the push service stops answering after 32 deliveries and the
      worker is killed once everything answered is recorded (target: 0 duplicates);
    - "at once": killed the moment the 32nd delivery arrives, sends in flight; a send the
      push service took but whose answer the worker never recorded comes again (the
      service worker drops it by id).
(b) One endpoint hangs (never answers until the end): 20 support alerts to 20 other
    people, raised one every 0.2 s while it hangs, and the slowest of their deliveries
    (target: at most 2 s).

    .venv/bin/python bench/push_faults.py [--trials 3] [--database postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from app import create_app  # noqa: E402
from extensions import make_engine, upgrade_schema, utcnow  # noqa: E402
from tests.push.pushservice import PushService  # noqa: E402

ROWS = 200
KILL_AFTER = 32
OTHERS = 20
PASSWORD = "green kettle morning walk"

WORKER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from app import create_app
    from push.sender import work_forever

    app = create_app({{"DATABASE_URL": {url!r}, "RATELIMIT_ENABLED": False, "PUSH_TIMEOUT": 60}},
                     instance_path={instance!r})
    work_forever(app, interval=0.1)
""")


def wait_for(condition, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.002)
    return condition()


def new_app(url: str, instance: str):
    upgrade_schema(make_engine(url))
    return create_app(
        {"DATABASE_URL": url, "RATELIMIT_ENABLED": False, "PUSH_ALLOW_LOOPBACK": True}, instance_path=instance
    )


def people_with_devices(app, push_service, tag: str, people: int, devices_each: int, *modes: str) -> list:
    from accounts import service as accounts
    from extensions import db
    from push import service

    devices = []
    with app.app_context():
        for person in range(people):
            user, _ = accounts.sign_up(db.session, f"{tag}p{person}", PASSWORD)
            for index in range(devices_each):
                device = push_service.device(f"{tag}p{person}d{index}", *modes)
                devices.append(
                    service.subscribe(
                        db.session, user, push_service.endpoint(device.name), device.p256dh, device.auth_b64
                    )
                )
    return devices


def kill_trial(app, url: str, tag: str, at_once: bool) -> tuple[int, int, int]:
    """(deliveries before the kill, duplicates, missing)."""
    from extensions import db
    from push import sender as worker
    from push.models import Notification

    push_service = PushService(open(app.config["VAPID_PUBLIC_KEY_FILE"]).read().strip())
    push_service.delay = 0.005  # a little latency, so sends overlap as with a real push service
    try:
        devices = people_with_devices(app, push_service, tag, 1, 10)
        with app.app_context():
            db.session.add_all(
                [
                    Notification(
                        user_id=devices[n % 10].user_id,
                        subscription_id=devices[n % 10].id,
                        kind="message",
                        payload={"title": "Nära", "body": "Något nytt"},
                    )
                    for n in range(ROWS)
                ]
            )
            db.session.commit()
            engine = db.engine

        def sent() -> int:
            with Session(engine) as fresh:
                return fresh.exec(
                    select(func.count())
                    .select_from(Notification)
                    .where(Notification.status == "sent", Notification.subscription_id.in_([d.id for d in devices]))
                ).one()

        if not at_once:
            push_service.hold_after = KILL_AFTER
        script = WORKER.format(root=str(ROOT), url=url, instance=app.instance_path)
        process = subprocess.Popen(
            [sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PUSH_ALLOW_LOOPBACK": "1"}
        )
        try:
            if at_once:
                wait_for(lambda: len(push_service.received) >= KILL_AFTER, limit=60)
            else:
                wait_for(
                    lambda: (
                        len(push_service.received) >= KILL_AFTER
                        and push_service.held
                        and sent() == len(push_service.received)
                    ),
                    limit=60,
                )
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(30)
        before = len(push_service.received)
        push_service.hold_after = None
        push_service.release.set()
        later = utcnow() + worker.LEASE + timedelta(seconds=1)
        sender = worker.make_sender(app)
        with Session(engine, expire_on_commit=False) as own:
            for _ in range(50):
                if not any(worker.run_once(own, sender, now=later).values()):
                    break
        ids = Counter(payload["id"] for _name, payload, _headers in push_service.received)
        return before, sum(ids.values()) - len(ids), ROWS - len(ids)
    finally:
        push_service.close()


def hang_trial(app, tag: str) -> tuple[float, float, bool]:
    """(slowest and median delivery of the others, in seconds; was the hang still open)."""
    from extensions import db
    from push import outbox
    from push import sender as worker

    push_service = PushService(open(app.config["VAPID_PUBLIC_KEY_FILE"]).read().strip())
    stop = threading.Event()
    try:
        hanging = people_with_devices(app, push_service, f"{tag}h", 1, 1, "hold")[0]
        others = people_with_devices(app, push_service, f"{tag}o", OTHERS, 1)
        thread = threading.Thread(target=worker.work_forever, args=(app, stop), kwargs={"interval": 5.0})
        with app.app_context():
            outbox.enqueue(db.session, hanging.user_id, "message", "/contacts")
            db.session.commit()
        thread.start()
        wait_for(lambda: f"arrived:{tag}hp0d0" in push_service.events, limit=15)
        raised = {}
        with app.app_context():
            for other in others:
                outbox.enqueue(db.session, other.user_id, "alert", "/inbox", urgency="high", ignore_quiet=True)
                db.session.commit()
                raised[f"{tag}op{others.index(other)}d0"] = time.monotonic()
                time.sleep(0.2)
        wait_for(lambda: len(push_service.received) >= OTHERS, limit=30)
        still_open = f"received:{tag}hp0d0" not in push_service.events
        latencies = [
            at - raised[name]
            for (name, _p, _h), at in zip(push_service.received, push_service.received_at, strict=False)
            if name in raised
        ]
        if len(latencies) < OTHERS:
            latencies += [float("inf")] * (OTHERS - len(latencies))
        return max(latencies), statistics.median(latencies), still_open
    finally:
        push_service.release.set()
        stop.set()
        push_service.close()


def run_backend(label: str, url: str, instance: str, trials: int) -> None:
    app = new_app(url, instance)
    for at_once in (False, True):
        figures = [kill_trial(app, url, f"k{int(at_once)}t{trial}", at_once) for trial in range(trials)]
        way = "at once (sends in flight)" if at_once else "between sends"
        print(
            f"{label}: kill -9 {way}: "
            + "; ".join(
                f"{before} delivered before the kill, {dup} duplicates, {missing} missing"
                for before, dup, missing in figures
            )
        )
    slowest, median, still_open = hang_trial(app, "h")
    print(
        f"{label}: one endpoint hanging: {OTHERS} alerts to other people, slowest {slowest:.2f} s, "
        f"median {median:.2f} s; the hanging send was still open: {'yes' if still_open else 'no'}"
    )
    with app.app_context():
        from extensions import db

        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument(
        "--database", default=os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    args = parser.parse_args()
    trials = max(1, min(args.trials, 10))
    workdir = Path(tempfile.mkdtemp(prefix="nara-push-faults-"))
    run_backend("SQLite", f"sqlite:///{workdir / 'faults.sqlite3'}", str(workdir / "instance-sqlite"), trials)

    base = args.database.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"nara_bench_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(base).set(database=name).render_as_string(hide_password=False)
        run_backend("PostgreSQL", url, str(workdir / "instance-pg"), trials)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
