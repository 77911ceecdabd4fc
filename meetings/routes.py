"""The client's views of a meeting: prepare it, see the rights at it, keep what came of it,
print one page of the preparation. The rules are in service.py and along.py."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import CLIENT, has_role, loads
from accounts.rules import attempt
from core.forms import TokenOnlyForm, db_id
from diary.days import local_today
from extensions import db, render
from help.forms import COUNTRY_NAMES
from help.service import country_for

from . import along as along_rules
from . import rights, service
from .blueprint import bp, client_only
from .forms import KIND_NAMES, AfterForm, AskForm, PrepareForm


def _country() -> str:
    return country_for(current_user, str(get_locale()), request.args.get("country"))


def _page(step, meeting, form, **more):
    along = service.along_of(db.session, meeting) if meeting is not None else None
    peers = along_rules.peer_choices(db.session, current_user)
    ended = along is not None and along.status in ("asked", "yes") and along.contact_id not in peers
    country = _country()
    kind = meeting.kind if meeting is not None and meeting.kind in service.KINDS else ""
    return render(
        "meetings/meeting.html",
        step=step,
        meeting=meeting,
        form=form,
        along=None if ended else along,
        ended=ended,
        peer_name=peers.get(along.contact_id, "") if along else "",
        kind=kind,
        kinds=KIND_NAMES,
        country=country,
        countries=COUNTRY_NAMES,
        card=rights.card(kind or "other", country),
        reviewed=rights.REVIEWED,
        deadline=service.deadline_of(meeting),
        token_form=TokenOnlyForm(),
        **more,
    )


@bp.route("/next-steps/<id:step_id>/meeting", methods=["GET", "POST"])
@client_only
@loads("step", service.step_of)
def prepare(step):
    meeting = service.meeting_of(db.session, step)
    if request.method == "GET":
        form = PrepareForm(
            formdata=None,
            kind=meeting.kind if meeting else "",
            remind=meeting.remind if meeting else True,
            **{name: getattr(meeting, name) for name in service.PREP_FIELDS if meeting},
        )
    else:
        form = PrepareForm()
    form.with_kinds()
    if form.validate_on_submit():
        ok, saved = attempt(
            form,
            lambda: service.save_preparation(
                db.session,
                current_user,
                step,
                kind=form.kind.data or "",
                remind=form.remind.data,
                **{name: getattr(form, name).data for name in service.PREP_FIELDS},
            ),
        )
        if ok:
            flash(_("Your preparation is saved. Only you can see it, unless you share it."), "success")
            return redirect(url_for("meetings.prepare", step_id=step.id))
    return _page(step, meeting, form)


@bp.route("/next-steps/<id:step_id>/meeting/after", methods=["GET", "POST"])
@client_only
@loads("step", service.step_of)
def after(step):
    meeting = service.meeting_of(db.session, step)
    if request.method == "GET":
        form = AfterForm(
            formdata=None,
            decided=meeting.decided if meeting else "",
            next_who=meeting.next_who if meeting else "",
            received_on=service.deadline_of(meeting).received if service.deadline_of(meeting) else None,
            country=(meeting.country if meeting and meeting.country else _country()),
            remind_deadline=meeting.remind_deadline if meeting else True,
        )
    else:
        form = AfterForm()
    form.country.choices = [(code, name) for code, name in COUNTRY_NAMES.items()]
    if form.validate_on_submit():
        ok, saved = attempt(
            form,
            lambda: service.save_after(
                db.session,
                current_user,
                step,
                decided=form.decided.data,
                next_who=form.next_who.data,
                received_on=form.received_on.data,
                country=form.country.data,
                remind_deadline=form.remind_deadline.data,
                today=local_today(current_user),
            ),
        )
        if ok:
            flash(_("Saved. Your deadline and reminders are below."), "success")
            return redirect(url_for("meetings.after", step_id=step.id))
    return render(
        "meetings/after.html",
        step=step,
        meeting=meeting,
        form=form,
        deadline=service.deadline_of(meeting),
        rule=rights.deadline_rule(meeting.country if meeting and meeting.country else _country())[1],
    )


@bp.get("/next-steps/<id:step_id>/meeting/print")
@client_only
@loads("step", service.step_of)
def print_view(step):
    meeting = service.meeting_of(db.session, step)
    return render("meetings/print.html", step=step, shown=service.prepared(meeting), kinds=KIND_NAMES)


@bp.route("/next-steps/<id:step_id>/meeting/along", methods=["GET", "POST"])
@client_only
@loads("step", service.step_of)
def ask(step):
    meeting = service.meeting_of(db.session, step)
    peers = along_rules.peer_choices(db.session, current_user)
    form = (AskForm(formdata=None, roles=["be_there"]) if request.method == "GET" else AskForm()).with_choices(peers)
    form.fresh_key()
    if form.validate_on_submit():

        def send():
            found = meeting or service.meeting_for(db.session, current_user, step)
            return along_rules.ask(
                db.session,
                current_user,
                found,
                step,
                contact_id=_contact_id(form.peer.data),
                place=form.place.data,
                roles=form.roles.data,
                note=form.note.data,
                share_prep=form.share_prep.data,
                client_key=form.key(),
            )

        ok, result = attempt(form, send)
        if ok:
            flash(_("Your question is sent. You will see their answer here."), "success")
            return redirect(url_for("meetings.prepare", step_id=step.id))
    return render("meetings/ask.html", step=step, form=form, peers=peers)


def _contact_id(value: str | None) -> int:
    """The chosen contact's id; anything that names no row is -1, which no rule accepts."""
    try:
        return db_id(value)
    except ValueError:
        return -1


@bp.post("/next-steps/<id:step_id>/meeting/along/share")
@client_only
@loads("step", service.step_of)
def share(step):
    meeting = service.meeting_of(db.session, step)
    if TokenOnlyForm().validate_on_submit() and meeting is not None:
        wanted = request.form.get("share") == "on"
        if along_rules.set_sharing(db.session, current_user, meeting, wanted) is not None:
            if wanted:
                flash(_("They can now see how you prepared."), "success")
            else:
                flash(_("They can no longer see how you prepared."), "info")
    return redirect(url_for("meetings.prepare", step_id=step.id))


@bp.post("/next-steps/<id:step_id>/meeting/along/cancel")
@client_only
@loads("step", service.step_of)
def cancel(step):
    meeting = service.meeting_of(db.session, step)
    if TokenOnlyForm().validate_on_submit() and meeting is not None:
        if along_rules.cancel(db.session, current_user, meeting) is not None:
            flash(_("Your question is taken back. They have been told."), "info")
    return redirect(url_for("meetings.prepare", step_id=step.id))


@bp.app_template_global()
def meeting_states() -> dict[int, tuple[str, str]]:
    """For "my next steps": each step's question to come along (status, name); {} for others."""
    if not has_role(current_user, CLIENT):
        return {}
    return along_rules.by_step(db.session, current_user)
