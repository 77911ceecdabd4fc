"""The national lines the app ships: each one can be relied on, and speaks the reader's language."""

import re
from datetime import date

import pytest
from flask_babel import force_locale

from extensions import db
from help import lines, service


def texts_of(value) -> dict[str, str]:
    """A line's lazy text as each reader reads it."""
    read = {}
    for language in lines.LANGUAGES:
        with force_locale(language):
            read[language] = str(value)
    return read


@pytest.mark.parametrize("line", lines.LINES, ids=lambda line: line.key)
def test_every_line_has_a_number_a_source_a_date_and_its_texts_in_each_language(app, line):
    assert re.fullmatch(r"\+?[0-9][0-9 \-]{1,28}", line.phone)
    assert line.source.startswith("https://") and " " not in line.source
    assert isinstance(line.verified, date) and line.verified <= date.today()
    with app.app_context():
        what_for, hours = texts_of(line.what_for), texts_of(line.hours)
    assert all(text.strip() for text in list(what_for.values()) + list(hours.values()))
    # Written for each reader, not one text shown to all three.
    assert what_for["sv"] != what_for["en"]
    assert what_for["da"] != what_for["en"]
    assert what_for["sv"] != what_for["da"]


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("SE", {"90101", "0104566700", "1177"}),  # Mind Självmordslinjen, Giftinformationscentralen, 1177
        ("DK", {"82121212", "70201201", "1813"}),  # Giftlinjen, Livslinien, 1813
    ],
)
def test_each_country_ships_112_first_and_its_national_lines(app, country, expected):
    with app.app_context():
        emergency, shown = service.crisis_lines(db.session, country, "en")
    assert [line.phone for line in emergency] == ["112"]
    assert expected <= {lines.digits(line.phone) for line in shown}
    assert all(line.verified and line.source for line in emergency + shown)


@pytest.mark.parametrize("language", lines.LANGUAGES)
def test_a_line_is_described_in_the_readers_language(app, language):
    with app.app_context():
        _emergency, shown = service.crisis_lines(db.session, "SE", language)
    mind = next(line for line in shown if line.phone == "90101")
    shipped = next(line for line in lines.LINES if line.key == "se-mind")
    with app.app_context():
        expected = texts_of(shipped.what_for)[language], texts_of(shipped.hours)[language]
    assert (mind.what_for, mind.hours) == expected


def test_a_coordinators_row_with_a_shipped_number_is_not_shown_twice_and_hidden_hides_it(app):
    with app.app_context():
        service.save(db.session, {"country": "DK", "kind": "line", "name": "Giftlinjen (old)", "phone": "8212 1212"})
        row = service.save(db.session, {"country": "DK", "kind": "line", "name": "Own line", "phone": "33 33 33 33"})
        _e, shown = service.crisis_lines(db.session, "DK", "da")
        names = [line.name for line in shown]
        assert "Giftlinjen" in names and "Giftlinjen (old)" not in names
        assert names.index("Own line") > names.index("Giftlinjen")  # the organisation's own after the national ones
        service.save(
            db.session, {"country": "DK", "kind": "line", "name": "Giftlinjen", "phone": "82 12 12 12", "hidden": True}
        )
        _e, shown = service.crisis_lines(db.session, "DK", "da")
        assert "Giftlinjen" not in [line.name for line in shown]
        service.set_hidden(db.session, row, True)
        _e, shown = service.crisis_lines(db.session, "DK", "da")
        assert "Own line" not in [line.name for line in shown]


def test_a_line_with_its_own_site_links_to_it_by_name(app, client):
    page = client.get("/help?country=DK").get_data(as_text=True)
    assert 'href="https://www.livslinien.dk/"' in page and "Open livslinien.dk" in page
    assert all(line.site.startswith("https://") for line in lines.LINES if line.site)
