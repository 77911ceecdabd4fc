"""A person's own words never stand in an address (proxies and servers log every URL) and
never reach the app's log: a marker typed into every form of every role is found in neither."""

from __future__ import annotations

import logging
import secrets
from urllib.parse import unquote_plus

import pytest
from sqlalchemy import text

from tests.conftest import csrf_token, login
from tests.formwalk import Walk, walk
from tests.test_access import HANDLES, build_people

PUBLIC_SEARCH = "/help/services?"
START = [
    "/home",
    "/today",
    "/diary",
    "/diary/new",
    "/goals",
    "/goals/new",
    "/next-steps",
    "/next-steps/new",
    "/contacts",
    "/support",
    "/contacts/invite",
    "/push/reminders",
    "/push/reminders/new",
    "/push/settings",
    "/settings",
    "/inbox",
    "/profile",
    "/linked",
    "/relatives/notes",
    "/coordinator",
    "/coordinator/help",
    "/coordinator/help/new",
    "/coordinator/reports",
    "/coordinator/reports/closed",
    "/reports",
    "/help",
    "/help/services",
    "/warnings",
    "/settings/warnings",
    "/coordinator/warnings/new",
]


def walk_every_role(app, marker: str, skip: tuple[str, ...] = ()) -> Walk:
    """Every role logs in and sends every form it reaches, twice, with `marker` typed in."""
    people = build_people(app)
    done = Walk()
    for role in ("client", "peer", "relative", "coordinator", "other_client", "peer_waiting"):
        client = app.test_client()
        login(client, HANDLES[role])
        token = csrf_token(client)
        extra = [
            f"/contacts/{people['contact']}",
            f"/goals/{people['goal']}",
            f"/diary/{people['entry']}/edit",
            f"/contacts/{people['contact']}/report",
            f"/diary/{people['entry']}/share",
        ]
        for _round in range(2):  # the second round sees the pages that now hold the marker
            walk(client, START + extra, marker, token, max_pages=90, walk_result=done, skip=skip)
    return done


def test_a_marker_typed_everywhere_is_in_no_url_and_no_log(app, caplog):
    caplog.set_level(logging.DEBUG)
    marker = "Qz" + secrets.token_hex(6)
    done = walk_every_role(app, marker)

    assert not done.server_errors, done.server_errors
    accepted = [action for action, status in done.sent if status in (200, 201, 302)]
    assert len(set(a.split("?")[0] for a in accepted)) >= 25, sorted(set(accepted))
    # The marker really went in: it is shown back on the person's own pages.
    owner = app.test_client()
    login(owner, "client1")
    assert marker in owner.get("/diary").get_data(as_text=True)

    # The public help directory's search (place, kind of service) is a GET on purpose, so a
    # result can be kept and opened offline; it searches public services, not the person.
    in_urls = [
        url for url in done.urls if (marker in url or marker in unquote_plus(url)) and not url.startswith(PUBLIC_SEARCH)
    ]
    assert not in_urls, in_urls
    assert marker not in caplog.text


@pytest.mark.parametrize("url_fixture", ["sqlite_url", "postgres_url"])
def test_a_database_error_does_not_carry_what_was_written(request, url_fixture, caplog):
    from extensions import make_engine

    engine = make_engine(request.getfixturevalue(url_fixture))
    marker = "Qz" + secrets.token_hex(6)
    with pytest.raises(Exception) as raised, engine.begin() as conn:
        conn.execute(text("INSERT INTO no_such_table (body) VALUES (:body)"), {"body": marker})
    engine.dispose()
    assert marker not in str(raised.value)
