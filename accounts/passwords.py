"""Password hashing (argon2id), the rule for a good-enough password, and recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import Type, hash_secret_raw
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 200

# Words people in Sweden and Denmark often build passwords from; the English ones are
# already in zxcvbn's own frequency lists.
_LOCAL_WORDS = (
    "lösenord",
    "losenord",
    "adgangskode",
    "kodeord",
    "hemligt",
    "hemmelig",
    "sommar",
    "sommer",
    "vinter",
    "hejsan",
    "hejhej",
    "sverige",
    "danmark",
    "stockholm",
    "göteborg",
    "malmö",
    "københavn",
    "kobenhavn",
    "aarhus",
    "qwertyuiop",
    "asdfghjkl",
    "älskling",
    "elskling",
    "kärlek",
    "kærlighed",
    "fotboll",
    "fodbold",
    "nära",
)

_hasher: PasswordHasher = PasswordHasher()


def configure(time_cost: int, memory_cost: int, parallelism: int) -> None:
    """Set the argon2id cost once at start-up (tests use a cheap one)."""
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def key_cost() -> str:
    """The argon2id cost a new password key is made with, and a fresh salt: "t,m,p,salt"."""
    return f"{_hasher.time_cost},{_hasher.memory_cost},{_hasher.parallelism},{secrets.token_hex(16)}"


def derive_key(secret: str, cost: str) -> bytes:
    """A 32-byte key from a password or recovery code, by argon2id with the stored cost."""
    time_cost, memory_cost, parallelism, salt = cost.split(",")
    return hash_secret_raw(
        secret.encode("utf-8"),
        bytes.fromhex(salt),
        time_cost=int(time_cost),
        memory_cost=int(memory_cost),
        parallelism=int(parallelism),
        hash_len=32,
        type=Type.ID,
    )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


_DUMMY_HASH: str | None = None


def burn_time(password: str) -> None:
    """Spend as long as a real check, so an unknown handle cannot be told apart by timing."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash(secrets.token_hex(16))
    verify_password(_DUMMY_HASH, password)


def password_problem(password: str, handle: str = "") -> str | None:
    """Why a new password will not do, as a key for a message, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    lowered = password.casefold()
    if handle and handle.casefold() in lowered:
        return "contains_handle"
    if len(set(lowered)) <= 3:
        return "common"
    stripped = lowered.strip("0123456789!?.-_ ")
    if stripped in _LOCAL_WORDS or lowered in _LOCAL_WORDS:
        return "common"
    # zxcvbn only needs the start of very long inputs to judge them.
    result = zxcvbn(password[:64], user_inputs=[handle] if handle else [])
    if result["score"] < 2:
        return "common"
    return None


# Recovery codes: 16 characters from an alphabet without look-alikes (80 bits of chance),
# shown in groups of four. With that much randomness a fast hash is enough; argon2 would
# make checking eight codes at a reset needlessly slow.
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_COUNT = 8


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.casefold() if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(("nara-recovery:" + normalise_code(code)).encode()).hexdigest()


def code_matches(code_hash: str, code: str) -> bool:
    return hmac.compare_digest(code_hash, hash_code(code))
