"""The rules of accounts: sign-up, login, passwords, recovery codes, settings, roles, deletion.

Plain functions that take a database session; none of them reads the request.
"""

from __future__ import annotations

import logging
import re
import secrets
import unicodedata
from typing import Callable
from zoneinfo import available_timezones

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from extensions import utcnow

from . import keys, passwords, sealing, unsealed
from .models import RecoveryCode, User
from .permissions import CLIENT, COORDINATOR, PEER, RELATIVE
from .rules import RuleError, clean_text

logger = logging.getLogger(__name__)

LOCALES = ("sv", "da", "en")
# The time zones offered in settings: where the app's users live, and near neighbours.
TIME_ZONES = (
    "Europe/Stockholm",
    "Europe/Copenhagen",
    "Europe/Oslo",
    "Europe/Helsinki",
    "Atlantic/Faroe",
    "America/Nuuk",
    "Europe/Berlin",
    "Europe/London",
    "UTC",
)
HANDLE_MIN, HANDLE_MAX = 3, 32
HANDLE_KEY_MAX = 64  # casefolding can lengthen a name ("ß" becomes "ss")
_HANDLE_RE = re.compile(r"^[^\W_][\w.\-]*$")
_PHONE_LIKE = re.compile(r"^[\d .\-+]{6,}$")


class AccountError(RuleError):
    """A rule of accounts said no."""


def handle_key(handle: str) -> str:
    return unicodedata.normalize("NFKC", clean_text(handle)).strip().casefold()


def handle_problem(handle: str) -> str | None:
    handle = unicodedata.normalize("NFKC", handle).strip()
    if len(handle) < HANDLE_MIN:
        return "handle_too_short"
    if len(handle) > HANDLE_MAX or len(handle_key(handle)) > HANDLE_KEY_MAX:
        return "handle_too_long"
    if _PHONE_LIKE.match(handle):
        return "handle_phone"
    if not _HANDLE_RE.match(handle):
        return "handle_chars"
    return None


def find_by_handle(session: Session, handle: str) -> User | None:
    return session.exec(select(User).where(User.handle_key == handle_key(handle))).first()


def _new_codes(session: Session, user: User, data_key: bytes) -> list[str]:
    """Replace every recovery code of the user with eight new ones, each able to open the
    data key; return them in clear once."""
    session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [passwords.new_recovery_code() for _ in range(passwords.CODE_COUNT)]
    for code in codes:
        row = RecoveryCode(user_id=user.id, code_hash=passwords.hash_code(code))
        keys.wrap_for_code(row, code, data_key)
        session.add(row)
    return codes


def _opened(user: User, data_key: bytes) -> None:
    """From here on, this request (or command) holds the person's data key."""
    sealing.current_keyring().add_person(user.id, data_key)


