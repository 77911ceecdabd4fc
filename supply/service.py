"""The rules of drug-supply warnings: publishing, editing and ending one; which areas there
are; a client's choice of areas; who sees a warning, and who gets a neutral push for it."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import or_
from sqlmodel import Session, select

from accounts.models import User
from accounts.permissions import CLIENT
from accounts.rules import RuleError, sane_date
from diary.days import zone_of
from extensions import commit_once, utcnow
from help.service import COUNTRIES, country_for
from push import outbox
from push.models import PushSubscription

from .models import SupplyWarning, WarningChoice

LONGEST_AHEAD = 90  # days: a warning ends by itself at most this far ahead
LIMITS = {"found": 500, "place": 200, "advice": 1000, "source_name": 120, "source_url": 300}
# The regions of each country (ISO 3166-2), by their own names: proper names, not translated.
REGIONS = {
    "SE": {
        "SE-K": "Blekinge",
        "SE-W": "Dalarna",
        "SE-I": "Gotland",
        "SE-X": "Gävleborg",
        "SE-N": "Halland",
        "SE-Z": "Jämtland Härjedalen",
        "SE-F": "Jönköping",
        "SE-H": "Kalmar",
        "SE-G": "Kronoberg",
        "SE-BD": "Norrbotten",
        "SE-M": "Skåne",
        "SE-AB": "Stockholm",
        "SE-D": "Sörmland",
        "SE-C": "Uppsala",
        "SE-S": "Värmland",
        "SE-AC": "Västerbotten",
        "SE-Y": "Västernorrland",
        "SE-U": "Västmanland",
        "SE-O": "Västra Götaland",
        "SE-T": "Örebro",
        "SE-E": "Östergötland",
    },
    "DK": {
        "DK-84": "Hovedstaden",
        "DK-85": "Sjælland",
        "DK-83": "Syddanmark",
        "DK-82": "Midtjylland",
        "DK-81": "Nordjylland",
    },
}
AREAS = tuple(area for country in COUNTRIES for area in (country, *REGIONS[country]))
TOKENS = len(AREAS) + len(COUNTRIES)  # every area, and "anywhere in" each country: the most one choice makes


class SupplyError(RuleError):
    """A rule about drug-supply warnings said no."""


def country_of(area: str) -> str:
    return area.split("-")[0]


def area_of(warning: SupplyWarning) -> str:
    return warning.region or warning.country


# -- Warnings --------------------------------------------------------------------------------


def today_in(zone: ZoneInfo) -> date:
    return utcnow().replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()


def _clean(values: dict, today: date) -> dict:
    cleaned = {}
    for name, limit in LIMITS.items():
        text = str(values.get(name) or "").strip()
        text = text if name in ("found", "advice") else " ".join(text.split())
        if len(text) > limit:
            raise SupplyError("supply_too_long", name)
        cleaned[name] = text
    area = str(values.get("area") or "")
    if area not in AREAS:
        raise SupplyError("supply_area", "area")
    for name in ("found", "advice", "source_name", "source_url"):
        if not cleaned[name]:
            raise SupplyError(f"supply_{name}_needed", name)
    if not cleaned["source_url"].lower().startswith(("https://", "http://")) or " " in cleaned["source_url"]:
        raise SupplyError("supply_source_url", "source_url")
    ends_on = values.get("ends_on")
    if not isinstance(ends_on, date) or not sane_date(ends_on):
        raise SupplyError("supply_ends_needed", "ends_on")
    if ends_on < today:
        raise SupplyError("supply_ends_past", "ends_on")
    if ends_on > today + timedelta(days=LONGEST_AHEAD):
        raise SupplyError("supply_ends_far", "ends_on")
    cleaned.update(country=country_of(area), region=area if "-" in area else "", ends_on=ends_on)
    return cleaned


def publish(session: Session, values: dict, today: date, client_key: str | None = None) -> tuple[SupplyWarning, int]:
    """Publish a warning and write a neutral push for each client who chose its area and did
    not turn notifications of warnings off. The same form sent twice stores one warning and
    notifies once. Returns the warning and how many devices were notified."""
    cleaned = _clean(values, today)
    if client_key and (earlier := _by_key(session, client_key)) is not None:
        return earlier, 0
    warning = SupplyWarning(**cleaned, client_key=client_key or None)
    session.add(warning)
    # The same key sent at the same moment meets the unique key here, before anyone is told.
    if (
        earlier := commit_once(session, lambda: _by_key(session, client_key) if client_key else None, flush_only=True)
    ) is not None:
        return earlier, 0
    notified = _notify(session, warning)
    session.commit()
    return warning, notified


def _by_key(session: Session, client_key: str) -> SupplyWarning | None:
    return session.exec(select(SupplyWarning).where(SupplyWarning.client_key == client_key)).first()


def edit(session: Session, warning: SupplyWarning, values: dict, today: date) -> SupplyWarning:
    """Change a warning (a mistake, a longer end date). Nobody is notified again."""
    for key, value in _clean(values, today).items():
        setattr(warning, key, value)
    warning.updated_at = utcnow()
    session.add(warning)
    session.commit()
    return warning


def end_now(session: Session, warning: SupplyWarning) -> None:
    if warning.ended_at is None:
        warning.ended_at = utcnow()
        warning.updated_at = warning.ended_at
        session.add(warning)
        session.commit()


def get_warning(session: Session, _user, warning_id: int) -> SupplyWarning | None:
    return session.get(SupplyWarning, warning_id)


def is_active(warning: SupplyWarning, today: date) -> bool:
    return warning.ended_at is None and warning.ends_on >= today


def _active(today: date):
    return select(SupplyWarning).where(SupplyWarning.ended_at.is_(None), SupplyWarning.ends_on >= today)


def current_and_past(session: Session, today: date, past_limit: int = 50) -> tuple[list, list]:
    """The public list: active warnings, newest first, then the ended ones."""
    current = session.exec(_active(today).order_by(SupplyWarning.created_at.desc())).all()
    past = session.exec(
        select(SupplyWarning)
        .where(or_(SupplyWarning.ended_at.is_not(None), SupplyWarning.ends_on < today))
        .order_by(SupplyWarning.created_at.desc())
        .limit(past_limit)
    ).all()
    return list(current), list(past)


def wanted(areas: list[str], warning: SupplyWarning) -> bool:
    """A warning for a region reaches who chose the region or its whole country; one for a
    whole country reaches everyone who chose anything in it."""
    if warning.country in areas:
        return True
    if warning.region:
        return warning.region in areas
    return any(country_of(area) == warning.country for area in areas)


def active_for(session: Session, areas: list[str], today: date) -> list[SupplyWarning]:
    if not areas:
        return []
    countries = {country_of(area) for area in areas}
    rows = session.exec(
        _active(today).where(SupplyWarning.country.in_(countries)).order_by(SupplyWarning.created_at.desc())
    ).all()
    return [row for row in rows if wanted(areas, row)]


def active_in_country(session: Session, country: str, today: date) -> list[SupplyWarning]:
    return list(
        session.exec(_active(today).where(SupplyWarning.country == country).order_by(SupplyWarning.created_at.desc()))
    )


# -- A client's choice -----------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    areas: list[str]
    notify: bool
    chosen: bool  # False: nothing saved yet, the defaults apply


def default_areas(user) -> list[str]:
    return [country_for(user, user.locale or "sv")]


def choice_of(session: Session, user) -> Choice:
    """The client's areas and whether they get a push; before they choose: their country, on.
    Opens sealed values: only in the client's own request."""
    row = session.exec(select(WarningChoice).where(WarningChoice.user_id == user.id)).first()
    if row is None:
        return Choice(default_areas(user), True, False)
    areas = [area for area in (row.areas or "").split(",") if area in AREAS]
    return Choice(areas, row.notify == "1", True)


