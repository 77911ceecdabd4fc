"""The fast path of the two polls: "nothing new" (304) answered before Flask.

An open app asks every few seconds whether anything changed: the unread badge
(GET /unread, tag "u<count>") and an open conversation (GET /contacts/<id>/messages, tag
messages.change_tag). Nearly every answer is 304 with no body, yet through Flask each one
paid for the whole stack: request and app contexts, the session, Flask-Login, the keyring,
Babel, the limiter, the ORM session, the lock's hook, the after-request hooks.

This WSGI middleware answers the 304 itself, and only when it is sure the full stack would
answer the same 304 with nothing else to do. It makes the checks the slow path makes, in
the same order and with the same rules, using the same statements:

1. the signed session cookie (Flask's own serializer and maximum age), not older than
   REFRESH_AFTER (an older one goes the slow way, which sends it back renewed);
2. Flask-Login's "basic" session protection: the same identifier (address and browser),
   else the slow way marks the session not fresh;
3. the person: their row, the session token (logout everywhere and a new password rotate
   it), and this session's key row, which must still open with the key the cookie carries
   (logging out deletes it);
4. the PIN lock: a locked session, an idle one, or a request that would renew "seen" (a
   non-background request) goes the slow way;
5. the role (badge: client, peer supporter, relative; conversation: those, a peer supporter
   only once approved) and, for a conversation, that the person is one of its two people;
6. the tag: the same query and the same formula as the view (messages.tag_query, tag_of,
   unread_query), compared weakly with If-None-Match as not_modified() does.

Anything else — no If-None-Match, a different tag, any doubt, any error — goes to Flask
unchanged, which gives the full answer (200 with the new content, a redirect to login, the
lock's 401, 404). The fast path writes nothing, anywhere: it cannot change what anyone sees.
It opens no sealed data: the session key is opened only to check it, and dropped.

The 304 carries the headers the slow path's 304 carries (the security headers, Cache-Control,
Vary, ETag) but no Set-Cookie: nothing in the session changed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time

from itsdangerous import BadSignature
from sqlalchemy import bindparam, select
from werkzeug.http import parse_cookie, parse_etags

from accounts.models import SessionKey, User
from accounts.permissions import CLIENT, PEER, RELATIVE
from accounts.sealing import SealBroken, open_bytes, unb64

from . import messages
from .models import Contact

REFRESH_AFTER = 600  # seconds: an older session cookie goes the slow way, which renews it
POLL_ROLES = (CLIENT, PEER, RELATIVE)
CONVERSATION = re.compile(r"/contacts/([1-9][0-9]{0,9})/messages\Z")
MAX_ID = 2**31 - 1

# Built once: SQLAlchemy then finds each one compiled in its cache.
_USER = select(User.session_token, User.role, User.peer_approved_at, User.pin_hash, User.pin_idle_minutes).where(
    User.id == bindparam("id")
)
_SESSION_KEY = select(SessionKey.user_id, SessionKey.sealed_key).where(SessionKey.id == bindparam("id"))
_CONTACT = select(Contact.client_id, Contact.other_id, Contact.status).where(Contact.id == bindparam("id"))
_UNREAD = messages.unread_query()
_TAG = messages.tag_query()


def identifier(environ) -> str:
    """Flask-Login's session identifier (flask_login.utils._create_identifier), from environ."""
    address = environ.get("HTTP_X_FORWARDED_FOR", environ.get("REMOTE_ADDR"))
    if address is not None:
        address = address.encode("utf-8").split(b",")[0].strip()
    agent = environ.get("HTTP_USER_AGENT")
    if agent is not None:
        agent = agent.encode("utf-8")
    return hashlib.sha512(f"{address}|{agent}".encode("utf8")).hexdigest()


