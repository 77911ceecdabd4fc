"""A push service on loopback that checks what a real one checks, for the tests.

It verifies the VAPID Authorization header (an ES256 JWT signed with the app's key, `aud`
the endpoint's origin, `exp` within 24 hours, `sub` present), the TTL header and the
aes128gcm content encoding, then decrypts the body with the test subscription's private
key (RFC 8291) and records the plaintext. Each subscription can be told how to answer:
201, 404, 410, 429 with Retry-After, 500 (with a body that must never be stored), a
redirect, hang for 3 s, hold until the test releases it, or "trickle": answer 201 but send
the header one byte every `trickle_every` seconds, for as long as the sender listens (a
push service that holds a connection without ever timing out a read). `hold_after = n`
makes the whole service stop answering after n deliveries (a request it holds is not
delivered)."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass
class TestDevice:
    """A browser's side of a subscription: a P-256 key pair and an auth secret."""

    name: str
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth_b64(self) -> str:
        return b64url(self.auth)


class PushService:
    def __init__(self, app_public_key_b64: str):
        self.public_key = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), b64url_decode(app_public_key_b64)
        )
        self.app_key_b64 = app_public_key_b64
        self.devices: dict[str, TestDevice] = {}
        self.modes: dict[str, list[str]] = {}
        self.received: list[tuple[str, dict, dict]] = []  # (device, payload, headers)
        self.events: list[str] = []
        self.problems: list[str] = []
        self.lock = threading.Lock()
        self.release = threading.Event()  # lets "hold" requests (and those over hold_after) go on
        self.hold_after: int | None = None
        self.held = 0  # requests waiting now, unanswered
        self.delay = 0.0  # seconds each request takes (for the bench)
        self.received_at: list[float] = []  # time.monotonic() of each entry in `received`
        self.other_origins: set[str] = set()  # names the tests resolve to this service
        self.trickle_every = 0.05  # seconds between the bytes of a "trickle" answer
        self.trickle_bytes = 100  # how many it sends before it ends the header
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                service.handle(self)

        class Server(ThreadingHTTPServer):
            request_queue_size = 256  # many workers connect at once

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def device(self, name: str, *modes: str) -> TestDevice:
        device = TestDevice(name)
        self.devices[name] = device
        self.modes[name] = list(modes)
        return device

    def endpoint(self, name: str) -> str:
        return f"{self.origin}/push/{name}"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    # -- what a push service checks -------------------------------------------------
    def _check_vapid(self, header: str) -> str | None:
        if not header.startswith("vapid "):
            return "no vapid scheme"
        parts = dict(item.strip().split("=", 1) for item in header[len("vapid ") :].split(","))
        if parts.get("k") != self.app_key_b64:
            return "k is not the app's public key"
        head_b64, claims_b64, signature_b64 = parts["t"].split(".")
        head = json.loads(b64url_decode(head_b64))
        if head.get("alg") != "ES256":
            return "alg is not ES256"
        raw = b64url_decode(signature_b64)
        signature = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        try:
            self.public_key.verify(signature, f"{head_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except Exception:
            return "bad signature"
        claims = json.loads(b64url_decode(claims_b64))
        if claims.get("aud") != self.origin and claims.get("aud") not in self.other_origins:
            return f"aud {claims.get('aud')} is not {self.origin}"
        if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
            return "exp not within 24 h"
        if not claims.get("sub"):
            return "no sub"
        return None

    def _trickle(self, request: BaseHTTPRequestHandler, name: str) -> None:
        """A 201 whose header never quite ends: one byte at a time, each well within any
        read time-out. Records "cut:<name>" when the sender closes the connection."""
        request.close_connection = True
        try:
            request.wfile.write(b"HTTP/1.1 201 Created\r\nX-Slow: ")
            for _ in range(self.trickle_bytes):
                time.sleep(self.trickle_every)
                request.wfile.write(b"a")
                request.wfile.flush()
            request.wfile.write(b"\r\nContent-Length: 0\r\n\r\n")
            request.wfile.flush()
        except OSError:
            with self.lock:
                self.events.append(f"cut:{name}")
            return
        with self.lock:
            self.events.append(f"trickle-done:{name}")

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        name = request.path.rsplit("/", 1)[-1]
        length = int(request.headers.get("Content-Length", 0))
        body = request.rfile.read(length)
        if len(body) < length:  # the sender died in the middle of its request
            return
        with self.lock:
            modes = self.modes.get(name, [])
            mode = modes.pop(0) if len(modes) > 1 else (modes[0] if modes else "ok")
        problem = self._check_vapid(request.headers.get("Authorization", ""))
        if problem is None and request.headers.get("Content-Encoding") != "aes128gcm":
            problem = "content encoding is not aes128gcm"
        if problem is None and not request.headers.get("TTL", "").isdigit():
            problem = "no TTL"
        if problem:
            self.problems.append(problem)
            request.send_response(400)
            request.end_headers()
            return
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.events.append(f"arrived:{name}")
            over = self.hold_after is not None and len(self.received) >= self.hold_after
        if over:  # never delivered: the sender gets no answer until the test lets go
            with self.lock:
                self.held += 1
            self.release.wait(60)
            with self.lock:
                self.held -= 1
            try:
                request.send_response(503)
                request.end_headers()
            except OSError:  # the sender is gone
                pass
            return
        if mode == "hang":
            time.sleep(3)
            self.events.append(f"hang-done:{name}")
            request.send_response(201)
            request.end_headers()
            return
        if mode == "hold":
            self.release.wait(60)
            mode = "ok"
        if mode == "trickle":
            self._trickle(request, name)
            return
        if mode.startswith("redirect:"):
            request.send_response(307)
            request.send_header("Location", self.endpoint(mode.split(":", 1)[1]))
            request.end_headers()
            return
        statuses = {
            "ok": 201,
            "gone": 410,
            "missing": 404,
            "error": 500,
            "busy": 429,
            "error-body": 500,
            "refuse-body": 400,
        }
        status = statuses[mode]
        if status == 201:
            device = self.devices[name]
            plain = http_ece.decrypt(body, private_key=device.key, auth_secret=device.auth, version="aes128gcm")
            with self.lock:
                self.received.append((name, json.loads(plain), {k.lower(): v for k, v in request.headers.items()}))
                self.received_at.append(time.monotonic())
                self.events.append(f"received:{name}")
        request.send_response(status)
        if status == 429:
            request.send_header("Retry-After", "120")
        if mode.endswith("-body"):
            text = b"redis_version:7.2.4 internal host 10.0.0.5 secret=hunter2"
            request.send_header("Content-Length", str(len(text)))
            request.end_headers()
            request.wfile.write(text)
            return
        request.end_headers()
