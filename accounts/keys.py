"""Each person's keys: making them, opening them with a password, a recovery code or a live
session, re-wrapping them, and sealing a key to someone else's public key.

The database only ever holds keys sealed:
- the data key (32 random bytes) sealed by argon2id(password) in `user_key.by_password`,
  and by BLAKE2b(code, salt) in each unused `recovery_code.wrapped_key`;
- the private half of the person's X25519 key pair sealed by the data key;
- for each logged-in session, the data key sealed by a random key that only that
  session's cookie carries (`session_key`).
Changing the password or resetting it with a code re-wraps the data key; nothing that the
data key seals is touched.
"""

from __future__ import annotations

import hashlib
import json
import secrets

from nacl.public import PrivateKey, PublicKey, SealedBox
from sqlmodel import Session, delete, select

from . import passwords
from .models import RecoveryCode, SessionKey, UserKey
from .sealing import SealBroken, b64, current_keyring, open_bytes, seal_bytes, unb64

KEY_BYTES = 32


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def keys_of(session: Session, user_id: int) -> UserKey | None:
    return session.get(UserKey, user_id)


def create_keys(session: Session, user_id: int, password: str) -> bytes:
    """Make a person's data key and key pair; answer the data key (opened)."""
    data_key = new_key()
    cost = passwords.key_cost()
    pair = PrivateKey.generate()
    session.add(
        UserKey(
            user_id=user_id,
            kdf=cost,
            by_password=b64(seal_bytes(passwords.derive_key(password, cost), data_key)),
            public_key=b64(bytes(pair.public_key)),
            private_sealed=b64(seal_bytes(data_key, bytes(pair))),
        )
    )
    return data_key


def open_with_password(session: Session, user_id: int, password: str) -> bytes | None:
    """The data key, if `password` opens it (None for an account made before sealing)."""
    row = keys_of(session, user_id)
    if row is None:
        return None
    return open_bytes(passwords.derive_key(password, row.kdf), unb64(row.by_password))


def rewrap_for_password(session: Session, user_id: int, data_key: bytes, password: str) -> None:
    row = keys_of(session, user_id)
    row.kdf = passwords.key_cost()
    row.by_password = b64(seal_bytes(passwords.derive_key(password, row.kdf), data_key))
    session.add(row)


def _code_key(code: str, kdf: str) -> bytes:
    """A key from a recovery code. A code is 16 random characters of 31 (about 79 bits), so
    it needs no slow derivation as a password does: BLAKE2b with a per-code salt is enough,
    and keeps sign-up (eight codes) quick on the server."""
    scheme, _, salt = kdf.partition(",")
    if scheme != "b2":
        raise SealBroken("a recovery code's key was made some other way")
    return hashlib.blake2b(
        passwords.normalise_code(code).encode(), digest_size=32, salt=bytes.fromhex(salt), person=b"nara-code-key"
    ).digest()


def wrap_for_code(code_row: RecoveryCode, code: str, data_key: bytes) -> None:
    code_row.kdf = f"b2,{secrets.token_hex(16)}"
    code_row.wrapped_key = b64(seal_bytes(_code_key(code, code_row.kdf), data_key))


def open_with_code(code_row: RecoveryCode, code: str) -> bytes | None:
    if not code_row.wrapped_key or not code_row.kdf:
        return None  # a code from before sealing: it resets the password, but opens nothing
    return open_bytes(_code_key(code, code_row.kdf), unb64(code_row.wrapped_key))


def public_key(session: Session, user_id: int) -> PublicKey | None:
    row = keys_of(session, user_id)
    return PublicKey(unb64(row.public_key)) if row else None


def seal_to(public: PublicKey, key: bytes) -> str:
    """Seal a key so that only the holder of `public`'s private half opens it (libsodium's
    sealed box: an ephemeral X25519 key and XSalsa20-Poly1305)."""
    return b64(bytes(SealedBox(public).encrypt(key)))


def open_sealed_to(user_id: int, sealed: str) -> bytes | None:
    """Open a key sealed to `user_id`, if the current keyring holds their private key."""
    private = current_keyring().private_key(user_id)
    if private is None:
        return None
    try:
        return SealedBox(private).decrypt(unb64(sealed))
    except Exception as error:  # nacl raises CryptoError; a cut value raises others
        raise SealBroken("a key sealed to this person does not open") from error


def seal_json_to(public: PublicKey, document) -> str:
    """Seal a small JSON document so that only the holder of `public`'s private half opens it."""
    return seal_to(public, json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def open_json_sealed_to(user_id: int, sealed: str):
    """A JSON document sealed to `user_id`, if the current keyring holds their private key
    (None otherwise). A changed or cut value raises SealBroken, never an empty document."""
    plain = open_sealed_to(user_id, sealed)
    if plain is None:
        return None
    try:
        return json.loads(plain.decode("utf-8", "strict"))
    except ValueError as error:
        raise SealBroken("a document sealed to this person is not what was sealed") from error


# -- Live sessions ----------------------------------------------------------------------------


def start_session_key(session: Session, user_id: int, data_key: bytes) -> str:
    """Store the data key sealed by a fresh random key; answer what the cookie carries."""
    cookie_key = new_key()
    row = SessionKey(id=secrets.token_hex(16), user_id=user_id, sealed_key=b64(seal_bytes(cookie_key, data_key)))
    session.add(row)
    return f"{row.id}.{b64(cookie_key)}"


def open_session_key(session: Session, user_id: int, carried: str | None) -> bytes | None:
    """The data key of a live session, from what its cookie carries; None if it has ended."""
    if not carried or "." not in carried:
        return None
    row_id, _, cookie_key = carried.partition(".")
    row = session.get(SessionKey, row_id[:32])
    if row is None or row.user_id != user_id:
        return None
    try:
        return open_bytes(unb64(cookie_key), unb64(row.sealed_key))
    except SealBroken:
        return None


def end_session_key(session: Session, carried: str | None) -> None:
    if carried and "." in carried:
        session.exec(delete(SessionKey).where(SessionKey.id == carried.partition(".")[0][:32]))


def end_all_session_keys(session: Session, user_id: int) -> None:
    session.exec(delete(SessionKey).where(SessionKey.user_id == user_id))


def session_count(session: Session, user_id: int) -> int:
    return len(session.exec(select(SessionKey.id).where(SessionKey.user_id == user_id)).all())


def held_copy_resolver(model, column):
    """A keyring resolver for keys kept as one sealed copy per person in `model` (rows of
    `column`, user_id, sealed): it opens the copy of someone the keyring holds."""

    def resolve(keyring, rest: str) -> bytes | None:
        from extensions import db

        if not rest.isdigit():
            return None
        with db.session.no_autoflush:  # may be asked in the middle of a flush
            rows = db.session.exec(select(model).where(column == int(rest), model.user_id.in_(keyring.people()))).all()
            for row in rows:
                key = open_sealed_to(row.user_id, row.sealed)
                if key is not None:
                    return key
        return None

    return resolve
