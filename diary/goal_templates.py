"""Goal ideas to start from: a tap fills the new-goal form, which the person can change
before saving. A few in each kind, so stopping is one choice among equals (LANGUAGE.md)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .vocab import GOAL_KINDS


@dataclass(frozen=True)
class GoalTemplate:
    key: str
    kind: str
    title: object  # a lazy string: translated when shown
    area: str | None = None


TEMPLATES = (
    GoalTemplate("week_without", "stop", _l("A week without using")),
    GoalTemplate("stop_one", "stop", _l("Stop using one thing")),
    GoalTemplate("stop_drinking", "stop", _l("Stop drinking alcohol")),
    GoalTemplate("weekdays", "less", _l("Use less on weekdays")),
    GoalTemplate("weekends", "less", _l("Only at weekends")),
    GoalTemplate("smaller", "less", _l("Smaller amounts at a time")),
    GoalTemplate("never_alone", "safer", _l("Never use alone")),
    GoalTemplate("naloxone", "safer", _l("Keep naloxone with me")),
    GoalTemplate("new_kit", "safer", _l("New equipment every time")),
    GoalTemplate("home", "life", _l("A home of my own"), "housing"),
    GoalTemplate("sleep", "life", _l("Sleep better"), "health"),
    GoalTemplate("money", "life", _l("Get on top of my money"), "money"),
    GoalTemplate("friend", "life", _l("See a friend every week"), "relations"),
)
BY_KEY = {template.key: template for template in TEMPLATES}


def by_kind() -> dict[str, list[GoalTemplate]]:
    """The templates grouped by goal kind, in the order of the kinds."""
    groups: dict[str, list[GoalTemplate]] = {kind: [] for kind in GOAL_KINDS}
    for template in TEMPLATES:
        groups[template.kind].append(template)
    return groups


def find(key: str | None) -> GoalTemplate | None:
    return BY_KEY.get(key or "")
