"""How the service is doing, counted week by week, without reading anyone.

Every figure is an aggregate computed in SQL from ids, timestamps, statuses and counts:
no query here selects a message's body, a note, a diary or a name, and nothing sealed is
opened. The weeks are the last `WEEKS` ISO weeks (Monday to Sunday) in the service's local
time (the app's default time zone), the last one being the current week so far. A week's
edges are local midnights turned into UTC, so a week across a change of summer time is
still Monday 00:00 to Monday 00:00 on the local clock.

What each figure counts (the page's "How we count" says the same in plain words):

- new clients: client accounts created in the week. An account deleted since is not
  counted (it is gone, with everything about it).
- active contacts: contacts between a client and a peer supporter with at least one
  message, from either of them, sent in the week.
- messages waiting more than 24 h: a client's message to their peer supporter that was
  not followed by a message from the peer supporter in the same contact within 24 hours;
  counted in the week it was sent. A message sent less than 24 hours ago is not counted
  yet (it may still be answered in time).
- first reply: per contact, the time from the client's first message in it to the peer
  supporter's first message after that; counted in the week of the client's first
  message. A contact the peer supporter has not answered yet has no time and is left out
  (it shows in "waiting more than 24 h"). The figure is the median.
- support alerts: alerts raised in the week; and, per alert, the time from raising it to
  the first moment someone it went to saw it (the earliest `seen_at` of its deliveries).
  An alert nobody has seen has no time and is left out of the median.
- peer supporters near their caseload, now: approved peer supporters who set how many
  people they can carry and whose active and pending contacts with clients reach 80 % of
  it. Only now: the app keeps no history of caseloads, so a week's figure would be a guess.

Which of these figures may be shown is decided by stats/shown.py (the small-number rule).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, extract, func, literal, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from accounts.models import User
from accounts.permissions import CLIENT, PEER
from peer.models import AlertDelivery, Contact, Message, PeerProfile, SupportAlert

WEEKS = 12
WAIT = timedelta(hours=24)
NEAR = (4, 5)  # "near their caseload": at least 4/5 (80 %) of it, compared in whole numbers
OPEN_STATUSES = ("active", "pending")


@dataclass(frozen=True)
class Week:
    year: int  # the ISO year and week number
    number: int
    monday: date  # the local date the week starts
    starts: datetime  # UTC
    ends: datetime  # UTC, exclusive
    current: bool = False


@dataclass
class Median:
    """A median in minutes and how many people it rests on (the small-number rule needs
    both): five alerts of one person are one case, not five."""

    minutes: float | None
    cases: int

    @classmethod
    def of(cls, seconds: list[float], people: int | None = None) -> Median:
        value = round(statistics.median(seconds) / 60, 1) if seconds else None
        return cls(value, len(seconds) if people is None else people)


@dataclass
class WeekFigures:
    week: Week
    new_clients: int = 0
    active_contacts: int = 0
    waiting: int = 0
    first_reply: Median = field(default_factory=lambda: Median(None, 0))
    alerts: int = 0
    # How many different clients each count rests on: the small-number rule counts people,
    # so one person's five messages or five alerts are not shown as "5".
    people: dict[str, int] = field(default_factory=dict)
    alert_seen: Median = field(default_factory=lambda: Median(None, 0))


@dataclass
class ServiceFigures:
    weeks: list[WeekFigures]
    near_caseload_now: int


def weeks_up_to(now: datetime, zone: ZoneInfo, count: int = WEEKS) -> list[Week]:
    """The `count` ISO weeks ending with the one `now` falls in, oldest first."""
    today = now.astimezone(zone).date()
    this_monday = today - timedelta(days=today.weekday())
    weeks = []
    for back in range(count - 1, -1, -1):
        monday = this_monday - timedelta(weeks=back)
        year, number, _day = monday.isocalendar()
        weeks.append(Week(year, number, monday, _utc(monday, zone), _utc(monday + timedelta(days=7), zone), back == 0))
    return weeks


def _utc(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc)


def figures(session: Session, now: datetime, zone: ZoneInfo, count: int = WEEKS) -> ServiceFigures:
    """Every weekly figure of the last `count` weeks, and the "now" figure; raw numbers
    (the small-number rule is applied where they are shown)."""
    weeks = weeks_up_to(now, zone, count)
    rows = [WeekFigures(week) for week in weeks]
    for index, n in new_clients(session, weeks):
        rows[index].new_clients = n
    for index, n, people in active_contacts(session, weeks):
        rows[index].active_contacts, rows[index].people["active_contacts"] = n, people
    for index, n, people in waiting(session, weeks, now):
        rows[index].waiting, rows[index].people["waiting"] = n, people
    for index, median in first_replies(session, weeks).items():
        rows[index].first_reply = median
    for index, n, people in alerts(session, weeks):
        rows[index].alerts, rows[index].people["alerts"] = n, people
    for index, median in alerts_seen(session, weeks).items():
        rows[index].alert_seen = median
    return ServiceFigures(rows, near_caseload(session))


# -- The pieces of SQL every measure shares ---------------------------------------------------


def _week_index(column, weeks: list[Week]):
    """The index of the week a timestamp falls in (the caller keeps it within the weeks)."""
    return case(*[(column < week.ends, index) for index, week in enumerate(weeks)], else_=literal(None))


def _within(column, weeks: list[Week]):
    return and_(column >= weeks[0].starts, column < weeks[-1].ends)


def _seconds_between(session: Session, later, earlier):
    """`later - earlier` in seconds, in SQL: SQLite keeps times as text, PostgreSQL as timestamps."""
    if session.get_bind().dialect.name == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return extract("epoch", later - earlier)


def _from_client():
    """1 for a message the contact's client wrote, 0 for the peer supporter's (also when the
    peer supporter's account is deleted: its sender is NULL, and the client's would delete the contact)."""
    return case((Message.sender_id == Contact.client_id, 1), else_=0)


def _counts(session: Session, statement) -> list[tuple]:
    """(week, count) or (week, count, people) rows, as ints."""
    return [tuple(int(value) for value in row) for row in session.execute(statement) if row[0] is not None]


def _medians(session: Session, statement) -> dict[int, Median]:
    """From (week, seconds, person) rows: each week's median and how many people it rests on."""
    seconds: dict[int, list[float]] = {}
    people: dict[int, set] = {}
    for index, value, person in session.execute(statement):
        if index is not None and value is not None:
            seconds.setdefault(int(index), []).append(float(value))
            people.setdefault(int(index), set()).add(person)
    return {index: Median.of(values, len(people[index])) for index, values in seconds.items()}


