"""Tables of identity: the pseudonymous user and their one-time recovery codes."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from extensions import utcnow

from .permissions import CLIENT, EVERY_ROLE, PEER

ROLES = EVERY_ROLE


def user_fk(**kwargs) -> Column:
    """A column pointing at the user who owns a row; deleting the user deletes the row.

    Every user-owned table in every package uses this, so account deletion is one DELETE.
    """
    return Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True, **kwargs)


def user_ref() -> Column:
    """A column naming a person in a row that is someone else's (the other side of a client's
    contact, who looked at a client's entry); deleting that person leaves the row, with NULL:
    "a deleted account". The few such columns are listed, with why, in tests/test_schema.py."""
    return Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True, index=True)


def parent_fk(table: str) -> Column:
    """A column pointing at the row this one belongs to (an entry's answer, a goal's step);
    deleting the parent deletes it."""
    return Column(Integer, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=False, index=True)


class User(SQLModel, table=True):
    __tablename__ = "user"

    id: Optional[int] = Field(default=None, primary_key=True)
    handle: str = Field(max_length=32)
    # The handle folded for comparison, so "Mira" and "mira" are one person.
    handle_key: str = Field(max_length=64, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=CLIENT, max_length=16)  # one of ROLES (accounts.permissions)
    display_name: Optional[str] = Field(default=None, max_length=60)
    locale: Optional[str] = Field(default=None, max_length=8)
    time_zone: str = Field(default="Europe/Stockholm", max_length=64)
    country: Optional[str] = Field(default=None, max_length=2)  # SE or DK, for the help pages
    # Set by a coordinator; a peer supporter is not shown to anyone until it is.
    peer_approved_at: Optional[datetime] = None
    # When the approved peer supporter was told so in the app (a notice on their start page, once).
    approval_told_at: Optional[datetime] = None
    # Rotated on logout, password change and reset: every session carries it,
    # so rotating it ends all other sessions on every host at once.
    session_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    password_changed_at: datetime = Field(default_factory=utcnow)
    # The optional PIN lock for a shared phone (accounts/lock.py): hashed like a password,
    # asked after this many idle minutes; wrong tries count here, so a new session does not reset them.
    pin_hash: Optional[str] = Field(default=None, max_length=255)
    pin_idle_minutes: int = Field(default=5)
    pin_tries: int = Field(default=0)
    # "Keep my diary for": None keeps everything; else diary entries and daily check-ins
    # older than this many days are deleted by the worker (diary/retention.py). Readable on
    # purpose: the worker deletes by date and owner alone, without opening any row.
    keep_diary_days: Optional[int] = None

    @property
    def is_approved_peer(self) -> bool:
        """A peer supporter a coordinator has approved: the only kind clients can find."""
        return self.role == PEER and self.peer_approved_at is not None

    # Flask-Login's user protocol.
    @property
    def is_active(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def is_authenticated(self) -> bool:
        return True

    def get_id(self) -> str:
        return f"{self.id}.{self.session_token}"


class RecoveryCode(SQLModel, table=True):
    __tablename__ = "recovery_code"

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk())
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    used_at: Optional[datetime] = None
    # The person's data key, sealed by a key derived from this code (argon2id with `kdf`).
    wrapped_key: Optional[str] = Field(default=None, max_length=200)
    kdf: Optional[str] = Field(default=None, max_length=80)  # "t,m,p,salt"


class UserKey(SQLModel, table=True):
    """A person's keys, only ever stored sealed: the random data key that seals what they
    write, sealed by a key derived from their password; and their key pair, whose private
    half is sealed by the data key (others seal to the public half)."""

    __tablename__ = "user_key"

    user_id: int = Field(sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True))
    kdf: str = Field(max_length=80)  # "t,m,p,salt" of the argon2id that made the password key
    by_password: str = Field(max_length=200)
    public_key: str = Field(max_length=64)
    private_sealed: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)


class SessionKey(SQLModel, table=True):
    """One logged-in session's way to the data key: the data key sealed by a random key that
    only the session's cookie carries. Neither the cookie nor this row alone opens it;
    logging out deletes the row."""

    __tablename__ = "session_key"

    id: str = Field(primary_key=True, max_length=32)
    user_id: int = Field(sa_column=user_fk())
    sealed_key: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
