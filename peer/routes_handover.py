"""Views of a handover with consent (peer/handover.py): the peer supporter suggests a
colleague for one person or for everyone they carry, a coordinator for all of one peer
supporter's people (seeing only how many), and the client says yes or no. The pages that
show a suggestion (contacts, a conversation, the coordinator's peers) ask the template
globals at the end."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.validators import Length

from accounts.permissions import CLIENT, COORDINATOR, PEER, has_role, loads, roles_required
from accounts.rules import attempt
from core.forms import ID_MAX, NaraForm, OnceKeyMixin, TokenOnlyForm
from extensions import db, render

from . import contacts, handover, handover_shown, profiles, vocab
from .blueprint import bp, client_only

approved_peer = roles_required(PEER, approved_peer=True)
coordinator_only = roles_required(COORDINATOR)


class HandoverForm(OnceKeyMixin, NaraForm):
    colleague = RadioField(_l("Who could continue"), choices=[], validate_choice=False)
    goodbye = TextAreaField(
        _l("A goodbye message (optional)"),
        validators=[Length(max=8000)],
        description=_l("It goes into your conversation now. You can change it or leave it empty."),
    )
    stop_new = BooleanField(_l("Stop taking new people"))

    def colleague_id(self) -> int | None:
        value = str(self.colleague.data or "").strip()
        return int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= ID_MAX else None


def _form(leaving_id: int, with_goodbye: bool) -> tuple[HandoverForm, list]:
    cards = handover.colleagues(db.session, leaving_id)
    form = HandoverForm()
    if not form.is_submitted() and with_goodbye:  # a warm start, in the peer supporter's language
        form.goodbye.data = _(
            "I am stepping back from peer support for a while. Thank you for everything you have shared "
            "with me. I have asked a colleague whether they can continue with you. You decide: nothing "
            "changes unless you say yes."
        )
    form.colleague.choices = [(str(card.user.id), card.profile.display_name) for card in cards]
    form.fresh_key()
    return form, cards


@bp.route("/contacts/<id:contact_id>/handover", methods=["GET", "POST"])
@approved_peer
@loads("contact", handover.own_contact)
def handover_one(contact):
    """The peer supporter suggests a colleague for one person."""
    form, cards = _form(current_user.id, with_goodbye=True)
    if form.validate_on_submit():
        ok, _made = attempt(
            form,
            lambda: handover.propose(
                db.session, current_user, contact, form.colleague_id(), form.goodbye.data, client_key=form.key()
            ),
        )
        if ok:
            flash(_("The person is asked. You see their answer in your conversation."), "success")
            return redirect(url_for("peer.conversation", contact_id=contact.id))
    client = contacts.other_person(db.session, contact, current_user)
    name = contacts.client_known_as(contact, client) if client else _("A deleted account")
    return render("peer/handover.html", form=form, cards=cards, vocab=vocab, contact=contact, name=name)


@bp.route("/handover", methods=["GET", "POST"])
@approved_peer
def handover_all():
    """ "I am stopping or taking a long leave": one suggestion to everyone the peer carries."""
    form, cards = _form(current_user.id, with_goodbye=True)
    if not form.is_submitted():
        form.stop_new.data = True  # someone who stops is not offered to new people, unless they say so
    if form.validate_on_submit():
        ok, count = attempt(
            form,
            lambda: handover.propose_all(
                db.session, current_user, current_user, form.colleague_id(), form.goodbye.data, client_key=form.key()
            ),
        )
        if ok:
            if form.stop_new.data:
                profiles.stop_taking_new(db.session, current_user.id)
            flash(_("The people you carry are asked. You see their answers below."), "success")
            return redirect(url_for("peer.handover_all"))
    return render(
        "peer/handover_all.html",
        form=form,
        cards=cards,
        vocab=vocab,
        count=len(handover.people_of(db.session, current_user.id)),
        asked=handover_shown.asked_by(db.session, current_user),
    )


@bp.route("/coordinator/peers/<id:user_id>/handover", methods=["GET", "POST"])
@coordinator_only
@loads("peer", profiles.approved_peer_user, arg="user_id")
def handover_coordinator(peer):
    """A coordinator hands over all of one peer supporter's people: how many, never who."""
    form, cards = _form(peer.id, with_goodbye=False)
    if form.validate_on_submit():
        ok, count = attempt(
            form,
            lambda: handover.propose_all(db.session, current_user, peer, form.colleague_id(), client_key=form.key()),
        )
        if ok:
            flash(
                ngettext(
                    "%(num)d person is asked. You see how they answer in the list of peer supporters.",
                    "%(num)d people are asked. You see how they answer in the list of peer supporters.",
                    count,
                ),
                "success",
            )
            return redirect(url_for("peer.coordinator_peers"))
    profile = profiles.profile_of(db.session, peer.id)
    return render(
        "peer/handover_coordinator.html",
        form=form,
        cards=cards,
        vocab=vocab,
        peer=peer,
        profile=profile,
        count=len(handover.people_of(db.session, peer.id)),
    )


