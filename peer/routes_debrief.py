"""Views of debriefs: a peer supporter asks (/debrief), coordinators see the open requests
and answer "I'll be in touch" (/coordinator/debriefs). Rules in peer/debrief.py."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import COORDINATOR, PEER, has_role, loads, roles_required
from accounts.rules import attempt
from core.forms import TokenOnlyForm
from extensions import db, render

from . import debrief
from .blueprint import bp
from .forms import DebriefForm


@bp.route("/debrief", methods=["GET", "POST"])
@roles_required(PEER, approved_peer=True)
def debrief_page():
    form = DebriefForm()
    if form.validate_on_submit():
        ok, result = attempt(form, lambda: debrief.ask(db.session, current_user, form.soon.data, form.how.data))
        if ok:
            _request, new = result
            flash(
                _("Your request is sent. A coordinator will contact you.")
                if new
                else _("You have already asked. A coordinator will contact you."),
                "success",
            )
            return redirect(url_for("peer.debrief_page"))
    return render("peer/debrief.html", form=form, shown=debrief.shown_to_peer(db.session, current_user))


@bp.get("/coordinator/debriefs")
@roles_required(COORDINATOR)
def coordinator_debriefs():
    return render("peer/coordinator_debriefs.html", rows=debrief.open_requests(db.session), form=TokenOnlyForm())


@bp.app_template_global()
def debriefs_waiting() -> int:
    """For a coordinator's pages: how many debrief requests wait (0 for anyone else)."""
    if not has_role(current_user, COORDINATOR):
        return 0
    return len(debrief.open_requests(db.session))


@bp.post("/coordinator/debriefs/<id:request_id>/arranged")
@roles_required(COORDINATOR)
@loads("request", debrief.request_for_coordinator)
def debrief_arranged(request):
    if TokenOnlyForm().validate_on_submit():
        debrief.arrange(db.session, request)
        flash(_("Marked: you will be in touch. The peer supporter sees that their request was seen."), "success")
    return redirect(url_for("peer.coordinator_debriefs"))
