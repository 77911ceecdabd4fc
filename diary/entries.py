"""The rules of the diary: writing, editing, deleting, listing, searching, strengths.

Entries are private: every function takes the author and only ever touches their rows.
"""

from __future__ import annotations

import calendar
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from accounts.rules import RuleError
from extensions import fold, utcnow

from . import signals
from .days import local_day
from .models import DiaryEntry, EntryAnswer, EntryStrength
from .vocab import PROMPTS, STRENGTHS, strength_key

PAGE_SIZE = 20
TEXT_MAX = 10000
ANSWER_MAX = 2000
STRENGTH_MAX = 40
STRENGTHS_PER_ENTRY = 12
# An entry kept on a phone while offline carries the time it was written; older than this,
# or in the future, and the time it arrives is used instead.
OFFLINE_WRITTEN_MAX_AGE = timedelta(days=30)


class DiaryError(RuleError):
    """A rule of the diary said no."""


@dataclass
class EntryView:
    entry: DiaryEntry
    answers: list[EntryAnswer] = field(default_factory=list)
    strengths: list[EntryStrength] = field(default_factory=list)


def _clean_strengths(names: list[str]) -> list[str]:
    seen, result = set(), []
    for raw in names:
        name = " ".join(unicodedata.normalize("NFKC", raw).split())
        if not name:
            continue
        if len(name) > STRENGTH_MAX:
            raise DiaryError("strength_too_long", "own_strengths")
        key = strength_key(name)
        if key not in seen:
            seen.add(key)
            result.append(name)
    if len(result) > STRENGTHS_PER_ENTRY:
        raise DiaryError("too_many_strengths", "own_strengths")
    return result


def save_entry(
    session: Session,
    user,
    *,
    mood: int | None,
    text: str,
    answers: dict[str, str],
    strengths: list[str],
    entry: DiaryEntry | None = None,
    client_key: str | None = None,
    written_at: datetime | None = None,
) -> DiaryEntry:
    """Write a new entry, or change one of the author's. Only one field needs filling.

    A new entry may carry the key its form was given (`client_key`): sending the same form
    again, as a phone does when it is not sure the first try arrived, gives back the entry
    already saved instead of a second one. `written_at` is when it was written on the phone.
    """
    text = (text or "").strip()
    answers = {key: (value or "").strip() for key, value in answers.items() if key in PROMPTS}
    answers = {key: value for key, value in answers.items() if value}
    names = _clean_strengths(strengths)
    if mood is not None and mood not in range(1, 6):
        raise DiaryError("mood", "mood")
    if len(text) > TEXT_MAX:
        raise DiaryError("text_too_long", "text")
    if any(len(value) > ANSWER_MAX for value in answers.values()):
        raise DiaryError("answer_too_long", None)
    if not (text or answers or names or mood):
        raise DiaryError("empty_entry", None)

    now = utcnow()
    if entry is None:
        if client_key and (earlier := _by_client_key(session, user, client_key)) is not None:
            return earlier
        when = written_at if written_at and now - OFFLINE_WRITTEN_MAX_AGE <= written_at <= now else now
        entry = DiaryEntry(user_id=user.id, written_at=when, day=local_day(user, when), client_key=client_key or None)
    elif entry.user_id != user.id:
        raise DiaryError("unknown", None)
    entry.mood, entry.text, entry.updated_at = mood, text, now
    session.add(entry)
    try:
        session.flush()
    except IntegrityError:  # the same key arrived twice at once: the other request saved it
        session.rollback()
        earlier = _by_client_key(session, user, client_key) if client_key else None
        if earlier is None:
            raise
        return earlier
    session.exec(delete(EntryAnswer).where(EntryAnswer.entry_id == entry.id))
    session.exec(delete(EntryStrength).where(EntryStrength.entry_id == entry.id))
    for key, value in answers.items():
        session.add(EntryAnswer(entry_id=entry.id, user_id=user.id, prompt=key, text=value))
    for name in names:
        key = strength_key(name)
        # A built-in strength is stored by its key; its word, in the language it was chosen
        # in, stays beside it for whatever shows the stored word (a shared copy, say).
        word = str(STRENGTHS[key]) if name == key and key in STRENGTHS else name
        session.add(EntryStrength(entry_id=entry.id, user_id=user.id, name=word, name_key=key))
    session.commit()
    signals.entry_changed.send(session=session, user_id=user.id, entry_id=entry.id)
    return entry


