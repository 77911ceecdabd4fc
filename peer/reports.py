"""Reports to the coordinators: only the messages the reporter chooses go with it.

A report names the reported person by id; when they delete their account it stays for
the coordinator, naming no one, and the quotes of their messages go with them. The reason
and the quotes are sealed by the report's own key (peer/report_keys.py): the coordinators
read what was reported, never the conversation it came from."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlmodel import Session, select

from accounts.models import User
from accounts.sealing import Unopened
from extensions import utcnow

from . import profiles, report_keys, signals
from .errors import PeerError
from .models import Contact, Message, Report, ReportItem

REASON_MAX = 1000
REPLY_MAX = 2000
# How a report ends, as the coordinator chooses it and the reporter reads it.
OUTCOMES = {
    "talked": _l("We talked with the person about it"),
    "paused": _l("The peer supporter is paused for now"),
    "removed": _l("The person is no longer a peer supporter in the app"),
    "no_action": _l("We looked at it, and no action was needed"),
}


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

    @property
    def reported_is_peer(self) -> bool:
        """Whether the reported person is an approved peer supporter (who can be paused or removed)."""
        return self.reported is not None and self.reported.is_approved_peer

    @property
    def outcome(self):
        return OUTCOMES.get(self.report.outcome or "", "")


def view_of(session: Session, row: Report) -> ReportView:
    reporter = session.get(User, row.user_id)
    reported = session.get(User, row.reported_id) if row.reported_id is not None else None
    quoted = session.exec(
        select(ReportItem, User)
        .join(User, User.id == ReportItem.sender_id)
        .where(ReportItem.report_id == row.id)
        .order_by(ReportItem.id)
    ).all()
    items = [item for item, _sender in quoted]
    return ReportView(
        row,
        reporter,
        reported,
        items,
        {sender.id: sender for _item, sender in quoted},
        report_keys.opens(row, items) and not _unopened(row, "reply"),
    )


def _unopened(row: Report, column: str) -> bool:
    return type(row.__dict__.get(column)) is Unopened


def open_reports(session: Session) -> list[ReportView]:
    rows = session.exec(select(Report).where(Report.handled_at.is_(None)).order_by(Report.created_at)).all()
    return [view_of(session, row) for row in rows]


def closed_reports(session: Session) -> list[ReportView]:
    """Closed reports, the latest closed first. A deleted account's quotes went with it."""
    rows = session.exec(
        select(Report).where(Report.handled_at.is_not(None)).order_by(Report.handled_at.desc(), Report.id.desc())
    ).all()
    return [view_of(session, row) for row in rows]


def any_report(session: Session, coordinator: User, report_id: int) -> Report | None:
    """Any report, open or closed: a coordinator reads every report (never a conversation)."""
    return session.get(Report, report_id)


def about_a_peer(session: Session, coordinator: User, report_id: int) -> Report | None:
    """A report about an approved peer supporter: the only kind whose person can be paused
    or removed from the report; None otherwise."""
    row = session.get(Report, report_id)
    return row if row is not None and reported_peer(session, row) is not None else None


def own_report(session: Session, reporter: User, report_id: int) -> Report | None:
    """One of the person's own reports; anyone else's is None (404)."""
    row = session.get(Report, report_id)
    return row if row is not None and row.user_id == reporter.id else None


def reports_of(session: Session, reporter: User) -> list[Report]:
    """The person's own reports, the latest first."""
    return list(
        session.exec(select(Report).where(Report.user_id == reporter.id).order_by(Report.created_at.desc())).all()
    )


def _answered(report: Report) -> None:
    signals.report_answered.send(report_id=report.id, recipient_id=report.user_id)


def reply(session: Session, report: Report, text: str) -> bool:
    """The coordinator's answer to the reporter, sealed by the report's key. The same words
    again (a second tap) change nothing and tell nobody twice. True if it was saved."""
    text = (text or "").strip()
    if not text:
        raise PeerError("report_reply_empty", "reply")
    if len(text) > REPLY_MAX:
        raise PeerError("report_reply_long", "reply")
    if not report_keys.holds(report):  # this coordinator gets the key at another's next visit
        raise PeerError("report_not_opened", "reply")
    # Hold the report's row while comparing: of two replies at the same moment (a double
    # tap, two coordinators) the second waits, reads the first, and tells nobody twice.
    session.exec(update(Report).where(Report.id == report.id).values(replied_at=Report.replied_at))
    session.refresh(report)
    if report.reply == text:
        session.commit()
        return False
    report.reply, report.replied_at = text, utcnow()
    session.add(report)
    session.commit()
    _answered(report)
    return True


def close(session: Session, report: Report, outcome: str) -> bool:
    """Close a report with one of OUTCOMES; it leaves the open list and the reporter sees
    the outcome. A report already closed stays as it was (a second tap). True if closed now."""
    if outcome not in OUTCOMES:
        raise PeerError("report_outcome", "outcome")
    closed = session.exec(
        update(Report)
        .where(Report.id == report.id, Report.handled_at.is_(None))
        .values(handled_at=utcnow(), outcome=outcome)
    ).rowcount
    session.commit()
    session.refresh(report)
    if not closed:  # closed already, by a second tap or another coordinator
        return False
    _answered(report)
    return True


def reported_peer(session: Session, report: Report) -> User | None:
    """The approved peer supporter a report is about; None if it is about someone else, a
    deleted account, or a peer supporter already removed."""
    reported = session.get(User, report.reported_id) if report.reported_id is not None else None
    return reported if reported is not None and reported.is_approved_peer else None


def pause_reported(session: Session, report: Report, paused: bool = True) -> User | None:
    """Pause the reported peer supporter (not shown to anyone, no new contacts), or with
    paused=False show them again. Twice is once; None when the report is not about an
    approved peer supporter (nothing changes)."""
    peer = reported_peer(session, report)
    if peer is not None:
        profiles.set_paused(session, peer, paused)
    return peer


def remove_reported(session: Session, report: Report) -> User | None:
    """Take back the reported peer supporter's approval; their contacts end (peer/profiles.py).
    None when there is no approved peer supporter to remove (already removed: a second tap)."""
    peer = reported_peer(session, report)
    if peer is not None:
        profiles.remove_peer(session, peer)
    return peer