# -- The measures -----------------------------------------------------------------------------


def new_clients(session: Session, weeks: list[Week]) -> list[tuple[int, int]]:
    week = _week_index(User.created_at, weeks).label("week")
    statement = (
        select(week, func.count(User.id)).where(User.role == CLIENT, _within(User.created_at, weeks)).group_by(week)
    )
    return _counts(session, statement)


def active_contacts(session: Session, weeks: list[Week]) -> list[tuple[int, int]]:
    week = _week_index(Message.sent_at, weeks).label("week")
    statement = (
        select(week, func.count(func.distinct(Message.contact_id)), func.count(func.distinct(Contact.client_id)))
        .join(Contact, Contact.id == Message.contact_id)
        .where(Contact.kind == "peer", _within(Message.sent_at, weeks))
        .group_by(week)
    )
    return _counts(session, statement)


def waiting(session: Session, weeks: list[Week], now: datetime) -> list[tuple[int, int]]:
    """Clients' messages with no answer from the peer supporter within 24 hours.

    One window over each contact's messages (in the order they were sent) gives every
    message the time of the peer supporter's next message after it."""
    from_client = _from_client().label("from_client")
    next_reply = (
        func.min(case((Message.sender_id == Contact.client_id, None), else_=Message.sent_at))
        .over(
            partition_by=Message.contact_id,
            order_by=(Message.sent_at, Message.id),
            rows=(1, None),
        )
        .label("next_reply")
    )
    timeline = (
        select(Message.sent_at.label("sent_at"), Contact.client_id.label("client_id"), from_client, next_reply)
        .join(Contact, Contact.id == Message.contact_id)
        .where(Contact.kind == "peer", Message.sent_at >= weeks[0].starts)
        .subquery()
    )
    week = _week_index(timeline.c.sent_at, weeks).label("week")
    late = or_(
        timeline.c.next_reply.is_(None),
        _seconds_between(session, timeline.c.next_reply, timeline.c.sent_at) > WAIT.total_seconds(),
    )
    statement = (
        select(week, func.count(), func.count(func.distinct(timeline.c.client_id)))
        .where(
            timeline.c.from_client == 1,
            _within(timeline.c.sent_at, weeks),
            timeline.c.sent_at <= now - WAIT,
            late,
        )
        .group_by(week)
    )
    return _counts(session, statement)


