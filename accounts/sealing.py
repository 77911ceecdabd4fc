"""Sealed columns: what a person wrote or answered is stored encrypted by a key that only
their password, a recovery code or their live session opens.

A model lists its sealed columns and, for each, which key seals it::

    class DiaryEntry(SQLModel, table=True):
        __sealed__ = {"text": by_owner, "mood": by_owner}
        text: str = sealed_field(default="")

`by_owner` names the row owner's data key ("u<user id>"); a package can name other keys
(a contact link's key "c<contact id>", a report's key "r<report id>") and registers a
resolver that opens them from what the current person holds (`register_resolver`).

How a value travels: just before a row is written, each changed sealed attribute is
wrapped with the id of the key that seals it (mapper events, below); the column type then
encrypts it with that key from the current keyring (libsodium's secret box through
PyNaCl: XSalsa20-Poly1305, a fresh random 24-byte nonce per value) and stores ``s1.<key id>.<base64>``. Reading opens it
again with the keyring. A value that does not open (a flipped byte, the wrong key) raises
`SealBroken`; a key the current person does not hold raises `KeyUnavailable`. Neither is
ever shown as empty text. Values written by the release before sealing were marked
``p1.<json>`` by migration 0012 and are read as they are until their owner's next login
seals them (`reseal`).
"""

from __future__ import annotations

import binascii
import json
from contextvars import ContextVar
from typing import Any, Callable

import nacl.utils
from flask import current_app, g, has_request_context
from nacl.bindings import crypto_secretbox, crypto_secretbox_open
from nacl.exceptions import CryptoError
from sqlalchemy import Column, Text, event, inspect
from sqlalchemy.orm import attributes
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field

SEALED_PREFIX = "s1."
PLAIN_PREFIX = "p1."  # written by migration 0012 over the previous release's plain values


class SealError(Exception):
    """Sealed data could not be opened."""


class KeyUnavailable(SealError):
    """The key that seals this value is not open for whoever is asking."""


class SealBroken(SealError):
    """The stored value is not what was sealed: changed, cut, or sealed by another key."""


class UnsealedWrite(SealError):
    """A sealed column was about to be written without its key: a programming error."""


# -- Keys held for the current person -------------------------------------------------------

Resolver = Callable[["Keyring", str], "bytes | None"]
_RESOLVERS: dict[str, Resolver] = {}


def register_resolver(prefix: str, resolver: Resolver) -> None:
    """`resolver(keyring, rest)` opens the key "<prefix><rest>" from what the keyring holds
    (answering None when this person has no copy of it)."""
    _RESOLVERS[prefix] = resolver


class Keyring:
    """The keys open for one request (the logged-in person's) or one command (every account
    it made or opened): data keys, and what they open on demand (private keys, link keys)."""

    def __init__(self) -> None:
        self._keys: dict[str, bytes] = {}
        self._private: dict[int, object] = {}

    def add_person(self, user_id: int, data_key: bytes) -> None:
        self._keys[owner_key_id(user_id)] = data_key
        self._private.pop(user_id, None)

    def people(self) -> list[int]:
        return [int(k[1:]) for k in self._keys if k.startswith("u")]

    def data_key(self, user_id: int | None) -> bytes | None:
        return self._keys.get(owner_key_id(user_id)) if user_id is not None else None

    def add(self, key_id: str, key: bytes) -> None:
        self._keys[key_id] = key

    def forget(self, key_id: str) -> None:
        self._keys.pop(key_id, None)

    def has(self, key_id: str) -> bool:
        try:
            self.key(key_id)
        except KeyUnavailable:
            return False
        return True

    def key(self, key_id: str) -> bytes:
        key = self._keys.get(key_id)
        if key is None and key_id[:1] in _RESOLVERS:
            key = _RESOLVERS[key_id[:1]](self, key_id[1:])
            if key is not None:
                self._keys[key_id] = key
        if key is None:
            raise KeyUnavailable(key_id)
        return key

    def private_key(self, user_id: int):
        """`user_id`'s private key (a nacl PrivateKey) if this keyring holds their data key."""
        if user_id not in self._private:
            data_key = self.data_key(user_id)
            if data_key is None:
                return None
            self._private[user_id] = _open_private_key(user_id, data_key)
        return self._private[user_id]


def _open_private_key(user_id: int, data_key: bytes):
    from nacl.public import PrivateKey

    from extensions import db

    from .models import UserKey

    row = db.session.get(UserKey, user_id)
    return PrivateKey(open_bytes(data_key, unb64(row.private_sealed))) if row else None


# The current request's keyring, also kept in a context variable: every sealed value read
# asks for it, and a context variable is much cheaper to reach than `flask.g`.
_request_keyring: ContextVar[Keyring | None] = ContextVar("nara_request_keyring", default=None)


