"""A client's choice of warning areas in "export my data" (the warnings themselves are public)."""

from __future__ import annotations

from sqlmodel import Session, select

from accounts.exporting import row_dict

from .models import WarningChoice


def collect(session: Session, user) -> dict:
    rows = session.exec(select(WarningChoice).where(WarningChoice.user_id == user.id)).all()
    return {"choice": [row_dict(row) for row in rows]}


NAME = "drug_supply_warnings"
TABLES = ("warning_choice",)