def _by_client_key(session: Session, user, client_key: str) -> DiaryEntry | None:
    return session.exec(
        select(DiaryEntry).where(DiaryEntry.user_id == user.id, DiaryEntry.client_key == client_key)
    ).first()


def get_entry(session: Session, user, entry_id: int) -> DiaryEntry | None:
    """The entry if it is the user's; None for anyone else's, as if it did not exist."""
    entry = session.get(DiaryEntry, entry_id)
    return entry if entry is not None and entry.user_id == user.id else None


def delete_entry(session: Session, user, entry: DiaryEntry) -> None:
    if entry.user_id != user.id:
        raise DiaryError("unknown", None)
    entry_id = entry.id
    session.delete(entry)
    session.commit()
    signals.entry_deleted.send(session=session, user_id=user.id, entry_id=entry_id)


def with_details(session: Session, entries: list[DiaryEntry]) -> list[EntryView]:
    if not entries:
        return []
    ids = [entry.id for entry in entries]
    views = {entry.id: EntryView(entry) for entry in entries}
    for answer in session.exec(select(EntryAnswer).where(EntryAnswer.entry_id.in_(ids)).order_by(EntryAnswer.id)):
        views[answer.entry_id].answers.append(answer)
    for strength in session.exec(
        select(EntryStrength).where(EntryStrength.entry_id.in_(ids)).order_by(EntryStrength.id)
    ):
        views[strength.entry_id].strengths.append(strength)
    return [views[entry.id] for entry in entries]


def list_entries(
    session: Session, user, *, q: str = "", tag: str = "", before: int | None = None, limit: int = PAGE_SIZE
) -> tuple[list[EntryView], bool]:
    """Newest first, `limit` at a time; `before` is the id of the last entry already shown."""
    q = " ".join((q or "").split())[:100]
    query = select(DiaryEntry).where(DiaryEntry.user_id == user.id)
    if before:
        query = query.where(DiaryEntry.id < before)
    if q or tag:
        # Sealed rows are opened and searched here, in memory: the database cannot read them.
        ids = sorted(_matching(session, user, q, tag), reverse=True)
        if before:
            ids = [entry_id for entry_id in ids if entry_id < before]
        query = query.where(DiaryEntry.id.in_(ids[: limit + 1]))
    rows = list(session.exec(query.order_by(DiaryEntry.id.desc()).limit(limit + 1)))
    return with_details(session, rows[:limit]), len(rows) > limit


def _matching(session: Session, user, q: str, tag: str) -> set[int]:
    """Ids of the person's entries whose text, answers or strengths contain `q` (ignoring
    case) and that name the strength `tag`."""
    found: set[int] | None = None
    if tag:
        wanted = strength_key(tag[:STRENGTH_MAX])
        found = {
            entry_id
            for entry_id, name, name_key in session.exec(
                select(EntryStrength.entry_id, EntryStrength.name, EntryStrength.name_key).where(
                    EntryStrength.user_id == user.id
                )
            )
            if strength_key(name_key or name or "") == wanted
        }
    if q:
        term = fold(q)
        texts = [
            *session.exec(select(DiaryEntry.id, DiaryEntry.text).where(DiaryEntry.user_id == user.id)),
            *session.exec(select(EntryAnswer.entry_id, EntryAnswer.text).where(EntryAnswer.user_id == user.id)),
            *session.exec(select(EntryStrength.entry_id, EntryStrength.name).where(EntryStrength.user_id == user.id)),
        ]
        having = {entry_id for entry_id, text in texts if text and term in fold(text)}
        found = having if found is None else found & having
    return found or set()


@dataclass
class MonthDay:
    day: date
    entries: int = 0
    mood: float | None = None  # average mood of the day's entries that have one


