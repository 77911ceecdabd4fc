"""The geometry of a measure's bar chart, drawn by the server as inline SVG
(templates/stats/_chart.html): one bar per week, its value above it, the week number below.
A hidden week ("fewer than 5") is an empty dashed bar of a fixed small height labelled "<5",
never a height that would tell its number."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_decimal
from flask_babel import gettext as _

from .measures import DURATION, Measure, text_of, week_name

WIDTH, HEIGHT = 360, 170
TOP, BOTTOM = 16, 20  # room for the value labels above the bars and the week numbers below
PLOT = HEIGHT - TOP - BOTTOM
HIDDEN_HEIGHT = 12
GAP = 6


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # above the bar: the number, or "<5"
    week: str  # below the bar: the week number
    title: str  # "Week 47: 12", "Week 47: fewer than 5"
    hidden: bool

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = HEIGHT - BOTTOM


def _short(value: float, unit: str) -> str:
    """The label above a bar: a count, or a time in hours with one decimal."""
    if unit == DURATION:
        return format_decimal(round(value / 60, 1), format="#,##0.#")
    return format_decimal(value)


def chart_of(measure: Measure) -> Chart:
    unit = measure.kind.unit
    values = [figure.value for figure in measure.figures if not figure.hidden]
    top = max([*values, 0]) or 1
    slot = WIDTH / max(len(measure.figures), 1)
    width = slot - GAP
    bars = []
    for index, (week, figure) in enumerate(zip(measure.weeks, measure.figures, strict=True)):
        x = round(index * slot + GAP / 2, 1)
        if figure.hidden:
            height, label = HIDDEN_HEIGHT, "<5"
        else:
            height, label = round(PLOT * figure.value / top, 1), _short(figure.value, unit)
        title = _("%(week)s: %(figure)s", week=week_name(week), figure=text_of(figure, unit))
        bars.append(
            Bar(
                x,
                round(HEIGHT - BOTTOM - height, 1),
                round(width, 1),
                height,
                label,
                str(week.number),
                title,
                figure.hidden,
            )
        )
    return Chart(bars)
