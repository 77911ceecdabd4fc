"""The worker: claims due outbox rows, sends each to its push service (VAPID, aes128gcm),
records each outcome as soon as it is known, retries what may work later, drops what
never will, and turns due reminders into rows.

Claiming: on PostgreSQL rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED and a
lease (`claimed_until`), so any number of workers on any number of hosts take each row
once. SQLite has one writer, so it runs one worker. Support alerts (priority 0) are
claimed before everything else, then by due time. A worker never claims a row it still
has in flight, even once the lease has passed; and the lease (120 s) is kept well above
the longest a send can take (DNS_TIMEOUT + DEADLINE = 20 s), so no other worker takes a
row that is still being sent.

Sending: each row is its own task in a pool of CONCURRENCY threads, and the worker claims
more as soon as a slot is free. Whoever is logged in chooses their endpoint, so a push
service may be slow on purpose; no one else may wait for it:
- a whole send (connect, request, the reply's headers) has a hard DEADLINE: when it
  passes, a watchdog thread shuts the connection down from outside, however the service
  trickles;
- DNS is asked in a thread of its own and waited for at most DNS_TIMEOUT ("no
  connection", tried later), and at most MAX_ADDRESSES of a name's addresses are tried;
- at most PER_SERVICE sends to one push service (origin) at once: its other rows wait in
  the round's queue, and are not claimed while it has no room; a queued row is let go
  (claimed_until NULL) when the round ends or before its lease could run short;
- everyday rows leave ALERT_SLOTS slots free, so a support alert always finds one.
Before every send the endpoint is checked again (push.endpoints): every address its name
resolves to must be public, and the connection goes to the checked address itself, so DNS
cannot be rebound between the check and the connect; TLS checks the certificate against
the endpoint's name. Each send has a connection of its own, closed after the reply's
headers. Redirects are never followed (a 3xx fails that row), and a push service's reply
body is never read: `last_error` holds only our own words ("HTTP 500", "timeout",
"redirect refused", ...).

Delivery is exactly once at the push service when the worker dies between sends: each
outcome is committed the moment its send returns (sends that complete together share one
short transaction), so a killed worker's rows that were sent stay sent, and only the rows
still in flight come back after the lease. A kill between a push service's 201 and our commit can repeat that one
row; the payload carries the notification's id, and the service worker (static/js/sw.js)
drops an id it has already shown, and shows each under a tag, so a repeat replaces
rather than stacks."""

from __future__ import annotations

import heapq
import json
import logging
import random
import socket
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from http.client import HTTPException
from itertools import chain, count, zip_longest

import certifi
import urllib3
from py_vapid import Vapid
from pywebpush import WebPusher
from sqlalchemy import delete, or_, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import defer
from sqlmodel import Session, select
from urllib3.util.ssl_match_hostname import CertificateError

from core.jobs import Runner
from extensions import utcnow

from . import endpoints
from .models import Notification, PushSubscription, Reminder
from .outbox import enqueue
from .service import compute_next

log = logging.getLogger("nara.push")

DEADLINE = 15  # seconds for a whole send: connect, request, the reply's headers
DNS_TIMEOUT = 5  # seconds a send waits for a DNS answer
RECORD_SECONDS = 10  # room for recording an outcome (a busy database, say)
# A claimed row must never be claimable by another worker while this one still sends it:
# a send takes at most DNS_TIMEOUT + DEADLINE, so the lease is six times that, and a row
# that waited in the round's queue is only started while its lease still covers a send
# and its recording (else it is let go; see run_once).
LEASE = timedelta(seconds=120)
MAX_ATTEMPTS = 6
BASE_DELAY = 30  # seconds; doubled per attempt, with jitter
MAX_DELAY = 6 * 3600
TIMEOUT = 10  # seconds for one connect or one read (the deadline bounds them all together)
MAX_ADDRESSES = 2  # addresses tried per send, of the ones a name resolves to
CONCURRENCY = 16  # sends in flight per worker
PER_SERVICE = 8  # sends in flight per push service (scheme, host and port): half the slots
ALERT_SLOTS = 1  # slots everyday rows leave free, for support alerts (priority 0)
POLL = 0.2  # seconds between looks for newly due rows while sends are in flight
DNS_SECONDS = 30  # how long a DNS answer is reused; every use checks its addresses again
DNS_LOOKUPS = 32  # lookups at once; a stuck one cannot be stopped, only left behind


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
    priority: int = 1
    claimed_until: datetime | None = None  # the lease this worker holds on the row


