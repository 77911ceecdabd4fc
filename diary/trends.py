"""Trends over 30 or 90 days: mood, craving and goal check-ins as small SVG charts drawn on
the server (no chart library, no script), each with a sentence for screen readers.

Days are calendar days in the person's time zone, so a daylight-saving change never adds
or drops a day. A day without a check-in is a gap, never a zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlmodel import Session, select

from .models import DailyCheckIn, GoalCheckIn
from .vocab import GOOD_OUTCOMES

PERIODS = (30, 90)
WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_Y = 320, 120, 28, 6, 10


@dataclass
class Trend:
    days: list[date]
    mood: list[float | None]
    craving: list[float | None]
    goal_good: list[int]
    goal_not: list[int]
    previous_mood: list[float | None]
    previous_craving: list[float | None]


def day_range(end: date, days: int) -> list[date]:
    start = end - timedelta(days=days - 1)
    return [start + timedelta(days=i) for i in range(days)]


def collect(session: Session, user, days: int, end: date) -> Trend:
    span = day_range(end, days)
    earlier_start = span[0] - timedelta(days=days)
    # Only the two sealed values drawn here are opened, not the whole check-in.
    rows = session.exec(
        select(DailyCheckIn.day, DailyCheckIn.mood, DailyCheckIn.craving).where(
            DailyCheckIn.user_id == user.id, DailyCheckIn.day >= earlier_start, DailyCheckIn.day <= end
        )
    ).all()
    by_day = {row.day: row for row in rows}
    goal_rows = session.exec(
        select(GoalCheckIn.day, GoalCheckIn.outcome).where(
            GoalCheckIn.user_id == user.id, GoalCheckIn.day >= span[0], GoalCheckIn.day <= end
        )
    ).all()
    good = {d: 0 for d in span}
    not_this_time = {d: 0 for d in span}
    for day, outcome in goal_rows:
        (good if outcome in GOOD_OUTCOMES else not_this_time)[day] += 1
    earlier = day_range(span[0] - timedelta(days=1), days)

    def values(days_, attr):
        # A check-in may have a mood only (craving is "Add more"): no value, a gap in the line.
        found = [getattr(by_day[d], attr) if d in by_day else None for d in days_]
        return [float(value) if value is not None else None for value in found]

    return Trend(
        span,
        values(span, "mood"),
        values(span, "craving"),
        [good[d] for d in span],
        [not_this_time[d] for d in span],
        values(earlier, "mood"),
        values(earlier, "craving"),
    )


def average(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _compare(now: float, before: float | None) -> str:
    if before is None:
        return ""
    if abs(now - before) < 0.2:
        return "same"
    return "higher" if now > before else "lower"


def mood_summary(trend: Trend) -> str:
    now, before = average(trend.mood), average(trend.previous_mood)
    days = len(trend.days)
    if now is None:
        return _("No check-ins in these %(days)d days yet.", days=days)
    value = format_decimal(round(now, 1), format="0.0")
    return {
        "": _("Mood averaged %(value)s over %(days)d days.", value=value, days=days),
        "same": _("Mood averaged %(value)s, about the same as the %(days)d days before.", value=value, days=days),
        "higher": _("Mood averaged %(value)s, higher than the %(days)d days before.", value=value, days=days),
        "lower": _("Mood averaged %(value)s, lower than the %(days)d days before.", value=value, days=days),
    }[_compare(now, before)]


def craving_summary(trend: Trend) -> str:
    now, before = average(trend.craving), average(trend.previous_craving)
    days = len(trend.days)
    if now is None:
        return _("No check-ins in these %(days)d days yet.", days=days)
    value = format_decimal(round(now, 1), format="0.0")
    return {
        "": _("Craving averaged %(value)s out of 10 over %(days)d days.", value=value, days=days),
        "same": _(
            "Craving averaged %(value)s out of 10, about the same as the %(days)d days before.", value=value, days=days
        ),
        "higher": _(
            "Craving averaged %(value)s out of 10, higher than the %(days)d days before.", value=value, days=days
        ),
        "lower": _(
            "Craving averaged %(value)s out of 10, lower than the %(days)d days before.", value=value, days=days
        ),
    }[_compare(now, before)]


def goal_summary(trend: Trend) -> str:
    good, other = sum(trend.goal_good), sum(trend.goal_not)
    if not good and not other:
        return _("No goal check-ins in these %(days)d days yet.", days=len(trend.days))
    return _(
        "Goal check-ins over %(days)d days: as planned or partly %(good)d, not this time %(other)d.",
        days=len(trend.days),
        good=good,
        other=other,
    )


def _x(index: int, count: int) -> float:
    inner = WIDTH - PAD_LEFT - PAD_RIGHT
    return PAD_LEFT + (inner * index / (count - 1) if count > 1 else inner / 2)


def _y(value: float, low: float, high: float) -> float:
    inner = HEIGHT - 2 * PAD_Y
    return PAD_Y + inner * (1 - (value - low) / (high - low))


def _svg_open(chart_id: str, title: str, summary: str) -> list[str]:
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="none">',
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(summary)}</desc>',
    ]


def line_chart(chart_id: str, title: str, summary: str, values: list[float | None], low: float, high: float) -> Markup:
    """A line for known days, broken at the gaps; a dot marks every known day."""
    parts = _svg_open(chart_id, title, summary)
    for value in (low, high):
        y = _y(value, low, high)
        parts.append(f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{PAD_LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    segment: list[str] = []
    count = len(values)
    for index, value in enumerate(values + [None]):
        if value is None:
            if len(segment) > 1:
                parts.append(f'<polyline class="line" points="{" ".join(segment)}"/>')
            segment = []
            continue
        point = f"{_x(index, count):.1f},{_y(value, low, high):.1f}"
        segment.append(point)
        parts.append(f'<circle class="dot" cx="{_x(index, count):.1f}" cy="{_y(value, low, high):.1f}" r="2.5"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(chart_id: str, title: str, summary: str, good: list[int], other: list[int]) -> Markup:
    """Per day, a filled column for good check-ins and an outlined one for "not this time"."""
    parts = _svg_open(chart_id, title, summary)
    count = len(good)
    top = max([g + o for g, o in zip(good, other, strict=False)] + [1])
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    bar = max(inner_w / max(count, 1) * 0.7, 1)
    base = HEIGHT - PAD_Y
    parts.append(f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{base}" y2="{base}"/>')
    parts.append(f'<text class="axis" x="{PAD_LEFT - 4}" y="{PAD_Y + 4}" text-anchor="end">{top}</text>')
    scale = (HEIGHT - 2 * PAD_Y) / top
    for index, (g, o) in enumerate(zip(good, other, strict=False)):
        x = PAD_LEFT + inner_w * index / max(count, 1)
        if g:
            parts.append(
                f'<rect class="good" x="{x:.1f}" y="{base - g * scale:.1f}" width="{bar:.1f}" height="{g * scale:.1f}"/>'
            )
        if o:
            y = base - (g + o) * scale
            parts.append(f'<rect class="other" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{o * scale:.1f}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
