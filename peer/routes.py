"""Views of the people side for clients: contacts, finding a peer supporter, asking, the
contact's actions, and "I need support now". Conversations are in routes_conversations.py,
the peer supporter's pages in routes_supporters.py, the coordinator's moderation in
routes_moderation.py and the relatives' side in routes_relatives.py, all on this blueprint."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import COORDINATOR, PEER, loads, may_change_on_get, roles_required
from accounts.rules import attempt
from core.forms import TokenOnlyForm
from extensions import db, htmx, render

from . import alerts, contacts, copies, messages, profiles, sharing, vocab
from . import support as support_flow
from .blueprint import bp, client_only, in_contacts
from .forms import AlertForm, FilterForm, RequestForm


@bp.app_context_processor
def unread_badge():
    """The unread count for the navigation, on every page of a person with contacts."""
    if current_user and current_user.is_authenticated and current_user.role != COORDINATOR:
        return {"unread_count": messages.unread_count(db.session, current_user)}
    return {"unread_count": 0}


@bp.get("/contacts")
@client_only
def contacts_page():
    if may_change_on_get():  # what a relative who accepted an invitation was waiting for
        copies.refresh_all_copies(db.session, current_user, only_missing=True)
    every = contacts.contacts_of(db.session, current_user)
    rows = [row for row in every if row.contact.client_id == current_user.id]
    unread = messages.unread_by_contact(db.session, current_user)
    for row in rows:
        row.unread = unread.get(row.contact.id, 0)
    seen_by = {
        row.contact.id: sharing.what_relative_sees(db.session, row.contact)
        for row in rows
        if row.contact.kind == "relative"
    }
    linked_to_me = any(
        row.contact.other_id == current_user.id and row.contact.kind == "relative" and row.contact.status == "active"
        for row in every
    )
    known = {row.other.id: row.name for row in every if row.other is not None}
    return render(
        "peer/contacts.html",
        rows=rows,
        known=known,
        seen_by=seen_by,
        linked_to_me=linked_to_me,
        form=TokenOnlyForm(),
        my_alerts=alerts.my_alerts(db.session, current_user, limit=3),
    )


@bp.get("/peers")
@client_only
def find():
    form = FilterForm(request.args)
    cards = profiles.find_peers(
        db.session,
        gender=form.gender.data or "",
        language=form.language.data or "",
        topic=form.topic.data or "",
        exclude_user=current_user.id,
    )
    return render("peer/find.html", form=form, cards=cards, vocab=vocab)


@bp.route("/peers/<id:user_id>", methods=["GET", "POST"])
@client_only
@loads("card", profiles.listed_peer, arg="user_id")
def peer_profile(card):
    form = RequestForm()
    if form.validate_on_submit():
        ok, _contact = attempt(
            form, lambda: contacts.request_peer(db.session, current_user, card.user.id, form.note.data)
        )
        if ok:
            flash(
                _("Your request is sent. You will see here when %(name)s answers.", name=card.profile.display_name),
                "success",
            )
            return redirect(url_for("peer.contacts_page"))
        card.full = profiles.room_left(db.session, card.user.id) == 0  # it may have filled since the page was drawn
    return render("peer/peer.html", card=card, form=form, vocab=vocab)


def _contact_action(contact, action, done_message: str, target: str = "peer.conversation"):
    form = TokenOnlyForm()
    if form.validate_on_submit():
        ok, _result = attempt(form, lambda: action(contact))
        flash(done_message if ok else " ".join(str(e) for e in form.form_errors), "success" if ok else "info")
    return redirect(url_for(target, contact_id=contact.id) if target == "peer.conversation" else url_for(target))


@bp.post("/contacts/<id:contact_id>/accept")
@roles_required(PEER, approved_peer=True)
@loads("contact", sharing.contact_for)
def accept(contact):
    return _contact_action(
        contact,
        lambda c: contacts.accept(db.session, current_user, c),
        _("You are now in contact. Say hello when you are ready."),
    )


@bp.post("/contacts/<id:contact_id>/decline")
@roles_required(PEER, approved_peer=True)
@loads("contact", sharing.contact_for)
def decline(contact):
    return _contact_action(
        contact,
        lambda c: contacts.decline(db.session, current_user, c),
        _("The request is declined. The person will be shown other peer supporters."),
        target="peer.inbox",
    )


@bp.post("/contacts/<id:contact_id>/end")
@in_contacts
@loads("contact", sharing.contact_for)
def end(contact):
    return _contact_action(
        contact,
        lambda c: contacts.end(db.session, current_user, c),
        _("The contact has ended. You can still read what you wrote to each other."),
    )


@bp.post("/contacts/<id:contact_id>/block")
@in_contacts
@loads("contact", sharing.contact_for)
def block(contact):
    return _contact_action(
        contact,
        lambda c: contacts.block(db.session, current_user, c),
        _("Blocked. This person cannot write to you any more."),
    )


@bp.post("/contacts/<id:contact_id>/alerts")
@client_only
@loads("contact", sharing.contact_for)
def toggle_alerts(contact):
    return _contact_action(
        contact,
        lambda c: contacts.set_alerts(db.session, current_user, c, not c.alerts),
        _("Alerts are on for this contact.") if not contact.alerts else _("Alerts are off for this contact."),
    )


@bp.route("/support", methods=["GET", "POST"])
@client_only
def support():
    """'Tell my people': the confirmation, then the alert to everyone the client chose for
    alerts. With nobody to tell nothing is sent, and the answer says so."""
    form = AlertForm()
    if form.validate_on_submit():
        ok, alert = attempt(form, lambda: support_flow.send(db.session, current_user, form.note.data))
        if ok and alert is None:
            card = support_flow.for_client(db.session, current_user, support_flow.NOTHING_SENT)
            return render("peer/support.html", fragment="tell", tell=card)
        if ok:
            if htmx:
                return render(
                    "peer/support.html", fragment="tell", tell=support_flow.told(db.session, current_user, alert)
                )
            return redirect(url_for("peer.support_told", alert_id=alert.id))
    card = support_flow.for_client(db.session, current_user, support_flow.CONFIRM, form)
    return render("peer/support.html", fragment="tell", tell=card)


@bp.get("/support/<id:alert_id>")
@client_only
@loads("alert", support_flow.own_alert)
def support_told(alert):
    """Who an alert reached, by the client's names for them (where sending lands without htmx)."""
    return render("peer/support.html", fragment="tell", tell=support_flow.told(db.session, current_user, alert))
