"""Views of the peer supporter: the inbox (who has waited longest, alerts first),
availability, and the profile clients choose by."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import PEER, roles_required
from accounts.rules import attempt
from core.forms import TokenOnlyForm
from extensions import db, render

from . import alerts, contacts, messages, profiles, release
from .blueprint import bp
from .forms import AvailabilityForm, ProfileForm

peer_only = roles_required(PEER)


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
        checkins=release.due_for_peer(db.session, current_user),
        form=TokenOnlyForm(),
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
            caseload="" if profile.caseload is None else str(profile.caseload),
            usual_days=[d for d in profile.usual_days.split(",") if d],
            usual_from=profile.usual_from,
            usual_to=profile.usual_to,
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
                caseload=form.caseload.data,
                usual_days=form.usual_days.data,
                usual_from=form.usual_from.data,
                usual_to=form.usual_to.data,
            ),
        )
        if ok:
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("peer.edit_profile"))
    return render("peer/profile_form.html", form=form, approved=current_user.is_approved_peer)
