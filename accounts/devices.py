"""Known devices: a browser that has logged in to an account before keeps its own count of
tries for that account's handle, so strangers filling the handle's count cannot lock the
owner out of their own phone (see docs/architecture.md, "Passwords and recovery").

The cookie is signed with the app's secret key and holds a random device id plus, for each
account that logged in on this browser, a keyed hash (HMAC) of the device id and the user's
id and handle. It names neither the handle nor the user id, and it cannot be copied from
one account to another. Plain functions: the views set and read the cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from itsdangerous import BadData, URLSafeTimedSerializer

COOKIE = "nara_device"
MAX_AGE = 365 * 86400  # refreshed at every login; browsers keep a cookie at most 400 days
MAX_ACCOUNTS = 5  # accounts remembered on one browser, the most recent first
_SALT = "nara.known-device"


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT)


def _tag(secret: str, device_id: str, user_id: int, handle_key: str) -> str:
    message = f"known-device|{device_id}|{user_id}|{handle_key}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def read(secret: str, token: str | None) -> tuple[str, list[str]] | None:
    """The device id and account tags a cookie holds, or None if it is missing, too old
    or not ours."""
    if not token or len(token) > 1000:
        return None
    try:
        data = _serializer(secret).loads(token, max_age=MAX_AGE)
    except BadData:
        return None
    if not isinstance(data, dict):
        return None
    device_id, tags = data.get("d"), data.get("a")
    if not isinstance(device_id, str) or not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return None
    return device_id, tags


def remember(secret: str, token: str | None, user_id: int, handle_key: str) -> str:
    """The cookie value after this account logged in on this browser: the same device id
    if it had one, this account first."""
    known = read(secret, token)
    device_id, tags = known if known else (secrets.token_urlsafe(16), [])
    tag = _tag(secret, device_id, user_id, handle_key)
    tags = [tag] + [t for t in tags if t != tag][: MAX_ACCOUNTS - 1]
    return _serializer(secret).dumps({"d": device_id, "a": tags})


def known_device(secret: str, token: str | None, user_id: int, handle_key: str) -> str | None:
    """The device id if this browser has logged in to this account before, else None."""
    known = read(secret, token)
    if known is None:
        return None
    device_id, tags = known
    expected = _tag(secret, device_id, user_id, handle_key)
    return device_id if any(hmac.compare_digest(expected, t) for t in tags) else None
