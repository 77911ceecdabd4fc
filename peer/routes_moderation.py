"""Views of the coordinator's moderation: approved peer supporters (pause, resume,
remove) and reports. Coordinators never see messages or diaries: only what a reporter
chose to send."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from accounts.permissions import COORDINATOR, loads, roles_required
from core.forms import TokenOnlyForm
from extensions import db, render

from . import profiles, reports, vocab
from .blueprint import bp

coordinator_only = roles_required(COORDINATOR)


@bp.get("/coordinator/peers")
@coordinator_only
def coordinator_peers():
    return render(
        "peer/coordinator_peers.html", cards=profiles.approved_peers(db.session), form=TokenOnlyForm(), vocab=vocab
    )


@bp.post("/coordinator/peers/<id:user_id>/pause")
@coordinator_only
@loads("peer", profiles.approved_peer_user, arg="user_id")
def pause_peer(peer):
    if TokenOnlyForm().validate_on_submit():
        profile = profiles.profile_of(db.session, peer.id)
        paused = not (profile and profile.paused)
        profiles.set_paused(db.session, peer, paused)
        flash(
            _("%(handle)s is paused and not shown to anyone.", handle=peer.handle)
            if paused
            else _("%(handle)s is shown again.", handle=peer.handle),
            "success",
        )
    return redirect(url_for("peer.coordinator_peers"))


@bp.post("/coordinator/peers/<id:user_id>/remove")
@coordinator_only
@loads("peer", profiles.approved_peer_user, arg="user_id")
def remove_peer(peer):
    if TokenOnlyForm().validate_on_submit():
        profiles.remove_peer(db.session, peer)
        flash(_("%(handle)s is no longer a peer supporter. Their contacts have ended.", handle=peer.handle), "info")
    return redirect(url_for("peer.coordinator_peers"))


@bp.get("/coordinator/reports")
@coordinator_only
def coordinator_reports():
    return render("peer/coordinator_reports.html", views=reports.open_reports(db.session), form=TokenOnlyForm())


@bp.post("/coordinator/reports/<id:report_id>/handled")
@coordinator_only
@loads("report", reports.open_report)
def report_handled(report):
    if TokenOnlyForm().validate_on_submit():
        reports.mark_handled(db.session, report)
        flash(_("The report is marked as handled."), "success")
    return redirect(url_for("peer.coordinator_reports"))