@dataclass
class Outcome:
    notification_id: int
    subscription_id: int
    status: int | None  # HTTP status, or None when no answer came (or we did not ask)
    retry_after: float | None = None
    error: str = ""  # our own words, never the push service's
    retry: bool = False  # for status None: may it work later (time-out, DNS, connection)?


class _NoAnswer(Exception):
    """DNS gave no answer in time."""


class _Expired(Exception):
    """The send's deadline passed before its connection was made."""


class _Deadline:
    """The hard limit of one send. When it passes, the connection in use is shut down from
    the watchdog's thread, which wakes a connect, read or write blocked on it: a push
    service that sends one byte now and then cannot keep a send (and its slot) beyond it."""

    def __init__(self, seconds: float):
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._guard: socket.socket | None = None  # a second handle on the connection's socket
        self._over = False
        self._lock = threading.Lock()

    def left(self) -> float:
        return self.ends - time.monotonic()

    def watch(self, sock: socket.socket) -> None:
        """Each new connection's socket, before TLS wraps (and takes over) it."""
        with self._lock:
            if self.expired:
                sock.close()
                raise _Expired
            self._close_guard()
            self._guard = sock.dup()

    def expire(self) -> None:
        with self._lock:
            if self._over:
                return
            self.expired = True
            if self._guard is not None:
                try:
                    self._guard.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> bool:
        """Disarm; True if the deadline had passed (what was read may be cut short)."""
        with self._lock:
            self._over = True
            self._close_guard()
            return self.expired

    def _close_guard(self) -> None:
        if self._guard is not None:
            self._guard.close()
            self._guard = None


class _Watchdog:
    """One thread that expires the deadlines as they pass (a timer per send would start a
    thread per send). It ends when nothing is left to watch, and starts again when needed."""

    def __init__(self):
        self._wake = threading.Condition()
        self._deadlines: list[tuple[float, int, _Deadline]] = []
        self._order = count()
        self._thread: threading.Thread | None = None

    def watch(self, seconds: float) -> _Deadline:
        deadline = _Deadline(seconds)
        with self._wake:
            heapq.heappush(self._deadlines, (deadline.ends, next(self._order), deadline))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="push-deadlines", daemon=True)
                self._thread.start()
            elif self._deadlines[0][2] is deadline:
                self._wake.notify()
        return deadline

    def _run(self) -> None:
        with self._wake:
            while self._deadlines:
                left = self._deadlines[0][0] - time.monotonic()
                if left > 0:
                    self._wake.wait(left)
                    continue
                heapq.heappop(self._deadlines)[2].expire()  # nothing once the send has ended
            self._thread = None


class _Watched:
    """A urllib3 connection that hands its socket to the send's deadline."""

    deadline: _Deadline

    def _new_conn(self):
        sock = super()._new_conn()
        self.deadline.watch(sock)
        return sock


class _HTTPConnection(_Watched, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_Watched, urllib3.connection.HTTPSConnection):
    pass


def _addresses_to_try(addresses) -> list[str]:
    """At most MAX_ADDRESSES, taking IPv6 and IPv4 in turn, so a host without one of the
    two still reaches the push service through the other."""
    six = [address for address in addresses if ":" in address]
    four = [address for address in addresses if ":" not in address]
    pairs = zip_longest(six, four) if addresses and ":" in addresses[0] else zip_longest(four, six)
    return [address for address in chain.from_iterable(pairs) if address][:MAX_ADDRESSES]


