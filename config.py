"""Configuration from environment variables with safe defaults, and the instance secrets.

Secrets are generated into instance/ on first start and never committed. With several
app hosts, set SECRET_KEY (and the VAPID keys' files) the same on each; see docs/deploy.md.
"""

from __future__ import annotations

import base64
import os
import secrets
import shlex
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ROOT = Path(__file__).resolve().parent


def _write_once(path: Path, data: bytes) -> None:
    """Create a secret file readable only by its owner; if another process won, keep theirs."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def ensure_instance(instance_dir: Path) -> None:
    """Generate the secret key and the VAPID key pair if they are not there yet."""
    instance_dir.mkdir(parents=True, exist_ok=True)
    _write_once(instance_dir / "secret_key", secrets.token_urlsafe(48).encode())
    private_path = instance_dir / "vapid_private.pem"
    if not private_path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        _write_once(private_path, pem)
    public_path = instance_dir / "vapid_public.txt"
    if not public_path.exists():
        key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
        point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        _write_once(public_path, base64.urlsafe_b64encode(point).rstrip(b"=") + b"\n")


def _flag(name: str, default: bool, environ=None) -> bool:
    value = (os.environ if environ is None else environ).get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def limits_enabled(environ=None) -> bool:
    """RATELIMIT_ENABLED as create_app reads it (for gunicorn.conf.py, before the app)."""
    return _flag("RATELIMIT_ENABLED", True, environ)


def limit_storage(environ=None) -> str:
    return (os.environ if environ is None else environ).get("RATELIMIT_STORAGE_URI", "memory://")


def shared_limits_problem(storage_uri: str, enabled: bool, workers: int) -> str | None:
    """Why the limits on tries would not hold with this many worker processes, or None.

    `memory://` counts inside each process, so with N workers every limit is N times weaker."""
    if not enabled or workers <= 1 or not storage_uri.strip().lower().startswith("memory://"):
        return None
    return (
        f"Rate limits would not hold: RATELIMIT_STORAGE_URI is {storage_uri!r} with {workers} "
        f"worker processes, so each worker counts tries on its own and every limit on login, "
        f"recovery and sign-up is {workers} times weaker. Set RATELIMIT_STORAGE_URI to a shared "
        f"store such as redis://127.0.0.1:6379/0 (docs/deploy.md), or run one worker."
    )


def _workers_in_args(args: list[str]) -> int | None:
    found = None
    for i, arg in enumerate(args):
        value = None
        if arg in ("-w", "--workers") and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--workers="):
            value = arg.split("=", 1)[1]
        elif arg.startswith("-w") and arg[2:].isdigit():
            value = arg[2:]
        if value and value.strip().isdigit():
            found = int(value)
    return found


def known_workers(environ=None, argv=None) -> int:
    """How many worker processes serve the app, as far as this process can tell: the count
    gunicorn.conf.py noted, else gunicorn's command line, else WEB_CONCURRENCY; else 1."""
    environ = os.environ if environ is None else environ
    argv = sys.argv if argv is None else argv
    noted = environ.get("NARA_GUNICORN_WORKERS", "")
    if noted.isdigit():
        return int(noted)
    if argv and Path(argv[0]).name.startswith("gunicorn"):
        from_args = _workers_in_args(list(argv[1:]))
        if from_args is not None:
            return from_args
    try:
        from_env = _workers_in_args(shlex.split(environ.get("GUNICORN_CMD_ARGS", "")))
    except ValueError:
        from_env = None
    if from_env is not None:
        return from_env
    concurrency = environ.get("WEB_CONCURRENCY", "").strip()
    return int(concurrency) if concurrency.isdigit() else 1


