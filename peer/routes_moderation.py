"""Views of the coordinator's moderation: approved peer supporters (pause, resume,
remove) and reports (read, reply, close with an outcome, pause or remove the reported peer
supporter); and the reporter's own reports with their answers. Coordinators never see
messages or diaries: only what a reporter chose to send."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import COORDINATOR, loads, roles_required
from accounts.rules import attempt
from core.forms import TokenOnlyForm
from extensions import db, render

from . import contacts, profiles, reports, vocab
from .blueprint import bp, in_contacts
from .report_forms import ReportCloseForm, ReportReplyForm

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


@bp.get("/coordinator/peers/<id:user_id>/confirm-remove")
@coordinator_only
@loads("peer", profiles.approved_peer_user, arg="user_id")
def confirm_remove_peer(peer):
    """Remove asks first, and says how many people it ends contacts with: hand them over first."""
    return _confirm_remove(peer, url_for("peer.remove_peer", user_id=peer.id), url_for("peer.coordinator_peers"))


def _confirm_remove(peer, action: str, cancel: str):
    """The question before removing a peer supporter (from the list or from a report)."""
    profile = profiles.profile_of(db.session, peer.id)
    return render(
        "peer/confirm_remove.html",
        name=profile.display_name if profile else peer.handle,
        handle=peer.handle,
        carried=profiles.carried(db.session, peer.id),
        handover_url=url_for("peer.handover_coordinator", user_id=peer.id),
        action=action,
        cancel=cancel,
    )


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
    return render("peer/coordinator_reports.html", views=reports.open_reports(db.session), closed=False)


@bp.get("/coordinator/reports/closed")
@coordinator_only
def closed_reports():
    return render("peer/coordinator_reports.html", views=reports.closed_reports(db.session), closed=True)


def _report_page(report, reply_form=None, close_form=None):
    view = reports.view_of(db.session, report)
    reply_form = reply_form or ReportReplyForm(formdata=None, reply=report.reply if view.opened else "")
    close_form = close_form or ReportCloseForm(formdata=None)
    reported = profiles.profile_of(db.session, view.reported.id) if view.reported is not None else None
    return render(
        "peer/coordinator_report.html",
        view=view,
        reported=reported,
        reply_form=reply_form,
        close_form=close_form,
        form=TokenOnlyForm(),
    )


@bp.get("/coordinator/reports/<id:report_id>")
@coordinator_only
@loads("report", reports.any_report)
def coordinator_report(report):
    return _report_page(report)


@bp.post("/coordinator/reports/<id:report_id>/reply")
@coordinator_only
@loads("report", reports.any_report)
def reply_report(report):
    form = ReportReplyForm()
    if form.validate_on_submit():
        ok, _saved = attempt(form, lambda: reports.reply(db.session, report, form.reply.data))
        if ok:
            flash(_("Your reply is sent. The person who reported can read it in the app."), "success")
            return redirect(url_for("peer.coordinator_report", report_id=report.id))
    return _report_page(report, reply_form=form)


@bp.post("/coordinator/reports/<id:report_id>/close")
@coordinator_only
@loads("report", reports.any_report)
def close_report(report):
    form = ReportCloseForm()
    if form.validate_on_submit():
        ok, closed_now = attempt(form, lambda: reports.close(db.session, report, form.outcome.data))
        if ok:
            if closed_now:
                flash(_("The report is closed. The person who reported sees how it ended."), "success")
            return redirect(url_for("peer.coordinator_reports"))
    return _report_page(report, close_form=form)


@bp.post("/coordinator/reports/<id:report_id>/pause")
@coordinator_only
@loads("report", reports.any_report)
def pause_reported(report):
    if TokenOnlyForm().validate_on_submit():
        peer = reports.pause_reported(db.session, report, paused=request.form.get("show_again") != "1")
        if peer is not None:
            profile = profiles.profile_of(db.session, peer.id)
            name = profile.display_name if profile else peer.handle
            flash(
                _("%(handle)s is paused and not shown to anyone.", handle=name)
                if profile and profile.paused
                else _("%(handle)s is shown again.", handle=name),
                "success",
            )
    return redirect(url_for("peer.coordinator_report", report_id=report.id))


@bp.get("/coordinator/reports/<id:report_id>/confirm-remove")
@coordinator_only
@loads("report", reports.about_a_peer)
def confirm_remove_reported(report):
    return _confirm_remove(
        reports.reported_peer(db.session, report),
        url_for("peer.remove_reported", report_id=report.id),
        url_for("peer.coordinator_report", report_id=report.id),
    )


@bp.post("/coordinator/reports/<id:report_id>/remove")
@coordinator_only
@loads("report", reports.any_report)
def remove_reported(report):
    if TokenOnlyForm().validate_on_submit():
        peer = reports.remove_reported(db.session, report)
        if peer is not None:
            flash(_("%(handle)s is no longer a peer supporter. Their contacts have ended.", handle=peer.handle), "info")
    return redirect(url_for("peer.coordinator_report", report_id=report.id))


@bp.get("/reports")
@in_contacts
def my_reports():
    """The person's own reports and how each was answered."""
    return render(
        "peer/my_reports.html",
        rows=reports.reports_of(db.session, current_user),
        names=contacts.names_for(db.session, current_user),
        outcomes=reports.OUTCOMES,
    )


@bp.get("/reports/<id:report_id>")
@in_contacts
@loads("report", reports.own_report)
def my_report(report):
    return render(
        "peer/my_report.html",
        report=report,
        names=contacts.names_for(db.session, current_user),
        outcomes=reports.OUTCOMES,
    )