class Sender:
    def __init__(
        self,
        private_key_file: str,
        subject: str,
        timeout: float = TIMEOUT,
        allow_loopback: bool = False,
        deadline: float = DEADLINE,
        dns_timeout: float = DNS_TIMEOUT,
    ):
        self.vapid = Vapid.from_file(private_key_file=private_key_file)
        self.subject = subject
        self.timeout = timeout
        self.deadline = deadline
        self.dns_timeout = dns_timeout
        self.allow_loopback = allow_loopback
        self._auth_cache: dict[str, tuple[float, dict]] = {}
        self._dns: dict[tuple[str, int], tuple[float, list[str]]] = {}
        self._lookups: dict[tuple[str, int], Future] = {}
        self._watchdog = _Watchdog()
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
        addresses = self._lookup(host, port)
        with self._lock:
            if len(self._dns) > 1024:
                self._dns.clear()
            self._dns[(host, port)] = (now + DNS_SECONDS, addresses)
        return addresses

    def _lookup(self, host: str, port: int) -> list[str]:
        """Ask DNS in a thread of its own and wait at most `dns_timeout`: a name whose
        servers never answer cannot hold a send. Sends to a name being looked up wait on
        the same lookup, so a stuck name holds one thread, not one per send."""
        key = (host, port)
        with self._lock:
            pending = self._lookups.get(key)
            if pending is None:
                if len(self._lookups) >= DNS_LOOKUPS:
                    raise _NoAnswer
                pending = self._lookups[key] = Future()
                threading.Thread(target=self._ask, args=(key, pending), name="push-dns", daemon=True).start()
        try:
            return pending.result(timeout=self.dns_timeout)
        except FutureTimeout:
            raise _NoAnswer from None

    def _ask(self, key: tuple[str, int], pending: Future) -> None:
        try:
            pending.set_result(endpoints.resolve(*key))
        except BaseException as error:  # handed to whoever waits (OSError: name not found)
            pending.set_exception(error)
        finally:
            with self._lock:
                self._lookups.pop(key, None)

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

    def _connection(self, target: endpoints.Target, address: str, deadline: _Deadline):
        """A new connection to the checked address; TLS still checks the name's certificate."""
        timeout = max(0.001, min(self.timeout, deadline.left()))
        if target.scheme == "https":
            connection = _HTTPSConnection(
                address,
                target.port,
                timeout=timeout,
                server_hostname=target.host,
                assert_hostname=target.host,
                cert_reqs="CERT_REQUIRED",
                ca_certs=certifi.where(),
            )
        else:  # only with PUSH_ALLOW_LOOPBACK
            connection = _HTTPConnection(address, target.port, timeout=timeout)
        connection.deadline = deadline
        return connection

    def send_one(self, job: Job) -> Outcome:
        def outcome(status: int | None, error: str, retry: bool = False, retry_after: float | None = None):
            return Outcome(job.notification_id, job.subscription_id, status, retry_after, error, retry)

        try:
            target = endpoints.check(job.endpoint, self.allow_loopback, self._resolve)
        except endpoints.EndpointRefused as refused:
            return outcome(None, refused.reason, retry=refused.retry)
        except _NoAnswer:
            return outcome(None, "no connection", retry=True)
        payload = {**job.payload, "id": job.notification_id}  # the service worker drops an id seen before
        try:
            body = WebPusher({"endpoint": job.endpoint, "keys": {"p256dh": job.p256dh, "auth": job.auth}}).encode(
                json.dumps(payload).encode(), "aes128gcm"
            )["body"]
        except Exception:  # a broken subscription key, for instance: never retried
            return outcome(None, "could not encrypt")
        headers = self._vapid_headers(target.origin)
        headers.update(
            {
                "Host": target.origin.split("://", 1)[1],
                "TTL": str(job.ttl),
                "Urgency": job.urgency,
                "Content-Encoding": "aes128gcm",
                "Content-Type": "application/octet-stream",
            }
        )
        deadline = self._watchdog.watch(self.deadline)
        try:
            answer = self._post(target, body, headers, deadline)
        finally:
            expired = deadline.stop()
        if answer is None or isinstance(answer, str):
            return outcome(None, answer or "no connection", retry=True)
        if expired:  # the header may have been cut short: no answer to trust
            return outcome(None, "timeout", retry=True)
        status, retry_after = answer
        if 300 <= status < 400:
            return outcome(status, "redirect refused")
        return outcome(status, f"HTTP {status}", retry_after=_retry_after(retry_after))

    def _post(
        self, target: endpoints.Target, body: bytes, headers: dict, deadline: _Deadline
    ) -> tuple[int, str | None] | str | None:
        """POST to at most MAX_ADDRESSES checked addresses, within the deadline. Returns
        (status, Retry-After), or our words for why no answer came. The reply's body is
        never read, redirects never followed, and the connection is closed each time."""
        error = None
        for address in _addresses_to_try(target.addresses):
            if deadline.left() <= 0:
                return "timeout"
            connection = self._connection(target, address, deadline)
            response = None
            try:
                try:
                    connection.connect()
                except urllib3.exceptions.NewConnectionError:
                    if deadline.expired:
                        return "timeout"
                    continue  # nothing was sent: the next address may answer
                except (urllib3.exceptions.ConnectTimeoutError, TimeoutError):
                    error = "timeout"
                    continue
                except (_Expired, urllib3.exceptions.HTTPError, HTTPException, OSError, CertificateError):
                    return "timeout" if deadline.expired else "no connection"  # TLS refused, say
                try:
                    connection.request("POST", target.path, body=body, headers=headers, preload_content=False)
                    response = connection.getresponse()
                except TimeoutError:
                    return "timeout"
                except (urllib3.exceptions.HTTPError, HTTPException, OSError):
                    return "timeout" if deadline.expired else "no connection"
                return response.status, response.headers.get("Retry-After")
            finally:
                _close(response, connection)
        return error


