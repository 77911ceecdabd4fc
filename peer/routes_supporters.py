"""Views of the peer supporter: the inbox (support alerts pinned, then who has waited
longest; "Waiting" or "All"), availability, the private note per person, and the profile
clients choose by."""

from __future__ import annotations

from dataclasses import dataclass

from babel.dates import format_timedelta
from flask import flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import PEER, loads, roles_required
from accounts.rules import attempt
from core.forms import TokenOnlyForm
from extensions import db, htmx, render

from . import alerts, contacts, messages, notes_private, profiles, release
from .blueprint import bp
from .forms import AvailabilityForm, ProfileForm
from .notes_private import PeerNoteForm

peer_only = roles_required(PEER)


@bp.get("/inbox")
@roles_required(PEER, approved_peer=True)
def inbox():
    profile = profiles.profile_of(db.session, current_user.id)
    show = "all" if request.args.get("show") == "all" else "waiting"
    open_alerts = alerts.open_alerts_for(db.session, current_user)
    rows = messages.inbox(db.session, current_user, open_alerts)
    waiting = [row for row in rows if row.needs_answer]
    in_rows = {row.contact.id for row in rows}
    return render(
        "peer/inbox.html",
        rows=rows if show == "all" else waiting,
        show=show,
        waiting_count=len(waiting),
        profile=profile,
        pending=contacts.pending_for_peer(db.session, current_user),
        # An alert through a contact that is not a row (none today) still gets its own card.
        other_alerts=[item for item in open_alerts if item.delivery.contact_id not in in_rows],
        checkins=release.due_for_peer(db.session, current_user),
        form=TokenOnlyForm(),
        availability=AvailabilityForm(formdata=None, away_note=profile.away_note if profile else ""),
    )


@bp.app_template_filter("short_wait")
def short_wait(waited) -> str:
    """How long someone has waited, short enough for an inbox row ("3 hr", "3 tim", "3 t.")."""
    return format_timedelta(waited, threshold=0.85, format="short", locale=get_locale())


@bp.post("/inbox/availability")
@roles_required(PEER, approved_peer=True)
def availability():
    profile = profiles.profile_of(db.session, current_user.id)
    if profile is None:
        flash(_("Fill in your profile first, so people can find you."), "info")
        return redirect(url_for("peer.edit_profile"))
    form = AvailabilityForm()
    if form.validate_on_submit():
        # The button says what it asks for ("away" or "available"), so a double tap or a
        # retry lands on the same state instead of switching back; without it, it switches.
        wanted = request.form.get("to")
        available = wanted == "available" if wanted in ("away", "available") else not profile.available
        ok, _result = attempt(
            form, lambda: profiles.set_availability(db.session, profile, available, form.away_note.data)
        )
        if ok:
            flash(_("You are shown as available.") if profile.available else _("You are shown as away."), "success")
    return redirect(url_for("peer.inbox", show="all") if request.form.get("show") == "all" else url_for("peer.inbox"))


@dataclass
class PrivateNote:
    """The peer supporter's note panel on their side of a conversation."""

    form: PeerNoteForm
    answer: str = ""  # "saved" or "cleared" just now
    kept: bool = False  # a note is kept

    @property
    def open(self) -> bool:
        return bool(self.answer or self.form.errors)


@bp.app_template_global()
def private_note(contact) -> PrivateNote | None:
    """For the conversation page: the note panel when the viewer is this person's peer
    supporter; None for anyone else (the client never sees it)."""
    if notes_private.note_contact(db.session, current_user, contact.id) is None:
        return None
    text = notes_private.text_of(db.session, current_user, contact)
    answer = request.args.get("note", "")
    return PrivateNote(
        PeerNoteForm(formdata=None, text=text), answer if answer in ("saved", "cleared") else "", bool(text)
    )


@bp.post("/contacts/<id:contact_id>/note")
@roles_required(PEER, approved_peer=True)
@loads("contact", notes_private.note_contact)
def save_note(contact):
    """Save the note (htmx: the panel comes back in place with the answer in it; without
    scripts: back to the conversation, at the panel). A problem shows on the panel."""
    form = PeerNoteForm()
    if form.validate_on_submit():
        ok, kept = attempt(form, lambda: notes_private.save(db.session, current_user, contact, form.text.data))
        if ok:
            answer = "saved" if kept else "cleared"
            if not htmx:
                return redirect(url_for("peer.conversation", contact_id=contact.id, note=answer) + "#note")
            form = PeerNoteForm(formdata=None, text=notes_private.text_of(db.session, current_user, contact))
            return render(
                "peer/private_note.html", fragment="note", contact=contact, note=PrivateNote(form, answer, kept)
            )
    kept = notes_private.note_of(db.session, current_user, contact) is not None
    return render("peer/private_note.html", fragment="note", contact=contact, note=PrivateNote(form, "", kept))


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