def first_replies(session: Session, weeks: list[Week]) -> dict[int, Median]:
    """Per contact, the client's first message and the peer supporter's first message after it."""
    first = (
        select(
            Message.contact_id.label("contact_id"),
            Contact.client_id.label("client_id"),
            func.min(Message.sent_at).label("first_at"),
        )
        .join(Contact, Contact.id == Message.contact_id)
        .where(Contact.kind == "peer", Message.sender_id == Contact.client_id)
        .group_by(Message.contact_id, Contact.client_id)
        .subquery()
    )
    reply = aliased(Message)
    owner = aliased(Contact)
    replied_at = (
        select(func.min(reply.sent_at))
        .join(owner, owner.id == reply.contact_id)
        .where(
            reply.contact_id == first.c.contact_id,
            reply.sent_at > first.c.first_at,
            or_(reply.sender_id.is_(None), reply.sender_id != owner.client_id),
        )
        .scalar_subquery()
    )
    statement = select(
        _week_index(first.c.first_at, weeks), _seconds_between(session, replied_at, first.c.first_at), first.c.client_id
    ).where(_within(first.c.first_at, weeks))
    return _medians(session, statement)


def alerts(session: Session, weeks: list[Week]) -> list[tuple[int, int]]:
    week = _week_index(SupportAlert.raised_at, weeks).label("week")
    statement = (
        select(week, func.count(SupportAlert.id), func.count(func.distinct(SupportAlert.client_id)))
        .where(_within(SupportAlert.raised_at, weeks))
        .group_by(week)
    )
    return _counts(session, statement)


def alerts_seen(session: Session, weeks: list[Week]) -> dict[int, Median]:
    """Per alert, from raising it to the first time someone it went to saw it."""
    first_seen = (
        select(AlertDelivery.alert_id.label("alert_id"), func.min(AlertDelivery.seen_at).label("seen_at"))
        .where(AlertDelivery.seen_at.is_not(None))
        .group_by(AlertDelivery.alert_id)
        .subquery()
    )
    statement = (
        select(
            _week_index(SupportAlert.raised_at, weeks),
            _seconds_between(session, first_seen.c.seen_at, SupportAlert.raised_at),
            SupportAlert.client_id,
        )
        .join(first_seen, first_seen.c.alert_id == SupportAlert.id)
        .where(_within(SupportAlert.raised_at, weeks))
    )
    return _medians(session, statement)


def near_caseload(session: Session) -> int:
    """Approved peer supporters with a caseload whose open contacts reach 80 % of it, now."""
    open_contacts = func.count(Contact.id)
    per_peer = (
        select(PeerProfile.user_id)
        .join(User, User.id == PeerProfile.user_id)
        .outerjoin(
            Contact,
            and_(
                Contact.other_id == PeerProfile.user_id,
                Contact.kind == "peer",
                Contact.status.in_(OPEN_STATUSES),
            ),
        )
        .where(PeerProfile.caseload.is_not(None), User.role == PEER, User.peer_approved_at.is_not(None))
        .group_by(PeerProfile.user_id, PeerProfile.caseload)
        .having(open_contacts * NEAR[1] >= PeerProfile.caseload * NEAR[0])
        .subquery()
    )
    return int(session.execute(select(func.count()).select_from(per_peer)).scalar_one())