def _close(response, connection) -> None:
    """Never read a push service's reply into anything: close it, and its connection."""
    try:
        if response is not None:
            response.close()
        connection.close()
    except Exception:  # the connection is broken anyway
        pass


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(
                0.0, (parsedate_to_datetime(value) - datetime.now(parsedate_to_datetime(value).tzinfo)).total_seconds()
            )
        except (TypeError, ValueError):
            return None


def backoff(attempts: int, retry_after: float | None, rng: random.Random = random) -> float:
    """Seconds to wait before the next try: the push service's Retry-After when it gives
    one, else exponential with full jitter, capped."""
    if retry_after is not None:
        return min(retry_after, MAX_DELAY)
    ceiling = min(MAX_DELAY, BASE_DELAY * (2 ** max(0, attempts - 1)))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def claim(
    session: Session,
    limit: int = CONCURRENCY,
    now: datetime | None = None,
    *,
    skip_ids=(),
    skip_services=(),
    keep_for_alerts: int = 0,
) -> list[Job]:
    """Take up to `limit` due rows for this worker, alerts first, with a lease so a crashed
    worker's rows come back. On PostgreSQL, rows locked by another worker are skipped.
    Rows in `skip_ids` (this worker's own, still in flight) are never taken again, even when
    their lease has passed; rows for the push services in `skip_services` (origins with no
    room now) are left for later; everyday rows take at most `limit - keep_for_alerts`."""
    now = now or utcnow()
    query = select(Notification.id, Notification.priority).where(
        Notification.status == "pending",
        Notification.due_at <= now,
        or_(Notification.claimed_until.is_(None), Notification.claimed_until < now),
    )
    if skip_ids:
        query = query.where(Notification.id.not_in(sorted(skip_ids)))
    if skip_services:
        query = query.join(PushSubscription, PushSubscription.id == Notification.subscription_id).where(
            *(~PushSubscription.endpoint.startswith(origin + "/", autoescape=True) for origin in sorted(skip_services))
        )
    query = query.order_by(Notification.priority, Notification.due_at, Notification.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=Notification)
    everyday, ids = max(0, limit - keep_for_alerts), []
    for notification_id, priority in session.exec(query).all():
        if priority == 0 or everyday > 0:
            ids.append(notification_id)
            everyday -= priority != 0
    if not ids:
        session.commit()
        return []
    lease = now + LEASE
    session.exec(update(Notification).where(Notification.id.in_(ids)).values(claimed_until=lease))
    rows = session.exec(
        select(
            Notification.id,
            Notification.subscription_id,
            PushSubscription.endpoint,
            PushSubscription.p256dh,
            PushSubscription.auth,
            Notification.payload,
            Notification.urgency,
            Notification.ttl,
            Notification.priority,
        )
        .join(PushSubscription, PushSubscription.id == Notification.subscription_id)
        .where(Notification.id.in_(ids))
        .order_by(Notification.priority, Notification.due_at, Notification.id)
    ).all()
    session.commit()
    return [Job(*row, claimed_until=lease) for row in rows]


