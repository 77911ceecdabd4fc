"""Overdose first aid: what the page /help/first-aid says, section by section, each with
the public pages it was checked against and the day it was last reviewed.

The words are our own, in short sentences; the facts are from the sources named beside
them. A fact we could not find in a source is not here. Whoever reviews the page again
checks each section against its sources and moves REVIEWED to that day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

# The day every section below was last checked against its sources.
REVIEWED = date(2026, 11, 30)


@dataclass(frozen=True)
class Source:
    body: str  # the authority or body that published the page, as it names itself
    url: str


@dataclass(frozen=True)
class Section:
    key: str  # the section's id on the page (#key)
    title: object
    points: tuple
    sources: tuple[Source, ...]
    drawing: str = ""  # an inline drawing the template shows beside the points


SOCIALSTYRELSEN_NALOXON = Source(
    "Socialstyrelsen",
    "https://www.socialstyrelsen.se/kunskapsstod-och-regler/omraden/missbruk-och-beroende/material-om-naloxon/",
)
VENTIZOLVE_LEAFLET = Source(
    "Indlægsseddel: Ventizolve (naloxon)", "https://www.indlaegssedler.dk/indlaegssedler/indlaegsseddel/30925"
)
ANTIDOTE_DK = Source("Antidote Danmark", "http://antidote.dk/f%C3%B8rstehj%C3%A6lp-og-modgift-ved-en-overdosis")
GIC_AMPHETAMINE = Source("Giftinformationscentralen", "https://giftinformation.se/lakare/substanser/amfetamin/")
SE_112 = Source("Örebro kommun", "https://www.orebro.se/kommun--politik/kris--sakerhet/akuthjalp.html")
DK_112 = Source(
    "Region Hovedstaden", "https://www.regionh.dk/presse-og-nyt/pressemeddelelser-og-nyheder/Sider/Fakta-om-1813.aspx"
)
LMV_OTC = Source(
    "Läkemedelsverket (via Medicinsk Access)", "https://medicinskaccess.se/nyheter/naloxon-blir-receptfritt/"
)
VARDHANDBOKEN_SIDE = Source(
    "Vårdhandboken", "https://www.vardhandboken.se/vard-och-behandling/hjart-lungraddning/stabilt-sidolage/"
)
HELSENORGE = Source(
    "Helsenorge (Helsedirektoratet, Norge)", "https://www.helsenorge.no/rus-og-avhengighet/forebygging-av-overdose/"
)
SAVELIFE_SIDE = Source("Savelife", "https://www.savelife.se/forstahjalpen-handbok/stabilt-sidolage/")
RUSINFO_STIMULANT = Source(
    "RUSinfo (Norge)",
    "https://rusinfo.no/fakta-om-rusmidler/fakta-om-amfetamin/overdose-forgiftning-pa-amfetamin-metametamin/",
)
SKANE_NALOXONE = Source(
    "1177 Region Skåne",
    "https://www.1177.se/Skane/behandling--hjalpmedel/behandling-med-lakemedel/behandlingar-med-lakemedel/naloxon-vid-opioidoverdos-i-skane/",
)
LAKARTIDNINGEN_REGIONS = Source(
    "Läkartidningen", "https://lakartidningen.se/aktuellt/nyheter/2021/04/naloxon-nu-tillgangligt-i-fler-regioner/"
)
TV2_OTC = Source("TV 2 Fyn", "https://www.tv2fyn.dk/danmark/fra-i-dag-kan-naesespray-mod-overdosis-koebes-i-haandkoeb")
SST_NALOXONE = Source(
    "Sundhedsstyrelsen", "https://www.sst.dk/da/Puljer/Forebyggelse-af-overdosisdoedsfald-med-Naloxon-1_-udmoentning"
)
AARHUS_ALONE = Source(
    "Institut for Retsmedicin, Aarhus Universitet (via Kristeligt Dagblad)",
    "https://www.kristeligt-dagblad.dk/danmark/mangel-paa-hjaelp-ved-opiodindtag-oeger-risiko-doedsfald",
)
OD_MYTHS = Source("OD Prevention", "http://odprevention.org/myths-about-overdose/")

SECTIONS = (
    Section(
        "opioid",
        _l("Signs of an opioid overdose"),
        (
            _l("Opioids are for example heroin, methadone, fentanyl, morphine, oxycodone and tramadol."),
            _l("They breathe slowly, weakly, or not at all."),
            _l("They are very sleepy, or do not react when you shout or touch them."),
            _l("Their pupils are very small."),
            _l("Their lips or nails turn blue."),
            _l("Alcohol, sleeping pills or calming medicines taken too make the breathing even weaker."),
        ),
        (SOCIALSTYRELSEN_NALOXON, VENTIZOLVE_LEAFLET, ANTIDOTE_DK),
    ),
    Section(
        "stimulant",
        _l("Signs of a stimulant overdose"),
        (
            _l("Stimulants are for example amphetamine and methamphetamine."),
            _l("They are very restless, agitated or confused."),
            _l("Their heart races, and their body gets hot. A body that gets very hot is a serious sign."),
            _l("They see or hear things that are not there."),
            _l("Their muscles twitch, or they have a seizure (a fit)."),
            _l("They have chest pain, or signs of a stroke."),
            _l("They pass out."),
        ),
        (GIC_AMPHETAMINE, RUSINFO_STIMULANT),
    ),
    Section(
        "call",
        _l("Call 112"),
        (
            _l("Call 112 at once. It is the number for an ambulance in Sweden and in Denmark."),
            _l("If you are not sure what to do, the person who answers can guide you."),
            _l("When the ambulance comes, tell them what was taken, if you know."),
            _l("Naloxone does not replace the ambulance. Call 112 even if you have given it."),
        ),
        (SE_112, DK_112, RUSINFO_STIMULANT, VENTIZOLVE_LEAFLET, LMV_OTC),
    ),
    Section(
        "breathing",
        _l("Breathing"),
        (
            _l("Tip the head back to open the airway. Look, listen and feel if they breathe."),
            _l(
                "If they do not breathe, or breathe strangely: lay them on their back and start CPR. Press on the chest 30 times, then give 2 rescue breaths."
            ),
            _l("Keep going until the ambulance comes or they breathe normally."),
        ),
        (VARDHANDBOKEN_SIDE, HELSENORGE),
    ),
    Section(
        "side",
        _l("The recovery position"),
        (
            _l("If they breathe but do not wake up, turn them on their side."),
            _l("On their back, the tongue can fall back and block the airway."),
            _l("Put the arm nearest you out to the side. Put their other hand against their cheek."),
            _l("Bend the far knee up. Pull the knee towards you, so they roll onto their side, facing you."),
            _l("Tip the head back so the airway stays open. The hand under the cheek holds the head."),
            _l("Keep them warm, with a blanket or a jacket under and over them."),
            _l("Check all the time that they breathe. If they stop, roll them onto their back and start CPR."),
        ),
        (VARDHANDBOKEN_SIDE, SAVELIFE_SIDE),
        drawing="side",
    ),
    Section(
        "naloxone",
        _l("Naloxone"),
        (
            _l("Naloxone is a medicine that stops an opioid overdose for a while. It comes as a nasal spray."),
            _l("It does not harm someone who has not taken opioids. It works only against opioids."),
            _l("Each spray holds one dose. If they do not start breathing after the first dose, give another."),
            _l(
                "It wears off sooner than many opioids, after about an hour or an hour and a half. The overdose can come back."
            ),
            _l("So stay with the person, and call 112 even if they wake up."),
            _l("If you carry naloxone, tell the people around you where you keep it."),
        ),
        (SKANE_NALOXONE, VENTIZOLVE_LEAFLET, ANTIDOTE_DK, HELSENORGE, LMV_OTC),
        drawing="spray",
    ),
    Section(
        "naloxone-se",
        _l("Where to get naloxone in Sweden"),
        (
            _l(
                "Most regions hand out naloxone nasal spray with a short training, for example at needle and syringe programmes and addiction clinics."
            ),
            _l("In Region Skåne, for example, it is free at needle and syringe programmes and LARO clinics."),
            _l("A doctor at a health centre can also prescribe it. Then you pay for it yourself."),
            _l("Läkemedelsverket decided in 2024 that pharmacies may sell it without a prescription."),
        ),
        (LAKARTIDNINGEN_REGIONS, SKANE_NALOXONE, LMV_OTC),
    ),
    Section(
        "naloxone-dk",
        _l("Where to get naloxone in Denmark"),
        (
            _l(
                "Since November 2024 you can buy the nasal spray Ventizolve without a prescription at every Danish pharmacy. The staff show you how to use it."
            ),
            _l(
                "Municipalities and associations hand out naloxone with a course in how to help at an overdose, in projects funded by Sundhedsstyrelsen."
            ),
            _l("A doctor can also prescribe it, for example the doctor at your municipal drug service."),
        ),
        (TV2_OTC, SST_NALOXONE, ANTIDOTE_DK),
    ),
    Section(
        "dont",
        _l("What not to do"),
        (
            _l("Do not leave them alone. Many people who die of an overdose were alone."),
            _l("Do not let them “sleep it off”. Sleep can be how an overdose starts: wake them, and keep checking."),
            _l("No bath, no cold water, no ice. They can drown, and cold slows the body down even more."),
            _l("Do not give them anything to drink, and do not make them throw up. They can throw up and choke."),
            _l("Do not inject anything, like salt water, milk or another drug. It does not help."),
            _l("Do not hit or hurt them to wake them up."),
        ),
        (AARHUS_ALONE, OD_MYTHS),
    ),
)