def load(instance_dir: Path, overrides: dict | None = None) -> dict:
    """The app's configuration: environment first, then generated secrets, then defaults."""
    overrides = overrides or {}
    ensure_instance(instance_dir)
    secret = os.environ.get("SECRET_KEY") or (instance_dir / "secret_key").read_text().strip()
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_dir / 'nara.sqlite3'}"
    if database_url.startswith("postgres://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
    elif database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
    debug = _flag("FLASK_DEBUG", False)
    config = {
        "SECRET_KEY": secret,
        "DATABASE_URL": database_url,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 1024 * 1024)),
        "SESSION_COOKIE_NAME": "nara_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", not debug),
        # How long "a minute" of the PIN lock's idle time is; tests shorten it.
        "PIN_MINUTE_SECONDS": 60,
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("SESSION_DAYS", 30)) * 86400,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        # Flask-WTF's HTTPS check needs a Referer, which Referrer-Policy: no-referrer withholds;
        # accounts/web.py checks Origin and Sec-Fetch-Site instead (same-origin only).
        "WTF_CSRF_SSL_STRICT": False,
        # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto (0 = none).
        "PROXY_HOPS": int(os.environ.get("PROXY_HOPS", 0)),
        "BABEL_DEFAULT_LOCALE": os.environ.get("DEFAULT_LOCALE", "sv"),
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "RATELIMIT_STORAGE_URI": limit_storage(),
        "RATELIMIT_ENABLED": limits_enabled(),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": "nara",
        "AUTH_LIMIT_PER_IP": os.environ.get("AUTH_LIMIT_PER_IP", "30 per 10 minutes"),
        "AUTH_LIMIT_PER_HANDLE": os.environ.get("AUTH_LIMIT_PER_HANDLE", "10 per 10 minutes"),
        "ARGON2_TIME_COST": int(os.environ.get("ARGON2_TIME_COST", 3)),
        "ARGON2_MEMORY_COST": int(os.environ.get("ARGON2_MEMORY_COST", 65536)),
        "ARGON2_PARALLELISM": int(os.environ.get("ARGON2_PARALLELISM", 4)),
        # The contact the push services may use (RFC 8292 "sub"): a mailto: or https: address.
        "VAPID_SUBJECT": os.environ.get("VAPID_SUBJECT", "mailto:push@nara.invalid"),
        # `make run` sets this so the embedded default sends notifications from a thread.
        "PUSH_WORKER_IN_APP": _flag("PUSH_WORKER_IN_APP", False),
        # Tests and local development only: also allow http:// and loopback push endpoints.
        "PUSH_ALLOW_LOOPBACK": _flag("PUSH_ALLOW_LOOPBACK", False),
        "VAPID_PRIVATE_KEY_FILE": os.environ.get("VAPID_PRIVATE_KEY_FILE", str(instance_dir / "vapid_private.pem")),
        "VAPID_PUBLIC_KEY_FILE": os.environ.get("VAPID_PUBLIC_KEY_FILE", str(instance_dir / "vapid_public.txt")),
        # The live channel (live/): Redis when a URL is set, else PostgreSQL LISTEN/NOTIFY on a
        # PostgreSQL database, else this process alone; LIVE_BACKEND=local|redis|postgresql overrides.
        "LIVE_BACKEND": os.environ.get("LIVE_BACKEND", "auto"),
        "LIVE_REDIS_URL": os.environ.get("LIVE_REDIS_URL") or os.environ.get("REDIS_URL") or None,
        "LIVE_HEARTBEAT_SECONDS": int(os.environ.get("LIVE_HEARTBEAT_SECONDS", 20)),
        "LIVE_STREAM_SECONDS": int(os.environ.get("LIVE_STREAM_SECONDS", 900)),
        "LIVE_RETRY_MS": int(os.environ.get("LIVE_RETRY_MS", 3000)),
        # Stay with me (stay/): the phone is asked this long before the end; the chosen people are
        # told this long after the end without an answer; told again after this long with nobody on it.
        "STAY_ASK_BEFORE_SECONDS": int(os.environ.get("STAY_ASK_BEFORE_SECONDS", 180)),
        "STAY_GRACE_SECONDS": int(os.environ.get("STAY_GRACE_SECONDS", 120)),
        "STAY_ESCALATE_SECONDS": int(os.environ.get("STAY_ESCALATE_SECONDS", 300)),
    }
    config.update(overrides)
    return config