def release(session: Session, jobs: list[Job]) -> None:
    """Let claimed rows that this round will not send go at once, rather than after their
    lease; only while the lease is still this worker's (the very claimed_until it set)."""
    leases: dict[datetime | None, list[int]] = {}
    for job in jobs:
        leases.setdefault(job.claimed_until, []).append(job.notification_id)
    try:
        for lease, ids in leases.items():
            session.exec(
                update(Notification)
                .where(Notification.id.in_(ids), Notification.status == "pending", Notification.claimed_until == lease)
                .values(claimed_until=None)
            )
        session.commit()
    except SQLAlchemyError:
        session.rollback()
        log.exception("could not let go of %d notifications; they come back after their lease", len(jobs))


def _delivered(outcome: Outcome) -> bool:
    return outcome.status is not None and 200 <= outcome.status < 300


def _record_sent(session: Session, outcomes: list[Outcome], now: datetime) -> None:
    """Sent rows, in two statements however many (each database round trip counts)."""
    session.exec(
        update(Notification)
        .where(Notification.id.in_([o.notification_id for o in outcomes]), Notification.status == "pending")
        .values(status="sent", sent_at=now, claimed_until=None)
    )
    session.exec(
        update(PushSubscription)
        .where(PushSubscription.id.in_({o.subscription_id for o in outcomes}))
        .values(last_success_at=now, send_errors=0)
    )


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
                log.exception(
                    "could not record notification %s; it comes back after its lease", outcome.notification_id
                )
            else:
                time.sleep(0.1 * (attempt + 1))  # SQLite busy with another writer, say
    return "retry"


def _claim_safely(session: Session, limit: int, now: datetime | None, **options) -> list[Job]:
    """A claim that breaks (a busy database) must not end the round while sends are in flight:
    their outcomes still need recording."""
    try:
        return claim(session, limit, now, **options)
    except SQLAlchemyError:
        session.rollback()
        log.exception("could not claim notifications; trying again shortly")
        return []


