"""The worker: claims due outbox rows, sends each to its push service (VAPID, aes128gcm),
records each outcome as soon as it is known, retries what may work later, drops what
never will, and turns due reminders into rows.

Claiming: on PostgreSQL rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED and a
lease (`claimed_until`), so any number of workers on any number of hosts take each row
once. SQLite has one writer, so it runs one worker. Support alerts (priority 0) are
claimed before everything else, then by due time.

Sending: each row is its own task in a pool of CONCURRENCY threads, and the worker claims
more as soon as a slot is free, so a push service that does not answer holds only its own
slot (for at most `timeout`), never another person's or another device's notification.
Before every send the endpoint is checked again (push.endpoints): every address its name
resolves to must be public, and the connection goes to the checked address itself, so DNS
cannot be rebound between the check and the connect. Redirects are never followed (a 3xx
fails that row), and a push service's reply body is never read into the database:
`last_error` holds only our own words ("HTTP 500", "timeout", "redirect refused", ...).

Delivery is exactly once at the push service when the worker dies between sends: each
outcome is committed the moment its send returns (sends that complete together share one
short transaction), so a killed worker's rows that were sent stay sent, and only the rows
still in flight come back after the lease. A kill between a push service's 201 and our commit can repeat that one
row; the payload carries the notification's id, and the service worker (static/js/sw.js)
drops an id it has already shown, and shows each under a tag, so a repeat replaces
rather than stacks."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections import OrderedDict
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import certifi
import urllib3
from py_vapid import Vapid
from pywebpush import WebPusher
from sqlalchemy import delete, or_, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from extensions import utcnow

from . import endpoints
from .models import Notification, PushSubscription, Reminder
from .outbox import enqueue
from .service import compute_next

log = logging.getLogger("nara.push")

LEASE = timedelta(seconds=120)
MAX_ATTEMPTS = 6
BASE_DELAY = 30  # seconds; doubled per attempt, with jitter
MAX_DELAY = 6 * 3600
TIMEOUT = 10  # seconds per push service request
CONCURRENCY = 16
POLL = 0.2  # seconds between looks for newly due rows while sends are in flight
MAX_POOLS = 64  # kept-alive connection pools, one per push service address
DNS_SECONDS = 30  # how long a DNS answer is reused; every use checks its addresses again


@dataclass(frozen=True)
class Job:
    """What a send needs, copied out of the database, so sending threads share no session."""

    notification_id: int
    subscription_id: int
    endpoint: str
    p256dh: str
    auth: str
    payload: dict
    urgency: str
    ttl: int


@dataclass
class Outcome:
    notification_id: int
    subscription_id: int
    status: int | None  # HTTP status, or None when no answer came (or we did not ask)
    retry_after: float | None = None
    error: str = ""  # our own words, never the push service's
    retry: bool = False  # for status None: may it work later (time-out, DNS, connection)?


class Sender:
    def __init__(self, private_key_file: str, subject: str, timeout: float = TIMEOUT,
                 allow_loopback: bool = False):
        self.vapid = Vapid.from_file(private_key_file=private_key_file)
        self.subject = subject
        self.timeout = timeout
        self.allow_loopback = allow_loopback
        self._auth_cache: dict[str, tuple[float, dict]] = {}
        self._pools: OrderedDict[tuple, urllib3.HTTPConnectionPool] = OrderedDict()
        self._dns: dict[tuple[str, int], tuple[float, list[str]]] = {}
        self._lock = threading.Lock()

    def _resolve(self, host: str, port: int) -> list[str]:
        """endpoints.resolve, with answers kept a few seconds (a push service is one name
        for thousands of sends). The connection goes to the addresses checked, so a name
        that changes its answer meanwhile cannot lead anywhere unchecked."""
        now = time.monotonic()
        with self._lock:
            kept = self._dns.get((host, port))
            if kept and kept[0] > now:
                return kept[1]
        addresses = endpoints.resolve(host, port)
        with self._lock:
            if len(self._dns) > 1024:
                self._dns.clear()
            self._dns[(host, port)] = (now + DNS_SECONDS, addresses)
        return addresses

    def _vapid_headers(self, aud: str) -> dict:
        now = time.time()
        with self._lock:
            cached = self._auth_cache.get(aud)
            if cached and cached[0] > now + 600:
                return dict(cached[1])
            expires = int(now) + 12 * 3600
            headers = self.vapid.sign({"aud": aud, "exp": expires, "sub": self.subject})
            self._auth_cache[aud] = (expires, headers)
            return dict(headers)

    def _pool(self, target: endpoints.Target, address: str) -> urllib3.HTTPConnectionPool:
        """A connection pool to the checked address; TLS still checks the name's certificate."""
        key = (target.scheme, address, target.port, target.host)
        with self._lock:
            pool = self._pools.get(key)
            if pool is not None:
                self._pools.move_to_end(key)
                return pool
            options = {"maxsize": CONCURRENCY, "block": False, "retries": False}
            if target.scheme == "https":
                pool = urllib3.HTTPSConnectionPool(address, target.port, server_hostname=target.host,
                                                   assert_hostname=target.host, cert_reqs="CERT_REQUIRED",
                                                   ca_certs=certifi.where(), **options)
            else:  # only with PUSH_ALLOW_LOOPBACK
                pool = urllib3.HTTPConnectionPool(address, target.port, **options)
            self._pools[key] = pool
            while len(self._pools) > MAX_POOLS:
                self._pools.popitem(last=False)[1].close()
            return pool

    def send_one(self, job: Job) -> Outcome:
        def outcome(status: int | None, error: str, retry: bool = False, retry_after: float | None = None):
            return Outcome(job.notification_id, job.subscription_id, status, retry_after, error, retry)

        try:
            target = endpoints.check(job.endpoint, self.allow_loopback, self._resolve)
        except endpoints.EndpointRefused as refused:
            return outcome(None, refused.reason, retry=refused.retry)
        payload = {**job.payload, "id": job.notification_id}  # the service worker drops an id seen before
        try:
            body = WebPusher({"endpoint": job.endpoint, "keys": {"p256dh": job.p256dh, "auth": job.auth}}).encode(
                json.dumps(payload).encode(), "aes128gcm")["body"]
        except Exception:  # a broken subscription key, for instance: never retried
            return outcome(None, "could not encrypt")
        headers = self._vapid_headers(target.origin)
        headers.update({"Host": target.origin.split("://", 1)[1], "TTL": str(job.ttl), "Urgency": job.urgency,
                        "Content-Encoding": "aes128gcm", "Content-Type": "application/octet-stream"})
        timeout = urllib3.Timeout(connect=self.timeout, read=self.timeout)
        error = "no connection"
        for address in target.addresses:
            try:
                response = self._pool(target, address).urlopen(
                    "POST", target.path, body=body, headers=headers, redirect=False, retries=False,
                    assert_same_host=False, preload_content=False, timeout=timeout)
            except urllib3.exceptions.NewConnectionError:
                continue  # nothing was sent: the next address may answer
            except urllib3.exceptions.ConnectTimeoutError:
                error = "timeout"
                continue
            except urllib3.exceptions.TimeoutError:
                return outcome(None, "timeout", retry=True)
            except (urllib3.exceptions.HTTPError, OSError):
                return outcome(None, "no connection", retry=True)
            status, retry_after = response.status, response.headers.get("Retry-After")
            _let_go(response)
            if 300 <= status < 400:
                return outcome(status, "redirect refused")
            return outcome(status, f"HTTP {status}", retry_after=_retry_after(retry_after))
        return outcome(None, error, retry=True)


