"""Worker throughput: notifications encrypted (aes128gcm), signed (VAPID) and delivered per
second to the loopback push service of the tests, with one and with two workers on
PostgreSQL. Figures are printed, never asserted.

    .venv/bin/python bench/push.py [--rows 3000] [--database postgresql://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app import create_app  # noqa: E402
from extensions import make_engine, upgrade_schema  # noqa: E402
from tests.push.pushservice import PushService  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument(
        "--database", default=os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    args = parser.parse_args()
    base = args.database.replace("postgresql://", "postgresql+psycopg://", 1)
    name = f"nara_bench_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade_schema(make_engine(url))
        app = create_app(
            {"DATABASE_URL": url, "RATELIMIT_ENABLED": False, "PUSH_ALLOW_LOOPBACK": True},
            instance_path=str(Path(tempfile.mkdtemp()) / "instance"),
        )
        for workers in (1, 2):
            measure(app, args.rows, workers)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def measure(app, rows: int, workers: int) -> None:
    from accounts import service as accounts
    from extensions import db
    from push import sender as worker
    from push import service
    from push.models import Notification

    push_service = PushService(open(app.config["VAPID_PUBLIC_KEY_FILE"]).read().strip())
    try:
        with app.app_context():
            session = db.session
            devices = []
            for index in range(20):  # two people with ten devices each (the most one person may have)
                if index % service.MAX_DEVICES == 0:
                    user, _ = accounts.sign_up(session, f"bench{workers}p{index}", "green kettle morning walk")
                device = push_service.device(f"w{workers}d{index}")
                devices.append(
                    service.subscribe(session, user, push_service.endpoint(device.name), device.p256dh, device.auth_b64)
                )
            session.add_all(
                [
                    Notification(
                        user_id=devices[n % 20].user_id,
                        subscription_id=devices[n % 20].id,
                        kind="message",
                        payload={"title": "Nära", "body": "Något nytt till dig", "n": n},
                    )
                    for n in range(rows)
                ]
            )
            session.commit()
            engine = db.engine
            sender = worker.Sender(
                app.config["VAPID_PRIVATE_KEY_FILE"], "mailto:bench@nara.invalid", timeout=30, allow_loopback=True
            )

            def run():
                with Session(engine, expire_on_commit=False) as own:
                    while any(worker.run_once(own, sender).values()):
                        pass

            threads = [threading.Thread(target=run) for _ in range(workers)]
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - start
        delivered = len(push_service.received)
        print(
            f"{workers} worker(s): {delivered} of {rows} delivered in {elapsed:.1f} s = "
            f"{delivered / elapsed:.0f} notifications/s (PostgreSQL, loopback push service decrypting each)"
        )
    finally:
        push_service.close()


if __name__ == "__main__":
    main()
