"""Reports to the coordinators: only the messages the reporter chooses go with it.

A report names the reported person by id; when they delete their account it stays for
the coordinator, naming no one, and the quotes of their messages go with them. The reason
and the quotes are sealed by the report's own key (peer/report_keys.py): the coordinators
read what was reported, never the conversation it came from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from accounts.models import User
from extensions import utcnow

from . import report_keys
from .errors import PeerError
from .models import Contact, Message, Report, ReportItem

REASON_MAX = 1000


def report(
    session: Session, reporter: User, contact: Contact, other: User | None, message_ids: set[int], reason: str
) -> Report:
    people = (contact.client_id, contact.other_id)
    if other is None or reporter.id not in people or other.id not in people or other.id == reporter.id:
        raise PeerError("unknown", None)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise PeerError("report_reason_long", "reason")
    chosen = session.exec(
        select(Message)
        .where(Message.contact_id == contact.id, Message.sender_id.is_not(None), Message.id.in_(message_ids or {0}))
        .order_by(Message.id)
    ).all()
    if not reason and not chosen:
        raise PeerError("report_empty", "reason")
    # Sealed by a key of its own, for the reporter and the coordinators: the row goes in
    # with the reason empty (the key is named by its id), then the key, then the words.
    row = Report(user_id=reporter.id, reported_id=other.id, reason="")
    session.add(row)
    session.flush()
    report_keys.make(session, row)
    row.reason = reason
    session.add(row)
    for message in chosen:
        session.add(
            ReportItem(
                report_id=row.id,
                user_id=reporter.id,
                sender_id=message.sender_id,
                body=message.body,
                sent_at=message.sent_at,
            )
        )
    session.commit()
    return row


@dataclass
class ReportView:
    report: Report
    reporter: User
    reported: User | None  # None: a deleted account
    items: list[ReportItem]
    senders: dict[int, User]  # who wrote each quoted message, by id
    opened: bool = True  # False: this coordinator gets the report's key at another's next visit


def open_reports(session: Session) -> list[ReportView]:
    rows = session.exec(
        select(Report, User)
        .join(User, User.id == Report.user_id)
        .where(Report.handled_at.is_(None))
        .order_by(Report.created_at)
    ).all()
    views = []
    for row, reporter in rows:
        reported = session.get(User, row.reported_id) if row.reported_id is not None else None
        quoted = session.exec(
            select(ReportItem, User)
            .join(User, User.id == ReportItem.sender_id)
            .where(ReportItem.report_id == row.id)
            .order_by(ReportItem.id)
        ).all()
        views.append(
            ReportView(
                row,
                reporter,
                reported,
                [item for item, _sender in quoted],
                {sender.id: sender for _item, sender in quoted},
                report_keys.opens(row, [item for item, _sender in quoted]),
            )
        )
    return views


def open_report(session: Session, coordinator: User, report_id: int) -> Report | None:
    """A report not yet handled, the only kind a coordinator may mark handled; None otherwise."""
    row = session.get(Report, report_id)
    return row if row is not None and row.handled_at is None else None


def mark_handled(session: Session, report: Report) -> None:
    report.handled_at = utcnow()
    session.add(report)
    session.commit()
