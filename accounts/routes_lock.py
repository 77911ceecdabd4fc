"""Views of the PIN lock: the lock page itself, and turning the lock on, changing it or off."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from core import sessions
from extensions import db, limiter, render

from . import lock, lock_session
from .blueprint import bp
from .forms import IDLE_LABELS, PasswordConfirmForm, PinForm, UnlockForm
from .permissions import login_required, may_change_on_get
from .rules import attempt
from .web import auth_limit_ip, safe_next


@bp.route("/lock", methods=["GET", "POST"])
@login_required
@limiter.limit(auth_limit_ip, methods=["POST"])
def lock_page():
    """Opening this page locks the session (the page's own timer comes here, and so does
    "Lock now"); the right PIN opens it again."""
    if not current_user.pin_hash:
        return redirect(url_for("accounts.home"))
    if request.method == "POST" or may_change_on_get():  # another site's link locks nothing
        lock_session.lock_now()
    elif not lock_session.is_locked(current_user):
        return redirect(url_for("accounts.home"))
    form = UnlockForm()
    if form.validate_on_submit():
        if lock.try_pin(db.session, current_user, form.pin.data):
            lock_session.unlock()
            return redirect(safe_next(request.args.get("next")) or url_for("accounts.home"))
        left = lock.tries_left(current_user)
        if left == 0:
            sessions.end_session()  # out of tries: only the full login opens the app again
            flash(_("That was the last try. For your safety, log in with your name and password."), "info")
            return redirect(url_for("accounts.login"))
        form.pin.errors = [
            ngettext(
                "That PIN is not right. You have %(num)d more try.",
                "That PIN is not right. You have %(num)d more tries.",
                left,
            )
        ]
    return render("accounts/lock.html", form=form)


@bp.post("/lock/still-here")
@login_required
def still_here():
    """The page's script says the person is typing or reading; the lock's clock starts again
    (accounts/lock_session.py notes it before any view runs)."""
    return "", 204


def _pin_page(form=None, off_form=None):
    form = form or PinForm(formdata=None, idle_minutes=str(current_user.pin_idle_minutes))
    return render(
        "accounts/pin.html",
        form=form,
        off_form=off_form or PasswordConfirmForm(formdata=None, prefix="off"),
        has_pin=bool(current_user.pin_hash),
        idle_label=IDLE_LABELS.get(str(current_user.pin_idle_minutes)),
    )


@bp.route("/settings/lock", methods=["GET", "POST"])
@login_required
def pin_settings():
    if request.method == "GET":
        return _pin_page()
    form = PinForm()
    if form.validate_on_submit():
        ok, _result = attempt(
            form,
            lambda: lock.set_pin(
                db.session,
                current_user,
                pin=form.pin.data,
                repeat=form.repeat.data,
                idle_minutes=form.idle_value(),
                password=form.password.data,
            ),
        )
        if ok:
            lock_session.seen_now()
            flash(_("The PIN lock is on. Remember your PIN: without it you log in with your password."), "success")
            return redirect(url_for("accounts.pin_settings"))
    return _pin_page(form)


@bp.post("/settings/lock/off")
@login_required
def pin_off():
    form = PasswordConfirmForm(prefix="off")
    if form.validate_on_submit():
        ok, _result = attempt(form, lambda: lock.remove_pin(db.session, current_user, form.password.data))
        if ok:
            flash(_("The PIN lock is off."), "success")
            return redirect(url_for("accounts.pin_settings"))
    return _pin_page(off_form=form)