def schedule_due_reminders(session: Session, now: datetime | None = None, limit: int = 500) -> int:
    """Turn reminders whose time has come into outbox rows, and set their next time."""
    now = now or utcnow()
    query = (
        select(Reminder)
        .options(defer(Reminder.title))  # sealed by its owner's key, which the worker never holds
        .where(Reminder.active.is_(True), Reminder.next_fire_at.is_not(None), Reminder.next_fire_at <= now)
        .order_by(Reminder.next_fire_at)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    count = 0
    for reminder in session.exec(query):
        enqueue(
            session,
            reminder.user_id,
            "reminder",
            f"/push/reminders#reminder-{reminder.id}",
            due_at=reminder.next_fire_at,
            reminder_id=reminder.id,
        )
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


def _service(endpoint: str) -> str | None:
    """The push service an endpoint belongs to (its origin), for sharing out the slots."""
    try:
        return endpoints.parse(endpoint, allow_loopback=True).origin
    except endpoints.EndpointRefused:
        return None  # refused at send time, without a connection


def run_once(
    session: Session, sender: Sender, now: datetime | None = None, stop: threading.Event | None = None
) -> dict[str, int]:
    """One round: due reminders into the outbox, then everything due sent, each send on its
    own, each outcome recorded as it comes. While sends are in flight, newly due rows
    (an alert, say) are claimed as soon as a slot is free. Ends when nothing is due or
    in flight, or soon after `stop` is set.

    Sharing the slots: at most PER_SERVICE sends to one push service at once; rows for a
    push service without room wait in this round's queue (and are not claimed while it has
    none), and start when it has. Everyday rows leave ALERT_SLOTS slots free for support
    alerts. A row never leaves this worker while it is in flight: claims skip it even once
    its lease has passed. A queued row starts only while its lease still covers a send
    (DNS_TIMEOUT + deadline) and its recording; else, and when the round ends, it is let go
    (claimed_until back to NULL) for the next claim, by this worker or another."""
    schedule_due_reminders(session, now)
    totals = {"sent": 0, "retry": 0, "given_up": 0, "gone": 0}
    running: dict[Future, tuple[Job, str | None]] = {}
    waiting: list[tuple[Job, str | None, float]] = []  # (job, its push service, start it by), in order
    busy: dict[str | None, int] = {}  # sends in flight per push service
    reserve = ALERT_SLOTS if CONCURRENCY > ALERT_SLOTS else 0
    patience = LEASE.total_seconds() - sender.dns_timeout - sender.deadline - RECORD_SECONDS
    last_claim, last_full, last_skipped = 0.0, True, None

    def has_room(job: Job, service: str | None) -> bool:
        return (service is None or busy.get(service, 0) < PER_SERVICE) and len(running) < CONCURRENCY - (
            0 if job.priority == 0 else reserve
        )

    with ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="push-send") as pool:
        try:
            while True:
                stopping = stop is not None and stop.is_set()
                free = CONCURRENCY - len(running)
                no_room = {service for service, count in busy.items() if count >= PER_SERVICE and service}
                no_room |= {service for _job, service, _by in waiting if service}
                # Claim before the round would end, after POLL seconds with a slot free, at once
                # when a push service has room again, or when the last claim was full and half
                # the slots are free.
                if (
                    not stopping
                    and free
                    and (
                        not running
                        or time.monotonic() - last_claim >= POLL
                        or no_room != last_skipped
                        or (last_full and free >= CONCURRENCY // 2)
                    )
                ):
                    last_claim, last_skipped = time.monotonic(), no_room
                    ours = {job.notification_id for job, _service in running.values()}
                    ours |= {job.notification_id for job, _service, _by in waiting}
                    jobs = _claim_safely(
                        session, free, now, skip_ids=ours, skip_services=no_room, keep_for_alerts=reserve
                    )
                    last_full = len(jobs) >= max(1, free - reserve)
                    waiting += [(job, _service(job.endpoint), last_claim + patience) for job in jobs]
                    waiting.sort(key=lambda item: item[0].priority)  # alerts first, else in claim order
                kept, let_go = [], []
                for job, service, start_by in waiting:
                    if not stopping and has_room(job, service):
                        busy[service] = busy.get(service, 0) + 1
                        running[pool.submit(_send, sender, job)] = (job, service)
                    elif stopping or time.monotonic() > start_by:
                        let_go.append(job)
                    else:
                        kept.append((job, service, start_by))
                waiting = kept
                if let_go:
                    release(session, let_go)
                if not running:
                    break
                done, _ = wait(list(running), timeout=POLL, return_when=FIRST_COMPLETED)
                outcomes = []
                for future in done:
                    _job, service = running.pop(future)
                    busy[service] -= 1
                    outcomes.append(future.result())
                for result in record(session, outcomes, now):
                    totals[result] += 1
        finally:
            if waiting:  # the round broke off: nothing it claimed waits for a lease
                session.rollback()
                release(session, [job for job, _service, _by in waiting])
    return totals


def make_sender(app) -> Sender:
    return Sender(
        app.config["VAPID_PRIVATE_KEY_FILE"],
        app.config["VAPID_SUBJECT"],
        timeout=app.config.get("PUSH_TIMEOUT", TIMEOUT),
        allow_loopback=bool(app.config.get("PUSH_ALLOW_LOOPBACK")),
    )


def work_forever(app, stop: threading.Event | None = None, interval: float = 5.0) -> None:
    """The worker loop (`flask push worker`, or a thread of the app with `make run`). After
    each round it runs the periodic jobs other packages registered (core/jobs.py)."""
    from extensions import db

    stop = stop or threading.Event()
    sender = make_sender(app)
    jobs = Runner()
    while not stop.is_set():
        try:
            with app.app_context():
                totals = run_once(db.session, sender, stop=stop)
                if any(totals.values()):
                    log.info("push round: %s", totals)
                if not stop.is_set():
                    jobs.run_due(db.session)
        except Exception:  # keep the worker alive; the rows stay due and are tried again
            log.exception("push round broke off")
        stop.wait(interval)


def start_thread(app) -> threading.Thread:
    thread = threading.Thread(target=work_forever, args=(app,), name="push-worker", daemon=True)
    thread.start()
    return thread
