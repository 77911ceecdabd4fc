"""One push service that is slow, or made slow on purpose by whoever chose the endpoint,
must delay no one else: a whole send has a hard deadline, DNS has a time limit, a row in
flight is never sent twice, each push service gets at most a few slots, and one slot
always waits for a support alert.

Every test is bounded by small deadlines in its own Sender and by `_wait_for`'s limit;
none asserts on the clock: they look at what the push service saw, in which order, and
at the rows."""

import socket
import ssl
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from accounts.models import User
from extensions import db, utcnow
from push import endpoints, outbox, service
from push import sender as worker
from push.models import Notification, PushSubscription
from tests.conftest import make_user


@pytest.fixture
def mira(app):
    user_id, _ = make_user(app, "mira")
    with app.app_context():
        yield db.session, db.session.get(User, user_id)


def _sender(app, *, timeout=30.0, deadline=30.0, dns_timeout=5.0):
    """A sender with the test's own limits. They are set as attributes, so the same test
    runs (and fails) against a sender that does not know them."""
    sender = worker.Sender(
        app.config["VAPID_PRIVATE_KEY_FILE"], "mailto:test@nara.invalid", timeout=timeout, allow_loopback=True
    )
    sender.deadline, sender.dns_timeout = deadline, dns_timeout
    return sender


def _device(session, user, push_service, name, *modes, host=None, dns=None):
    """A device at the loopback push service, reached through `host` (a name of the test's
    DNS, so each name counts as a push service of its own) or through 127.0.0.1."""
    device = push_service.device(name, *modes)
    endpoint = push_service.endpoint(name)
    if host:
        port = push_service.server.server_port
        dns[host] = ["127.0.0.1"]
        push_service.other_origins.add(f"http://{host}:{port}")
        endpoint = f"http://{host}:{port}/push/{name}"
    return service.subscribe(session, user, endpoint, device.p256dh, device.auth_b64, name)


