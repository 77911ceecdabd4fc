"""The national lines the app ships with: numbers an organisation can rely on in Sweden and
Denmark, each checked against a public source on the date it says.

What a line is for and when it is open go through Babel like every other text (English here,
Swedish and Danish in the catalogs): whoever checks a line against its source checks its
three texts in translations/ too. A coordinator's own lines (help_service)
come after these; a coordinator who hides a row with the same number hides the shipped line
too. Only lines whose number was confirmed in a source are here: a line we could not
confirm is left out rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

LANGUAGES = ("sv", "da", "en")
CHECKED = date(2026, 11, 30)


@dataclass(frozen=True)
class Line:
    key: str
    country: str  # SE, DK
    kind: str  # emergency, line
    name: str
    phone: str
    what_for: object  # a lazy text, read in the reader's language
    hours: object
    source: str  # the public page the number and hours were checked against
    verified: date
    region: object = ""  # empty: the whole country
    site: str = ""  # the line's own site, where a chat or today's hours are

    @property
    def digits(self) -> str:
        return digits(self.phone)


def digits(phone: str) -> str:
    """The number as dialled: what two ways of writing it have in common."""
    return re.sub(r"[^0-9]", "", phone or "")


LINES: tuple[Line, ...] = (
    # Sweden
    Line(
        key="se-112",
        country="SE",
        kind="emergency",
        name="112",
        phone="112",
        what_for=_l(
            "If a life is in danger, or someone will not wake up or breathe. SOS Alarm answers and sends an ambulance, the police or the rescue service. The call is free."
        ),
        hours=_l("Day and night"),
        source="https://www.orebro.se/kommun--politik/kris--sakerhet/akuthjalp.html",
        verified=CHECKED,
    ),
    Line(
        key="se-mind",
        country="SE",
        kind="line",
        name="Mind Självmordslinjen",
        phone="90101",
        what_for=_l(
            "For you if you have thoughts of ending your life, or feel very low. You can stay anonymous. You can also chat at mind.se (in Swedish)."
        ),
        hours=_l("Day and night, phone and chat"),
        source="https://mind.se/sjalvmordslinjen/fragor-och-svar-om-sjalvmordslinjen/",
        verified=CHECKED,
        site="https://mind.se/",
    ),
    Line(
        key="se-giftinformation",
        country="SE",
        kind="line",
        name="Giftinformationscentralen",
        phone="010-456 67 00",
        what_for=_l(
            "Advice on poisoning, drugs and medicines included, when it is not urgent. If it is urgent: call 112 and ask for Poison Information."
        ),
        hours=_l("Day and night"),
        source="https://giftinformation.se/om-giftinformationscentralen-avd/faq/",
        verified=CHECKED,
    ),
    Line(
        key="se-1177",
        country="SE",
        kind="line",
        name="1177 Vårdguiden",
        phone="1177",
        what_for=_l("A nurse gives advice if you are ill or hurt, and tells you where to get care."),
        hours=_l("Day and night"),
        source="https://www.1177.se/stockholm/om-1177/nar-du-ringer-1177/nar-du-ringer-1177/",
        verified=CHECKED,
    ),
    # Denmark
    Line(
        key="dk-112",
        country="DK",
        kind="emergency",
        name="112",
        phone="112",
        what_for=_l(
            "If a life is in danger, or someone will not wake up or breathe. The alarm centre sends an ambulance, the police or the rescue service. The call is free."
        ),
        hours=_l("Day and night"),
        source="https://www.regionh.dk/presse-og-nyt/pressemeddelelser-og-nyheder/Sider/Fakta-om-1813.aspx",
        verified=CHECKED,
    ),
    Line(
        key="dk-giftlinjen",
        country="DK",
        kind="line",
        name="Giftlinjen",
        phone="82 12 12 12",
        what_for=_l("Advice on poisoning, drugs and medicines included. Nurses answer, for all of Denmark."),
        hours=_l("Day and night"),
        source="https://www.sst.dk/da/udgivelser/2009/Rationel-Farmakoterapi-5-2009/Giftlinjen",
        verified=CHECKED,
    ),
    Line(
        key="dk-livslinien",
        country="DK",
        kind="line",
        name="Livslinien",
        phone="70 201 201",
        what_for=_l(
            "For you if you have thoughts of ending your life. You can stay anonymous. Trained volunteers answer."
        ),
        hours=_l("Every day; today's hours are on livslinien.dk"),
        source="https://cphpost.dk/2015-10-26/news/suicide-prevention-lifeline-gets-funding-to-stay-open-at-night/",
        verified=CHECKED,
        site="https://www.livslinien.dk/",
    ),
    Line(
        key="dk-1813",
        country="DK",
        kind="line",
        name="Akuttelefonen 1813",
        phone="1813",
        what_for=_l(
            "The Capital Region's medical helpline: call before you go to the emergency department, or when your own doctor is closed."
        ),
        hours=_l("Day and night. If you are ill on a weekday 8–16, call your own doctor first."),
        region=_l("Capital Region of Denmark"),
        source="https://www.regionh.dk/presse-og-nyt/pressemeddelelser-og-nyheder/Sider/Fakta-om-1813.aspx",
        verified=CHECKED,
    ),
)


def for_country(country: str) -> list[Line]:
    return [line for line in LINES if line.country == country]
