"""Reports to the coordinators: only the messages the reporter chooses go with it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from accounts.models import User
from extensions import utcnow

from .models import Contact, Message, Report, ReportItem
from .profiles import PeerError

REASON_MAX = 1000


def report(session: Session, reporter: User, contact: Contact, other: User, message_ids: set[int],
           reason: str) -> Report:
    if reporter.id not in (contact.client_id, contact.other_id):
        raise PeerError("unknown", None)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise PeerError("report_reason_long", "reason")
    chosen = session.exec(select(Message, User).join(User, User.id == Message.sender_id)
                          .where(Message.contact_id == contact.id, Message.id.in_(message_ids or {0}))
                          .order_by(Message.id)).all()
    if not reason and not chosen:
        raise PeerError("report_empty", "reason")
    row = Report(user_id=reporter.id, reported_handle=other.handle, reason=reason)
    session.add(row)
    session.flush()
    for message, sender in chosen:
        session.add(ReportItem(report_id=row.id, user_id=reporter.id, sender=sender.handle, body=message.body,
                               sent_at=message.sent_at))
    session.commit()
    return row


@dataclass
class ReportView:
    report: Report
    reporter: User
    items: list[ReportItem]


def open_reports(session: Session) -> list[ReportView]:
    rows = session.exec(select(Report, User).join(User, User.id == Report.user_id)
                        .where(Report.handled_at.is_(None)).order_by(Report.created_at)).all()
    views = []
    for row, reporter in rows:
        items = list(session.exec(select(ReportItem).where(ReportItem.report_id == row.id).order_by(ReportItem.id)))
        views.append(ReportView(row, reporter, items))
    return views


def mark_handled(session: Session, report_id: int) -> bool:
    row = session.get(Report, report_id)
    if row is None or row.handled_at is not None:
        return False
    row.handled_at = utcnow()
    session.add(row)
    session.commit()
    return True
