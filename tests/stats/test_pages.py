"""The coordinator's page of how the service is doing and its CSV: who may see them, what they
show, that they never name or quote anyone, and that each chart is well-formed SVG."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import select

from accounts.models import User
from extensions import db
from peer import alerts, messages
from peer.models import Contact
from tests.conftest import login, main_of, make_contact, make_peer_profile, make_user

PEER_NAME = "Quillabeth Spruce"
CLIENT_HANDLES = [f"zebracactus{i}" for i in range(6)]
PEER_HANDLE = "orchidlantern"
MESSAGE = "marmalade otter under the bridge"
ALERT_NOTE = "blue kettle alarm words"
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def service_with_people(app):
    """Six clients (new this week), each with a contact to one peer supporter and a message;
    one support alert. Distinctive names and words the pages must never show."""
    peer_id, _codes = make_user(app, PEER_HANDLE, role="peer", approved=True)
    make_peer_profile(app, peer_id, display_name=PEER_NAME)
    make_user(app, "coord1", role="coordinator")
    client_ids = []
    for handle in CLIENT_HANDLES:
        client_id, _codes = make_user(app, handle)
        contact_id = make_contact(app, client_id, peer_id)
        with app.app_context():
            client = db.session.get(User, client_id)
            messages.send(db.session, client, db.session.get(Contact, contact_id), f"{MESSAGE} {handle}")
        client_ids.append(client_id)
    with app.app_context():
        alerts.raise_alert(db.session, db.session.get(User, client_ids[0]), ALERT_NOTE)
    return client_ids


def _coordinator(app):
    browser = app.test_client()
    login(browser, "coord1")
    return browser


def _assert_names_nobody(text: str) -> None:
    for word in (PEER_NAME, PEER_HANDLE, MESSAGE, ALERT_NOTE, *CLIENT_HANDLES):
        assert word not in text


def test_the_page_shows_figures_and_names_nobody(app, service_with_people):
    response = _coordinator(app).get("/coordinator/service")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    _assert_names_nobody(page)
    main = main_of(response)
    assert "How the service is doing" in main and "How we count" in main
    new_clients = re.search(r'id="stats-new_clients-h".*?</table>', main, re.S).group(0)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>\s*<td>(.*?)</td>", new_clients, re.S)
    assert len(rows) == 12
    assert rows[-1][1] == "6" and "so far" in rows[-1][0]
    assert all(figure == "0" for _week, figure in rows[:-1])
    alerts_table = re.search(r'id="stats-alerts-h".*?</table>', main, re.S).group(0)
    assert "fewer than 5" in alerts_table  # one alert: hidden


def test_the_coordinators_home_links_to_the_page(app, service_with_people):
    assert 'href="/coordinator/service"' in _coordinator(app).get("/coordinator").get_data(as_text=True)


def test_every_chart_is_well_formed_svg_with_a_name(app, service_with_people):
    page = main_of(_coordinator(app).get("/coordinator/service"))
    charts = re.findall(r"<svg class=\"stats-chart\".*?</svg>", page, re.S)
    assert len(charts) == 6
    hidden_bars = 0
    for chart in charts:
        root = ET.fromstring(chart)
        assert root.get("role") == "img"
        title = root.find(f"{SVG_NS}title")
        assert title is not None and title.text.strip()
        assert root.get("aria-labelledby") == title.get("id")
        bars = root.findall(f"{SVG_NS}g")
        assert len(bars) == 12
        assert all(bar.find(f"{SVG_NS}title").text for bar in bars)
        for bar in bars:
            if bar.find(f"{SVG_NS}rect").get("class") == "stats-bar-hidden":
                hidden_bars += 1
                assert "fewer than 5" in bar.find(f"{SVG_NS}title").text
                assert bar.find(f"{SVG_NS}text").text == "<5"
    assert hidden_bars >= 1  # the one support alert, at least
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def _csv_rows(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_has_the_same_figures_with_the_same_rule(app, service_with_people):
    response = _coordinator(app).get("/coordinator/service.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and response.mimetype_params.get("charset") == "utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    _assert_names_nobody(response.get_data(as_text=True))
    rows = _csv_rows(response)
    assert rows[0] == [
        "Week",
        "Week starts",
        "New clients",
        "Active contacts",
        "Messages waiting more than 24 hours",
        "Time to a peer supporter's first reply (minutes, median)",
        "Support alerts",
        "Time until someone saw a support alert (minutes, median)",
        "Peer supporters near their caseload, now",
    ]
    assert len(rows) == 13
    assert re.fullmatch(r"\d{4}-W\d{2}", rows[-1][0]) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", rows[-1][1])
    # This week: 6 new clients, 6 active contacts, nothing waiting 24 hours yet, no reply yet
    # (a median of no case is hidden), one alert (hidden), no caseload set (0).
    assert rows[-1][2:] == ["6", "6", "0", "<5", "<5", "<5", "0"]
    assert all(row[-1] == "" for row in rows[1:-1])  # "now" only in this week's row


def test_the_csv_header_is_in_the_coordinators_language(app, service_with_people):
    with app.app_context():
        coordinator = db.session.exec(select(User).where(User.role == "coordinator")).one()
        coordinator.locale = "sv"
        db.session.commit()
    rows = _csv_rows(_coordinator(app).get("/coordinator/service.csv"))
    with app.test_request_context(), force_locale("sv"):
        assert rows[0][:3] == [_("Week"), _("Week starts"), _("New clients")]


@pytest.mark.parametrize("url", ["/coordinator/service", "/coordinator/service.csv"])
@pytest.mark.parametrize("role", ["client", "peer", "relative"])
def test_nobody_but_a_coordinator_gets_the_figures(app, service_with_people, url, role):
    handle = {"client": CLIENT_HANDLES[0], "peer": PEER_HANDLE}.get(role)
    if handle is None:
        make_user(app, "relative1", role="relative")
        handle = "relative1"
    browser = app.test_client()
    login(browser, handle)
    assert browser.get(url).status_code == 404
    assert app.test_client().get(url).status_code == 302
