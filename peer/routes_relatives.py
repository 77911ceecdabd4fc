"""Views of relatives: the client invites and decides what each relative sees; the
relative joins through the link, sees only that, and has support and notes of their own."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from accounts import service as accounts_service
from accounts.blueprint import address_limited, auth_limited
from accounts.forms import SignUpForm
from accounts.permissions import CLIENT, RELATIVE, loads, may_change_on_get, public, roles_required
from accounts.rules import RuleError, attempt, message_for
from accounts.web import auth_limit_ip, codes_page
from core.forms import TokenOnlyForm
from core.sessions import start_session
from diary.goals import goals_by_status
from extensions import db, limiter, no_store, render

from . import alerts, relatives, sharing
from .blueprint import bp
from .contacts import client_known_as
from .forms import CodeForm, ConsentForm, InviteForm, NoteForm


def _goal_choices(form) -> None:
    sections = goals_by_status(db.session, current_user)
    form.goals.choices = [(str(goal.id), goal.title) for goal in sections["active"] + sections["paused"]]


@bp.route("/contacts/invite", methods=["GET", "POST"])
@roles_required(CLIENT)
def invite():
    form = InviteForm()
    _goal_choices(form)
    if request.method == "GET":
        form.messaging.data = True
    if form.validate_on_submit():
        ok, result = attempt(
            form,
            lambda: relatives.create_invitation(
                db.session,
                current_user,
                label=form.label.data,
                share_checkin=form.share_checkin.data,
                goal_ids=form.goals.data,
                alerts=form.alerts.data,
                messaging=form.messaging.data,
                note=form.note.data,
                from_name=form.from_name.data,
            ),
        )
        if ok:
            invitation, code = result
            from_name, note = relatives.invitation_words(db.session, invitation, code)
            return no_store(
                render(
                    "peer/invitation_made.html",
                    invitation=invitation,
                    code=code,
                    link=url_for("peer.invitation", code=code.replace("-", ""), _external=True),
                    from_name=from_name,
                    note=note,
                    scope=relatives.invitation_scope(db.session, invitation, for_client=True),
                )
            )
    return render("peer/invite.html", form=form)


@bp.route("/invite", methods=["GET", "POST"])
@public
@address_limited
def enter_code():
    form = CodeForm()
    if form.validate_on_submit():
        code = relatives.normalise_code(form.code.data)
        return redirect(url_for("peer.invitation", code=code or "none"))
    return render("peer/enter_code.html", form=form)


def _invitation_or_reason(code: str):
    try:
        return relatives.find_invitation(db.session, code), None
    except RuleError as error:
        return None, error.code


def _code_not_found(response) -> bool:
    return response.status_code in (404, 410)


@bp.route("/invite/<code>", methods=["GET", "POST"])
@public
@auth_limited
# Guessing codes: every address has a count of codes that found nothing (right ones are free).
@limiter.limit(auth_limit_ip, scope="code", deduct_when=_code_not_found)
def invitation(code: str):
    found, reason = _invitation_or_reason(code)
    if found is None:
        return render(
            "peer/invitation_gone.html", reason=message_for(reason), status=404 if reason == "invite_unknown" else 410
        )
    from_name, note = relatives.invitation_words(db.session, found, code)
    form = SignUpForm()
    if not current_user.is_authenticated and form.validate_on_submit():

        def join():
            user, codes = accounts_service.sign_up(
                db.session, form.handle.data, form.password.data, role=RELATIVE, locale=str(get_locale())
            )
            relatives.accept_invitation(db.session, user, code)
            return user, codes

        ok, result = attempt(form, join)
        if ok:
            user, codes = result
            start_session(user)
            return codes_page(codes, new_account=True)
    # The invitation names the client only as they wrote it themselves: never an account name.
    return render(
        "peer/invitation.html",
        invitation=found,
        from_name=from_name,
        note=note,
        scope=relatives.invitation_scope(db.session, found, for_client=False),
        code=code,
        form=form,
        action_form=TokenOnlyForm(),
    )


def _not_accepted(response) -> bool:
    return not (response.location or "").endswith("/linked")


@bp.post("/invite/<code>/accept")
@roles_required(CLIENT, RELATIVE)
# The same count of codes that found nothing as opening /invite/<code>: a signed-in person
# cannot guess codes here instead.
@limiter.limit(auth_limit_ip, scope="code", deduct_when=_not_accepted)
def accept_invitation(code: str):
    form = TokenOnlyForm()
    if form.validate_on_submit():
        ok, _contact = attempt(form, lambda: relatives.accept_invitation(db.session, current_user, code))
        if ok:
            flash(_("You are linked. Here is what has been shared with you."), "success")
            return redirect(url_for("peer.linked"))
        flash(" ".join(str(e) for e in form.form_errors), "info")
    return redirect(url_for("peer.invitation", code=code))


@bp.get("/linked")
@roles_required(CLIENT, RELATIVE)
def linked():
    views = relatives.linked_views(db.session, current_user)
    open_alerts = alerts.open_alerts_in(db.session, current_user, {view.contact.id for view in views})
    if may_change_on_get():  # seeing the alert here is seeing it; a link from elsewhere is not
        alerts.mark_delivered_seen(db.session, open_alerts)
    ended = relatives.ended_links(db.session, current_user)
    people = [(view.contact, view.client) for view in views] + list(ended)
    return render(
        "peer/linked.html",
        views=views,
        open_alerts=open_alerts,
        ended=ended,
        contacts_by_id={view.contact.id: view.contact for view in views},
        names={contact.id: client_known_as(contact, client) for contact, client in people},
    )


@bp.route("/contacts/<id:contact_id>/consent", methods=["GET", "POST"])
@roles_required(CLIENT)
@loads("contact", sharing.relative_link_of)
def consent(contact):
    if request.method == "POST":
        form = ConsentForm()
    else:
        form = ConsentForm(
            formdata=None,
            share_checkin=contact.share_checkin,
            alerts=contact.alerts,
            messaging=contact.messaging,
            goals=[str(g) for g in relatives.shared_goal_ids(db.session, contact)],
        )
    _goal_choices(form)
    if form.validate_on_submit():
        ok, _result = attempt(
            form,
            lambda: relatives.update_consent(
                db.session,
                current_user,
                contact,
                share_checkin=form.share_checkin.data,
                goal_ids=form.goals.data,
                alerts=form.alerts.data,
                messaging=form.messaging.data,
            ),
        )
        if ok:
            flash(_("Saved. %(label)s sees exactly this from now on.", label=contact.label), "success")
            return redirect(url_for("peer.contacts_page"))
    return render("peer/consent.html", form=form, contact=contact)


@bp.get("/relatives/support")
@public
def relative_support():
    return render("peer/relative_support.html")


@bp.route("/relatives/notes", methods=["GET", "POST"])
@roles_required(RELATIVE)
def notes():
    form = NoteForm()
    if form.validate_on_submit():
        ok, _note = attempt(form, lambda: relatives.add_note(db.session, current_user, form.text.data))
        if ok:
            flash(_("Your note is saved. Only you can read it."), "success")
            return redirect(url_for("peer.notes"))
    return render(
        "peer/notes.html", form=form, notes=relatives.notes_of(db.session, current_user), action_form=TokenOnlyForm()
    )


@bp.post("/relatives/notes/<id:note_id>/delete")
@roles_required(RELATIVE)
@loads("note", relatives.get_note)
def delete_note(note):
    if TokenOnlyForm().validate_on_submit():
        relatives.delete_note(db.session, note)
        flash(_("The note is deleted."), "info")
    return redirect(url_for("peer.notes"))
