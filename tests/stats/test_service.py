"""Each weekly figure of stats/service.py against its definition, with crafted rows, on SQLite
and PostgreSQL; and the small-number rule at its edges."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from peer.models import AlertDelivery, Contact, Message, PeerProfile, SupportAlert
from stats import service
from stats.shown import Figure, csv_cell, shown

ZONE = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)  # a Wednesday, ISO week 48
THIS_MONDAY = datetime(2026, 11, 22, 23, 0, tzinfo=timezone.utc)  # Monday 23 Nov, 00:00 in Stockholm
LAST = 11  # the index of the current week
_numbers = itertools.count(1)


# -- The small-number rule ---------------------------------------------------------------------


def test_a_count_of_four_is_hidden_and_five_is_shown():
    assert shown(4).hidden and shown(1).hidden
    assert shown(5) == Figure(5) and shown(123) == Figure(123)


def test_zero_is_shown_as_zero():
    assert shown(0) == Figure(0)


def test_a_median_needs_five_cases():
    assert shown(12.5, cases=4).hidden
    assert shown(12.5, cases=5) == Figure(12.5)
    assert shown(None, cases=0).hidden  # no case at all: nothing to show


def test_the_csv_cell_follows_the_rule():
    assert [csv_cell(shown(n)) for n in (0, 1, 4, 5, 17)] == ["0", "<5", "<5", "5", "17"]
    assert csv_cell(shown(30.4, cases=5)) == "30.4"
    assert csv_cell(shown(30.0, cases=7)) == "30"


# -- Weeks ----------------------------------------------------------------------------------------


def test_twelve_iso_weeks_ending_with_this_one_in_local_time():
    weeks = service.weeks_up_to(NOW, ZONE)
    assert len(weeks) == 12
    assert weeks[-1].current and not any(w.current for w in weeks[:-1])
    assert (weeks[-1].year, weeks[-1].number) == (2026, 48)
    assert weeks[-1].starts == THIS_MONDAY
    assert all(w.monday.weekday() == 0 for w in weeks)
    assert all(a.ends == b.starts for a, b in itertools.pairwise(weeks))
    # The week in which summer time ends (25 Oct 2026) is an hour longer in UTC.
    autumn = next(w for w in weeks if w.number == 43)
    assert autumn.ends - autumn.starts == timedelta(hours=169)


# -- Crafted rows ---------------------------------------------------------------------------------


def _user(session, role="client", created=NOW - timedelta(days=400), approved=True) -> int:
    n = next(_numbers)
    values = {
        "handle": f"u{n}",
        "handle_key": f"u{n}-{role}",
        "password_hash": "x",
        "role": role,
        "session_token": f"t{n}",
        "created_at": created,
        "password_changed_at": created,
        "time_zone": "Europe/Stockholm",
        "pin_idle_minutes": 5,
        "pin_tries": 0,
        "peer_approved_at": created if role == "peer" and approved else None,
    }
    return session.execute(User.__table__.insert().values(**values)).inserted_primary_key[0]


def _contact(session, client_id, other_id, kind="peer", status="active") -> int:
    values = {
        "client_id": client_id,
        "other_id": other_id,
        "kind": kind,
        "status": status,
        "alerts": True,
        "share_checkin": False,
        "share_plan": False,
        "messaging": True,
        "created_at": NOW - timedelta(days=200),
    }
    return session.execute(Contact.__table__.insert().values(**values)).inserted_primary_key[0]


def _message(session, contact_id, sender_id, at) -> None:
    session.execute(Message.__table__.insert().values(contact_id=contact_id, sender_id=sender_id, sent_at=at))


def _pair(session, kind="peer"):
    client, peer = _user(session), _user(session, role="peer" if kind == "peer" else "relative")
    return client, peer, _contact(session, client, peer, kind=kind)


def _weeks():
    return service.weeks_up_to(NOW, ZONE)


def _counts(rows) -> dict:
    """{week: count} of (week, count, people) rows."""
    return {row[0]: row[1] for row in rows}


def _people(rows) -> dict:
    """{week: how many different clients the count rests on}."""
    return {row[0]: row[2] for row in rows}


def test_new_clients_are_client_accounts_made_that_week(session):
    for _ in range(5):
        _user(session, created=THIS_MONDAY - timedelta(days=3))  # week 47
    for _ in range(4):
        _user(session, created=THIS_MONDAY - timedelta(days=10))  # week 46
    _user(session, role="peer", created=THIS_MONDAY - timedelta(days=3))
    _user(session, role="relative", created=THIS_MONDAY - timedelta(days=3))
    # Monday 00:30 in Stockholm is Sunday 23:30 in UTC: it belongs to the Monday's week.
    _user(session, created=THIS_MONDAY + timedelta(minutes=30))
    _user(session, created=THIS_MONDAY - timedelta(minutes=30))  # Sunday 23:30 local: week 47
    _user(session, created=THIS_MONDAY - timedelta(weeks=20))  # before the twelve weeks
    session.commit()
    counts = dict(service.new_clients(session, _weeks()))
    assert counts == {LAST: 1, LAST - 1: 6, LAST - 2: 4}


def test_active_contacts_are_peer_contacts_with_a_message_that_week(session):
    client, peer, a = _pair(session)
    _client2, peer2, b = _pair(session)
    rel_client, relative, c = _pair(session, kind="relative")
    for hours in (1, 2, 30):
        _message(session, a, client, THIS_MONDAY + timedelta(hours=hours))
    _message(session, b, peer2, THIS_MONDAY + timedelta(hours=5))  # the peer supporter's alone counts too
    _message(session, c, rel_client, THIS_MONDAY + timedelta(hours=5))  # a relative's contact does not
    _message(session, a, peer, THIS_MONDAY - timedelta(days=2))
    session.commit()
    rows = service.active_contacts(session, _weeks())
    assert _counts(rows) == {LAST: 2, LAST - 1: 1}
    assert _people(rows) == {LAST: 2, LAST - 1: 1}


def test_a_message_waits_when_no_answer_came_within_24_hours(session):
    client, peer, contact = _pair(session)
    start = THIS_MONDAY - timedelta(days=7)  # week 47
    # Answered after 23 hours: not waiting.
    _message(session, contact, client, start)
    _message(session, contact, peer, start + timedelta(hours=23))
    # Answered after 25 hours: waiting.
    _message(session, contact, client, start + timedelta(days=2))
    _message(session, contact, peer, start + timedelta(days=3, hours=1))
    # Two in a row, then an answer within the hour: neither waits.
    _message(session, contact, client, start + timedelta(days=4))
    _message(session, contact, client, start + timedelta(days=4, minutes=5))
    _message(session, contact, peer, start + timedelta(days=4, minutes=50))
    # Never answered, a day and a half ago (this week): waiting, in the week it was sent.
    _message(session, contact, client, NOW - timedelta(hours=36))
    # Never answered, 2 hours ago: not yet counted.
    _message(session, contact, client, NOW - timedelta(hours=2))
    # Another contact's peer answer does not count as an answer.
    other_client, other_peer, other = _pair(session)
    _message(session, other, other_client, start + timedelta(days=5))
    _message(session, other, other_peer, start + timedelta(days=5, hours=1))
    session.commit()
    rows = service.waiting(session, _weeks(), NOW)
    assert _counts(rows) == {LAST - 1: 1, LAST: 1} and _people(rows) == {LAST - 1: 1, LAST: 1}


def test_an_answer_from_a_deleted_peer_account_still_counts(session):
    client, _peer, contact = _pair(session)
    start = THIS_MONDAY - timedelta(days=7)
    _message(session, contact, client, start)
    _message(session, contact, None, start + timedelta(hours=1))  # sender NULL: the peer's account is gone
    session.commit()
    assert _counts(service.waiting(session, _weeks(), NOW)) == {}


def _contact_with_reply(session, first_at, minutes, peer_first=False):
    client, peer, contact = _pair(session)
    if peer_first:
        _message(session, contact, peer, first_at - timedelta(hours=3))
    _message(session, contact, client, first_at)
    _message(session, contact, client, first_at + timedelta(minutes=1))
    if minutes is not None:
        _message(session, contact, peer, first_at + timedelta(minutes=minutes))
        _message(session, contact, peer, first_at + timedelta(minutes=minutes + 500))


def test_first_reply_is_the_median_per_contact_by_the_week_of_the_first_message(session):
    week = THIS_MONDAY - timedelta(days=7)
    for i, minutes in enumerate((10, 20, 30, 40)):
        _contact_with_reply(session, week + timedelta(hours=i), minutes)
    _contact_with_reply(session, week + timedelta(hours=9), 600, peer_first=True)  # a greeting first: from the client's
    _contact_with_reply(session, week + timedelta(hours=10), None)  # no reply yet: left out
    _contact_with_reply(session, THIS_MONDAY, 15)  # this week: one case
    # The client's first message was before the twelve weeks: not counted, though answered now.
    client, peer, old = _pair(session)
    _message(session, old, client, THIS_MONDAY - timedelta(weeks=30))
    _message(session, old, peer, THIS_MONDAY + timedelta(hours=1))
    session.commit()
    medians = service.first_replies(session, _weeks())
    assert medians[LAST - 1] == service.Median(30.0, 5)
    assert medians[LAST] == service.Median(15.0, 1)
    assert set(medians) == {LAST - 1, LAST}


def test_support_alerts_and_the_time_until_someone_saw_them(session):
    client, peer, contact = _pair(session)
    week = THIS_MONDAY - timedelta(days=7)
    for i, minutes in enumerate((2, 4, 6, 8, 10, None)):
        raised = week + timedelta(hours=i)
        alert = session.execute(
            SupportAlert.__table__.insert().values(client_id=client, raised_at=raised)
        ).inserted_primary_key[0]
        seen = None if minutes is None else raised + timedelta(minutes=minutes)
        deliveries = [seen, None if seen is None else seen + timedelta(hours=2)]
        for at in deliveries:
            session.execute(
                AlertDelivery.__table__.insert().values(alert_id=alert, contact_id=contact, user_id=peer, seen_at=at)
            )
    session.execute(SupportAlert.__table__.insert().values(client_id=client, raised_at=THIS_MONDAY))
    session.commit()
    rows = service.alerts(session, _weeks())
    assert _counts(rows) == {LAST - 1: 6, LAST: 1}
    # Six alerts, one person: the median rests on one person, not on five alerts.
    assert _people(rows) == {LAST - 1: 1, LAST: 1}
    assert service.alerts_seen(session, _weeks()) == {LAST - 1: service.Median(6.0, 1)}


def test_one_persons_many_messages_or_alerts_are_never_shown_as_a_number(session):
    """The small-number rule counts people: one client's five unanswered messages and five
    alerts in a week are "fewer than 5", while five clients' are shown."""
    from stats.measures import KINDS, figure_of

    week = THIS_MONDAY - timedelta(days=7)
    client, _peer, contact = _pair(session)
    for i in range(5):
        _message(session, contact, client, week + timedelta(hours=i))
        session.execute(SupportAlert.__table__.insert().values(client_id=client, raised_at=week + timedelta(hours=i)))
    session.commit()
    row = service.figures(session, NOW, ZONE).weeks[LAST - 1]
    kinds = {kind.key: kind for kind in KINDS}
    assert (row.waiting, row.alerts) == (5, 5)
    assert figure_of(row, kinds["waiting"]).hidden and figure_of(row, kinds["alerts"]).hidden
    for _ in range(4):  # four more people, one message and one alert each
        other, _other_peer, theirs = _pair(session)
        _message(session, theirs, other, week + timedelta(hours=6))
        session.execute(SupportAlert.__table__.insert().values(client_id=other, raised_at=week + timedelta(hours=6)))
    session.commit()
    row = service.figures(session, NOW, ZONE).weeks[LAST - 1]
    assert figure_of(row, kinds["waiting"]) == Figure(9) and figure_of(row, kinds["alerts"]) == Figure(9)


