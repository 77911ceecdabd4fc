"""Help as data: crisis and advice lines and the services of the help directory.

Coordinators keep them up to date in the app; each row says when it was last verified and
where it comes from. The repository ships only entries it is certain of."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlmodel import Field, SQLModel

from extensions import utcnow


class HelpService(SQLModel, table=True):
    __tablename__ = "help_service"

    id: Optional[int] = Field(default=None, primary_key=True)
    country: str = Field(max_length=2, index=True)  # SE, DK
    kind: str = Field(max_length=24, index=True)  # emergency, line, harm_reduction, drop_in, ...
    name: str = Field(max_length=120)
    what_for: str = Field(default="", max_length=500)
    region: str = Field(default="", max_length=80)  # region or municipality; empty = the whole country
    phone: str = Field(default="", max_length=30)
    address: str = Field(default="", max_length=200)
    hours: str = Field(default="", max_length=120)
    languages: str = Field(default="", max_length=120)
    self_referral: bool = True  # can one just come or call, without a referral
    hidden: bool = False
    source: str = Field(default="", max_length=200)
    last_verified: Optional[date] = None
    updated_at: datetime = Field(default_factory=utcnow)
