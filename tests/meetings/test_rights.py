"""The "My rights at this meeting" cards: every kind of meeting in both countries has points
that say something and name their source, and the appeal deadlines are three and four weeks."""

from __future__ import annotations

import datetime

import pytest
from flask_babel import force_locale

from meetings import rights


def _rendered(app, points):
    with app.test_request_context(), force_locale("en"):
        return [(str(p.title), str(p.text), str(p.source)) for p in points]


@pytest.mark.parametrize("country", rights.COUNTRIES)
@pytest.mark.parametrize("kind", rights.KINDS)
def test_every_kind_has_at_least_three_points_with_a_source(app, kind, country):
    points = rights.card(kind, country)
    assert len(points) >= 3
    for title, text, source in _rendered(app, points):
        assert title.strip() and text.strip() and source.strip(), (kind, country, title)


@pytest.mark.parametrize("country", rights.COUNTRIES)
def test_an_unknown_kind_gets_the_general_points(app, country):
    general = rights.card("other", country)
    assert rights.card("tax office", country) == general
    assert len(general) >= 3
    weeks, deadline = rights.deadline_rule(country)
    assert deadline in general


def test_the_appeal_deadlines():
    assert rights.deadline_rule("SE")[0] == 3
    assert rights.deadline_rule("DK")[0] == 4
    assert rights.deadline_rule("se")[0] == 3


def test_the_deadline_point_names_its_law(app):
    with app.test_request_context(), force_locale("en"):
        assert "44 §" in str(rights.deadline_rule("SE")[1].source)
        assert "§ 67" in str(rights.deadline_rule("DK")[1].source)
        assert "three weeks" in str(rights.deadline_rule("SE")[1].text)
        assert "four weeks" in str(rights.deadline_rule("DK")[1].text)


def test_a_card_is_a_copy_and_points_cannot_change(app):
    points = rights.card("social", "SE")
    points.clear()
    assert rights.card("social", "SE")
    with pytest.raises(AttributeError):
        rights.card("health", "DK")[0].title = "x"


def test_an_unknown_country_is_refused():
    with pytest.raises(ValueError):
        rights.card("social", "NO")


def test_reviewed_date():
    assert rights.REVIEWED == datetime.date(2026, 11, 30)
