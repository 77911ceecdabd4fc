"""The words of self-management: prompts, moods, strengths, goal kinds and outcomes.

Keys are stored; the words are translated when shown. No word here shames (LANGUAGE.md).
"""

from __future__ import annotations

import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l

# Strengths prompts; a few are offered each day, rotating, so writing stays fresh.
PROMPTS = {
    "handled": _l("Something I handled well today"),
    "strength": _l("A strength I used"),
    "energy": _l("What gave me energy"),
    "helped": _l("Someone or something that helped me"),
    "proud": _l("Something I am a little proud of"),
    "kind": _l("Something kind I did, for myself or someone else"),
    "learned": _l("Something I learned about myself"),
    "tomorrow": _l("One small thing I look forward to"),
}
PROMPTS_PER_DAY = 2


def prompts_for(day: date) -> list[str]:
    """The prompts offered on a day: a different pair each day, the same all day long."""
    keys = list(PROMPTS)
    start = (day.toordinal() * PROMPTS_PER_DAY) % len(keys)
    return [keys[(start + i) % len(keys)] for i in range(PROMPTS_PER_DAY)]


MOODS = {
    1: _l("Very low"),
    2: _l("Low"),
    3: _l("Okay"),
    4: _l("Good"),
    5: _l("Very good"),
}

# The built-in strengths, stored by these keys and shown in the reader's language: a page in
# Danish lists "Mod" once, whether it was chosen on an English, a Swedish or a Danish page.
# A person's own words are stored as they wrote them.
STRENGTHS = {
    "patience": _l("Patience"),
    "courage": _l("Courage"),
    "honesty": _l("Honesty"),
    "humour": _l("Humour"),
    "caring": _l("Caring for others"),
    "asking_help": _l("Asking for help"),
    "routine": _l("Keeping a routine"),
    "creativity": _l("Creativity"),
    "persistence": _l("Persistence"),
    "calm": _l("Staying calm"),
    "limits": _l("Setting limits"),
    "curiosity": _l("Curiosity"),
}
SUGGESTED_STRENGTHS = list(STRENGTHS.values())

# Until this release a built-in strength was stored as the word shown when it was chosen, in
# English, Swedish or Danish. Those words are sealed by their owner's key, so no migration can
# read them to convert them: they are recognised here instead, whenever a strength is read or
# saved, and count as the built-in one (the words of earlier and current translations alike).
STRENGTH_WORDS = {
    "patience": ["Patience", "Tålamod", "Tålmodighed"],
    "courage": ["Courage", "Mod"],
    "honesty": ["Honesty", "Ärlighet", "Ærlighed"],
    "humour": ["Humour", "Humor"],
    "caring": ["Caring for others", "Omtanke om andra", "Omsorg for andre"],
    "asking_help": ["Asking for help", "Be om hjälp", "Att be om hjälp", "Bede om hjælp", "At bede om hjælp"],
    "routine": [
        "Keeping a routine",
        "Hålla fast vid rutiner",
        "Att hålla fast vid rutiner",
        "Holde fast i rutiner",
        "At holde fast i rutiner",
    ],
    "creativity": ["Creativity", "Kreativitet"],
    "persistence": ["Persistence", "Not giving up", "Inte ge upp", "Envishet", "Ikke give op", "Vedholdenhed"],
    "calm": ["Staying calm", "Hålla lugnet", "Att hålla lugnet", "Bevare roen", "At bevare roen"],
    "limits": ["Setting limits", "Sätta gränser", "Att sätta gränser", "Sætte grænser", "At sætte grænser"],
    "curiosity": ["Curiosity", "Being curious", "Vara nyfiken", "Nyfikenhet", "Være nysgerrig", "Nysgerrighed"],
}

GOAL_KINDS = {
    "stop": _l("Stop using something, or everything"),
    "less": _l("Use less"),
    "safer": _l("Use more safely"),
    "life": _l("Something in my life"),
}
GOAL_KIND_SHORT = {
    "stop": _l("Stop"),
    "less": _l("Use less"),
    "safer": _l("Safer use"),
    "life": _l("Life"),
}
LIFE_AREAS = {
    "housing": _l("Housing"),
    "money": _l("Money"),
    "work": _l("Work or occupation"),
    "health": _l("Health"),
    "relations": _l("Relationships"),
    "leisure": _l("Leisure"),
    "structure": _l("Everyday structure"),
}
GOAL_STATUSES = {
    "active": _l("Active"),
    "paused": _l("Paused"),
    "reached": _l("Reached"),
    "let_go": _l("Let go"),
}
OUTCOMES = {
    "planned": _l("Went as planned"),
    "partly": _l("Partly"),
    "not_this_time": _l("Not this time"),
}
GOOD_OUTCOMES = ("planned", "partly")

SLEEP = {"poor": _l("Poor"), "ok": _l("Okay"), "good": _l("Good")}
USE = {
    "none": _l("None"),
    "less": _l("Less than usual"),
    "usual": _l("As usual"),
    "more": _l("More than usual"),
}


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


_STRENGTH_ALIASES = {_fold(word): key for key, words in STRENGTH_WORDS.items() for word in words}
_STRENGTH_ALIASES.update({key: key for key in STRENGTHS})


def strength_key(name: str) -> str:
    """What a strength is counted and found by: the key of a built-in strength (given its key,
    or its word in any of the languages, old or new), or else the person's words, folded."""
    folded = _fold(name or "")
    return _STRENGTH_ALIASES.get(folded, folded)


def strength_label(name: str, name_key: str) -> str:
    """A stored strength as shown: a built-in one in the reader's language, the person's own
    words as they wrote them."""
    key = strength_key(name_key or name)
    return str(STRENGTHS[key]) if key in STRENGTHS else name
