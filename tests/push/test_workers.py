"""Several workers on PostgreSQL share one outbox and deliver every row exactly once."""

import threading
from collections import Counter

import pytest
from sqlmodel import Session, select

from accounts.models import User
from extensions import db
from push import sender as worker
from push import service
from push.models import Notification
from tests.conftest import make_user

ROWS = 5000
WORKERS = 3


def test_three_workers_deliver_5000_notifications_exactly_once(app, database_url, push_service):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite runs one worker; several workers are for PostgreSQL")
    user_id, _ = make_user(app, "mira")
    with app.app_context():
        session = db.session
        user = session.get(User, user_id)
        devices = []
        for index in range(10):
            device = push_service.device(f"d{index}")
            devices.append(
                service.subscribe(session, user, push_service.endpoint(f"d{index}"), device.p256dh, device.auth_b64)
            )
        session.add_all(
            [
                Notification(user_id=user_id, subscription_id=devices[n % 10].id, kind="message", payload={"n": n})
                for n in range(ROWS)
            ]
        )
        session.commit()
        engine = db.engine
        # A generous time-out: this test is about claiming, not about slow push services.
        sender = worker.Sender(
            app.config["VAPID_PRIVATE_KEY_FILE"], "mailto:test@nara.invalid", timeout=30, allow_loopback=True
        )

        def run():
            with Session(engine, expire_on_commit=False) as own:
                while any(worker.run_once(own, sender).values()):
                    pass

        threads = [threading.Thread(target=run) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        left = session.exec(select(Notification).where(Notification.status != "sent")).all()
    assert [(row.status, row.last_error) for row in left][:5] == []
    numbers = Counter(payload["n"] for _name, payload, _headers in push_service.received)
    assert not push_service.problems
    assert len(numbers) == ROWS and set(numbers.values()) == {1}, "a notification was lost or sent twice"
    assert left == []
