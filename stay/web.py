"""What other pages show of "Stay with me", as template globals (so no other package imports
this one): the client's prompt while a timer runs, the alerts on the pages of the people
told, and a peer supporter's "On duty" switch on their profile."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from accounts.permissions import CLIENT, PEER
from extensions import db

from . import service, shown
from .forms import DutyForm

# Pages the service worker keeps for offline use must not keep a prompt of the moment.
NO_PROMPT = frozenset({"help.crisis", "diary.write", "shell.offline", "shell.away"})


def stay_prompt():
    """The client's running timer, for the prompt on their pages (None elsewhere)."""
    if not current_user.is_authenticated or current_user.role != CLIENT:
        return None
    endpoint = request.endpoint or ""
    if endpoint.startswith("stay.") or endpoint in NO_PROMPT:
        return None
    return service.current(db.session, current_user)


def stay_told():
    """The timers that told the signed-in person, for their inbox or linked view."""
    if not current_user.is_authenticated:
        return []
    return shown.alerts_for(db.session, current_user)


def stay_duty_form():
    if not current_user.is_authenticated or current_user.role != PEER or not current_user.is_approved_peer:
        return None
    return DutyForm(formdata=None, on=service.is_on_duty(db.session, current_user))


def install(app) -> None:
    app.jinja_env.globals.update(stay_prompt=stay_prompt, stay_told=stay_told, stay_duty_form=stay_duty_form)
