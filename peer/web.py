"""What other pages show of a peer supporter's caseload and usual hours, as template
globals (so a template another package or helper owns needs no new view argument): the
peer supporter's own "12 of 20 people" (templates/peer/_capacity.html), and the usual
hours a client sees (templates/peer/_usual_hours.html)."""

from __future__ import annotations

from dataclasses import dataclass

from babel.dates import get_timezone_name
from flask_babel import get_locale
from flask_login import current_user

from accounts.permissions import PEER
from extensions import db

from . import hours, profiles


@dataclass
class Capacity:
    carried: int
    caseload: int | None

    @property
    def full(self) -> bool:
        return self.caseload is not None and self.carried >= self.caseload


def peer_capacity() -> Capacity | None:
    """The signed-in approved peer supporter's carried people and caseload; None for anyone else."""
    if not current_user.is_authenticated or current_user.role != PEER or not current_user.is_approved_peer:
        return None
    profile = profiles.profile_of(db.session, current_user.id)
    return Capacity(profiles.carried(db.session, current_user.id), profile.caseload if profile else None)


def usual_hours_text(profile) -> str:
    return hours.describe(profile)


def usual_hours_note(profile, name: str) -> str:
    return hours.outside_note(profile, name)


def usual_hours_zone() -> str:
    return get_timezone_name(hours.service_zone(), "long", locale=str(get_locale() or "en"))


def install(app) -> None:
    app.jinja_env.globals.update(
        peer_capacity=peer_capacity,
        usual_hours_text=usual_hours_text,
        usual_hours_note=usual_hours_note,
        usual_hours_zone=usual_hours_zone,
    )
