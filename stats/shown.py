"""The small-number rule: the one function that decides whether a figure may be shown.

A count from 1 to 4, a count of messages or alerts that comes from fewer than 5 different
people, and a median that rests on fewer than 5 people, is shown as "fewer than 5" everywhere (page, chart, table, CSV): in a small service a handful of people can be
recognised by whoever knows the week. Zero is shown as 0: it is about nobody, so it
cannot point at anyone, and hiding it would make "no support alert waited" look like
"a few did". A median with no case at all has nothing to show and is hidden the same way.
No page shows a total over the weeks, so a hidden week cannot be worked out by subtraction.
"""

from __future__ import annotations

from dataclasses import dataclass

SMALLEST = 5  # the fewest cases a shown figure may rest on
HIDDEN_CSV = "<5"


@dataclass(frozen=True)
class Figure:
    value: float | int | None  # None: hidden, "fewer than 5"

    @property
    def hidden(self) -> bool:
        return self.value is None


def shown(value: float | int | None, cases: int | None = None) -> Figure:
    """`value` if it may be shown, else a hidden figure. A count is its own number of cases;
    a median passes how many cases it rests on."""
    cases = int(value or 0) if cases is None else cases
    if cases >= SMALLEST and value is not None:
        return Figure(value)
    if cases == 0 and value == 0:
        return Figure(0)
    return Figure(None)


def csv_cell(figure: Figure) -> str:
    """A figure as a spreadsheet cell: the number, or "<5"."""
    if figure.hidden:
        return HIDDEN_CSV
    value = figure.value
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
