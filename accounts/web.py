"""What every page needs of identity: who is logged in (and whether their session is
locked), which language and time zone, the role facts templates use, and the rate-limit
keys of sign-in forms. The request's own shell (headers, errors, compression, assets) is
core/web.py."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, after_this_request, current_app, g, has_request_context, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from extensions import babel, db, login_manager, no_store, render

from . import approval, devices, lock_session, permissions, sealing, service
from .forms import LANGUAGE_NAMES, CodesSavedForm


def select_locale() -> str:
    if not has_request_context():  # commands on the server speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in service.LOCALES:
        return current_user.locale
    if session.get("locale") in service.LOCALES:
        return session["locale"]
    return request.accept_languages.best_match(service.LOCALES) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.time_zone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def safe_next(target: str | None) -> str | None:
    """A path inside this app to go back to, or None: never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _known_device_id(handle: str) -> str | None:
    """This browser's device id if it has logged in to the account of this handle before."""
    token = request.cookies.get(devices.COOKIE)
    if not token or not handle.strip():
        return None
    if "_known_device" not in g:
        user = service.find_by_handle(db.session, handle)
        g._known_device = (
            None if user is None else devices.known_device(current_app.secret_key, token, user.id, user.handle_key)
        )
    return g._known_device


def handle_rate_key() -> str:
    """The per-handle count. A device that logged in to this account before has a count of
    its own, so many addresses filling the handle's count cannot lock the owner out."""
    handle = request.form.get("handle", "")
    key = "handle:" + service.handle_key(handle)[:64]
    device_id = _known_device_id(handle)
    return f"{key}:device:{device_id}" if device_id else key


def remember_device(user) -> None:
    """Mark this browser as one that has logged in to this account (a signed, HttpOnly
    cookie that names neither the handle nor the user id)."""
    token = devices.remember(current_app.secret_key, request.cookies.get(devices.COOKIE), user.id, user.handle_key)

    @after_this_request
    def _set_cookie(response):
        response.set_cookie(
            devices.COOKIE,
            token,
            max_age=devices.MAX_AGE,
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            samesite="Strict",
        )
        return response


def codes_page(codes: list[str], new_account: bool, sealed_now: bool = False, going: str | None = None) -> Response:
    """The recovery codes, shown once in this response (never stored in clear, never in a
    URL or a log), with the one way on: "I have saved them". Sign-up, joining by invitation
    and "make new recovery codes" all answer with it."""
    going = going or (url_for("accounts.home") if new_account else url_for("accounts.settings", _anchor="recovery"))
    form = CodesSavedForm(formdata=None, next=going)
    return no_store(
        render("accounts/codes.html", codes=codes, new_account=new_account, sealed_now=sealed_now, saved_form=form)
    )


def auth_limit_ip() -> str:
    return current_app.config["AUTH_LIMIT_PER_IP"]


def auth_limit_handle() -> str:
    return current_app.config["AUTH_LIMIT_PER_HANDLE"]


def _template_globals():
    return {
        "current_locale": select_locale(),
        "languages": LANGUAGE_NAMES,
    }


# Role facts for templates, from the one module that holds them.
ROLE_GLOBALS = {
    "navigation": permissions.navigation,
    "keeps_a_diary": permissions.keeps_a_diary,
    "has_role": permissions.has_role,
    "unread_badge_places": permissions.UNREAD_BADGE,
    "nav_icons": permissions.NAV_ICONS,
    "CLIENT": permissions.CLIENT,
    "PEER": permissions.PEER,
    "RELATIVE": permissions.RELATIVE,
    "COORDINATOR": permissions.COORDINATOR,
}


def init_app(app) -> None:
    app.jinja_env.globals.update(ROLE_GLOBALS)

    @login_manager.user_loader
    def load_user(session_id: str):
        return service.load_session_user(db.session, session_id, session.get("vault"))

    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see that page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.before_request_funcs.setdefault(None, []).insert(0, sealing.start_request)  # before anything else
    app.teardown_request(sealing.end_request)
    app.before_request(lock_session.enforce)  # after core's checks of the request itself
    app.before_request(approval.tell_if_approved)  # "You're approved": once, on the start page
    app.context_processor(_template_globals)