def month_view(session: Session, user, year: int, month: int) -> list[list[MonthDay | None]]:
    """Weeks (Monday first) of the month; None pads the days outside it."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    moods: dict[date, list[int | None]] = defaultdict(list)
    for day, mood in session.exec(
        select(DiaryEntry.day, DiaryEntry.mood).where(
            DiaryEntry.user_id == user.id, DiaryEntry.day >= first, DiaryEntry.day <= last
        )
    ):
        moods[day].append(mood)
    by_day = {}
    for day, values in moods.items():
        known = [mood for mood in values if mood is not None]
        by_day[day] = (len(values), sum(known) / len(known) if known else None)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for day in week:
            if day.month != month:
                cells.append(None)
                continue
            count, avg = by_day.get(day, (0, None))
            cells.append(MonthDay(day, count, round(float(avg), 1) if avg is not None else None))
        weeks.append(cells)
    return weeks


@dataclass
class StrengthSummary:
    name: str  # as shown: a built-in strength in the reader's language, own words as written
    count: int
    days: list[date]
    id: int  # of its newest use: what a link names instead of the word itself
    key: str = ""
    latest_day: date | None = None
    latest_words: str = ""  # the first words of the newest entry that names it
    latest_entry_id: int | None = None


SNIPPET_MAX = 140


def _snippet(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SNIPPET_MAX else text[: SNIPPET_MAX - 1].rstrip() + "…"


def strengths_summary(session: Session, user, with_words: bool = False) -> list[StrengthSummary]:
    """Every strength the person has named, most often first, with the days named. A built-in
    strength counts once, whichever language (or earlier release) stored it; `with_words`
    adds the first words of the newest entry that names each."""
    rows = session.exec(
        select(EntryStrength, DiaryEntry.day)
        .join(DiaryEntry, DiaryEntry.id == EntryStrength.entry_id)
        .where(EntryStrength.user_id == user.id)
        .order_by(DiaryEntry.day.desc(), EntryStrength.id.desc())
    ).all()
    found: dict[str, StrengthSummary] = {}
    for row, day in rows:
        key = row.key
        summary = found.get(key)
        if summary is None:  # the newest use: its spelling, its entry
            summary = found[key] = StrengthSummary(
                row.label, 0, [], row.id, key=key, latest_day=day, latest_entry_id=row.entry_id
            )
        summary.count += 1
        if day not in summary.days:
            summary.days.append(day)
    summary = sorted(found.values(), key=lambda s: (-s.count, s.name.casefold()))
    if with_words and summary:
        ids = {s.latest_entry_id for s in summary}
        texts = dict(session.exec(select(DiaryEntry.id, DiaryEntry.text).where(DiaryEntry.id.in_(ids))).all())
        answers: dict[int, str] = {}
        for entry_id, text in session.exec(
            select(EntryAnswer.entry_id, EntryAnswer.text).where(EntryAnswer.entry_id.in_(ids)).order_by(EntryAnswer.id)
        ):
            answers.setdefault(entry_id, text or "")
        for s in summary:
            s.latest_words = _snippet(texts.get(s.latest_entry_id) or answers.get(s.latest_entry_id, ""))
    return summary


def get_strength(session: Session, user, strength_id: int | None) -> EntryStrength | None:
    """One use of a strength, if it is the user's: a filter link names it by this id."""
    if strength_id is None:
        return None
    row = session.get(EntryStrength, strength_id)
    return row if row is not None and row.user_id == user.id else None


def own_strength_names(session: Session, user, limit: int = 12) -> list[str]:
    """The person's own most used strengths (in their own words, not the built-in ones),
    offered again when writing."""
    return [s.name for s in strengths_summary(session, user) if s.key not in STRENGTHS][:limit]


def entry_days(session: Session, user, since: date) -> set[date]:
    return set(session.exec(select(DiaryEntry.day).where(DiaryEntry.user_id == user.id, DiaryEntry.day >= since)).all())


def count_entries(session: Session, user) -> int:
    return session.exec(select(func.count()).select_from(DiaryEntry).where(DiaryEntry.user_id == user.id)).one()