def save_choice(session: Session, user, areas: list[str], notify: bool) -> Choice:
    unknown = [area for area in areas if area not in AREAS]
    if unknown:
        raise SupplyError("supply_area", "areas")
    areas = [area for area in AREAS if area in areas]  # in the list's order, each once
    row = session.exec(select(WarningChoice).where(WarningChoice.user_id == user.id)).first()
    row = row or WarningChoice(user_id=user.id)
    row.areas = ",".join(areas)
    row.notify = "1" if notify else "0"
    row.tokens = _tokens(user.id, areas if notify else [])
    row.updated_at = utcnow()
    session.add(row)
    session.commit()
    return Choice(areas, notify, True)


def _token_key() -> bytes:
    return hashlib.sha256(b"nara-supply-areas\0" + current_app.secret_key.encode()).digest()


def _token(key: bytes, user_id: int, what: str) -> str:
    return hmac.new(key, f"u{user_id}|{what}".encode(), hashlib.sha256).hexdigest()[:32]


def _tokens(user_id: int, areas: list[str]) -> str:
    """What the server may match without opening the choice: for each area chosen a keyed
    hash of it and of "anywhere in its country"; padded to always TOKENS values at random and
    shuffled, so their number says nothing (not even whether notifications are off)."""
    key = _token_key()
    found = {_token(key, user_id, area) for area in areas}
    found |= {_token(key, user_id, f"{country_of(area)}*") for area in areas}
    values = list(found) + [secrets.token_hex(16) for _ in range(TOKENS - len(found))]
    secrets.SystemRandom().shuffle(values)
    return " ".join(values)


def _matches(key: bytes, user_id: int, tokens: set[str], warning: SupplyWarning) -> bool:
    if _token(key, user_id, warning.country) in tokens:
        return True
    return _token(key, user_id, warning.region or f"{warning.country}*") in tokens


def recipients(session: Session, warning: SupplyWarning) -> list[int]:
    """The clients to notify of a new warning: those who chose its area and left notifications
    on; a client who has not chosen yet, when the warning is in their country."""
    key = _token_key()
    with_devices = select(PushSubscription.user_id)
    people = session.exec(
        select(User, WarningChoice.tokens)
        .join(WarningChoice, WarningChoice.user_id == User.id, isouter=True)
        .where(User.role == CLIENT, User.id.in_(with_devices))
        .order_by(User.id)
    ).all()
    found = []
    for user, tokens in people:
        if tokens is None:  # never chose: the defaults
            if wanted(default_areas(user), warning):
                found.append(user.id)
        elif _matches(key, user.id, set(tokens.split()), warning):
            found.append(user.id)
    return found


def _notify(session: Session, warning: SupplyWarning) -> int:
    return sum(outbox.enqueue(session, user_id, "supply", "/warnings") for user_id in recipients(session, warning))


def reader_today(user) -> date:
    """Today where the reader is: their own zone, or Sweden's for someone not signed in."""
    if user is not None and getattr(user, "is_authenticated", False):
        return today_in(zone_of(user))
    return today_in(ZoneInfo("Europe/Stockholm"))
