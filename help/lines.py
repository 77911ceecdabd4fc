"""The national lines the app ships with: numbers an organisation can rely on in Sweden and
Denmark, each checked against a public source on the date it says.

What a line is for and when it is open are facts about the line, so they are kept here with
it in each of the app's languages: whoever checks a line against its source checks all three
texts at once. The page picks the reader's language. A coordinator's own lines (help_service)
come after these; a coordinator who hides a row with the same number hides the shipped line
too. Only lines whose number was confirmed in a source are here: a line we could not
confirm is left out rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

LANGUAGES = ("sv", "da", "en")
CHECKED = date(2026, 11, 30)


@dataclass(frozen=True)
class Line:
    key: str
    country: str  # SE, DK
    kind: str  # emergency, line
    name: str
    phone: str
    what_for: dict[str, str]  # by language
    hours: dict[str, str]  # by language
    source: str  # the public page the number and hours were checked against
    verified: date
    region: dict[str, str] = field(default_factory=dict)  # empty: the whole country
    site: str = ""  # the line's own site, where a chat or today's hours are

    def text(self, values: dict[str, str], language: str) -> str:
        """A text in the reader's language; English where the language is not one of ours."""
        return values.get(language) or values.get("en", "")

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
        what_for={
            "sv": "Om ett liv är i fara, eller om någon inte vaknar eller inte andas. "
            "SOS Alarm svarar och skickar ambulans, polis eller räddningstjänst. Samtalet är gratis.",
            "da": "Hvis et liv er i fare, eller hvis nogen ikke vågner eller ikke trækker vejret. "
            "SOS Alarm svarer og sender ambulance, politi eller redning. Det er gratis at ringe.",
            "en": "If a life is in danger, or someone will not wake up or breathe. "
            "SOS Alarm answers and sends an ambulance, the police or the rescue service. The call is free.",
        },
        hours={"sv": "Dygnet runt", "da": "Døgnet rundt", "en": "Day and night"},
        source="https://www.orebro.se/kommun--politik/kris--sakerhet/akuthjalp.html",
        verified=CHECKED,
    ),
    Line(
        key="se-mind",
        country="SE",
        kind="line",
        name="Mind Självmordslinjen",
        phone="90101",
        what_for={
            "sv": "För dig som har tankar på att ta ditt liv, eller mår mycket dåligt. "
            "Du kan vara anonym. Du kan också chatta på mind.se.",
            "da": "Til dig, der har tanker om at tage dit liv, eller har det meget svært. "
            "Du kan være anonym. Du kan også chatte på mind.se (på svensk).",
            "en": "For you if you have thoughts of ending your life, or feel very low. "
            "You can stay anonymous. You can also chat at mind.se (in Swedish).",
        },
        hours={
            "sv": "Dygnet runt, telefon och chatt",
            "da": "Døgnet rundt, telefon og chat",
            "en": "Day and night, phone and chat",
        },
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
        what_for={
            "sv": "Råd om förgiftning, också om droger och läkemedel, när det inte är akut. "
            "Är det akut: ring 112 och be att få Giftinformation.",
            "da": "Råd om forgiftning, også med stoffer og medicin, når det ikke haster. "
            "Haster det: ring 112 og bed om Giftinformation.",
            "en": "Advice on poisoning, drugs and medicines included, when it is not urgent. "
            "If it is urgent: call 112 and ask for Poison Information.",
        },
        hours={"sv": "Dygnet runt", "da": "Døgnet rundt", "en": "Day and night"},
        source="https://giftinformation.se/om-giftinformationscentralen-avd/faq/",
        verified=CHECKED,
    ),
    Line(
        key="se-1177",
        country="SE",
        kind="line",
        name="1177 Vårdguiden",
        phone="1177",
        what_for={
            "sv": "En sjuksköterska ger råd om du är sjuk eller skadad och säger vart du kan vända dig.",
            "da": "En sygeplejerske giver råd, hvis du er syg eller kommet til skade, og siger, hvor du kan få hjælp.",
            "en": "A nurse gives advice if you are ill or hurt, and tells you where to get care.",
        },
        hours={"sv": "Dygnet runt", "da": "Døgnet rundt", "en": "Day and night"},
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
        what_for={
            "sv": "Om ett liv är i fara, eller om någon inte vaknar eller inte andas. "
            "Larmcentralen skickar ambulans, polis eller räddningstjänst. Samtalet är gratis.",
            "da": "Hvis et liv er i fare, eller hvis nogen ikke vågner eller ikke trækker vejret. "
            "Alarmcentralen sender ambulance, politi eller redning. Det er gratis at ringe.",
            "en": "If a life is in danger, or someone will not wake up or breathe. "
            "The alarm centre sends an ambulance, the police or the rescue service. The call is free.",
        },
        hours={"sv": "Dygnet runt", "da": "Døgnet rundt", "en": "Day and night"},
        source="https://www.regionh.dk/presse-og-nyt/pressemeddelelser-og-nyheder/Sider/Fakta-om-1813.aspx",
        verified=CHECKED,
    ),
    Line(
        key="dk-giftlinjen",
        country="DK",
        kind="line",
        name="Giftlinjen",
        phone="82 12 12 12",
        what_for={
            "sv": "Råd om förgiftning, också om droger och läkemedel. Sjuksköterskor svarar, i hela Danmark.",
            "da": "Råd ved forgiftning, også med stoffer og medicin. Sygeplejersker svarer, i hele landet.",
            "en": "Advice on poisoning, drugs and medicines included. Nurses answer, for all of Denmark.",
        },
        hours={"sv": "Dygnet runt", "da": "Døgnet rundt", "en": "Day and night"},
        source="https://www.sst.dk/da/udgivelser/2009/Rationel-Farmakoterapi-5-2009/Giftlinjen",
        verified=CHECKED,
    ),
    Line(
        key="dk-livslinien",
        country="DK",
        kind="line",
        name="Livslinien",
        phone="70 201 201",
        what_for={
            "sv": "För dig som har tankar på att ta ditt liv. Du kan vara anonym. Frivilliga rådgivare svarar.",
            "da": "Til dig, der har tanker om at tage dit liv. Du kan være anonym. Frivillige rådgivere svarer.",
            "en": "For you if you have thoughts of ending your life. You can stay anonymous. Trained volunteers answer.",
        },
        hours={
            "sv": "Alla dagar; dagens tider står på livslinien.dk",
            "da": "Alle dage; dagens åbningstid står på livslinien.dk",
            "en": "Every day; today's hours are on livslinien.dk",
        },
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
        what_for={
            "sv": "Region Hovedstadens sjukvårdsnummer: ring innan du åker till akuten, "
            "eller när din egen läkare har stängt.",
            "da": "Region Hovedstadens akuttelefon: ring, før du tager på akutmodtagelsen, "
            "eller når din egen læge har lukket.",
            "en": "The Capital Region's medical helpline: call before you go to the emergency "
            "department, or when your own doctor is closed.",
        },
        hours={
            "sv": "Dygnet runt. Vid sjukdom vardagar 8–16: ring din egen läkare först.",
            "da": "Døgnet rundt. Ved sygdom på hverdage kl. 8–16: ring først til din egen læge.",
            "en": "Day and night. If you are ill on a weekday 8–16, call your own doctor first.",
        },
        region={"sv": "Region Hovedstaden", "da": "Region Hovedstaden", "en": "Capital Region of Denmark"},
        source="https://www.regionh.dk/presse-og-nyt/pressemeddelelser-og-nyheder/Sider/Fakta-om-1813.aspx",
        verified=CHECKED,
    ),
)


def for_country(country: str) -> list[Line]:
    return [line for line in LINES if line.country == country]
