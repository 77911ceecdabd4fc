"""The app shell: the service worker, the web app manifest, the offline page, and the
choices that belong to this phone (name and icon on the home screen, where Quick exit goes)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Blueprint, Response, current_app, flash, redirect, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import login_required, public
from accounts.service import LOCALES
from core import sessions
from core.web import asset
from extensions import no_store, render

from . import device
from .forms import PhoneForm

bp = Blueprint("shell", __name__)
ROOT = Path(__file__).resolve().parent.parent
SW = ROOT / "static" / "js" / "sw.js"
# Kept by the service worker at install, so they open without a network.
SHELL_FILES = (
    "css/app.css",
    "js/app.js",
    "js/keep.js",
    "js/read-aloud.js",
    "vendor/htmx.min.js",
    "icons/icon-192.png",
    "icons/plain-icon-192.png",
    "icons/nav.svg",
)
SHELL_PAGES = ("/offline", "/help", "/help/first-aid", "/away")
_SW_CACHE: dict[str, bytes] = {}


@bp.app_context_processor
def _globals():
    return device.template_globals()


def _service_worker() -> bytes:
    """sw.js with the list of files to keep and a version made of their contents, so a
    deploy that changes any of them installs a new worker with a fresh cache."""
    cached = _SW_CACHE.get("sw")
    if cached is not None:
        return cached
    shell = [asset(name) for name in SHELL_FILES]
    digest = hashlib.sha256(SW.read_bytes())
    for part in shell:
        digest.update(part.encode())
    for template in ("base.html", "shell/offline.html", "help/crisis.html", "help/first_aid.html", "away.html"):
        digest.update((ROOT / "templates" / template).read_bytes())
    for catalog in sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.mo")):
        digest.update(catalog.read_bytes())
    body = (
        SW.read_text()
        .replace('"__VERSION__"', json.dumps(digest.hexdigest()[:16]))
        .replace('"__SHELL__"', json.dumps(shell + list(SHELL_PAGES)))
        .replace('"__PAGES__"', json.dumps(list(SHELL_PAGES)))
    ).encode()
    if not current_app.debug:
        _SW_CACHE["sw"] = body
    return body


@bp.get("/sw.js")
@public
def service_worker():
    """The service worker, served from the root so that its scope is the whole app."""
    response = Response(_service_worker(), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
@public
def manifest():
    """The web app manifest. A browser fetches it without cookies, so the page names the
    look and the language in the address."""
    look = request.args.get("look") if request.args.get("look") in device.LOOKS else "nara"
    lang = request.args.get("lang") if request.args.get("lang") in LOCALES else "en"
    plain = look == "plain"
    icons = [
        {"src": asset(device.icon(look, 192)), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": asset(device.icon(look, 512)), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {
            "src": asset(f"icons/{'plain-' if plain else ''}maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    with force_locale(lang):
        name = device.app_name(look)
        description = _("Your notes.") if plain else _("A private diary, your own goals, and people you choose.")
    data = {
        "id": "/",
        "name": name,
        "short_name": name,
        "description": description,
        "lang": lang,
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f4f4f4" if plain else "#f7f5f0",
        "theme_color": "#5f6368" if plain else "#2f5d50",
        "icons": icons,
    }
    if not plain:  # pictures of the app would give a neutral one away
        data["screenshots"] = [
            {"src": asset("screenshots/narrow.png"), "sizes": "390x844", "type": "image/png", "form_factor": "narrow"},
            {"src": asset("screenshots/wide.png"), "sizes": "1280x800", "type": "image/png", "form_factor": "wide"},
        ]
    response = Response(json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
@public
def offline():
    """What the service worker shows for a page it cannot fetch. Kept on the phone, so it
    holds nothing about anyone: the page's script adds what this phone can do offline."""
    return render("shell/offline.html", bare=True)


@bp.route("/settings/phone", methods=["GET", "POST"])
@login_required
def phone():
    form = PhoneForm(formdata=None, look=device.look(), exit=device.exit_choice(), after_exit=device.after_exit())
    if request.method == "POST":
        form = PhoneForm()
        if form.validate_on_submit():
            flash(_("Saved for this phone."), "success")
            return device.remember(
                redirect(url_for("shell.phone")),
                chosen_look=form.look.data,
                chosen_exit=form.exit.data,
                chosen_after_exit=form.after_exit.data,
            )
    return render("shell/phone.html", form=form)


@bp.post("/quick-exit")
@public
def quick_exit():
    """Sent by the page as Quick exit leaves it: the session is locked (with a PIN, if this
    phone chose so) or logged out, so "Back" lands on the lock or login page."""
    if current_user.is_authenticated:
        sessions.leave_quickly(lock_it=device.after_exit() == "lock")
    return Response(status=204)


@bp.get("/away")
@public
def away():
    """Where "Quick exit" goes unless this phone chose another page: an ordinary-looking
    page with nothing of the app on it, kept on the phone so it opens offline too."""
    return no_store(render("away.html"))
