"""The meetings blueprint and the guards its views share. Imports none of the route modules."""

from __future__ import annotations

from flask import Blueprint

from accounts.permissions import CLIENT, PEER, roles_required

bp = Blueprint("meetings", __name__)
client_only = roles_required(CLIENT)
approved_peer_only = roles_required(PEER, approved_peer=True)