def _in_thread(target):
    result, engine = {}, db.engine

    def run():
        with Session(engine, expire_on_commit=False) as own:
            try:
                result.update(target(own))
            except Exception as error:  # shown by the test's assertion on `result`
                result["error"] = repr(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def _arrived(push_service, prefix=""):
    return [e for e in list(push_service.events) if e.startswith(f"arrived:{prefix}")]


def _wait_for(condition, limit: float = 10.0) -> bool:
    """Poll until the condition holds; the limit only keeps a broken test from hanging."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _rows():
    with Session(db.engine) as fresh:
        return fresh.exec(select(Notification).order_by(Notification.id)).all()


# -- a whole send has a deadline ------------------------------------------------------


def test_a_trickling_push_service_is_cut_at_the_deadline(app, mira, push_service):
    """The reply's header comes one byte every 0.05 s: no single read ever times out, but
    the whole send is cut at its deadline and tried again later."""
    session, user = mira
    _device(session, user, push_service, "trickle", "trickle")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    totals = worker.run_once(session, _sender(app, timeout=5, deadline=0.5))
    assert totals == {"sent": 0, "retry": 1, "given_up": 0, "gone": 0}
    row = session.exec(select(Notification)).one()
    assert (row.status, row.attempts, row.last_error, row.claimed_until) == ("pending", 1, "timeout", None)
    assert _wait_for(lambda: "cut:trickle" in push_service.events)  # we closed it, it did not finish
    assert "trickle-done:trickle" not in push_service.events


def test_a_stuck_dns_lookup_counts_as_no_connection(app, mira, push_service, dns, monkeypatch):
    """A name whose DNS never answers: the send gives up waiting (the lookup itself cannot
    be stopped), and a second send to the same name waits on the same lookup."""
    session, user = mira
    port = push_service.server.server_port
    for name in ("first", "second"):
        device = push_service.device(name)
        session.add(
            PushSubscription(
                user_id=user.id,
                endpoint=f"http://stuck.example.com:{port}/push/{name}",
                p256dh=device.p256dh,
                auth=device.auth_b64,
                device=name,
            )
        )
    session.commit()
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    gate, asked, answer = threading.Event(), [], endpoints.resolve

    def stuck(host, port):
        if host != "stuck.example.com":
            return answer(host, port)
        asked.append(host)
        gate.wait(5)
        raise OSError("no answer")

    monkeypatch.setattr(endpoints, "resolve", stuck)
    try:
        totals = worker.run_once(session, _sender(app, timeout=1, deadline=1, dns_timeout=0.2))
        still_asking = not gate.is_set()
    finally:
        gate.set()
    assert totals == {"sent": 0, "retry": 2, "given_up": 0, "gone": 0}
    assert [row.last_error for row in _rows()] == ["no connection"] * 2
    assert still_asking and asked == ["stuck.example.com"]
    assert push_service.events == []


def test_at_most_two_addresses_are_tried(app, mira, push_service, dns):
    """A name with many addresses that do not answer costs two tries, not one per address."""
    session, user = mira
    port = push_service.server.server_port
    dns["many.example.com"] = ["127.0.0.2", "127.0.0.3", "127.0.0.1"]  # only the third one listens
    push_service.other_origins.add(f"http://many.example.com:{port}")
    device = push_service.device("phone")
    service.subscribe(session, user, f"http://many.example.com:{port}/push/phone", device.p256dh, device.auth_b64)
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    assert worker.run_once(session, _sender(app, timeout=1, deadline=2))["retry"] == 1
    assert session.exec(select(Notification.last_error)).one() == "no connection"
    assert push_service.events == []


def test_the_two_addresses_tried_are_of_both_families_when_there_are_both():
    pick = worker._addresses_to_try
    assert pick(("2001:db8::1", "2001:db8::2", "93.184.215.14", "93.184.215.15")) == ["2001:db8::1", "93.184.215.14"]
    assert pick(("93.184.215.14", "93.184.215.15", "93.184.215.16")) == ["93.184.215.14", "93.184.215.15"]
    assert pick(("93.184.215.14",)) == ["93.184.215.14"]


def test_the_lease_outlasts_any_send():
    """A claimed row must never come back to another worker while this one still sends it:
    the lease covers the DNS limit, the deadline and the time to record, many times over."""
    assert worker.LEASE.total_seconds() >= 3 * (worker.DNS_TIMEOUT + worker.DEADLINE + worker.RECORD_SECONDS)


# -- a row in flight is never claimed again -------------------------------------------


def test_a_row_in_flight_is_not_claimed_again_when_its_lease_has_passed(app, mira, push_service, monkeypatch):
    session, user = mira
    monkeypatch.setattr(worker, "LEASE", timedelta(0))  # every lease has passed at once
    noor_id, _ = make_user(app, "noor")
    _device(session, user, push_service, "held", "hold")
    _device(session, session.get(User, noor_id), push_service, "later")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    patient = _sender(app)
    thread, result = _in_thread(lambda own: worker.run_once(own, patient))
    try:
        assert _wait_for(lambda: "arrived:held" in push_service.events)
        with Session(db.engine) as other:  # claimed by a later claim, after the held row's lease
            outbox.enqueue(other, noor_id, "message", "/contacts")
            other.commit()
        assert _wait_for(lambda: "received:later" in push_service.events)
    finally:
        push_service.release.set()
        thread.join(60)
    assert result == {"sent": 2, "retry": 0, "given_up": 0, "gone": 0}
    assert Counter(_arrived(push_service)) == {"arrived:held": 1, "arrived:later": 1}


# -- fairness: a few slots per push service, one slot for alerts ----------------------


def test_one_hanging_service_leaves_room_for_the_others_and_for_alerts(app, mira, push_service, dns, monkeypatch):
    """Mira's six devices are at a push service that never answers, and their rows are the
    oldest. With four slots in all, Noor's message and Helle's alert, raised after the round
    began, are delivered while Mira's sends are still open, and only two of those are open
    at once."""
    monkeypatch.setattr(worker, "PER_SERVICE", 2)  # two sends at once per push service, as these rows count
    session, user = mira
    monkeypatch.setattr(worker, "CONCURRENCY", 4)
    noor_id, _ = make_user(app, "noor")
    helle_id, _ = make_user(app, "helle")
    for index in range(6):
        _device(session, user, push_service, f"slow{index}", "hold", host="slow.example.com", dns=dns)
    _device(session, session.get(User, noor_id), push_service, "noor-phone", host="fast.example.com", dns=dns)
    _device(session, session.get(User, helle_id), push_service, "helle-phone", host="other.example.com", dns=dns)
    outbox.enqueue(session, user.id, "message", "/contacts", due_at=utcnow() - timedelta(minutes=10))
    outbox.enqueue(session, noor_id, "message", "/contacts")
    session.commit()
    thread, result = _in_thread(lambda own: worker.run_once(own, _sender(app)))
    try:
        assert _wait_for(lambda: len(_arrived(push_service, "slow")) >= 2)
        with Session(db.engine) as other:
            outbox.enqueue(other, helle_id, "alert", "/inbox", urgency="high", ignore_quiet=True)
            other.commit()
        others = _wait_for(lambda: {"received:noor-phone", "received:helle-phone"} <= set(push_service.events))
        slow_open = len(_arrived(push_service, "slow"))
    finally:
        push_service.release.set()
        thread.join(60)
    assert others, "a hanging push service held back everyone else"
    assert slow_open == 2  # at most two sends at once to one push service
    assert result == {"sent": 8, "retry": 0, "given_up": 0, "gone": 0}
    assert Counter(name for name, _p, _h in push_service.received) == {
        **{f"slow{index}": 1 for index in range(6)},
        "noor-phone": 1,
        "helle-phone": 1,
    }


def test_a_slot_is_always_kept_for_support_alerts(app, mira, push_service, dns, monkeypatch):
    """Three slots, and three push services that never answer: everyday rows take at most
    two slots, so an alert raised meanwhile goes out at once."""
    session, user = mira
    monkeypatch.setattr(worker, "CONCURRENCY", 3)
    helle_id, _ = make_user(app, "helle")
    for index in range(3):
        _device(session, user, push_service, f"slow{index}", "hold", host=f"slow{index}.example.com", dns=dns)
    _device(session, session.get(User, helle_id), push_service, "helle-phone", host="fast.example.com", dns=dns)
    outbox.enqueue(session, user.id, "message", "/contacts", due_at=utcnow() - timedelta(minutes=10))
    session.commit()
    thread, result = _in_thread(lambda own: worker.run_once(own, _sender(app)))
    try:
        assert _wait_for(lambda: len(_arrived(push_service, "slow")) >= 2)
        with Session(db.engine) as other:
            outbox.enqueue(other, helle_id, "alert", "/inbox", urgency="high", ignore_quiet=True)
            other.commit()
        alert = _wait_for(lambda: "received:helle-phone" in push_service.events)
        slow_open = len(_arrived(push_service, "slow"))
    finally:
        push_service.release.set()
        thread.join(60)
    assert alert, "the alert waited for everyday rows to free a slot"
    assert slow_open == 2
    assert result == {"sent": 4, "retry": 0, "given_up": 0, "gone": 0}


# -- rows waiting behind a busy push service ------------------------------------------


def test_rows_queued_behind_a_busy_service_are_released_when_the_round_ends(app, mira, push_service, monkeypatch):
    """Five rows for one push service: two are sent, three wait in the round's queue. The
    worker is told to stop: the round ends when the two sends do, and the three are let go
    at once (not left to a lease), untried."""
    monkeypatch.setattr(worker, "PER_SERVICE", 2)  # two sends at once per push service, as these rows count
    session, user = mira
    for index in range(5):
        _device(session, user, push_service, f"d{index}", "hold")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    stop = threading.Event()
    patient = _sender(app)
    thread, result = _in_thread(lambda own: worker.run_once(own, patient, stop=stop))
    try:
        assert _wait_for(lambda: len(_arrived(push_service)) >= 2)
        claimed = _wait_for(lambda: all(row.claimed_until is not None for row in _rows()))
        stop.set()
    finally:
        push_service.release.set()
        thread.join(60)
    assert claimed  # all five were claimed by the round
    assert result == {"sent": 2, "retry": 0, "given_up": 0, "gone": 0}
    rows = _rows()
    assert (
        sorted((row.status, row.attempts, row.claimed_until) for row in rows if row.status != "sent")
        == [("pending", 0, None)] * 3
    )
    assert len(_arrived(push_service)) == 2


def test_a_queued_row_whose_lease_runs_short_is_released_and_sent_later_once(app, mira, push_service, monkeypatch):
    """A row that waited in the round's queue until its lease could no longer cover a send
    is let go rather than sent late (another worker might have it by then); it is claimed
    again when its push service has room, and sent once."""
    monkeypatch.setattr(worker, "PER_SERVICE", 2)  # two sends at once per push service, as these rows count
    session, user = mira
    monkeypatch.setattr(worker, "LEASE", timedelta(0))  # no queued row can wait at all
    for index in range(5):
        _device(session, user, push_service, f"d{index}", "hold")
    outbox.enqueue(session, user.id, "message", "/contacts")
    session.commit()
    patient = _sender(app)
    thread, result = _in_thread(lambda own: worker.run_once(own, patient))
    try:
        released = _wait_for(
            lambda: len(_arrived(push_service)) == 2 and sum(row.claimed_until is None for row in _rows()) == 3
        )
        open_then = len(_arrived(push_service))
    finally:
        push_service.release.set()
        thread.join(60)
    assert released and open_then == 2
    assert result == {"sent": 5, "retry": 0, "given_up": 0, "gone": 0}
    assert Counter(name for name, _p, _h in push_service.received) == {f"d{index}": 1 for index in range(5)}


# -- the same over TLS: the name's certificate is checked, the deadline still cuts ----


class TLSService:
    """An https push service on loopback with a certificate for `name`, from a certificate
    authority of the test's own. "ok" answers 201; "trickle" sends its header one byte at a
    time, and records "cut" when the sender closes the connection."""

    def __init__(self, folder, name: str, mode: str):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        def certificate(subject, issuer, key, signing_key, ca):
            now = utcnow()
            builder = (
                x509.CertificateBuilder()
                .subject_name(subject)
                .issuer_name(issuer)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - timedelta(days=1))
                .not_valid_after(now + timedelta(days=1))
                .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            )
            if not ca:
                builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            return builder.sign(signing_key, hashes.SHA256())

        ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
        ca = certificate(ca_name, ca_name, ca_key, ca_key, True)
        leaf = certificate(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]), ca_name, key, ca_key, False)
        self.ca_file, leaf_file, key_file = folder / "ca.pem", folder / "leaf.pem", folder / "leaf.key"
        self.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        leaf_file.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(leaf_file, key_file)
        self.mode, self.events = mode, []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection):
        connection.settimeout(10)
        try:
            tls = self.context.wrap_socket(connection, server_side=True)
        except (OSError, ssl.SSLError):
            self.events.append("handshake refused")
            return
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = tls.recv(4096)
                if not chunk:  # the sender did not like the certificate
                    self.events.append("no request")
                    return
                data += chunk
            head, body = data.split(b"\r\n\r\n", 1)
            length = int(
                next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
            )
            while len(body) < length:
                body += tls.recv(4096)
            self.events.append("request")
            if self.mode == "ok":
                tls.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")
                return
            tls.sendall(b"HTTP/1.1 201 Created\r\nX-Slow: ")
            for _ in range(100):
                time.sleep(0.05)
                tls.sendall(b"a")
            tls.sendall(b"\r\nContent-Length: 0\r\n\r\n")
            self.events.append("trickle done")
        except OSError:
            self.events.append("cut")
        finally:
            connection.close()

    def close(self):
        self.listener.close()


@pytest.mark.parametrize(
    "certificate_for, mode, expected",
    [
        ("tls.example.com", "ok", (201, "HTTP 201", ["request"])),
        ("someone-else.example.com", "ok", (None, "no connection", ["no request"])),
        ("tls.example.com", "trickle", (None, "timeout", ["request", "cut"])),
    ],
)
def test_over_tls_the_name_is_checked_and_the_deadline_cuts(
    app, dns, tmp_path, monkeypatch, certificate_for, mode, expected
):
    """The send connects to the checked address and still checks the certificate against
    the endpoint's name; a trickling TLS service is cut at the deadline all the same."""
    import certifi

    from tests.push.pushservice import TestDevice

    tls = TLSService(tmp_path, certificate_for, mode)
    monkeypatch.setattr(certifi, "where", lambda: str(tls.ca_file))
    dns["tls.example.com"] = ["127.0.0.1"]
    device = TestDevice("phone")
    job = worker.Job(
        1,
        1,
        f"https://tls.example.com:{tls.port}/push/phone",
        device.p256dh,
        device.auth_b64,
        {"title": "Nära"},
        "normal",
        60,
    )
    try:
        outcome = _sender(app, timeout=5, deadline=0.5).send_one(job)
        _wait_for(lambda: tls.events[-1:] in (["cut"], ["trickle done"]) if mode == "trickle" else tls.events)
    finally:
        tls.close()
    assert (outcome.status, outcome.error, tls.events) == expected
    assert outcome.retry == (outcome.status is None)
