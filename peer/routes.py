"""Views of contacts. Contacts, messages and sharing come with their own issue; until then
the navigation leads to a short, honest "coming" page."""

from __future__ import annotations

from flask import Blueprint

from accounts.permissions import CLIENT, roles_required
from extensions import render

bp = Blueprint("peer", __name__)


@bp.get("/contacts")
@roles_required(CLIENT)
def contacts():
    return render("coming.html")
