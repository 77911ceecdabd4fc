"""Views of the peer supporter (inbox, availability, profile) and of the coordinator
(approved peers: pause, resume, remove; reports). Coordinators never see messages or
diaries: only what a reporter chose to send."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import COORDINATOR, PEER, loads, roles_required
from accounts.rules import attempt
from extensions import db, render

from . import alerts, contacts, messages, profiles, reports, vocab
from .blueprint import bp
from .forms import ActionForm, AvailabilityForm, ProfileForm

peer_only = roles_required(PEER)
coordinator_only = roles_required(COORDINATOR)


@bp.get("/inbox")
@roles_required(PEER, approved_peer=True)
def inbox():
    profile = profiles.profile_of(db.session, current_user.id)
    return render(
        "peer/inbox.html",
        rows=messages.inbox(db.session, current_user),
        profile=profile,
        pending=contacts.pending_for_peer(db.session, current_user),
        open_alerts=alerts.open_alerts_for(db.session, current_user),
        form=ActionForm(),
        availability=AvailabilityForm(formdata=None, away_note=profile.away_note if profile else ""),
    )


@bp.post("/inbox/availability")
@roles_required(PEER, approved_peer=True)
def availability():
    profile = profiles.profile_of(db.session, current_user.id)
    if profile is None:
        flash(_("Fill in your profile first, so people can find you."), "info")
        return redirect(url_for("peer.edit_profile"))
    form = AvailabilityForm()
    if form.validate_on_submit():
        ok, _result = attempt(
            form, lambda: profiles.set_availability(db.session, profile, not profile.available, form.away_note.data)
        )
        if ok:
            flash(_("You are shown as available.") if profile.available else _("You are shown as away."), "success")
    return redirect(url_for("peer.inbox"))


@bp.route("/profile", methods=["GET", "POST"])
@peer_only
def edit_profile():
    profile = profiles.profile_of(db.session, current_user.id)
    if profile is not None and not ProfileForm().is_submitted():
        form = ProfileForm(
            formdata=None,
            display_name=profile.display_name,
            about=profile.about,
            topics=[t for t in profile.topics.split(",") if t],
            gender=profile.gender,
            languages=[c for c in profile.languages.split(",") if c],
            hours=profile.hours,
            taking_new=profile.taking_new,
        )
    else:
        form = ProfileForm()
        if profile is None and not form.is_submitted():
            form.display_name.data, form.taking_new.data = current_user.handle, True
    if form.validate_on_submit():
        ok, _profile = attempt(
            form,
            lambda: profiles.save_profile(
                db.session,
                current_user,
                display_name=form.display_name.data,
                about=form.about.data,
                topics=form.topics.data,
                gender=form.gender.data or "",
                languages=form.languages.data,
                hours=form.hours.data,
                taking_new=form.taking_new.data,
            ),
        )
        if ok:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("peer.edit_profile"))
    return render("peer/profile_form.html", form=form, approved=current_user.is_approved_peer)


@bp.get("/coordinator/peers")
@coordinator_only
def coordinator_peers():
    return render(
        "peer/coordinator_peers.html", cards=profiles.approved_peers(db.session), form=ActionForm(), vocab=vocab
    )


@bp.post("/coordinator/peers/<id:user_id>/pause")
@coordinator_only
@loads("peer", profiles.approved_peer_user, arg="user_id")
def pause_peer(peer):
    if ActionForm().validate_on_submit():
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
    if ActionForm().validate_on_submit():
        profiles.remove_peer(db.session, peer)
        flash(_("%(handle)s is no longer a peer supporter. Their contacts have ended.", handle=peer.handle), "info")
    return redirect(url_for("peer.coordinator_peers"))


@bp.get("/coordinator/reports")
@coordinator_only
def coordinator_reports():
    return render("peer/coordinator_reports.html", views=reports.open_reports(db.session), form=ActionForm())


@bp.post("/coordinator/reports/<id:report_id>/handled")
@coordinator_only
@loads("report", reports.open_report)
def report_handled(report):
    if ActionForm().validate_on_submit():
        reports.mark_handled(db.session, report)
        flash(_("The report is marked as handled."), "success")
    return redirect(url_for("peer.coordinator_reports"))
