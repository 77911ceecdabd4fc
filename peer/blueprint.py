"""The people blueprint and the guards its views share. Imports none of the route modules."""

from __future__ import annotations

from flask import Blueprint

from accounts.permissions import CLIENT, PEER, RELATIVE, roles_required

bp = Blueprint("peer", __name__)
client_only = roles_required(CLIENT)
in_contacts = roles_required(CLIENT, PEER, RELATIVE, approved_peer=True)
