"""The rules of help data: what a line or service must have, finding them, and CSV."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_
from sqlmodel import Session, select

from accounts.rules import RuleError, sane_date
from extensions import contains_folded, utcnow

from . import lines
from .models import HelpService

COUNTRIES = ("SE", "DK")
KINDS = (
    "emergency",
    "line",
    "harm_reduction",
    "drop_in",
    "treatment",
    "housing_first",
    "women",
    "youth",
    "relatives",
    "legal",
    "peer_run",
)
FIELDS = (
    "id",
    "country",
    "kind",
    "name",
    "what_for",
    "region",
    "phone",
    "address",
    "hours",
    "languages",
    "self_referral",
    "hidden",
    "source",
    "last_verified",
)
LIMITS = {
    "name": 120,
    "what_for": 500,
    "region": 80,
    "phone": 30,
    "address": 200,
    "hours": 120,
    "languages": 120,
    "source": 200,
}
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{1,28}$")


class HelpError(RuleError):
    """A rule about help data said no."""


# Texts of the lines the app ships with (migration 0006) were written in Swedish; each is
# shown in the reader's language. What a coordinator writes is shown as written.
SHIPPED_TEXTS = {
    "Sjukvårdsrådgivning på telefon, dygnet runt.": _l("Health-care advice by phone, day and night."),
    "Dygnet runt": _l("Day and night"),
}


def shown_text(value: str) -> str:
    """A directory text in the reader's language when it is one the app shipped."""
    return str(SHIPPED_TEXTS[value]) if value in SHIPPED_TEXTS else value


def tel_link(phone: str) -> str:
    """The number as a tap-to-call link: digits, and a leading + if there is one."""
    digits = re.sub(r"[^0-9+]", "", phone)
    return "tel:" + digits


def country_for(user, locale: str, asked: str | None = None) -> str:
    if asked in COUNTRIES:
        return asked
    chosen = getattr(user, "country", None) if user is not None and user.is_authenticated else None
    if chosen in COUNTRIES:
        return chosen
    return "DK" if locale == "da" else "SE"


def _clean(values: dict) -> dict:
    cleaned = {}
    for name, limit in LIMITS.items():
        value = " ".join(str(values.get(name) or "").split())
        if len(value) > limit:
            raise HelpError(f"help_{name}_long", name)
        cleaned[name] = value
    country, kind = str(values.get("country") or "").upper(), str(values.get("kind") or "")
    if country not in COUNTRIES:
        raise HelpError("help_country", "country")
    if kind not in KINDS:
        raise HelpError("help_kind", "kind")
    if not cleaned["name"]:
        raise HelpError("help_name", "name")
    if cleaned["phone"] and not _PHONE.match(cleaned["phone"]):
        raise HelpError("help_phone", "phone")
    if kind in ("emergency", "line") and not cleaned["phone"]:
        raise HelpError("help_phone_needed", "phone")
    verified = values.get("last_verified")
    if isinstance(verified, str):
        try:
            verified = date.fromisoformat(verified.strip()) if verified.strip() else None
        except ValueError:
            raise HelpError("help_date", "last_verified") from None
    if not sane_date(verified):
        raise HelpError("date_range", "last_verified")
    cleaned.update(
        country=country,
        kind=kind,
        last_verified=verified,
        self_referral=_truthy(values.get("self_referral", True)),
        hidden=_truthy(values.get("hidden", False)),
    )
    return cleaned


def _truthy(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "ja", "y", "x")


def save(session: Session, values: dict, service: HelpService | None = None) -> HelpService:
    cleaned = _clean(values)
    row = service or HelpService(**{k: cleaned[k] for k in ("country", "kind", "name")})
    for key, value in cleaned.items():
        setattr(row, key, value)
    row.updated_at = utcnow()
    session.add(row)
    session.commit()
    return row


def verify(session: Session, service: HelpService, today: date) -> None:
    service.last_verified = today
    session.add(service)
    session.commit()


def set_hidden(session: Session, service: HelpService, hidden: bool) -> None:
    service.hidden = hidden
    session.add(service)
    session.commit()


@dataclass
class CrisisLine:
    """A line as the crisis page shows it: one the app ships, or one a coordinator added."""

    name: str
    phone: str
    kind: str
    what_for: str = ""
    hours: str = ""
    region: str = ""
    source: str = ""
    verified: date | None = None
    site: str = ""

    @property
    def site_name(self) -> str:
        """The site as a person would type it: mind.se."""
        return re.sub(r"^https?://(www\.)?|/$", "", self.site)


def _shipped(line: lines.Line) -> CrisisLine:
    return CrisisLine(
        name=line.name,
        phone=line.phone,
        kind=line.kind,
        what_for=str(line.what_for),
        hours=str(line.hours),
        region=str(line.region),
        source=line.source,
        verified=line.verified,
        site=line.site,
    )


def _added(row: HelpService) -> CrisisLine:
    return CrisisLine(
        name=row.name,
        phone=row.phone,
        kind=row.kind,
        what_for=shown_text(row.what_for),
        hours=shown_text(row.hours),
        region=row.region,
        source=row.source,
        verified=row.last_verified,
    )


def crisis_lines(session: Session, country: str, language: str = "en") -> tuple[list[CrisisLine], list[CrisisLine]]:
    """The emergency number first, then the country's lines: the ones the app ships (in the
    reader's language), then the ones the organisation added. A row with the number of a
    shipped line is not shown twice; hidden, it hides the shipped line too."""
    rows = session.exec(
        select(HelpService)
        .where(HelpService.country == country, HelpService.kind.in_(("emergency", "line")))
        .order_by(HelpService.name)
    ).all()
    language = (language or "en")[:2]
    hidden = {lines.digits(r.phone) for r in rows if r.hidden}
    shipped = [line for line in lines.for_country(country) if line.digits not in hidden]
    taken = {line.digits for line in lines.for_country(country)}
    added = [r for r in rows if not r.hidden and lines.digits(r.phone) not in taken]
    with force_locale(language):
        shown = [_shipped(line) for line in shipped]
    shown += [_added(r) for r in added]
    return [r for r in shown if r.kind == "emergency"], [r for r in shown if r.kind == "line"]


def directory(session: Session, *, country: str, kind: str = "", region: str = "", q: str = "") -> list[HelpService]:
    query = select(HelpService).where(
        HelpService.country == country, HelpService.hidden.is_(False), HelpService.kind.not_in(("emergency", "line"))
    )
    if kind in KINDS:
        query = query.where(HelpService.kind == kind)
    region = " ".join((region or "").split())[:80]
    if region:
        query = query.where(or_(contains_folded(session, HelpService.region, region), HelpService.region == ""))
    q = " ".join((q or "").split())[:100]
    if q:
        query = query.where(
            or_(
                contains_folded(session, HelpService.name, q),
                contains_folded(session, HelpService.what_for, q),
                contains_folded(session, HelpService.region, q),
            )
        )
    return list(session.exec(query.order_by(HelpService.region, HelpService.name)))


def visible(session: Session, user, service_id: int) -> HelpService | None:
    """A line or service everyone may see (signed in or not): one not hidden; None otherwise."""
    row = session.get(HelpService, service_id)
    return row if row is not None and not row.hidden else None


def get_service(session: Session, coordinator, service_id: int) -> HelpService | None:
    """Any line or service, hidden ones too: for the coordinator who keeps them up to date."""
    return session.get(HelpService, service_id)


def everything(session: Session) -> list[HelpService]:
    return list(session.exec(select(HelpService).order_by(HelpService.country, HelpService.kind, HelpService.name)))
