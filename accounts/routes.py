"""Thin views of accounts: parse the form, call the service, render."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, request, session, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import sessions
from core.forms import TokenOnlyForm
from extensions import db, no_store, render, utcnow

from . import approval, service
from .blueprint import address_limited, auth_limited, bp
from .exporting import export_user
from .forms import (
    MESSAGES,
    ChangePasswordForm,
    CodesSavedForm,
    KeepDiaryForm,
    LoginForm,
    PasswordConfirmForm,
    PreferencesForm,
    RecoverForm,
    SignUpForm,
)
from .permissions import (
    CLIENT,
    COORDINATOR,
    PEER,
    has_role,
    keeps_a_diary,
    loads,
    login_required,
    public,
    roles_required,
    start_endpoint,
)
from .rules import attempt
from .web import codes_page, safe_next


@bp.get("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    return render("accounts/index.html", forgotten=request.args.get("phone") == "forgotten")


@bp.get("/home")
@login_required
def home():
    """Where each role starts (permissions.start_endpoint); a peer supporter waiting for
    approval starts here."""
    start = start_endpoint(current_user)
    if start != "accounts.home":
        return redirect(url_for(start))
    codes_left = service.codes_left(db.session, current_user)
    steps = approval.checklist(db.session, current_user) if has_role(current_user, PEER) else []
    return render("accounts/home.html", codes_left=codes_left, steps=steps)


def _sign_up(role: str, template: str):
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = SignUpForm()
    if form.validate_on_submit():
        ok, result = attempt(
            form,
            lambda: service.sign_up(
                db.session, form.handle.data, form.password.data, role=role, locale=str(get_locale())
            ),
        )
        if ok:
            user, codes = result
            sessions.start_session(user)
            # Shown once, in this response only; never stored in clear anywhere.
            return codes_page(codes, new_account=True)
    return render(template, form=form)


@bp.route("/signup", methods=["GET", "POST"])
@public
@auth_limited
def signup():
    return _sign_up(CLIENT, "accounts/signup.html")


@bp.route("/signup/peer", methods=["GET", "POST"])
@public
@auth_limited
def signup_peer():
    return _sign_up(PEER, "accounts/signup_peer.html")


@bp.route("/login", methods=["GET", "POST"])
@public
@auth_limited
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user, fresh_codes = service.log_in(db.session, form.handle.data, form.password.data)
        if user is not None:
            sessions.start_session(user)
            if fresh_codes:  # an account from before sealing: its old codes cannot open the new keys
                going = safe_next(request.args.get("next")) or url_for("accounts.home")
                return codes_page(fresh_codes, new_account=False, sealed_now=True, going=going)
            return redirect(safe_next(request.args.get("next")) or url_for("accounts.home"))
        form.form_errors.append(MESSAGES["bad_login"])
    return render("accounts/login.html", form=form)


@bp.post("/codes/saved")
@login_required
def codes_saved():
    """After "I have saved them": on to where the person was going."""
    form = CodesSavedForm()
    going = safe_next(form.next.data) if form.validate_on_submit() else None
    return redirect(going or url_for("accounts.home"))


# What a browser forgets of this site when someone logs out (the service worker's caches
# and what pages kept on the phone) and, after "Forget this phone", its cookies too.
CLEAR_ON_LOGOUT = '"cache", "storage"'
CLEAR_ON_FORGET = '"cache", "storage", "cookies"'


def _log_out() -> None:
    service.end_other_sessions(db.session, current_user)
    sessions.end_session()


@bp.post("/logout")
@login_required
def logout():
    _log_out()
    flash(_("You are logged out. Take care."), "info")
    response = redirect(url_for("accounts.index"))
    response.headers["Clear-Site-Data"] = CLEAR_ON_LOGOUT
    return response


@bp.post("/settings/forget-phone")
@login_required
def forget_phone():
    """Log out and have this browser forget everything of this site: the session and every
    other cookie (this phone's choices too), the kept pages and what scripts stored. A
    browser without Clear-Site-Data still loses the cookies it sent, deleted one by one.
    The start page says it is done (a flash message would be forgotten with the cookies)."""
    _log_out()
    session.clear()
    response = redirect(url_for("accounts.index", phone="forgotten"))
    for name in request.cookies:
        response.delete_cookie(name)
    response.headers["Clear-Site-Data"] = CLEAR_ON_FORGET
    return response


@bp.route("/recover", methods=["GET", "POST"])
@public
@address_limited
def recover():
    form = RecoverForm()
    if form.validate_on_submit():
        ok, user = attempt(
            form, lambda: service.reset_with_code(db.session, form.handle.data, form.code.data, form.new_password.data)
        )
        if ok:
            sessions.start_session(user)
            left = service.codes_left(db.session, user)
            flash(
                ngettext(
                    "Your new password is set, and you are logged in. You have %(num)d recovery code left.",
                    "Your new password is set, and you are logged in. You have %(num)d recovery codes left.",
                    left,
                ),
                "success",
            )
            return redirect(url_for("accounts.settings"))
    return render("accounts/recover.html", form=form)


def _settings_page(**forms):
    forms.setdefault(
        "prefs_form",
        PreferencesForm(
            formdata=None,
            locale=str(get_locale()),
            time_zone=current_user.time_zone,
            country=current_user.country or "",
        ),
    )
    forms.setdefault("password_form", ChangePasswordForm(formdata=None))
    forms.setdefault("codes_form", PasswordConfirmForm(formdata=None, prefix="codes"))
    if keeps_a_diary(current_user):
        choice = KeepDiaryForm.choice_of(current_user.keep_diary_days)
        forms.setdefault("keep_form", KeepDiaryForm(formdata=None, keep_for=choice))
    codes_left = service.codes_left(db.session, current_user)
    return render("accounts/settings.html", codes_left=codes_left, **forms)


@bp.get("/settings")
@login_required
def settings():
    return _settings_page()


@bp.post("/settings/preferences")
@login_required
def save_preferences():
    form = PreferencesForm()
    if form.validate_on_submit():
        ok, _result = attempt(
            form,
            lambda: service.update_preferences(
                db.session, current_user, form.locale.data, form.time_zone.data, form.country.data or None
            ),
        )
        if ok:
            session["locale"] = current_user.locale
            flash(_("Saved."), "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(prefs_form=form)


# Larger text belongs to this phone, not to the account: a cookie, read by base.html.
TEXT_COOKIE = "text"
TEXT_COOKIE_AGE = 365 * 24 * 3600


@bp.post("/settings/text")
@login_required
def save_text_size():
    large = request.form.get("text") == "large"
    response = redirect(url_for("accounts.settings"))
    if large:
        response.set_cookie(
            TEXT_COOKIE,
            "large",
            max_age=TEXT_COOKIE_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
        flash(_("Larger text is on, on this phone."), "success")
    else:
        response.delete_cookie(TEXT_COOKIE, samesite="Lax", httponly=True, secure=request.is_secure)
        flash(_("Text is back to its usual size on this phone."), "success")
    return response


KEPT_FOR = {
    None: _l("Saved. Your diary keeps everything until you delete it."),
    365: _l("Saved. Diary entries and check-ins older than a year will be deleted for good."),
    90: _l("Saved. Diary entries and check-ins older than three months will be deleted for good."),
}


@bp.post("/settings/keep-diary")
@roles_required(CLIENT)
def save_keep_diary():
    form = KeepDiaryForm()
    if form.validate_on_submit():
        ok, _result = attempt(form, lambda: service.set_keep_diary(db.session, current_user, form.days()))
        if ok:
            flash(str(KEPT_FOR[current_user.keep_diary_days]), "success")
            return redirect(url_for("accounts.settings", _anchor="keep-diary"))
    return _settings_page(keep_form=form)


@bp.post("/settings/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        ok, _result = attempt(
            form,
            lambda: service.change_password(
                db.session, current_user, form.current_password.data, form.new_password.data
            ),
        )
        if ok:
            # The token changed and every session's key is gone; this one starts again.
            sessions.start_session(current_user._get_current_object())
            flash(_("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("accounts.settings"))
    return _settings_page(password_form=form)


@bp.post("/settings/recovery-codes")
@login_required
def new_recovery_codes():
    form = PasswordConfirmForm(prefix="codes")
    if form.validate_on_submit():
        ok, codes = attempt(form, lambda: service.regenerate_codes(db.session, current_user, form.password.data))
        if ok:
            return codes_page(codes, new_account=False)
    return _settings_page(codes_form=form)


@bp.get("/settings/export")
@login_required
def export():
    data = export_user(db.session, current_user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    filename = f"nara-export-{utcnow():%Y-%m-%d}.json"
    return no_store(
        Response(
            body, mimetype="application/json", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
        )
    )


@bp.route("/settings/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = PasswordConfirmForm()
    if form.validate_on_submit():
        ok, _result = attempt(
            form, lambda: service.delete_account(db.session, current_user._get_current_object(), form.password.data)
        )
        if ok:
            sessions.end_session()
            flash(_("Your account and everything in it is deleted."), "info")
            return redirect(url_for("accounts.index"))
    return render("accounts/delete.html", form=form)


@bp.post("/language")
@public
def set_language():
    locale = request.form.get("locale", "")
    if locale in service.LOCALES:
        session["locale"] = locale
        if current_user.is_authenticated:
            service.set_locale(db.session, current_user, locale)
    return redirect(safe_next(request.form.get("next")) or url_for("accounts.index"))


@bp.get("/coordinator")
@roles_required(COORDINATOR)
def coordinator():
    return render("accounts/coordinator.html", peers=approval.waiting(db.session))


@bp.get("/coordinator/peers/<id:user_id>/confirm-approve")
@roles_required(COORDINATOR)
@loads("peer", approval.to_approve, arg="user_id")
def confirm_approve(peer):
    """The question before approving, with the profile the coordinator approves."""
    return render("accounts/approve.html", peer=peer, form=TokenOnlyForm())


@bp.post("/coordinator/peers/<id:user_id>/approve")
@roles_required(COORDINATOR)
@loads("peer", service.peer_account, arg="user_id")
def approve_peer(peer):
    form = TokenOnlyForm()
    if form.validate_on_submit():
        approval.approve(db.session, peer)
        name = approval.to_approve(db.session, current_user, peer.id).name
        flash(_("%(name)s is approved as a peer supporter. They will be told.", name=name), "success")
    return redirect(url_for("accounts.coordinator"))
