"""Views of notifications: turning them on for a device, settings, reminders, and the
"Later (1 h)" action that comes back from a notification."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import CLIENT, PEER, RELATIVE, loads, login_required, public, roles_required
from accounts.rules import RuleError, attempt, message_for
from core.forms import stored_local_time
from diary import next_steps as steps
from extensions import csrf, db, limiter, render

from . import service
from .forms import KINDS, WEEKDAYS, ReminderForm, SettingsForm
from .outbox import read_action_token
from .times import MAX_TIMES

bp = Blueprint("push", __name__)
with_reminders = roles_required(CLIENT, PEER, RELATIVE)


def _public_key() -> str:
    return Path(current_app.config["VAPID_PUBLIC_KEY_FILE"]).read_text().strip()


@bp.route("/push/settings", methods=["GET", "POST"])
@login_required
def settings():
    current = service.settings_of(db.session, current_user)
    if request.method == "POST":
        form = SettingsForm()
    elif current is not None:
        form = SettingsForm(
            formdata=None,
            quiet_start=current.quiet_start,
            quiet_end=current.quiet_end,
            show_more=current.show_more,
        )
    else:
        form = SettingsForm(formdata=None)
    if form.validate_on_submit():
        ok, _settings = attempt(
            form,
            lambda: service.save_settings(
                db.session,
                current_user,
                quiet_start=form.quiet_start.data,
                quiet_end=form.quiet_end.data,
                show_more=form.show_more.data,
            ),
        )
        if ok:
            flash(_("Saved."), "success")
            return redirect(url_for("push.settings"))
    return render(
        "push/settings.html",
        form=form,
        public_key=_public_key(),
        devices=service.subscriptions_of(db.session, current_user),
    )


MAX_SUBSCRIPTION_BODY = 4096  # a real subscription is well under 1 KB
MAX_JSON_DEPTH = 4  # {"keys": {...}} is two levels


def _too_deep(text: str, limit: int) -> bool:
    """Whether brackets nest deeper than `limit`, counted before parsing, so a body of
    thousands of "[" can never reach the parser's recursion limit."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _json_body() -> object:
    """The request's JSON, or None when it is too big, not UTF-8, too deep or not JSON."""
    if (request.content_length or 0) > MAX_SUBSCRIPTION_BODY:
        return None
    raw = request.get_data(cache=False)
    if len(raw) > MAX_SUBSCRIPTION_BODY:
        return None
    try:
        text = raw.decode("utf-8")
        if _too_deep(text, MAX_JSON_DEPTH):
            return None
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


@bp.post("/push/subscriptions")
@login_required
@limiter.limit("30 per hour", key_func=lambda: f"subscribe:{current_user.id}")
def subscribe():
    """From the page's script: the browser's push subscription, as JSON."""
    try:
        fields = service.subscription_fields(_json_body())
        service.subscribe(db.session, current_user, **fields)
    except RuleError as error:
        db.session.rollback()
        message = str(message_for(error.code)) % {"count": service.MAX_DEVICES}
        return jsonify({"ok": False, "message": message}), 400
    return jsonify({"ok": True}), 201


@bp.post("/push/subscriptions/<id:subscription_id>/delete")
@login_required
@loads("subscription", service.get_subscription)
def unsubscribe(subscription):
    service.delete_subscription(db.session, subscription)
    flash(_("This device gets no more notifications."), "info")
    return redirect(url_for("push.settings"))


@bp.get("/push/reminders")
@with_reminders
def reminders():
    return render(
        "push/reminders.html", reminders=service.reminders_of(db.session, current_user), kinds=KINDS, weekdays=WEEKDAYS
    )


def _reminder_form(reminder=None) -> ReminderForm:
    if request.method == "POST":
        return ReminderForm()
    if reminder is None:  # may come filled in from one of the person's next steps, named by its id
        step_id = request.args.get("step", type=int)
        step = steps.get_step(db.session, current_user, step_id) if step_id and 0 < step_id < 2**31 else None
        if step is None:
            return ReminderForm(formdata=None)
        return ReminderForm(
            formdata=None,
            kind="appointment" if step.when_local else "task",
            title=step.title[:80],
            once_at=stored_local_time(step.when_local),
        )
    return ReminderForm(
        formdata=None,
        kind=reminder.kind,
        title=reminder.title,
        times=[t for t in reminder.times.split(",") if t],
        weekdays=[d for d in reminder.weekdays.split(",") if d],
        once_at=stored_local_time(reminder.once_local),
    )


@bp.route("/push/reminders/new", methods=["GET", "POST"])
@bp.route("/push/reminders/<id:reminder_id>/edit", methods=["GET", "POST"])
@with_reminders
@loads("reminder", service.get_reminder, optional=True)
def edit_reminder(reminder):
    form = _reminder_form(reminder)
    slots, focus = _time_slots(form)
    if slots is not None:  # "Add another time" or "Remove" without JavaScript: the same form again
        return render(
            "push/reminder_form.html", form=form, reminder=reminder, slots=slots, focus=focus, max_times=MAX_TIMES
        )
    if form.validate_on_submit():
        ok, _row = attempt(
            form,
            lambda: service.save_reminder(
                db.session,
                current_user,
                kind=form.kind.data,
                title=form.title.data,
                times=form.times.data or [],
                weekdays=form.weekdays.data,
                once_at=form.once_at.data,
                reminder=reminder,
            ),
        )
        if ok:
            flash(_("Your reminder is saved."), "success")
            return redirect(url_for("push.reminders"))
    return render(
        "push/reminder_form.html", form=form, reminder=reminder, slots=form.times.slots, focus=None, max_times=MAX_TIMES
    )


def _time_slots(form: ReminderForm) -> tuple[list | None, int | None]:
    """The time fields after "Add another time" (one more, empty, focused) or "Remove"
    (one fewer, focus on the one now in its place), sent without JavaScript; (None, None)
    for a save."""
    if request.method != "POST" or not ({"add_time", "remove_time"} & set(request.form)):
        return None, None
    slots = form.times.slots
    if "add_time" in request.form:
        if len(slots) < MAX_TIMES:
            slots.append(("", True))
        return slots, len(slots) - 1
    index = request.form.get("remove_time", type=int)
    if index is not None and 0 <= index < len(slots):
        del slots[index]
    slots = slots or [("", True)]
    return slots, min(max(index or 0, 0), len(slots) - 1)


@bp.post("/push/reminders/<id:reminder_id>/delete")
@with_reminders
@loads("reminder", service.get_reminder)
def delete_reminder(reminder):
    service.delete_reminder(db.session, reminder)
    flash(_("The reminder is deleted."), "info")
    return redirect(url_for("push.reminders"))


@bp.post("/push/action")
@public
@csrf.exempt
def notification_action():
    """From the service worker: 'Later (1 h)'. A signed token names the reminder, since a
    service worker has no form to carry a CSRF token."""
    found = read_action_token(request.form.get("token", ""))
    if found is None or request.form.get("action") != "later":
        return Response(status=400)
    user_id, reminder_id = found
    reminder = service.reminder_of(db.session, user_id, reminder_id)
    if reminder is None:
        return Response(status=404)
    service.snooze(db.session, reminder)
    return Response(status=204)
