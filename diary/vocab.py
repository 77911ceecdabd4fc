"""The words of self-management: prompts, moods, strengths, goal kinds and outcomes.

Keys are stored; the words are translated when shown. No word here shames (LANGUAGE.md).
"""

from __future__ import annotations

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

SUGGESTED_STRENGTHS = [
    _l("Patience"),
    _l("Courage"),
    _l("Honesty"),
    _l("Humour"),
    _l("Caring for others"),
    _l("Asking for help"),
    _l("Keeping a routine"),
    _l("Creativity"),
    _l("Not giving up"),
    _l("Staying calm"),
    _l("Setting limits"),
    _l("Being curious"),
]

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
