"""The diary blueprint and the guard its views share. Imports none of the route modules."""

from __future__ import annotations

from flask import Blueprint

from accounts.permissions import CLIENT, roles_required

bp = Blueprint("diary", __name__)
client_only = roles_required(CLIENT)
