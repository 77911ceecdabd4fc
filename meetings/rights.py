"""My rights at this meeting: a short card for each kind of meeting, in Sweden and Denmark.

Every point names its source: the law and section in the law's own language (it is a
citation), or the body that says it. Where a section could not be checked, the law is named
without one. Check a point's source again before changing it, and move REVIEWED only when
every card has been checked again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

KINDS = ("social", "sip", "hearing", "probation", "jobcentre", "health")
COUNTRIES = ("SE", "DK")
REVIEWED = datetime.date(2026, 11, 30)
APPEAL_WEEKS = {"SE": 3, "DK": 4}


@dataclass(frozen=True)
class Point:
    title: LazyString
    text: LazyString
    source: LazyString


# --- Sweden: what holds in any matter with an authority ------------------------------------

SE_BRING = Point(
    _l("You may bring someone"),
    _l("You may bring a person you trust to help you or to speak for you: a friend, a relative or a peer supporter."),
    _l("Förvaltningslagen (2017:900) 14 §"),
)
SE_PAPERS = Point(
    _l("You may see the papers"),
    _l("You have the right to see what has been added to your case. You can ask for a copy before the meeting."),
    _l("Förvaltningslagen (2017:900) 10 §"),
)
SE_DECISION = Point(
    _l("The decision, and how to appeal it"),
    _l(
        "You must be told what was decided and, if you can appeal, how. Ask for the decision in writing, "
        "with the reasons."
    ),
    _l("Förvaltningslagen (2017:900) 33 §"),
)
SE_DEADLINE = Point(
    _l("Three weeks to appeal"),
    _l(
        "An appeal must have reached the authority that decided within three weeks of the day you got the "
        "decision. If the last day is a Saturday, Sunday or public holiday, the next weekday is enough."
    ),
    _l("Förvaltningslagen (2017:900) 44 §; lag (1930:173) om beräkning av lagstadgad tid 2 §"),
)
SE_SEND_TO = Point(
    _l("Send the appeal to the one who decided"),
    _l(
        "Arbetsförmedlingen and the municipality are different authorities. Send your appeal to the one that "
        "made the decision; the letter says which."
    ),
    _l("Förvaltningslagen (2017:900) 43 §"),
)
SE_SOCIAL_COURT = Point(
    _l("Who looks at it again"),
    _l(
        "Decisions about support you asked for can usually be appealed to the administrative court "
        "(förvaltningsrätten). The decision letter says if and how."
    ),
    _l("Socialtjänstlag (2025:400)"),
)

# --- Sweden: a coordinated individual plan (SIP) -------------------------------------------

SE_SIP = [
    Point(
        _l("Only with your yes"),
        _l(
            "A coordinated individual plan (SIP) is only made if you agree. You do not have to ask for it "
            "yourself, and you can say who should be there."
        ),
        _l("Hälso- och sjukvårdslagen (2017:30) 16 kap. 4 §; Socialstyrelsen"),
    ),
    Point(
        _l("What the plan must say"),
        _l(
            "The plan says what help you need, what the municipality and the region each do, what others do, "
            "and who is responsible for the whole plan."
        ),
        _l("Hälso- och sjukvårdslagen (2017:30) 16 kap. 4 §; Socialstyrelsen"),
    ),
    Point(
        _l("Someone close to you can join"),
        _l("Someone close to you can take part in the planning, if you want them to."),
        _l("Uppdrag Psykisk Hälsa (SKR): Samordnad individuell plan"),
    ),
    Point(
        _l("A plan is not a decision"),
        _l(
            "You cannot appeal the plan itself. If you are refused help, ask for that decision in writing: "
            "then you can appeal it."
        ),
        _l("Förvaltningslagen (2017:900) 33 och 44 §§"),
    ),
]

# --- Sweden: a hearing in the administrative court, e.g. about compulsory care (LVM) ------

SE_HEARING = [
    Point(
        _l("A lawyer at your side, free of charge"),
        _l(
            "In a case about compulsory care the court appoints a public counsel (offentligt biträde) for you, "
            "and the state pays. You may say whom you would like."
        ),
        _l("LVM (lag 1988:870); Sveriges Domstolar"),
    ),
    Point(
        _l("You are heard in person"),
        _l(
            "In these cases the court as a rule holds an oral hearing, often behind closed doors. You can tell "
            "it in your own words."
        ),
        _l("Sveriges Domstolar: Muntlig förhandling i LVM-mål"),
    ),
    Point(
        _l("You see what the court sees"),
        _l(
            "You and your counsel get what social services sent to the court. Go through it together before "
            "the hearing."
        ),
        _l("Förvaltningsprocesslagen (1971:291)"),
    ),
    Point(
        _l("The judgment, and appealing it"),
        _l(
            "The judgment comes in writing with its reasons, and says how and by when you can appeal to the "
            "administrative court of appeal (kammarrätten)."
        ),
        _l("Förvaltningsprocesslagen (1971:291)"),
    ),
]

# --- Sweden: the prison and probation service --------------------------------------------

SE_PROBATION = [
    SE_BRING,
    SE_PAPERS,
    Point(
        _l("First, ask for a review"),
        _l(
            "If you think a decision is wrong, ask Kriminalvården to look at it again (omprövning) within three "
            "weeks of being told. The written decision says how."
        ),
        _l("Kriminalvården: Överklaga beslut"),
    ),
    Point(
        _l("Then the administrative court"),
        _l("If the decision stands after the review, you can appeal to the administrative court."),
        _l("Kriminalvården: Överklaga beslut"),
    ),
    Point(
        _l("If you were treated wrongly"),
        _l(
            "You can write to the Parliamentary Ombudsmen (JO). JO can criticise an authority but cannot "
            "change a decision."
        ),
        _l("Kriminalvården; Justitieombudsmannen"),
    ),
]

# --- Sweden: health care ----------------------------------------------------------------

SE_HEALTH = [
    Point(
        _l("Information, and someone with you"),
        _l(
            "You have the right to information about your health and your care. You can ask to bring someone "
            "you trust, and say what they may hear."
        ),
        _l("Patientlagen (2014:821) 3 kap."),
    ),
    Point(
        _l("You may read your records"),
        _l("Many records are at 1177.se. You can also ask the clinic for a copy."),
        _l("Patientdatalagen (2008:355) 8 kap. 2 §"),
    ),
    Point(
        _l("Complain rather than appeal"),
        _l(
            "Most things in health care are not decisions you can appeal. Tell the clinic first, or get free "
            "help from the patient advisory committee (patientnämnden) in your region."
        ),
        _l("Inspektionen för vård och omsorg (IVO); patientnämnden"),
    ),
    Point(
        _l("IVO, within two years"),
        _l(
            "If that does not settle it, you can complain to IVO, best within two years of what happened. "
            "IVO's answer cannot be appealed."
        ),
        _l("Patientsäkerhetslagen 10 kap. 13 §; IVO"),
    ),
]

# --- Denmark: what holds in any case with an authority ------------------------------------

DK_BRING = Point(
    _l("You may bring a bisidder"),
    _l(
        "At any point in your case you may bring someone to help you or to speak for you: a friend, a "
        "relative or a peer supporter."
    ),
    _l("Forvaltningsloven § 8"),
)
DK_PAPERS = Point(
    _l("You may see the documents"),
    _l("As a party you have the right to see the documents in your case. You can ask before the meeting."),
    _l("Forvaltningsloven § 9"),
)
DK_DECISION = Point(
    _l("Reasons, and how to complain"),
    _l(
        "A written decision must give its reasons, unless you got all you asked for, and must tell you where "
        "to complain and by when."
    ),
    _l("Forvaltningsloven §§ 22 og 25"),
)
DK_DEADLINE = Point(
    _l("Four weeks to complain"),
    _l(
        "Send your complaint to the municipality that decided, within four weeks of receiving the decision. "
        "It looks at the case again; if it keeps its decision, it sends the case on to Ankestyrelsen. If the "
        "last day is a Saturday, Sunday or public holiday, the next weekday is enough."
    ),
    _l("Retssikkerhedsloven § 67; Justitsministeriets vejledning nr. 9533 af 26/6 2018"),
)

# --- Denmark: a coordinating plan (koordinerende indsatsplan) ------------------------------

DK_SIP = [
    Point(
        _l("Your plan, your wishes"),
        _l(
            "In a coordinating plan (koordinerende indsatsplan) your own wishes come first. Health care, "
            "treatment and the municipality agree with you on goals and on who does what."
        ),
        _l("Sundhedsstyrelsen: Retningslinjer for udarbejdelse af koordinerende indsatsplaner (2014)"),
    ),
    Point(
        _l("Ask whether you can have one"),
        _l(
            "These plans are mainly for people with both a mental illness and drug use. Ask your caseworker or "
            "your treatment place."
        ),
        _l("Sundhedsstyrelsen: Retningslinjer for udarbejdelse af koordinerende indsatsplaner (2014)"),
    ),
    DK_BRING,
    Point(
        _l("A plan is not a decision"),
        _l(
            "The plan is an agreement. If you are refused help, ask for that decision in writing: then you can "
            "complain about it."
        ),
        _l("Forvaltningsloven § 22; retssikkerhedsloven § 67"),
    ),
]

# --- Denmark: hearings (there is no Danish court case like the Swedish LVM) -----------------

DK_HEARING = [
    Point(
        _l("No forced drug treatment by court"),
        _l(
            "Denmark has no court case like the Swedish one on compulsory care. In treatment for drug use you can "
            "only be held back if you signed a contract for that in advance."
        ),
        _l("Lov om tilbageholdelse … i behandling (LBK nr. 972 af 8. august 2017)"),
    ),
    Point(
        _l("If you are held in psychiatry"),
        _l(
            "You get a patient adviser (patientrådgiver) who visits you within 24 hours. You can complain to "
            "the psychiatric patients' complaints board at any time; there is no deadline."
        ),
        _l("Styrelsen for Patientklager: Det Psykiatriske Patientklagenævn"),
    ),
    Point(
        _l("Then to court, within four weeks"),
        _l(
            "If the board's decision is about being held against your will, the city court (byretten) must "
            "have your complaint within four weeks of the board's decision."
        ),
        _l("Styrelsen for Patientklager: Det Psykiatriske Patientklagenævn"),
    ),
]

# --- Denmark: the prison and probation service ---------------------------------------------

DK_PROBATION = [
    DK_BRING,
    DK_PAPERS,
    DK_DECISION,
    Point(
        _l("Complain to the Directorate"),
        _l(
            "Most decisions by a prison or the probation service can be complained about to the Directorate "
            "(Direktoratet for Kriminalforsorgen), in most cases within two months. The decision says how."
        ),
        _l("Direktoratet for Kriminalforsorgen"),
    ),
]

# --- Denmark: health care ------------------------------------------------------------------

DK_HEALTH = [
    Point(
        _l("Information, and someone with you"),
        _l(
            "No treatment may start without your informed consent, and you have the right to information. You "
            "can ask to bring someone you trust."
        ),
        _l("Sundhedsloven §§ 15 og 16"),
    ),
    Point(
        _l("You may read your records"),
        _l("You have the right to see your health records; many are at sundhed.dk."),
        _l("Sundhedsloven § 37"),
    ),
    Point(
        _l("Complain rather than appeal"),
        _l(
            "About treatment you complain to Styrelsen for Patientklager: within two years of when you knew "
            "about what went wrong, and at most five years after it happened."
        ),
        _l("Klage- og erstatningsloven § 3 a; Styrelsen for Patientklager"),
    ),
]

_CARDS: dict[str, dict[str, list[Point]]] = {
    "SE": {
        "other": [SE_BRING, SE_PAPERS, SE_DECISION, SE_DEADLINE],
        "social": [SE_BRING, SE_PAPERS, SE_DECISION, SE_SOCIAL_COURT, SE_DEADLINE],
        "sip": [SE_BRING, *SE_SIP],
        "hearing": SE_HEARING,
        "probation": SE_PROBATION,
        "jobcentre": [SE_BRING, SE_PAPERS, SE_DECISION, SE_SEND_TO, SE_DEADLINE],
        "health": SE_HEALTH,
    },
    "DK": {
        "other": [DK_BRING, DK_PAPERS, DK_DECISION, DK_DEADLINE],
        "social": [DK_BRING, DK_PAPERS, DK_DECISION, DK_DEADLINE],
        "sip": DK_SIP,
        "hearing": DK_HEARING,
        "probation": DK_PROBATION,
        "jobcentre": [DK_BRING, DK_PAPERS, DK_DECISION, DK_DEADLINE],
        "health": DK_HEALTH,
    },
}


def _country(country: str) -> str:
    code = (country or "").upper()
    if code not in COUNTRIES:
        raise ValueError(f"unknown country {country!r}")
    return code


def card(kind: str, country: str) -> list[Point]:
    """The points for this kind of meeting in "SE" or "DK"; an unknown kind gets the general ones."""
    cards = _CARDS[_country(country)]
    return list(cards.get(kind, cards["other"]))


def deadline_rule(country: str) -> tuple[int, Point]:
    """Weeks to appeal a decision (SE 3, DK 4), and the point that says so, with its source."""
    code = _country(country)
    return APPEAL_WEEKS[code], SE_DEADLINE if code == "SE" else DK_DEADLINE