def _let_go(response) -> None:
    """Never read a push service's reply into anything: keep the connection only when the
    reply has no body, else close it."""
    try:
        if response.headers.get("Content-Length") == "0":
            response.release_conn()
        else:
            response.close()
            response.release_conn()
    except Exception:  # the connection is broken anyway
        pass


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


def claim(session: Session, limit: int = CONCURRENCY, now: datetime | None = None) -> list[Job]:
    """Take up to `limit` due rows for this worker, alerts first, with a lease so a crashed
    worker's rows come back. On PostgreSQL, rows locked by another worker are skipped."""
    now = now or utcnow()
    query = (select(Notification.id).where(Notification.status == "pending", Notification.due_at <= now,
                                           or_(Notification.claimed_until.is_(None), Notification.claimed_until < now))
             .order_by(Notification.priority, Notification.due_at, Notification.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(session.exec(query))
    if not ids:
        session.commit()
        return []
    session.exec(update(Notification).where(Notification.id.in_(ids)).values(claimed_until=now + LEASE))
    rows = session.exec(
        select(Notification.id, Notification.subscription_id, PushSubscription.endpoint, PushSubscription.p256dh,
               PushSubscription.auth, Notification.payload, Notification.urgency, Notification.ttl)
        .join(PushSubscription, PushSubscription.id == Notification.subscription_id)
        .where(Notification.id.in_(ids))
        .order_by(Notification.priority, Notification.due_at, Notification.id)).all()
    session.commit()
    return [Job(*row) for row in rows]


def _delivered(outcome: Outcome) -> bool:
    return outcome.status is not None and 200 <= outcome.status < 300


def _record_sent(session: Session, outcomes: list[Outcome], now: datetime) -> None:
    """Sent rows, in two statements however many (each database round trip counts)."""
    session.exec(update(Notification).where(Notification.id.in_([o.notification_id for o in outcomes]),
                                            Notification.status == "pending")
                 .values(status="sent", sent_at=now, claimed_until=None))
    session.exec(update(PushSubscription).where(PushSubscription.id.in_({o.subscription_id for o in outcomes}))
                 .values(last_success_at=now, send_errors=0))


def _record(session: Session, outcome: Outcome, now: datetime) -> str:
    status = outcome.status
    this_row = (Notification.id == outcome.notification_id, Notification.status == "pending")
    this_device = PushSubscription.id == outcome.subscription_id
    if _delivered(outcome):
        _record_sent(session, [outcome], now)
        return "sent"
    if status in (404, 410):
        # The device unsubscribed or the browser was reset: forget it, and its queue.
        session.exec(delete(Notification).where(Notification.subscription_id == outcome.subscription_id))
        session.exec(delete(PushSubscription).where(this_device))
        return "gone"
    may_work_later = outcome.retry if status is None else (status == 429 or status >= 500)
    attempts = session.exec(select(Notification.attempts).where(*this_row)).first()
    if attempts is None:  # the device was removed meanwhile, and its rows with it
        return "gone"
    values = {"attempts": attempts + 1, "last_error": outcome.error[:200], "claimed_until": None}
    if may_work_later and attempts + 1 < MAX_ATTEMPTS:
        values["due_at"] = now + timedelta(seconds=backoff(attempts + 1, outcome.retry_after))
        result = "retry"
    else:  # tried often enough, or the request itself is wrong (3xx, 4xx, a refused address)
        values["status"] = "given_up"
        result = "given_up"
    session.exec(update(Notification).where(*this_row).values(**values))
    session.exec(update(PushSubscription).where(this_device).values(send_errors=PushSubscription.send_errors + 1))
    return result


def record(session: Session, outcomes: list[Outcome], now: datetime | None = None) -> list[str]:
    """Record sends that have completed, at once: the ones that completed together share
    one short transaction (a commit, or even a statement, per row would cap a worker at
    the database's round trips). A row or device deleted meanwhile ends only its own
    send; if the transaction fails all the same, each outcome is tried in its own, so no
    error breaks the round."""
    if len(outcomes) > 1:
        now = now or utcnow()
        try:
            sent = [outcome for outcome in outcomes if _delivered(outcome)]
            if sent:
                _record_sent(session, sent, now)
            results = ["sent" if _delivered(outcome) else _record(session, outcome, now) for outcome in outcomes]
            session.commit()
            return results
        except SQLAlchemyError:
            session.rollback()
    return [record_one(session, outcome, now) for outcome in outcomes]


def record_one(session: Session, outcome: Outcome, now: datetime | None = None, tries: int = 3) -> str:
    """Record one send in its own short transaction."""
    for attempt in range(tries):
        try:
            result = _record(session, outcome, now or utcnow())
            session.commit()
            return result
        except SQLAlchemyError:
            session.rollback()
            if attempt + 1 == tries:
                log.exception("could not record notification %s; it comes back after its lease",
                              outcome.notification_id)
            else:
                time.sleep(0.1 * (attempt + 1))  # SQLite busy with another writer, say
    return "retry"


def _claim_safely(session: Session, limit: int, now: datetime | None) -> list[Job]:
    """A claim that breaks (a busy database) must not end the round while sends are in flight:
    their outcomes still need recording."""
    try:
        return claim(session, limit, now)
    except SQLAlchemyError:
        session.rollback()
        log.exception("could not claim notifications; trying again shortly")
        return []


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


def _send(sender: Sender, job: Job) -> Outcome:
    try:
        return sender.send_one(job)
    except Exception:  # a bug must not break the round off; the row is tried again later
        log.exception("sending notification %s broke", job.notification_id)
        return Outcome(job.notification_id, job.subscription_id, None, error="send broke off", retry=True)


def run_once(session: Session, sender: Sender, now: datetime | None = None) -> dict[str, int]:
    """One round: due reminders into the outbox, then everything due sent, each send on its
    own, each outcome recorded as it comes. While sends are in flight, newly due rows
    (an alert, say) are claimed as soon as a slot is free. Ends when nothing is due or
    in flight."""
    schedule_due_reminders(session, now)
    totals = {"sent": 0, "retry": 0, "given_up": 0, "gone": 0}
    in_flight: set[Future] = set()
    last_claim = 0.0
    with ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="push-send") as pool:
        while True:
            free = CONCURRENCY - len(in_flight)
            # Claim when half the slots are free, or any slot has been free for POLL seconds
            # (fewer claims when everything flows; at most POLL's wait when slots hang).
            if free >= CONCURRENCY // 2 or (free and time.monotonic() - last_claim >= POLL):
                last_claim = time.monotonic()
                in_flight |= {pool.submit(_send, sender, job) for job in _claim_safely(session, free, now)}
            if not in_flight:
                break
            done, in_flight = wait(in_flight, timeout=POLL, return_when=FIRST_COMPLETED)
            for result in record(session, [future.result() for future in done], now):
                totals[result] += 1
    return totals


def make_sender(app) -> Sender:
    return Sender(app.config["VAPID_PRIVATE_KEY_FILE"], app.config["VAPID_SUBJECT"],
                  timeout=app.config.get("PUSH_TIMEOUT", TIMEOUT),
                  allow_loopback=bool(app.config.get("PUSH_ALLOW_LOOPBACK")))


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


