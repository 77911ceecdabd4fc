"""Stay with me with a worker killed by SIGKILL mid-batch: the server's clock moves the timer
past its grace period in a worker process of its own, which puts every alert in the outbox
and starts sending them; the push service stops answering after a few, and the worker is
killed with sends in flight. After the lease another worker finishes: every chosen person's
every device gets the alert, one alert each (a send repeated after the kill carries the same
notification id, which the phone drops), and nothing is lost (issue 18)."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from accounts.models import User
from extensions import db, utcnow
from push import sender as worker
from push import service as push
from push.models import Notification
from tests.conftest import make_contact, make_peer_profile, make_user
from tests.push.conftest import app, push_service  # noqa: F401  (the loopback push service and its app)
from tests.push.test_crash import WORKER, _wait_for  # the same worker process, killed the same way

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 3  # chosen peer supporters
DEVICES = 8  # each, so the alert is one batch of 24 sends
ANSWERED = 6  # the push service answers this many, then holds every further send


def test_alerts_survive_a_worker_killed_mid_batch_each_device_once(app, database_url, push_service):  # noqa: F811
    from stay import service as stay
    from stay.models import StayTimer

    mira, _ = make_user(app, "mira")
    contacts = set()
    with app.app_context():
        session = db.session
        for n in range(PEOPLE):
            peer, _ = make_user(app, f"helper{n}", role="peer", approved=True)
            make_peer_profile(app, peer, display_name=f"Helper {n}")
            contacts.add(make_contact(app, mira, peer))
            for d in range(DEVICES):
                name = f"p{n}-d{d}"
                device = push_service.device(name)
                push.subscribe(
                    session, session.get(User, peer), push_service.endpoint(name), device.p256dh, device.auth_b64
                )
        # Started 40 minutes ago for 20, asked 15 minutes ago: the grace period is long over.
        started = utcnow() - timedelta(minutes=40)
        stay.start(session, session.get(User, mira), minutes=20, contact_ids=contacts, now=started)
        stay.tick(session, started + timedelta(minutes=25))
        assert session.exec(select(StayTimer.state)).one() == "asked"

        push_service.hold_after = ANSWERED
        script = WORKER.format(root=str(ROOT), url=database_url, instance=app.instance_path)
        process = subprocess.Popen(
            [sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PUSH_ALLOW_LOOPBACK": "1"}
        )
        try:
            # The worker's tick told everyone, and it is mid-batch: some answered, some held.
            mid_batch = _wait_for(lambda: len(push_service.received) >= ANSWERED and push_service.held, limit=60)
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
            stay.tick(own, utcnow())  # a second worker's tick: nothing is told twice
            while any(worker.run_once(own, sender, now=later).values()):
                pass
        state = session.exec(select(StayTimer.state)).one()
        left = session.exec(select(Notification.status).where(Notification.status != "sent")).all()

    # Per device, the notification ids of the alert that reached it. A kill between the push
    # service's 201 and the worker's commit sends those few again after the lease, with the
    # same id, which the phone's service worker drops (static/js/sw.js): what the person
    # sees is one alert per device. Never a second id, never a device left out.
    ids: dict[str, set] = {}
    for name, payload, _headers in push_service.received:
        if payload.get("tag") == "alert-":
            ids.setdefault(name, set()).add(payload["id"])
    repeats = sum(1 for name, payload, _h in push_service.received if payload.get("tag") == "alert-") - len(ids)
    print(
        f"\nStay with me, worker killed mid-batch: {len(ids)} devices alerted, {repeats} sends repeated with their id"
    )
    assert mid_batch, "the worker was not killed mid-batch"
    assert ANSWERED <= delivered_before_kill < PEOPLE * DEVICES
    assert not push_service.problems and left == []
    assert state == "alerted"
    assert set(ids) == {f"p{n}-d{d}" for n in range(PEOPLE) for d in range(DEVICES)}, "an alert was lost"
    assert all(len(found) == 1 for found in ids.values()), f"two alerts for one device: {ids}"
    assert repeats <= worker.PER_SERVICE  # at most the sends in flight at the kill
