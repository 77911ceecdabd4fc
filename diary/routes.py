"""Views of self-management. The diary and goals themselves come with their own issue;
until then the navigation leads to a short, honest "coming" page."""

from __future__ import annotations

from flask import Blueprint

from accounts.permissions import CLIENT, roles_required
from extensions import render

bp = Blueprint("diary", __name__)


@bp.get("/diary")
@roles_required(CLIENT)
def diary():
    return render("coming.html", section="diary")


@bp.get("/goals")
@roles_required(CLIENT)
def goals():
    return render("coming.html", section="goals")
