"""The worker: claims due outbox rows, sends them with pywebpush (VAPID, aes128gcm),
retries what may work later, drops what never will, and turns due reminders into rows.

On PostgreSQL rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED and a lease
(`claimed_until`), so any number of workers on any number of hosts send each row once.
SQLite has one writer, so it runs one worker."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from py_vapid import Vapid
from pywebpush import WebPusher
from sqlalchemy import delete, or_
from sqlmodel import Session, select

from extensions import utcnow

from .models import Notification, PushSubscription, Reminder
from .outbox import enqueue
from .service import compute_next

log = logging.getLogger("nara.push")

BATCH = 100
LEASE = timedelta(seconds=120)
MAX_ATTEMPTS = 6
BASE_DELAY = 30  # seconds; doubled per attempt, with jitter
MAX_DELAY = 6 * 3600
TIMEOUT = 10  # seconds per push service request
CONCURRENCY = 16


@dataclass
class Outcome:
    notification_id: int
    subscription_id: int
    status: int | None  # HTTP status, or None for a time-out or connection error
    retry_after: float | None = None
    error: str = ""


class Sender:
    def __init__(self, private_key_file: str, subject: str, timeout: float = TIMEOUT):
        self.vapid = Vapid.from_file(private_key_file=private_key_file)
        self.subject = subject
        self.timeout = timeout
        self._local = threading.local()
        self._auth_cache: dict[str, tuple[float, dict]] = {}
        self._lock = threading.Lock()

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def _vapid_headers(self, endpoint: str) -> dict:
        parts = urlsplit(endpoint)
        aud = f"{parts.scheme}://{parts.netloc}"
        now = time.time()
        with self._lock:
            cached = self._auth_cache.get(aud)
            if cached and cached[0] > now + 600:
                return dict(cached[1])
            expires = int(now) + 12 * 3600
            headers = self.vapid.sign({"aud": aud, "exp": expires, "sub": self.subject})
            self._auth_cache[aud] = (expires, headers)
            return dict(headers)

    def send_one(self, row: Notification, subscription: PushSubscription) -> Outcome:
        info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
        headers = self._vapid_headers(subscription.endpoint)
        headers["Urgency"] = row.urgency
        try:
            response = WebPusher(info, requests_session=self._session()).send(
                json.dumps(row.payload), headers, ttl=row.ttl, content_encoding="aes128gcm", timeout=self.timeout)
        except (requests.Timeout, requests.ConnectionError) as error:
            return Outcome(row.id, subscription.id, None, error=type(error).__name__)
        except Exception as error:  # a broken subscription key, for instance: never retried
            return Outcome(row.id, subscription.id, 400, error=str(error)[:200])
        return Outcome(row.id, subscription.id, response.status_code,
                       _retry_after(response.headers.get("Retry-After")), response.text[:200])


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, (parsedate_to_datetime(value) - datetime.now(parsedate_to_datetime(value).tzinfo))
                       .total_seconds())
        except (TypeError, ValueError):
            return None


def backoff(attempts: int, retry_after: float | None, rng: random.Random = random) -> float:
    """Seconds to wait before the next try: the push service's Retry-After when it gives
    one, else exponential with full jitter, capped."""
    if retry_after is not None:
        return min(retry_after, MAX_DELAY)
    ceiling = min(MAX_DELAY, BASE_DELAY * (2 ** max(0, attempts - 1)))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def claim(session: Session, limit: int = BATCH, now: datetime | None = None) -> list[tuple[Notification, PushSubscription]]:
    """Take up to `limit` due rows for this worker, with a lease so a crashed worker's rows
    come back. On PostgreSQL, rows locked by another worker are skipped, not waited for."""
    now = now or utcnow()
    query = (select(Notification).where(Notification.status == "pending", Notification.due_at <= now,
                                        or_(Notification.claimed_until.is_(None), Notification.claimed_until < now))
             .order_by(Notification.due_at, Notification.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(session.exec(query))
    if not rows:
        session.commit()
        return []
    for row in rows:
        row.claimed_until = now + LEASE
        session.add(row)
    subscriptions = {s.id: s for s in session.exec(
        select(PushSubscription).where(PushSubscription.id.in_({r.subscription_id for r in rows})))}
    session.commit()
    return [(row, subscriptions[row.subscription_id]) for row in rows if row.subscription_id in subscriptions]


def record(session: Session, outcomes: list[Outcome], now: datetime | None = None) -> dict[str, int]:
    now = now or utcnow()
    counts = {"sent": 0, "retry": 0, "given_up": 0, "gone": 0}
    for outcome in outcomes:
        row = session.get(Notification, outcome.notification_id)
        subscription = session.get(PushSubscription, outcome.subscription_id)
        if row is None:
            continue
        if outcome.status is not None and 200 <= outcome.status < 300:
            row.status, row.sent_at, row.claimed_until = "sent", now, None
            if subscription is not None:
                subscription.last_success_at, subscription.send_errors = now, 0
                session.add(subscription)
            counts["sent"] += 1
        elif outcome.status in (404, 410):
            # The device unsubscribed or the browser was reset: forget it, and its queue.
            session.exec(delete(Notification).where(Notification.subscription_id == outcome.subscription_id))
            session.exec(delete(PushSubscription).where(PushSubscription.id == outcome.subscription_id))
            counts["gone"] += 1
            continue
        elif outcome.status is None or outcome.status == 429 or outcome.status >= 500:
            row.attempts += 1
            row.last_error = (outcome.error or str(outcome.status))[:200]
            row.claimed_until = None
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "given_up"
                counts["given_up"] += 1
            else:
                row.due_at = now + timedelta(seconds=backoff(row.attempts, outcome.retry_after))
                counts["retry"] += 1
            if subscription is not None:
                subscription.send_errors += 1
                session.add(subscription)
        else:  # 400, 401, 403, 413: the request itself is wrong; trying again will not help
            row.status, row.last_error, row.claimed_until = "given_up", (outcome.error or str(outcome.status))[:200], None
            counts["given_up"] += 1
        session.add(row)
    session.commit()
    return counts


def schedule_due_reminders(session: Session, now: datetime | None = None, limit: int = 500) -> int:
    """Turn reminders whose time has come into outbox rows, and set their next time."""
    now = now or utcnow()
    query = (select(Reminder).where(Reminder.active.is_(True), Reminder.next_fire_at.is_not(None),
                                    Reminder.next_fire_at <= now).order_by(Reminder.next_fire_at).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    count = 0
    for reminder in session.exec(query):
        enqueue(session, reminder.user_id, "reminder", f"/push/reminders#reminder-{reminder.id}",
                due_at=reminder.next_fire_at, reminder_id=reminder.id)
        reminder.next_fire_at = compute_next(reminder, max(now, reminder.next_fire_at))
        if reminder.next_fire_at is None:
            reminder.active = False
        session.add(reminder)
        count += 1
    session.commit()
    return count


def run_once(session: Session, sender: Sender, now: datetime | None = None) -> dict[str, int]:
    """One round: due reminders into the outbox, then everything due sent, concurrently.
    Every request has a time-out, so one slow push service never holds back the rest."""
    schedule_due_reminders(session, now)
    totals = {"sent": 0, "retry": 0, "given_up": 0, "gone": 0}
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        while True:
            batch = claim(session, now=now)
            if not batch:
                break
            outcomes = list(pool.map(lambda pair: sender.send_one(*pair), batch))
            for key, value in record(session, outcomes, now).items():
                totals[key] += value
            if len(batch) < BATCH:
                break
    return totals


def make_sender(app) -> Sender:
    return Sender(app.config["VAPID_PRIVATE_KEY_FILE"], app.config["VAPID_SUBJECT"],
                  timeout=app.config.get("PUSH_TIMEOUT", TIMEOUT))


def work_forever(app, stop: threading.Event | None = None, interval: float = 5.0) -> None:
    """The worker loop (`flask push worker`, or a thread of the app with `make run`)."""
    from extensions import db

    stop = stop or threading.Event()
    sender = make_sender(app)
    while not stop.is_set():
        try:
            with app.app_context():
                totals = run_once(db.session, sender)
                if any(totals.values()):
                    log.info("push round: %s", totals)
        except Exception:  # keep the worker alive; the rows stay due and are tried again
            log.exception("push round broke off")
        stop.wait(interval)


def start_thread(app) -> threading.Thread:
    thread = threading.Thread(target=work_forever, args=(app,), name="push-worker", daemon=True)
    thread.start()
    return thread


