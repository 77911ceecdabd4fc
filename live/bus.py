"""The live channel's bus: "something changed for person U (in contact C)", ids only.

Every process keeps its own registry of the streams open in it (`Local`). Where there is
one process (the embedded default: SQLite, `flask run`), publishing goes straight to that
registry. Where there are several processes or hosts, publishing goes through a shared
transport, and one listener thread per process hands what it hears to its registry:

- Redis pub/sub (LIVE_REDIS_URL, else REDIS_URL), one channel for everyone;
- PostgreSQL LISTEN/NOTIFY on the app's own database, when there is no Redis.

An event never carries words: only the person's id, the contact's id and a one-letter kind
("m" a message, "r" messages seen). The listener thread starts with the first stream in a
process, so a process that serves no stream opens no connection for it."""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)

CHANNEL = "nara_live"  # the Redis channel and the PostgreSQL LISTEN channel
IDLE_SECONDS = 30  # a listener with no stream open in its process for this long stops
QUEUE_LIMIT = 64  # events waiting for one stream; more means the stream is stuck: drop


@dataclass(frozen=True)
class Event:
    user_id: int
    contact_id: int | None
    kind: str

    def encode(self) -> str:
        return json.dumps({"u": self.user_id, "c": self.contact_id, "k": self.kind}, separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str | bytes) -> Event | None:
        try:
            data = json.loads(raw)
            user_id, contact_id, kind = data["u"], data.get("c"), str(data.get("k", "m"))[:1]
            if not isinstance(user_id, int) or not (contact_id is None or isinstance(contact_id, int)):
                return None
            return cls(user_id, contact_id, kind)
        except (ValueError, TypeError, KeyError):
            return None


class Subscription:
    """One open stream's queue of events, for one person."""

    def __init__(self, bus: Local, user_id: int):
        self.bus, self.user_id = bus, user_id
        self.events: queue.Queue[Event] = queue.Queue(QUEUE_LIMIT)

    def get(self, timeout: float) -> Event | None:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self) -> None:
        self.bus._remove(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Local:
    """The streams open in this process, by person. Also the whole bus for one process."""

    name = "local"

    def __init__(self):
        self._lock = threading.Lock()
        self._by_user: dict[int, set[Subscription]] = {}

    def subscribe(self, user_id: int) -> Subscription:
        sub = Subscription(self, user_id)
        with self._lock:
            self._by_user.setdefault(user_id, set()).add(sub)
        self.start()
        return sub

    def _remove(self, sub: Subscription) -> None:
        with self._lock:
            subs = self._by_user.get(sub.user_id)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._by_user[sub.user_id]

    def open_streams(self) -> int:
        with self._lock:
            return sum(len(subs) for subs in self._by_user.values())

    def deliver(self, event: Event) -> None:
        with self._lock:
            subs = list(self._by_user.get(event.user_id, ()))
        for sub in subs:
            try:
                sub.events.put_nowait(event)
            except queue.Full:  # a stream that does not read: it refreshes on its next connect
                pass

    def publish(self, event: Event) -> None:
        self.deliver(event)

    def start(self) -> None:
        """Nothing to listen to in one process."""

    def stop(self) -> None:
        """Nothing to stop in one process."""


class _Shared(Local):
    """A registry fed by one listener thread per process from a shared transport."""

    def __init__(self):
        super().__init__()
        self._thread: threading.Thread | None = None
        self._last_busy = time.monotonic()
        self._stopping = threading.Event()
        self.ready = threading.Event()  # the listener is subscribed (tests wait for it)

    def start(self) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self._stopping.clear()
            self._last_busy = time.monotonic()
            self._thread = threading.Thread(target=self._run, name=f"live-{self.name}", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            self._stopping.set()
            self._thread = None

    def _idle(self) -> bool:
        """Whether this listener should stop: no stream has been open in this process for a
        while (the next stream starts a new one), or it was told to stop. Once it says yes,
        it is no longer this bus's listener, so a new one can never run beside it."""
        with self._lock:
            if self._thread is not threading.current_thread():
                return True
            if self._by_user:
                self._last_busy = time.monotonic()
                return False
            if self._stopping.is_set() or time.monotonic() - self._last_busy > IDLE_SECONDS:
                self._thread = None
                return True
            return False

    def _run(self) -> None:
        pause = 0.5
        while not self._idle():
            try:
                self._listen()
                pause = 0.5
            except Exception as error:  # the transport went away: try again, a little later each time
                self.ready.clear()
                if self._idle():
                    break
                log.warning("live: the %s listener stopped (%s); trying again", self.name, type(error).__name__)
                self._stopping.wait(pause)
                pause = min(pause * 2, 15)

    def _listen(self) -> None:  # pragma: no cover (each transport has its own)
        raise NotImplementedError


class Redis(_Shared):
    name = "redis"

    def __init__(self, url: str):
        super().__init__()
        import redis

        self.url = url
        self._client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=3)

    def publish(self, event: Event) -> None:
        self._client.publish(CHANNEL, event.encode())

    def _listen(self) -> None:
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=3, health_check_interval=30)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(CHANNEL)
            self.ready.set()
            while not self._idle():
                message = pubsub.get_message(timeout=1.0)
                if message and message.get("type") == "message":
                    event = Event.decode(message["data"])
                    if event is not None:
                        self.deliver(event)
        finally:
            self.ready.clear()
            pubsub.close()
            client.close()


class Postgres(_Shared):
    name = "postgresql"

    def __init__(self, engine):
        super().__init__()
        self.engine = engine

    def publish(self, event: Event) -> None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            conn.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": event.encode()})
            conn.commit()

    def _listen(self) -> None:
        import psycopg

        url = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self.ready.set()
            try:
                while not self._idle():
                    for note in conn.notifies(timeout=1.0):
                        event = Event.decode(note.payload)
                        if event is not None:
                            self.deliver(event)
            finally:
                self.ready.clear()


def make_bus(config: dict, engine_factory) -> Local:
    """The bus this configuration asks for: LIVE_BACKEND, or Redis when a Redis URL is
    set, PostgreSQL when the database is PostgreSQL, else this process alone."""
    backend = (config.get("LIVE_BACKEND") or "auto").lower()
    redis_url = config.get("LIVE_REDIS_URL")
    if backend == "auto":
        if redis_url:
            backend = "redis"
        elif str(config.get("DATABASE_URL", "")).startswith("postgresql"):
            backend = "postgresql"
        else:
            backend = "local"
    if backend == "redis":
        if not redis_url:
            raise RuntimeError("LIVE_BACKEND=redis needs LIVE_REDIS_URL (or REDIS_URL)")
        return Redis(redis_url)
    if backend == "postgresql":
        return Postgres(engine_factory())
    return Local()


def wait_until(predicate, timeout: float = 5.0) -> bool:
    """For tests and benches: poll a condition until it holds or the time runs out."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
