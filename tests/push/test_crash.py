"""A worker killed with SIGKILL in the middle of its sends: what it sent stays sent, and
after the lease the rest is sent, each notification exactly once at the push service.

The worker runs in its own process against the loopback push service. After 32 deliveries
the service stops answering (it holds every further request), so the worker is killed
while sends are in flight, between one recorded send and the next."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, func, select

from accounts.models import User
from extensions import db, utcnow
from push import sender as worker
from push import service
from push.models import Notification
from tests.conftest import make_user

ROOT = Path(__file__).resolve().parents[2]
ROWS = 200
DEVICES = 10
ANSWERED = 32

WORKER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from app import create_app
    from push.sender import work_forever

    app = create_app({{"DATABASE_URL": {url!r}, "RATELIMIT_ENABLED": False, "PUSH_TIMEOUT": 60}},
                     instance_path={instance!r})
    work_forever(app, interval=0.1)
""")


def _sent() -> int:
    with Session(db.engine) as fresh:
        return fresh.exec(select(func.count()).select_from(Notification).where(Notification.status == "sent")).one()


def _wait_for(condition, limit: float) -> bool:
    """Poll until the condition holds; the limit only keeps a broken test from hanging."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_worker_killed_mid_round_delivers_every_notification_exactly_once(app, database_url, push_service):
    user_id, _ = make_user(app, "mira")
    with app.app_context():
        session = db.session
        user = session.get(User, user_id)
        devices = []
        for index in range(DEVICES):
            device = push_service.device(f"d{index}")
            devices.append(
                service.subscribe(session, user, push_service.endpoint(device.name), device.p256dh, device.auth_b64)
            )
        session.add_all(
            [
                Notification(
                    user_id=user_id,
                    subscription_id=devices[n % DEVICES].id,
                    kind="message",
                    payload={"title": "Nära", "body": "Något nytt till dig"},
                )
                for n in range(ROWS)
            ]
        )
        session.commit()

        push_service.hold_after = ANSWERED
        script = WORKER.format(root=str(ROOT), url=database_url, instance=app.instance_path)
        process = subprocess.Popen(
            [sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PUSH_ALLOW_LOOPBACK": "1"}
        )
        try:
            # Every answered send is recorded, and the worker waits on the ones held open.
            recorded = _wait_for(
                lambda: (
                    len(push_service.received) >= ANSWERED
                    and push_service.held
                    and _sent() == len(push_service.received)
                ),
                limit=30,
            )
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(30)
        delivered_before_kill = len(push_service.received)
        push_service.hold_after = None
        push_service.release.set()

        later = utcnow() + worker.LEASE + timedelta(seconds=1)  # the killed worker's lease has run out
        sender = worker.Sender(
            app.config["VAPID_PRIVATE_KEY_FILE"], "mailto:test@nara.invalid", timeout=10, allow_loopback=True
        )
        with Session(db.engine, expire_on_commit=False) as own:
            while any(worker.run_once(own, sender, now=later).values()):
                pass
        left = session.exec(select(Notification.status).where(Notification.status != "sent")).all()

    ids = Counter(payload["id"] for _name, payload, _headers in push_service.received)
    assert not push_service.problems and left == []
    assert len(ids) == ROWS and set(ids.values()) == {1}, (
        f"{sum(ids.values()) - len(ids)} notifications were delivered twice"
    )
    assert recorded, "the sends the push service answered were not recorded before the kill"
    assert ANSWERED <= delivered_before_kill < ROWS
