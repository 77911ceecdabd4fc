"""The service's figures as the coordinator reads them: each measure's name, how it is
counted, and its figure for each week after the small-number rule (stats/shown.py). The page,
its charts and the CSV all read these, so none of them can show more than another."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .service import ServiceFigures, Week, WeekFigures
from .shown import Figure, csv_cell, shown

COUNT, DURATION = "count", "duration"


@dataclass(frozen=True)
class Kind:
    key: str
    name: object  # lazy text
    how: object  # lazy text: "How we count"
    unit: str  # COUNT or DURATION (minutes, shown as minutes or hours)


KINDS = (
    Kind(
        "new_clients",
        _l("New clients"),
        _l("Client accounts made that week. Accounts deleted since are not counted."),
        COUNT,
    ),
    Kind(
        "active_contacts",
        _l("Active contacts"),
        _l("Contacts between a client and a peer supporter with at least one message that week, from either of them."),
        COUNT,
    ),
    Kind(
        "waiting",
        _l("Messages waiting more than 24 hours"),
        _l(
            "A client's message that got no message back from their peer supporter within 24 hours, counted in the "
            "week it was sent. Messages from the last 24 hours are not counted yet."
        ),
        COUNT,
    ),
    Kind(
        "first_reply",
        _l("Time to a peer supporter's first reply"),
        _l(
            "For each new contact: from the client's first message to the peer supporter's first message after it, "
            "in the week of the client's first message. The middle value (median); contacts with no reply yet are "
            "left out."
        ),
        DURATION,
    ),
    Kind(
        "alerts",
        _l("Support alerts"),
        _l("Support alerts raised that week."),
        COUNT,
    ),
    Kind(
        "alert_seen",
        _l("Time until someone saw a support alert"),
        _l(
            "For each support alert: from when it was raised until the first person it went to saw it. The middle "
            "value (median); alerts nobody has seen are left out."
        ),
        DURATION,
    ),
)


def figure_of(row: WeekFigures, kind: Kind) -> Figure:
    """A week's figure of one measure, after the small-number rule."""
    value = getattr(row, kind.key)
    if kind.unit == DURATION:
        return shown(value.minutes, value.cases)
    return shown(value, row.people.get(kind.key))  # a count of people (new clients) is its own number of cases


@dataclass
class Measure:
    kind: Kind
    weeks: list[Week]
    figures: list[Figure]


@dataclass
class Page:
    measures: list[Measure]
    weeks: list[Week]
    near_caseload: Figure


def page_of(data: ServiceFigures) -> Page:
    weeks = [row.week for row in data.weeks]
    measures = [Measure(kind, weeks, [figure_of(row, kind) for row in data.weeks]) for kind in KINDS]
    return Page(measures, weeks, shown(data.near_caseload_now))


def text_of(figure: Figure, unit: str) -> str:
    """A figure in words: "fewer than 5", a number, or a time ("35 min", "2.5 h")."""
    if figure.hidden:
        return _("fewer than 5")
    if unit == DURATION:
        return duration(figure.value)
    return format_decimal(figure.value)


def duration(minutes: float) -> str:
    if minutes < 60:
        return _("%(minutes)s min", minutes=format_decimal(round(minutes)))
    return _("%(hours)s h", hours=format_decimal(round(minutes / 60, 1), format="#,##0.#"))


def week_name(week: Week) -> str:
    return _("Week %(number)s", number=week.number)


def csv_text(page: Page) -> str:
    """The figures as a CSV file (with a byte-order mark, so Excel reads it as UTF-8): a row
    per week; times in minutes; hidden figures as "<5"; the "now" figure in the current week's row."""
    out = io.StringIO()
    writer = csv.writer(out)
    names = [
        _("%(measure)s (minutes, median)", measure=kind.name) if kind.unit == DURATION else str(kind.name)
        for kind in KINDS
    ]
    writer.writerow([_("Week"), _("Week starts"), *names, _("Peer supporters near their caseload, now")])
    for index, week in enumerate(page.weeks):
        cells = [csv_cell(measure.figures[index]) for measure in page.measures]
        now = csv_cell(page.near_caseload) if week.current else ""
        writer.writerow([f"{week.year}-W{week.number:02d}", week.monday.isoformat(), *cells, now])
    return "\ufeff" + out.getvalue()
