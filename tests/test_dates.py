"""One date format per language (core/dates.py), the same on every page."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest
from flask_babel import force_locale

from core import dates

MOMENT = datetime(2026, 11, 30, 13, 5, tzinfo=timezone.utc)  # 14:05 in Stockholm and Copenhagen

EXPECTED = {
    "sv": ("30 nov. 2026", "måndag 30 november", "30 nov. 2026 kl. 14:05", "14:05"),
    "da": ("30. nov. 2026", "mandag den 30. november", "30. nov. 2026 kl. 14.05", "14.05"),
    "en": ("30 Nov 2026", "Monday 30 November", "30 Nov 2026, 14:05", "14:05"),
}


@pytest.mark.parametrize("language", EXPECTED)
def test_each_language_has_one_way_to_write_a_date(app, language):
    with app.test_request_context(), force_locale(language):
        shown = (
            dates.day(date(2026, 11, 30)),
            dates.day_long(date(2026, 11, 30)),
            dates.when(MOMENT),
            dates.clock(time(14, 5)),
        )
        assert shown == EXPECTED[language]
        assert dates.day(None) == ""


# help/crisis.html is being rewritten in another part of issue 16's work; its one date
# (row.last_verified|dateformat("d MMM y")) becomes |day when that work is merged, and this goes.
NOT_YET: set[str] = set()


def test_every_page_uses_the_filters_not_a_pattern_of_its_own():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "templates"
    own = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.html")
        if str(path.relative_to(root)) not in NOT_YET
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ("|dateformat" in line or "|datetimeformat" in line or "|timeformat" in line) and '"LLLL y"' not in line
    ]
    assert not own, "dates written with a pattern of their own (use |day, |day_long, |when, |clock): " + ", ".join(own)