class WithdrawForm(TokenOnlyForm):
    back = HiddenField()  # "all": back to the list of people asked; else the conversation


@bp.post("/handovers/<id:handover_id>/withdraw")
@approved_peer
@loads("asked", handover.proposed_by_peer, arg="handover_id")
def handover_withdraw(asked):
    """The peer supporter takes back a question not yet answered."""
    form = WithdrawForm()
    if form.validate_on_submit():
        ok, _taken = attempt(form, lambda: handover.withdraw(db.session, current_user, asked))
        if ok:
            flash(_("The question is taken back. Nothing has changed for the person."), "success")
    if form.back.data == "all":
        return redirect(url_for("peer.handover_all"))
    return redirect(url_for("peer.conversation", contact_id=asked.contact_id))


@bp.post("/handovers/<id:handover_id>/yes")
@client_only
@loads("offer", handover.for_client, arg="handover_id")
def handover_yes(offer):
    form = TokenOnlyForm()
    if form.validate_on_submit():
        ok, answered = attempt(form, lambda: handover.accept(db.session, current_user, offer))
        if ok:
            flash(
                _(
                    "You are now in contact with %(name)s. Nothing you shared before moves to them: "
                    "you choose again what they see.",
                    name=_colleague_name(answered),
                ),
                "success",
            )
            return redirect(url_for("peer.conversation", contact_id=answered.new_contact_id))
        flash(" ".join(str(e) for e in form.form_errors), "info")
    return redirect(url_for("peer.contacts_page"))


@bp.post("/handovers/<id:handover_id>/no")
@client_only
@loads("offer", handover.for_client, arg="handover_id")
def handover_no(offer):
    form = TokenOnlyForm()
    if form.validate_on_submit():
        ok, _answered = attempt(form, lambda: handover.decline(db.session, current_user, offer))
        if ok:
            flash(_("Thank you for your answer. Nothing has changed."), "success")
        else:
            flash(" ".join(str(e) for e in form.form_errors), "info")
    return redirect(url_for("peer.contacts_page"))


def _colleague_name(answered) -> str:
    profile = profiles.profile_of(db.session, answered.to_id) if answered.to_id else None
    return profile.display_name if profile else _("Your peer supporter")


# -- What other pages show -------------------------------------------------------------------


@bp.app_template_global()
def handover_offers() -> list:
    """The suggestions waiting for the client's answer (the top of their contacts page)."""
    if not has_role(current_user, CLIENT):
        return []
    return handover_shown.open_offers(db.session, current_user)


@bp.app_template_global()
def handover_in(contact):
    """The newest suggestion about this conversation, for its client or its peer supporter."""
    if not has_role(current_user, CLIENT, PEER):
        return None
    return handover_shown.latest_for(db.session, current_user, contact)


@bp.app_template_global()
def handed_over_from(contact):
    """For a conversation made by a handover: who stepped back (None otherwise)."""
    if not has_role(current_user, CLIENT, PEER) or current_user.id not in (contact.client_id, contact.other_id):
        return None
    return handover_shown.came_from(db.session, contact)


@bp.app_template_global()
def handover_counts(peer_id: int) -> dict:
    """For the coordinator's list of peer supporters: how many were asked, and answered how."""
    if not has_role(current_user, COORDINATOR):
        return {}
    return handover_shown.counts_for(db.session, peer_id)
