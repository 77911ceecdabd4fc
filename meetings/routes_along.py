"""The peer supporter's side: the questions to come along, and the meetings they said yes
to (their next steps)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import is_approved_peer, loads
from accounts.rules import RuleError, apply_error
from core.forms import TokenOnlyForm
from extensions import db, render

from . import along as along_rules
from .blueprint import approved_peer_only, bp
from .forms import KIND_NAMES, ROLE_NAMES


@bp.get("/along")
@approved_peer_only
def peer_steps():
    waiting, coming = along_rules.for_peer(db.session, current_user)
    return render("meetings/peer_steps.html", waiting=waiting, coming=coming)


@bp.get("/along/<id:along_id>")
@approved_peer_only
@loads("along", along_rules.along_for_peer)
def along_page(along):
    return _show(along, TokenOnlyForm())


def _show(along, form, status=200):
    return render(
        "meetings/along.html",
        along=along,
        row=along_rules.row_for(db.session, along),
        roles=[ROLE_NAMES[role] for role in along_rules.roles_of(along)],
        prep=along_rules.shared_prep(db.session, along, current_user),
        kinds=KIND_NAMES,
        form=form,
        status=status,
    )


@bp.post("/along/<id:along_id>/answer")
@approved_peer_only
@loads("along", along_rules.along_for_peer)
def answer(along):
    form = TokenOnlyForm()
    choice = request.form.get("answer")
    if not form.validate_on_submit() or choice not in ("yes", "no"):
        return redirect(url_for("meetings.along_page", along_id=along.id))
    try:
        changed = along_rules.answer(db.session, current_user, along, choice == "yes")
    except RuleError as error:
        db.session.rollback()
        apply_error(form, error)
        return _show(along, form, 422)
    if changed and choice == "yes":
        flash(_("Thank you. The meeting is in your next steps, with a reminder the day before."), "success")
    elif changed:
        flash(_("Your answer is sent. They can ask someone else."), "info")
    return redirect(url_for("meetings.along_page", along_id=along.id))


@bp.app_template_global()
def along_waiting() -> int:
    """For a peer supporter's inbox: how many questions to come along wait (0 for anyone else)."""
    if not is_approved_peer(current_user):
        return 0
    return along_rules.waiting_count(db.session, current_user)
