"""The people blueprint and the guards its views share. Imports none of the route modules."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from accounts.permissions import CLIENT, PEER, RELATIVE, found_or_404, roles_required
from extensions import db

from . import sharing

bp = Blueprint("peer", __name__)
client_only = roles_required(CLIENT)
in_contacts = roles_required(CLIENT, PEER, RELATIVE, approved_peer=True)


def own_contact(contact_id: int):
    """A contact the current person is part of, or 404."""
    return found_or_404(sharing.contact_for(db.session, current_user, contact_id))
