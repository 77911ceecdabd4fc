"""Choices that belong to this phone, not to the account: how the app looks on the home
screen (its own name and icon, or a neutral "Notes"), and where "Quick exit" goes.

They live in cookies, so they hold before anyone logs in (the login page of a neutral
app looks neutral too) and a shared phone keeps its own. Nothing in them tells about the
person: only a choice among a few fixed values.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from accounts import lock_session

LOOK_COOKIE, EXIT_COOKIE, AFTER_EXIT_COOKIE = "nara_look", "nara_exit", "nara_after_exit"
COOKIE_AGE = 400 * 86400  # the longest browsers keep a cookie
LOOKS = {
    "nara": _l("Nära, with its own icon"),
    "plain": _l("Notes, with a plain notebook icon"),
}
# Where Quick exit goes. The soup recipe is part of the app and works offline; the others
# are ordinary sites, opened in place of the app.
EXITS = {
    "recipe": (_l("A soup recipe (works offline too)"), None),
    "weather_se": (_l("The weather from SMHI"), "https://www.smhi.se/"),
    "weather_dk": (_l("The weather from DMI"), "https://www.dmi.dk/"),
    "news_se": (_l("The news from SVT"), "https://www.svt.se/"),
    "news_dk": (_l("The news from DR"), "https://www.dr.dk/"),
    "search": (_l("A search page (Google)"), "https://www.google.com/"),
}


# What Quick exit does to the session, so that "Back" reaches no personal page. Locking
# needs a PIN to open again; without one, Quick exit always logs out.
AFTER_EXIT = {
    "lock": _l("Lock the app: your PIN opens it again"),
    "logout": _l("Log me out"),
}


def after_exit() -> str:
    value = request.cookies.get(AFTER_EXIT_COOKIE, "")
    return value if value in AFTER_EXIT else "lock"


def look() -> str:
    value = request.cookies.get(LOOK_COOKIE, "")
    return value if value in LOOKS else "nara"


def exit_choice() -> str:
    value = request.cookies.get(EXIT_COOKIE, "")
    return value if value in EXITS else "recipe"


def exit_url() -> str:
    return EXITS[exit_choice()][1] or url_for("shell.away")


def app_name(which: str | None = None) -> str:
    from flask_babel import gettext as _

    return _("Notes") if (which or look()) == "plain" else "Nära"


def icon(which: str | None = None, size: int = 192) -> str:
    prefix = "plain-" if (which or look()) == "plain" else ""
    return f"icons/{prefix}icon-{size}.png"


def remember(response, *, chosen_look: str, chosen_exit: str, chosen_after_exit: str):
    for name, value in ((LOOK_COOKIE, chosen_look), (EXIT_COOKIE, chosen_exit), (AFTER_EXIT_COOKIE, chosen_after_exit)):
        response.set_cookie(name, value, max_age=COOKIE_AGE, samesite="Lax", httponly=True, secure=request.is_secure)
    return response


def owner_tag(user) -> str:
    """Marks what this person's pages keep on the phone (diary entries waiting to be sent),
    so another account on the same phone never sends or sees them. Tells nothing by itself."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"owner:{user.id}".encode(), hashlib.sha256).hexdigest()[:20]


def template_globals() -> dict:
    values = {"app_name": app_name(), "app_look": look(), "app_icon": icon(), "exit_url": exit_url()}
    if current_user and current_user.is_authenticated:
        values["locked"] = lock_session.is_locked(current_user)
        values["owner_tag"] = owner_tag(current_user)
        values["idle_seconds"] = current_user.pin_idle_minutes * current_app.config["PIN_MINUTE_SECONDS"]
    return values