def sign_up(
    session: Session, handle: str, password: str, role: str = CLIENT, locale: str | None = None
) -> tuple[User, list[str]]:
    """Create a pseudonymous account. Returns the user and their recovery codes (shown once)."""
    if role not in (CLIENT, PEER, RELATIVE):  # a coordinator is made on the server only
        raise AccountError("role", "role")
    handle = unicodedata.normalize("NFKC", handle).strip()
    problem = handle_problem(handle)
    if problem:
        raise AccountError(problem, "handle")
    problem = passwords.password_problem(password, handle)
    if problem:
        raise AccountError(problem, "password")
    if find_by_handle(session, handle) is not None:
        raise AccountError("handle_taken", "handle")
    user = User(
        handle=handle,
        handle_key=handle_key(handle),
        password_hash=passwords.hash_password(password),
        role=role,
        locale=locale if locale in LOCALES else None,
        session_token=secrets.token_urlsafe(24),
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # someone took the name a moment ago
        session.rollback()
        raise AccountError("handle_taken", "handle") from None
    data_key = keys.create_keys(session, user.id, password)
    codes = _new_codes(session, user, data_key)
    session.commit()
    _opened(user, data_key)
    return user, codes


def log_in(session: Session, handle: str, password: str) -> tuple[User | None, list[str]]:
    """Check the password and open the person's data key. An account made before sealing
    gets its keys now (and new recovery codes that open them, answered to be shown once);
    whatever it wrote before is sealed now."""
    user = authenticate(session, handle, password)
    if user is None:
        return None, []
    data_key = keys.open_with_password(session, user.id, password)
    fresh_codes: list[str] = []
    if data_key is None:
        data_key = keys.create_keys(session, user.id, password)
        fresh_codes = _new_codes(session, user, data_key)
        session.commit()
    _opened(user, data_key)
    _logged_in(session, user)  # first: a step may give this person keys that seal more (a link key)
    unsealed.reseal_rows_of(session, user.id)
    return user, fresh_codes


_AFTER_LOGIN: list[Callable[[Session, User], None]] = []


def after_login(step: Callable[[Session, User], None]) -> Callable[[Session, User], None]:
    """Register a step a package takes once a person has logged in and their keys are open
    (peer seals again what they share with others: a relative who accepted an invitation
    while they were away gets their copies now). Each step commits its own work."""
    _AFTER_LOGIN.append(step)
    return step


def _logged_in(session: Session, user: User) -> None:
    for step in _AFTER_LOGIN:
        step(session, user)


def authenticate(session: Session, handle: str, password: str) -> User | None:
    """The user whose handle and password these are, or None. Takes as long either way."""
    user = find_by_handle(session, handle) if handle.strip() else None
    if user is None:
        passwords.burn_time(password)
        return None
    if not passwords.verify_password(user.password_hash, password):
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        session.add(user)
        session.commit()
    return user


def load_session_user(session: Session, session_id: str, carried_key: str | None) -> User | None:
    """The user a session cookie names, if its token is still the current one and the
    session's key still opens their data key (which this request then holds)."""
    user_id, _, token = session_id.partition(".")
    if not user_id.isdigit() or not token:
        return None
    user = session.get(User, int(user_id))
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    data_key = keys.open_session_key(session, user.id, carried_key)
    if data_key is None:  # logged out elsewhere, or a session from before sealing
        return None
    _opened(user, data_key)
    return user


def end_other_sessions(session: Session, user: User) -> None:
    """Rotate the session token and forget every session's key: every cookie issued before
    is no longer accepted anywhere, and opens nothing."""
    user.session_token = secrets.token_urlsafe(24)
    keys.end_all_session_keys(session, user.id)
    session.add(user)
    session.commit()


def _set_password(session: Session, user: User, new_password: str, data_key: bytes) -> None:
    problem = passwords.password_problem(new_password, user.handle)
    if problem:
        raise AccountError(problem, "new_password")
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    user.session_token = secrets.token_urlsafe(24)
    if keys.keys_of(session, user.id) is None:  # only an account made before sealing
        keys.create_keys(session, user.id, new_password)
        # Its codes cannot open the new keys: they go, and settings offers new ones.
        session.exec(delete(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.wrapped_key.is_(None)))
    else:
        keys.rewrap_for_password(session, user.id, data_key, new_password)
    keys.end_all_session_keys(session, user.id)
    session.add(user)


def change_password(session: Session, user: User, current: str, new_password: str) -> None:
    """A new password that opens the same data key: nothing sealed is touched. Every
    session ends (the caller starts this one again)."""
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError("wrong_password", "current_password")
    data_key = sealing.current_keyring().data_key(user.id) or keys.open_with_password(session, user.id, current)
    _set_password(session, user, new_password, data_key)
    session.commit()
    if data_key is None:  # the account had no keys until now
        data_key = keys.open_with_password(session, user.id, new_password)
    _opened(user, data_key)


def reset_with_code(session: Session, handle: str, code: str, new_password: str) -> User:
    """Set a new password with a one-time recovery code; the code is used up."""
    user = find_by_handle(session, handle) if handle.strip() else None
    if user is None:
        raise AccountError("bad_recovery", "code")
    unused = session.exec(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    match = next((rc for rc in unused if passwords.code_matches(rc.code_hash, code)), None)
    if match is None:
        raise AccountError("bad_recovery", "code")
    data_key = keys.open_with_code(match, code)
    if data_key is None and keys.keys_of(session, user.id) is not None:
        raise AccountError("bad_recovery", "code")  # a code from before sealing cannot open the keys
    _set_password(session, user, new_password, data_key)
    # Only now, when the new password is accepted, is the code spent: it opens nothing more.
    match.used_at = utcnow()
    match.wrapped_key = None
    match.kdf = None
    session.add(match)
    session.commit()
    _opened(user, data_key or keys.open_with_password(session, user.id, new_password))
    _logged_in(session, user)  # a reset logs the person in
    return user


def codes_left(session: Session, user: User) -> int:
    return session.exec(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).one()


def regenerate_codes(session: Session, user: User, password: str) -> list[str]:
    if not passwords.verify_password(user.password_hash, password):
        raise AccountError("wrong_password", "password")
    data_key = keys.open_with_password(session, user.id, password)
    codes = _new_codes(session, user, data_key)
    session.commit()
    return codes


COUNTRIES = ("SE", "DK")


def update_preferences(session: Session, user: User, locale: str, time_zone: str, country: str | None = None) -> None:
    if country not in COUNTRIES + (None, ""):
        raise AccountError("country", "country")
    if locale not in LOCALES:
        raise AccountError("locale", "locale")
    if time_zone not in TIME_ZONES or time_zone not in available_timezones():
        raise AccountError("time_zone", "time_zone")
    user.locale = locale
    user.time_zone = time_zone
    user.country = country or None
    session.add(user)
    session.commit()


# How long a person keeps their diary: always (None), a year or three months.
KEEP_DIARY_DAYS = (None, 365, 90)


def set_keep_diary(session: Session, user: User, days: int | None) -> None:
    """Keep diary entries and daily check-ins for `days` (None: always). The worker deletes
    older ones (diary/retention.py) from its next round on."""
    if days not in KEEP_DIARY_DAYS:
        raise AccountError("keep_diary", "keep_for")
    user.keep_diary_days = days
    session.add(user)
    session.commit()


def set_locale(session: Session, user: User, locale: str) -> None:
    if locale not in LOCALES:
        raise AccountError("locale", "locale")
    user.locale = locale
    session.add(user)
    session.commit()


_BEFORE_DELETE: list[Callable[[Session, int], None]] = []


def before_account_deleted(step: Callable[[Session, int], None]) -> Callable[[Session, int], None]:
    """Register a step a package takes in the deleting transaction, just before the user row
    goes (peer ends the contacts the person is the other side of). Steps never commit."""
    _BEFORE_DELETE.append(step)
    return step


def delete_account(session: Session, user: User, password: str) -> None:
    """Delete the user and, through ON DELETE CASCADE, every row that belongs to them; rows
    of others that only name them keep NULL instead (tests/test_schema.py lists those).

    On SQLite the deleted text is overwritten (secure_delete, set on every connection) and
    the write-ahead log, which still holds the pages as they were, is emptied into the
    database file at once."""
    if not passwords.verify_password(user.password_hash, password):
        raise AccountError("wrong_password", "password")
    user_id = user.id
    session.expunge(user)
    for step in _BEFORE_DELETE:
        step(session, user_id)
    session.exec(delete(User).where(User.id == user_id))
    session.commit()
    _empty_sqlite_log(session)


def _empty_sqlite_log(session: Session) -> None:
    engine = session.get_bind()
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        busy, _log, _done = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:  # a reader kept an old snapshot for longer than busy_timeout
        logger.warning("after an account deletion the SQLite write-ahead log could not be emptied")


def create_coordinator(session: Session, handle: str, password: str) -> tuple[User, list[str]]:
    user, codes = sign_up(session, handle, password, role=CLIENT)
    user.role = COORDINATOR
    session.add(user)
    session.commit()
    return user, codes


def approve_peer(session: Session, handle: str) -> User:
    user = find_by_handle(session, handle)
    if user is None:
        raise AccountError("no_such_user", "handle")
    approve_peer_account(session, user)
    return user


def peer_account(session: Session, coordinator: User, user_id: int) -> User | None:
    """A peer supporter's account, approved or waiting: what a coordinator may approve; None otherwise."""
    user = session.get(User, user_id)
    return user if user is not None and user.role == PEER else None


def approve_peer_account(session: Session, user: User) -> bool:
    """Approve a peer supporter; True if this request did it. One conditional UPDATE, so of
    two approvals at the same moment (two coordinators, a double tap) only one is first."""
    if user.role != PEER:
        raise AccountError("not_a_peer", "handle")
    changed = session.exec(
        update(User).where(User.id == user.id, User.peer_approved_at.is_(None)).values(peer_approved_at=utcnow())
    ).rowcount
    session.commit()
    session.refresh(user)
    return bool(changed)


def peers_waiting(session: Session) -> list[User]:
    return list(
        session.exec(
            select(User).where(User.role == PEER, User.peer_approved_at.is_(None)).order_by(User.created_at)
        ).all()
    )
