"""Views of "Stay with me": the client's start page and running timer, "I'm OK" and "10 more
minutes"; the page where the people told see the alert and say "I'm on it"; a peer
supporter's "On duty" switch. Thin: the rules are in service.py."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from accounts.permissions import CLIENT, PEER, RELATIVE, has_role, loads, roles_required
from accounts.rules import attempt
from core.forms import TokenOnlyForm
from extensions import db, htmx, no_store, render

from . import service, shown
from .forms import DutyForm, StartForm

bp = Blueprint("stay", __name__)
client_only = roles_required(CLIENT)
told_ones = roles_required(CLIENT, PEER, RELATIVE, approved_peer=True)


def _flash_problems(form) -> None:
    for message in list(form.form_errors) + [m for name, errors in form.errors.items() if name for m in errors]:
        flash(str(message), "info")


def _act(form, action, said, back: str):
    """One short action from a button: do it, say how it went (said(result) gives the words),
    and go back to the page it was on; what the rules refuse is said there too."""
    if form.validate_on_submit():
        done, result = attempt(form, action)
        if done:
            flash(said(result), "success")
        else:
            _flash_problems(form)
    return redirect(url_for(back))


def _start_form(form: StartForm | None = None) -> StartForm:
    form = form or StartForm()
    rows = service.choosable(db.session, current_user)
    form.people.choices = [SelectChoice(str(row.contact.id), row.name) for row in rows]
    if not form.is_submitted():
        form.people.data = [str(row.contact.id) for row in rows] if len(rows) == 1 else []
    return form.fresh_key()


def _page(form: StartForm | None = None):
    timer = service.current(db.session, current_user)
    if timer is not None:
        return no_store(
            render(
                "stay/stay.html",
                fragment="status",
                timer=timer,
                people=shown.people_of(db.session, current_user, timer),
                on_it=shown.on_it_for_client(db.session, current_user, timer),
                form=TokenOnlyForm(),
            )
        )
    if htmx:  # the status was polled and the timer has ended meanwhile: the whole page anew
        return no_store(Response(status=200, headers={"HX-Refresh": "true"}))
    return _start_page(_start_form(form))


def _start_page(form: StartForm):
    return no_store(
        render(
            "stay/stay.html",
            timer=None,
            form=form,
            nobody=not form.people.choices,
            grace_minutes=max(1, round(service.grace().total_seconds() / 60)),
            escalate_minutes=max(1, round(service.escalate_after().total_seconds() / 60)),
        )
    )


@bp.route("/stay", methods=["GET", "POST"])
@client_only
def start():
    form = StartForm()
    if form.is_submitted():
        _start_form(form)
        if form.validate_on_submit():
            ok, _timer = attempt(
                form,
                lambda: service.start(
                    db.session,
                    current_user,
                    minutes=form.chosen_minutes(),
                    contact_ids=form.chosen_people(),
                    note=form.note.data or "",
                    to_duty=bool(form.to_duty.data),
                    client_key=form.key(),
                ),
            )
            if ok:
                flash(_("Stay with me is on."), "success")
                return redirect(url_for("stay.start"))
        if service.current(db.session, current_user) is None:
            return _start_page(form)
        _flash_problems(form)  # started meanwhile (another tab, the back button): say so above it
        return redirect(url_for("stay.start"))
    return _page()


@bp.post("/stay/<id:timer_id>/ok")
@client_only
@loads("timer", service.get_timer)
def ok(timer):
    return _act(
        TokenOnlyForm(),
        lambda: service.end(db.session, current_user, timer),
        lambda told: (
            _("Good to hear. We told the people who were alerted that you are OK.")
            if told
            else _("Good to hear. Stay with me has ended.")
        ),
        "stay.start",
    )


@bp.post("/stay/<id:timer_id>/more")
@client_only
@loads("timer", service.get_timer)
def more(timer):
    return _act(
        TokenOnlyForm(),
        lambda: service.more_time(db.session, current_user, timer),
        lambda _timer: _("10 more minutes. We will ask again before the time is up."),
        "stay.start",
    )


@bp.get("/stay/alerts")
@told_ones
def alerts():
    duty = None
    if has_role(current_user, PEER):
        duty = DutyForm(formdata=None, on=service.is_on_duty(db.session, current_user))
    return no_store(
        render(
            "stay/alerts.html",
            fragment="alerts",
            told=shown.alerts_for(db.session, current_user),
            form=TokenOnlyForm(),
            duty=duty,
        )
    )


@bp.post("/stay/alerts/<id:person_id>/on-it")
@told_ones
@loads("person", service.get_person)
def on_it(person):
    return _act(
        TokenOnlyForm(),
        lambda: service.on_it(db.session, current_user, person),
        lambda _timer: _("Thank you. The others can see that you are on it."),
        "stay.alerts",
    )


@bp.post("/stay/duty")
@roles_required(PEER, approved_peer=True)
def duty():
    form = DutyForm()
    return _act(
        form,
        lambda: service.set_on_duty(db.session, current_user, bool(form.on.data)),
        lambda _result: (
            _("You are on duty for Stay with me.") if form.on.data else _("You are off duty for Stay with me.")
        ),
        "stay.alerts",
    )