def current_keyring() -> Keyring:
    """The keys of whoever this request acts for, or, outside a request, of the command
    (kept on the app: every account a command made or opened)."""
    held = _request_keyring.get()
    if held is not None:
        return held
    if has_request_context() and g.get("nara_keyring") is not None:
        return g.nara_keyring
    return current_app.extensions.setdefault("nara_keyring", Keyring())


def start_request() -> None:
    """Every request starts with no keys but those its own session opens: the first
    before_request hook of all. The app's own keyring is for code outside requests
    (commands, tests); a web process never opens a key outside a request."""
    g.nara_keyring = Keyring()
    _request_keyring.set(g.nara_keyring)


def end_request(_error=None) -> None:
    """After the request, its keys are dropped (a teardown hook)."""
    _request_keyring.set(None)
    g.pop("nara_keyring", None)


# -- Sealing one value ---------------------------------------------------------------------


NONCE_BYTES = 24  # XSalsa20: random nonces this long never repeat in practice


def seal_bytes(key: bytes, plain: bytes) -> bytes:
    """libsodium's secret box (XSalsa20-Poly1305) with a fresh random nonce, stored in front."""
    nonce = nacl.utils.random(NONCE_BYTES)
    return nonce + crypto_secretbox(plain, nonce, key)


def open_bytes(key: bytes, sealed: bytes) -> bytes:
    try:
        return crypto_secretbox_open(sealed[NONCE_BYTES:], sealed[:NONCE_BYTES], key)
    except (CryptoError, ValueError, TypeError) as error:
        raise SealBroken("the value does not open with its key") from error


def b64(raw: bytes) -> str:
    return binascii.b2a_base64(raw, newline=False).decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return binascii.a2b_base64(text, strict_mode=True)
    except (ValueError, TypeError) as error:
        raise SealBroken("the value is not sealed text") from error


# Inside the box: "s" and the text's UTF-8 for text (most values, and the quickest to read
# back), "j" and JSON for a number or nothing.
TEXT, JSON = b"s", b"j"


def seal_value(key_id: str, value: Any, keyring: Keyring | None = None) -> str:
    keyring = keyring or current_keyring()
    if isinstance(value, str):
        plain = TEXT + value.encode("utf-8")
    else:
        plain = JSON + json.dumps(value, separators=(",", ":")).encode("ascii")
    return f"{SEALED_PREFIX}{key_id}.{b64(seal_bytes(keyring.key(key_id), plain))}"


def open_value(stored: str, keyring: Keyring | None = None) -> Any:
    if stored.startswith(PLAIN_PREFIX):
        return _json(stored[len(PLAIN_PREFIX) :])
    if not stored.startswith(SEALED_PREFIX):
        raise SealBroken("the value is neither sealed nor marked plain")
    key_id, dot, body = stored[len(SEALED_PREFIX) :].partition(".")
    if not dot or not key_id:
        raise SealBroken("the value names no key")
    keyring = keyring or current_keyring()
    try:
        key = keyring.key(key_id)
    except KeyUnavailable:
        return Unopened(key_id)
    plain = open_bytes(key, unb64(body))
    try:
        if plain[:1] == TEXT:
            return plain[1:].decode("utf-8")
        if plain[:1] == JSON:
            return _json(plain[1:].decode("ascii"))
    except UnicodeDecodeError as error:
        raise SealBroken("the value is not what was sealed") from error
    raise SealBroken("the value is not what was sealed")


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise SealBroken("the value is not what was sealed") from error


class Unopened:
    """A sealed value read by someone who does not hold its key: a row loaded only to find
    it is someone else's (and then answered 404) never needs it. Any use of it raises
    `KeyUnavailable`, so it can never be shown as empty text."""

    __slots__ = ("key_id",)

    def __init__(self, key_id: str) -> None:
        self.key_id = key_id

    def __repr__(self) -> str:
        return f"<sealed by {self.key_id}>"

    def _refuse(self, *args, **kwargs):
        raise KeyUnavailable(self.key_id)

    __str__ = __bool__ = __len__ = __iter__ = __html__ = __format__ = __int__ = _refuse
    __eq__ = __ne__ = __lt__ = __gt__ = __le__ = __ge__ = __hash__ = __contains__ = __add__ = _refuse

    def __getattr__(self, name):
        raise KeyUnavailable(self.key_id)


class Broken(Unopened):
    """A sealed value naming a key other than the one its row is sealed by: it was changed
    in the database. Any use of it raises `SealBroken`."""

    __slots__ = ()

    def _refuse(self, *args, **kwargs):
        raise SealBroken(f"a value names the key {self.key_id}, not its row's")

    __str__ = __bool__ = __len__ = __iter__ = __html__ = __format__ = __int__ = _refuse
    __eq__ = __ne__ = __lt__ = __gt__ = __le__ = __ge__ = __hash__ = __contains__ = __add__ = _refuse

    def __getattr__(self, name):
        raise SealBroken(f"a value names the key {self.key_id}, not its row's")


