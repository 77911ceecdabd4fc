"""Tables of drug-supply warnings: the warnings themselves (public information, not about
any person), and each client's choice of areas, which says something about them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from accounts.models import user_fk
from accounts.sealing import by_owner, sealed_field, watch
from extensions import utcnow


class SupplyWarning(SQLModel, table=True):
    """A warning a coordinator published. It names no person: not even who published it."""

    __tablename__ = "supply_warning"

    id: Optional[int] = Field(default=None, primary_key=True)
    country: str = Field(max_length=2, index=True)  # SE, DK
    region: str = Field(default="", max_length=8)  # an ISO 3166-2 code (SE-M); empty = the whole country
    found: str = Field(max_length=500)  # what was found
    place: str = Field(default="", max_length=200)  # where, in the coordinator's words
    advice: str = Field(max_length=1000)  # what to do
    source_name: str = Field(max_length=120)
    source_url: str = Field(max_length=300)
    ends_on: date = Field(index=True)  # shown while this day has not passed in the reader's zone
    ended_at: Optional[datetime] = None  # ended early by a coordinator
    client_key: Optional[str] = Field(default=None, max_length=40, unique=True)  # a double tap stores once
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


@watch
class WarningChoice(SQLModel, table=True):
    """A client's areas and whether a new warning may send a notification: sealed by their own
    key. `tokens` lets the server find who to notify without reading the choice: keyed hashes
    of (person, area) under a key kept outside the database, always as many, padded at random
    (supply/service.py), so the database alone says neither the areas nor whether it is off."""

    __tablename__ = "warning_choice"
    __sealed__ = {"areas": by_owner, "notify": by_owner}

    id: Optional[int] = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=user_fk(unique=True))
    areas: str = sealed_field(default="")  # "SE,SE-M": the areas chosen, comma separated
    notify: str = sealed_field(default="1")  # "1" or "0"
    tokens: str = Field(default="", max_length=2000)
    updated_at: datetime = Field(default_factory=utcnow)
