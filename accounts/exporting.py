"""Export of everything stored about a person, gathered from every package.

Each package registers one exporter for the tables it owns. A test walks the database
metadata and fails if a table that belongs to a user is covered by no exporter, so a new
table cannot be left out of "export my data" by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from sqlmodel import Session

from extensions import utcnow

from .models import User


@dataclass(frozen=True)
class Exporter:
    name: str
    tables: tuple[str, ...]
    collect: Callable[[Session, User], Any]


_EXPORTERS: dict[str, Exporter] = {}


def register_exporter(name: str, tables: tuple[str, ...], collect: Callable[[Session, User], Any]) -> None:
    _EXPORTERS[name] = Exporter(name, tables, collect)


def exporters() -> list[Exporter]:
    return list(_EXPORTERS.values())


def covered_tables() -> set[str]:
    return {table for exporter in _EXPORTERS.values() for table in exporter.tables}


def plain(value: Any) -> Any:
    """A value as JSON can hold it: times in ISO 8601 UTC."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_dict(row, leave_out: tuple[str, ...] = ()) -> dict:
    return {key: plain(value) for key, value in row.model_dump().items() if key not in leave_out}


def export_user(session: Session, user: User) -> dict:
    data: dict[str, Any] = {
        "format": "nara-export-1",
        "exported_at": plain(utcnow()),
    }
    for exporter in _EXPORTERS.values():
        data[exporter.name] = exporter.collect(session, user)
    return data