class Stored:
    """A sealed value copied as it is stored, without opening it: someone who does not hold
    the key moves it from one row to another (a relative accepting an invitation copies
    the client's sealed name for them into the new link)."""

    __slots__ = ("raw",)

    def __init__(self, raw: str) -> None:
        # A value still marked plain (from before sealing) moves as it is too, and is sealed
        # with the rest of its new row's plain values at its owner's next login.
        if not isinstance(raw, str) or not raw.startswith((SEALED_PREFIX, PLAIN_PREFIX)):
            raise UnsealedWrite("only a sealed value can be copied as it is")
        self.raw = raw


def stored_value(session, column, row_id: int) -> Stored | None:
    """The sealed value of `column` in row `row_id`, as stored (never opened)."""
    from sqlalchemy import Text, select, type_coerce

    model = column.class_
    raw = session.execute(select(type_coerce(column, Text)).where(model.id == row_id)).scalar()
    return Stored(raw) if raw is not None else None


class _ToSeal:
    """A value on its way to the database, with the id of the key that seals it."""

    __slots__ = ("value", "key_id")

    def __init__(self, value: Any, key_id: str) -> None:
        self.value = value
        self.key_id = key_id


class Sealed(TypeDecorator):
    """A column whose value (text, a number, or nothing) is stored sealed."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if isinstance(value, _ToSeal):
            if value.key_id is None:
                return None  # an empty value in a row whose key does not exist yet
            return seal_value(value.key_id, value.value)
        if isinstance(value, Stored):
            return value.raw
        if isinstance(value, str) and (value.startswith(SEALED_PREFIX) or value.startswith(PLAIN_PREFIX)):
            return value  # moved as it is (a copy of a stored value), never opened on the way
        raise UnsealedWrite("a sealed column can only be written through its model")

    def process_result_value(self, value, dialect):
        if value is None:
            return self.empty
        return open_value(value)

    def __init__(self, empty: Any = None) -> None:
        super().__init__()
        self.empty = empty  # what NULL reads as: only ever stored for an empty value


def sealed_field(default: Any = None, nullable: bool = True) -> Any:
    """A SQLModel field stored sealed. A row whose key is made only after the row itself
    (its own id names the key) may be inserted with the value empty; NULL is stored and
    read back as `default`."""
    return Field(default=default, sa_column=Column(Sealed(empty=default), nullable=nullable))


# -- Which key seals which row --------------------------------------------------------------


def owner_key_id(user_id: int) -> str:
    return f"u{user_id}"


def by_owner(row) -> str:
    """The row owner's own data key."""
    return owner_key_id(row.user_id)


SEALED_MODELS: list[type] = []


def _wrap(mapper, connection, target, inserting: bool) -> None:
    state = inspect(target)
    for name, key_for in target.__sealed__.items():
        if not inserting and not state.attrs[name].history.has_changes():
            continue
        value = getattr(target, name)
        if isinstance(value, (_ToSeal, Stored)):
            continue
        key_id = key_for(target)
        if key_id is None and value not in ("", None):
            raise UnsealedWrite(f"{type(target).__name__}.{name} has no key yet")
        attributes.set_attribute(target, name, _ToSeal(value, key_id))


def _unwrap(mapper, connection, target) -> None:
    for name in target.__sealed__:
        value = target.__dict__.get(name)
        if isinstance(value, _ToSeal):
            attributes.set_committed_value(target, name, value.value)
        elif isinstance(value, Stored):
            attributes.set_committed_value(target, name, open_value(value.raw))


def _check_keys(target, *args) -> None:
    """On load: a value that names another key than its row's was moved or changed."""
    for name, key_for in target.__sealed__.items():
        value = target.__dict__.get(name)
        if isinstance(value, Unopened) and not isinstance(value, Broken) and value.key_id != key_for(target):
            attributes.set_committed_value(target, name, Broken(value.key_id))


def watch(model: type) -> type:
    """Seal `model`'s columns named in its `__sealed__`; used as a class decorator."""
    event.listen(model, "load", _check_keys)
    event.listen(model, "refresh", _check_keys)
    event.listen(model, "before_insert", lambda m, c, t: _wrap(m, c, t, True))
    event.listen(model, "before_update", lambda m, c, t: _wrap(m, c, t, False))
    event.listen(model, "after_insert", _unwrap)
    event.listen(model, "after_update", _unwrap)
    SEALED_MODELS.append(model)
    return model


def sealed_values(model: type, row: dict, values: dict) -> dict:
    """`values` for an INSERT or UPDATE statement (not through a model object), each sealed
    column wrapped with its key; `row` holds what the key choice reads (e.g. user_id)."""
    from types import SimpleNamespace

    like = SimpleNamespace(**row)
    return {
        name: _ToSeal(value, model.__sealed__[name](like)) if name in model.__sealed__ else value
        for name, value in values.items()
    }