class FastPoll:
    """WSGI middleware in front of the app: see the module's text."""

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self._serializer = None
        self._headers = None
        self.answered = 0  # for tests and the bench: how many 304s came this way

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "GET" and "HTTP_IF_NONE_MATCH" in environ:
            try:
                tag = self._unchanged(environ)
            except Exception:  # any doubt: the full stack decides
                tag = None
            if tag is not None:
                self.answered += 1
                start_response("304 Not Modified", [("ETag", f'"{tag}"'), *self._fixed_headers()])
                return []
        return self.wsgi_app(environ, start_response)

    # -- the checks ------------------------------------------------------------------------

    def _unchanged(self, environ) -> str | None:
        """The tag when the slow path would answer 304 with nothing else to do; else None."""
        path = environ.get("PATH_INFO", "")
        if path == "/unread":
            contact_id = None
        else:
            match = CONVERSATION.match(path)
            if match is None or int(match.group(1)) > MAX_ID:
                return None
            contact_id = int(match.group(1))
        if environ.get("QUERY_STRING"):
            return None
        config = self.app.config
        cookie = parse_cookie(environ).get(config["SESSION_COOKIE_NAME"])
        if not cookie:
            return None
        try:
            data, signed_at = self._signer().loads(
                cookie, max_age=int(self.app.permanent_session_lifetime.total_seconds()), return_timestamp=True
            )
        except BadSignature:
            return None
        now = time.time()
        if now - signed_at.timestamp() > REFRESH_AFTER or not isinstance(data, dict):
            return None
        session_id, carried = data.get("_user_id"), data.get("vault")
        if not isinstance(session_id, str) or not isinstance(carried, str) or data.get("_id") != identifier(environ):
            return None
        user_id, _, token = session_id.partition(".")
        if not user_id.isdigit() or not token or int(user_id) > MAX_ID:
            return None
        user_id = int(user_id)
        row_id, _, cookie_key = carried.partition(".")
        engine = self.app.extensions["nara_db"].engine
        with engine.connect() as conn:
            user = conn.execute(_USER, {"id": user_id}).first()
            if user is None or not secrets.compare_digest(user.session_token, token):
                return None
            key_row = conn.execute(_SESSION_KEY, {"id": row_id[:32]}).first()
            if key_row is None or key_row.user_id != user_id:
                return None
            try:
                open_bytes(unb64(cookie_key), unb64(key_row.sealed_key))
            except SealBroken:
                return None
            if user.pin_hash and not self._lock_lets_through(environ, data, user, now):
                return None
            if user.role not in POLL_ROLES:
                return None
            if contact_id is None:
                tag = f"u{conn.execute(_UNREAD, {'user_id': user_id}).scalar_one()}"
            else:
                if user.role == PEER and user.peer_approved_at is None:
                    return None
                contact = conn.execute(_CONTACT, {"id": contact_id}).first()
                if contact is None or user_id not in (contact.client_id, contact.other_id):
                    return None
                tag = messages.tag_of(
                    contact_id, user_id, contact.status, conn.execute(_TAG, {"contact_id": contact_id}).one()
                )
        return tag if parse_etags(environ["HTTP_IF_NONE_MATCH"]).contains_weak(tag) else None

    def _lock_lets_through(self, environ, data: dict, user, now: float) -> bool:
        """accounts/lock_session.py's rules, without writing: locked, idle past the server's
        backstop, or a request that would renew "seen" all go the slow way."""
        if data.get("locked"):
            return False
        seen = data.get("seen")
        idle = user.pin_idle_minutes * self.app.config["PIN_MINUTE_SECONDS"] * 1.5 + 15
        if seen is not None and now - seen > idle:
            return False
        background = environ.get("HTTP_X_NARA_BACKGROUND") == "1"
        return background or now - (seen or 0) <= 10

    # -- what does not change between requests ---------------------------------------------

    def _signer(self):
        if self._serializer is None:
            self._serializer = self.app.session_interface.get_signing_serializer(self.app)
        return self._serializer

    def _fixed_headers(self) -> list[tuple[str, str]]:
        """The headers of the slow path's 304 but its ETag and Set-Cookie, as core/web.py sets them."""
        if self._headers is None:
            from core.web import CSP, PERMISSIONS_POLICY

            self._headers = [
                ("Content-Security-Policy", CSP),
                ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "no-referrer"),
                ("Permissions-Policy", PERMISSIONS_POLICY),
                ("X-Frame-Options", "DENY"),
                ("Cross-Origin-Opener-Policy", "same-origin"),
                ("Cache-Control", "private, no-store"),
                ("Vary", "Cookie, HX-Request"),
            ]
        return self._headers


def install(app) -> None:
    """Put the fast path in front of the app (outside any proxy fix: it reads only the
    cookie, the path, If-None-Match and the headers Flask-Login's identifier reads)."""
    app.wsgi_app = FastPoll(app, app.wsgi_app)