def _peer_with(session, caseload, open_contacts, ended=0, approved=True):
    peer = _user(session, role="peer", approved=approved)
    session.execute(
        PeerProfile.__table__.insert().values(
            user_id=peer,
            display_name="x",
            caseload=caseload,
            taking_new=True,
            available=True,
            paused=False,
            stay_on_duty=False,
            updated_at=NOW,
        )
    )
    statuses = ["active", "pending"] * open_contacts
    for status in statuses[:open_contacts] + ["ended"] * ended:
        _contact(session, _user(session), peer, status=status)
    return peer


def test_near_the_caseload_is_at_least_80_percent_of_it(session):
    _peer_with(session, 5, 4)  # exactly 80 %: near
    _peer_with(session, 10, 10)  # full: near
    _peer_with(session, 5, 3, ended=3)  # ended contacts do not count: 60 %
    _peer_with(session, 10, 7)  # 70 %
    _peer_with(session, None, 30)  # no caseload set: never counted
    _peer_with(session, 1, 1, approved=False)  # not approved
    session.commit()
    assert service.near_caseload(session) == 2


def test_everything_together_and_an_empty_service(session):
    empty = service.figures(session, NOW, ZONE)
    assert len(empty.weeks) == 12 and empty.near_caseload_now == 0
    assert all(row.new_clients == 0 and row.first_reply.cases == 0 for row in empty.weeks)


@pytest.mark.parametrize("weeks", [1, 12])
def test_the_number_of_weeks_is_honoured(session, weeks):
    assert len(service.figures(session, NOW, ZONE, count=weeks).weeks) == weeks
