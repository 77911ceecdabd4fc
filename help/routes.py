"""The "Need help now" page: open to everyone, logged in or not."""

from __future__ import annotations

from flask import Blueprint

from accounts.permissions import public
from extensions import render

bp = Blueprint("help", __name__)


@bp.get("/help")
@public
def crisis():
    return render("help/crisis.html")
