"""Report keys: a report's reason and quoted messages are sealed by a key of its own
("r<report id>"), sealed to the reporter's public key (so their export opens their own
words) and to each coordinator's (`report_key`). A coordinator whose account had no keys
yet, or who joined later, gets a copy from another coordinator at that one's next login.
A report from before sealing gets its key at the next login of its reporter or of a
coordinator, and its words are sealed then."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, select

from accounts import keys
from accounts.models import User, UserKey
from accounts.permissions import COORDINATOR
from accounts.sealing import KeyUnavailable, Unopened, current_keyring, register_resolver
from accounts.service import after_login

from .models import Report, ReportItem, ReportKey, by_report

register_resolver("r", keys.held_copy_resolver(ReportKey, ReportKey.report_id))


def _readers(session: Session, report: Report) -> dict[int, object]:
    """The reporter and every coordinator, each who has a public key, with that key."""
    people = session.exec(
        select(UserKey.user_id)
        .join(User, User.id == UserKey.user_id)
        .where(or_(User.role == COORDINATOR, User.id == report.user_id))
    ).all()
    return {user_id: keys.public_key(session, user_id) for user_id in people}


def _give(session: Session, report: Report, key: bytes, skip: set[int]) -> bool:
    added = False
    for person, public in _readers(session, report).items():
        if person not in skip:
            session.add(ReportKey(report_id=report.id, user_id=person, sealed=keys.seal_to(public, key)))
            added = True
    return added


def make(session: Session, report: Report) -> bytes:
    """A new key for a report that has an id and no key yet; the current person holds it."""
    key = keys.new_key()
    _give(session, report, key, set())
    session.flush()
    current_keyring().add(by_report(report.id), key)
    return key


def holds(report: Report) -> bool:
    return current_keyring().has(by_report(report.id))


def opens(report: Report, items: list[ReportItem]) -> bool:
    """Whether the reason and every quote open for the current person (or are still plain)."""
    values = [report.__dict__.get("reason")] + [item.__dict__.get("body") for item in items]
    return not any(type(value) is Unopened for value in values)


def settle(session: Session, user: User) -> None:
    """At login: reports with no key yet that this person may read get one; reports whose
    key this person holds are given to readers who lack it."""
    mine = Report.user_id == user.id
    if user.role == COORDINATOR:
        mine = or_(mine, Report.id.is_not(None))
    changed = False
    for report in session.exec(select(Report).where(mine)).all():
        holders = set(session.exec(select(ReportKey.user_id).where(ReportKey.report_id == report.id)).all())
        if not holders:
            make(session, report)
            changed = True
        elif holds(report):
            changed |= _give(session, report, current_keyring().key(by_report(report.id)), holders)
    if changed:
        session.commit()


@after_login
def _at_login(session: Session, user: User) -> None:
    try:
        settle(session, user)
    except KeyUnavailable:  # never stops a login; the next one tries again
        session.rollback()
