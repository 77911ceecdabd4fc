"""The live bus: each backend delivers a person's events to that person's streams only,
across processes and hosts where it is shared (Redis, PostgreSQL), with ids only."""

from __future__ import annotations

import os

import pytest

from extensions import make_engine
from live.bus import CHANNEL, Event, Local, Postgres, Redis, make_bus, wait_until

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as error:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is required but not reachable: {error}")
        pytest.skip(f"Redis not reachable: {error}")


def _deliveries(make_a, make_b):
    """Publish through host A; a stream held on host B hears its own person only."""
    host_a, host_b = make_a(), make_b()
    try:
        mine, theirs = host_b.subscribe(7), host_b.subscribe(8)
        if hasattr(host_b, "ready"):
            assert host_b.ready.wait(5), "the listener subscribed"
        host_a.publish(Event(7, 12, "m"))
        got = mine.get(timeout=5)
        assert got == Event(7, 12, "m")
        assert theirs.get(timeout=0.3) is None
        mine.close()
        theirs.close()
        assert host_b.open_streams() == 0
    finally:
        host_a.stop()
        host_b.stop()


def test_in_process():
    bus = Local()
    _deliveries(lambda: bus, lambda: bus)


def test_redis_across_hosts():
    _redis_or_skip()
    _deliveries(lambda: Redis(REDIS_URL), lambda: Redis(REDIS_URL))


def test_postgresql_across_hosts(postgres_url):
    engines = [make_engine(postgres_url), make_engine(postgres_url)]
    try:
        _deliveries(lambda: Postgres(engines[0]), lambda: Postgres(engines[1]))
    finally:
        for engine in engines:
            engine.dispose()


def test_the_listener_comes_back_after_the_transport_drops(postgres_url):
    """A restarted database (here: the listener's connection killed) costs only a moment."""
    from sqlalchemy import text

    engine = make_engine(postgres_url)
    bus = Postgres(engine)
    try:
        sub = bus.subscribe(7)
        assert bus.ready.wait(5)
        with engine.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE :q AND pid <> pg_backend_pid()"
                ),
                {"q": f"LISTEN {CHANNEL}%"},
            )
            conn.commit()
        assert wait_until(lambda: not bus.ready.is_set(), 5)
        assert bus.ready.wait(10), "the listener listens again"
        bus.publish(Event(7, 1, "m"))
        assert sub.get(timeout=5) == Event(7, 1, "m")
        sub.close()
    finally:
        bus.stop()
        engine.dispose()


def test_events_carry_ids_only():
    assert Event(7, 12, "m").encode() == '{"u":7,"c":12,"k":"m"}'
    assert Event.decode('{"u":7,"c":12,"k":"m"}') == Event(7, 12, "m")
    for bad in ("", "null", '{"u":"7"}', '{"c":1}', '{"u":7,"c":"x"}', "[1]"):
        assert Event.decode(bad) is None


def test_a_stuck_stream_does_not_hold_up_the_others():
    bus = Local()
    stuck, fine = bus.subscribe(7), bus.subscribe(7)
    for n in range(200):
        bus.publish(Event(7, n, "m"))
    assert fine.get(timeout=0.1) == Event(7, 0, "m")
    stuck.close()
    fine.close()


@pytest.mark.parametrize(
    ("config", "kind"),
    [
        ({"DATABASE_URL": "sqlite:///x.sqlite3"}, Local),
        ({"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1/test"}, Postgres),
        ({"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1/test", "LIVE_REDIS_URL": REDIS_URL}, Redis),
        ({"DATABASE_URL": "sqlite:///x.sqlite3", "LIVE_REDIS_URL": REDIS_URL}, Redis),
        ({"DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1/test", "LIVE_BACKEND": "local"}, Local),
    ],
)
def test_the_backend_follows_the_configuration(config, kind):
    assert type(make_bus(config, lambda: make_engine(config["DATABASE_URL"]))) is kind
