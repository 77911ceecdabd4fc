"""Trends over 30 or 90 days: first, in plain words, what went well; then mood, craving and
goal check-ins as small SVG charts drawn on the server (no chart library, no script), each
with a sentence for screen readers. Numbers never judge (LANGUAGE.md): no averages read as
a verdict, a heavier time is said kindly, and what the person kept doing comes first.

Days are calendar days in the person's time zone, so a daylight-saving change never adds
or drops a day. A day without a check-in is a gap, never a zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape
from sqlalchemy import func
from sqlmodel import Session, select

from .models import DailyCheckIn, DiaryEntry, Goal, GoalCheckIn
from .vocab import GOOD_OUTCOMES, MOODS

PERIODS = (30, 90)
CHARTS_FROM = 3  # check-ins before a chart has something to show
MOOD_SHIFT = 0.5  # how far the later half's mood must move from the earlier half's to say so
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
        # A day without a check-in, or a check-in that left this out, is a gap.
        known = {d: getattr(row, attr) for d, row in by_day.items()}
        return [float(known[d]) if known.get(d) is not None else None for d in days_]

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


@dataclass(frozen=True)
class Picture:
    """What a period holds, in counts: the stuff of the sentences that open the page."""

    days: int  # days in the period
    checked_in: int  # days with a daily check-in
    entries: int  # diary entries written
    goal_good: int  # goal check-ins that went as planned or partly
    goals_reached: int  # goals marked reached in the period
    recent: str | None  # the later half's mood against the earlier half's: lighter, heavier, steady


def recent_mood(mood: list[float | None]) -> str | None:
    """ "lighter", "heavier" or "steady": the later half of the days against the earlier
    half; None when either half has fewer than two check-ins to go by."""
    half = len(mood) // 2
    earlier, later = [v for v in mood[:half] if v is not None], [v for v in mood[half:] if v is not None]
    if len(earlier) < 2 or len(later) < 2:
        return None
    shift = sum(later) / len(later) - sum(earlier) / len(earlier)
    if shift >= MOOD_SHIFT:
        return "lighter"
    if shift <= -MOOD_SHIFT:
        return "heavier"
    return "steady"


def picture(session: Session, user, trend: Trend) -> Picture:
    """The counts of a period (no sealed word is opened: only days, statuses and counts)."""
    start, end = trend.days[0], trend.days[-1]
    entries = session.exec(
        select(func.count())
        .select_from(DiaryEntry)
        .where(DiaryEntry.user_id == user.id, DiaryEntry.day >= start, DiaryEntry.day <= end)
    ).one()
    reached = session.exec(select(Goal.updated_at).where(Goal.user_id == user.id, Goal.status == "reached")).all()
    return Picture(
        days=len(trend.days),
        checked_in=sum(1 for v in trend.mood if v is not None),
        entries=entries,
        goal_good=sum(trend.goal_good),
        goals_reached=sum(1 for when in reached if start <= when.date() <= end),
        recent=recent_mood(trend.mood),
    )


def went_well(p: Picture) -> list[str]:
    """The opening sentences: what the person did first, then how the time felt, said kindly.
    A pure function of the counts, so every case can be tested without a database."""
    said: list[str] = []
    if p.checked_in:
        said.append(
            ngettext(
                "You checked in %(num)d of %(days)d days.",
                "You checked in %(num)d of %(days)d days.",
                p.checked_in,
                days=p.days,
            )
        )
    # Through a heavier time, say what the person kept doing: whole sentences, for translators.
    if p.recent == "heavier":
        if p.entries:
            said.append(_("The last weeks were heavier, and you kept writing."))
        elif p.checked_in >= CHARTS_FROM:
            said.append(_("The last weeks were heavier, and you kept checking in."))
        else:
            said.append(_("The last weeks were heavier. That is part of many people's way."))
    elif p.recent == "lighter":
        said.append(_("The last weeks felt lighter."))
    elif p.recent == "steady":
        said.append(_("Your mood has been fairly steady."))
    if p.entries and p.recent != "heavier":
        said.append(ngettext("You wrote %(num)d diary entry.", "You wrote %(num)d diary entries.", p.entries))
    if p.goal_good:
        said.append(
            ngettext(
                "%(num)d goal check-in went as planned or partly.",
                "%(num)d goal check-ins went as planned or partly.",
                p.goal_good,
            )
        )
    if p.goals_reached:
        said.append(ngettext("You reached %(num)d goal.", "You reached %(num)d goals.", p.goals_reached))
    if not said:
        said.append(_("Nothing noted in these %(days)d days yet. One tap on Today is enough to begin.", days=p.days))
    return said


def _mood_word(value: float) -> str:
    return str(MOODS[min(5, max(1, int(round(value))))]).lower()  # inside a sentence


def mood_summary(trend: Trend) -> str:
    """For screen readers: what the chart shows, described, never judged."""
    known = [v for v in trend.mood if v is not None]
    days = len(trend.days)
    if not known:
        return _("No check-ins in these %(days)d days yet.", days=days)
    if _mood_word(min(known)) == _mood_word(max(known)):
        return _(
            "Mood noted on %(known)d of %(days)d days, each time %(mood)s.",
            known=len(known),
            days=days,
            mood=_mood_word(known[0]),
        )
    return _(
        "Mood noted on %(known)d of %(days)d days, from %(low)s to %(high)s.",
        known=len(known),
        days=days,
        low=_mood_word(min(known)),
        high=_mood_word(max(known)),
    )


def craving_summary(trend: Trend) -> str:
    known = [v for v in trend.craving if v is not None]
    days = len(trend.days)
    if not known:
        return _("No check-ins in these %(days)d days yet.", days=days)
    return _(
        "Craving noted on %(known)d of %(days)d days, from %(low)d to %(high)d out of 10.",
        known=len(known),
        days=days,
        low=int(min(known)),
        high=int(max(known)),
    )


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
