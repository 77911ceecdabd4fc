"""Who may do what: the one place that decides by role and by ownership.

What a contact may see of a client is decided in peer/sharing.py; everything else here.
Someone else's object, or a page of another role, answers 404: its existence is not told.
A view gets the object its URL names through one guard, `loads`, from the service's getter.
"""

from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from extensions import db, login_manager

CLIENT, PEER, RELATIVE, COORDINATOR = "client", "peer", "relative", "coordinator"
EVERY_ROLE = (CLIENT, PEER, RELATIVE, COORDINATOR)


def has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.role in roles)


def is_approved_peer(user) -> bool:
    return bool(user and user.is_authenticated and user.is_approved_peer)


# Where each role starts, and its bottom navigation: (endpoint, words). The one table of
# both; views redirect by start_endpoint() and base.html draws navigation(), each item with
# its icon (NAV_ICONS, a symbol in static/icons/nav.svg). The words are short: five of them
# fit one row at 320 px in Swedish and Danish too (tests/browser/test_frame.py). Settings is
# "Me", last, for every role.
_ME = ("accounts.settings", _l("Me"))
_NAVIGATION = {
    CLIENT: (
        ("diary.today", _l("Today")),
        ("diary.diary", _l("Diary")),
        ("diary.goals_list", _l("Goals")),
        ("peer.contacts_page", _l("Contacts")),
        _ME,
    ),
    COORDINATOR: (
        ("accounts.coordinator", _l("Waiting")),
        ("peer.coordinator_peers", _l("Supporters")),
        ("peer.coordinator_reports", _l("Reports")),
        ("help.manage", _l("Help lines")),
        _ME,
    ),
    PEER: (("peer.inbox", _l("Inbox")), ("peer.edit_profile", _l("Profile")), _ME),
    RELATIVE: (
        ("peer.linked", _l("Shared with you")),
        ("peer.notes", _l("Notes")),
        ("peer.relative_support", _l("Support")),
        _ME,
    ),
}
# A peer supporter waiting for a coordinator's approval starts on the accounts home page.
_WAITING_PEER = (
    ("accounts.home", _l("Home")),
    ("peer.edit_profile", _l("Profile")),
    _ME,
)
NAV_ICONS = {
    "diary.today": "today",
    "diary.diary": "diary",
    "diary.goals_list": "goals",
    "peer.contacts_page": "people",
    "accounts.settings": "me",
    "accounts.coordinator": "waiting",
    "peer.coordinator_peers": "people",
    "peer.coordinator_reports": "flag",
    "help.manage": "phone",
    "peer.inbox": "inbox",
    "peer.edit_profile": "profile",
    "peer.linked": "heart",
    "peer.notes": "note",
    "peer.relative_support": "support",
    "accounts.home": "home",
}
# The places where the count of unread messages is shown.
UNREAD_BADGE = frozenset({"peer.contacts_page", "peer.inbox", "peer.linked"})


def navigation(user) -> tuple[tuple[str, object], ...]:
    """The bottom navigation of this person's role: (endpoint, words) pairs."""
    if not (user and user.is_authenticated):
        return ()
    if user.role == PEER and not user.is_approved_peer:
        return _WAITING_PEER
    return _NAVIGATION.get(user.role, ())


def start_endpoint(user) -> str:
    """Where this person starts: the first place of their navigation."""
    items = navigation(user)
    return items[0][0] if items else "accounts.index"


def keeps_a_diary(user) -> bool:
    """Whether this person writes a diary (and so keeps entries on the phone offline)."""
    return has_role(user, CLIENT)


def login_required(view: Callable) -> Callable:
    return roles_required(*EVERY_ROLE)(view)


def roles_required(*roles: str, approved_peer: bool = False) -> Callable:
    """Guard a view: anonymous visitors go to login; other roles get 404.

    With approved_peer=True, a peer supporter also needs a coordinator's approval.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(404)
            if approved_peer and current_user.role == PEER and not is_approved_peer(current_user):
                abort(404)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles  # read by the access-matrix test
        return wrapped

    return decorator


def public(view: Callable) -> Callable:
    """Mark a view as open to everyone, so that the access test knows it was meant."""
    view.allowed_roles = ("anonymous",) + EVERY_ROLE
    return view


# What a session behind the PIN lock (accounts/lock_session.py) may still open: the lock
# itself, leaving, help, and the app's shell. Everything else waits for the PIN.
OPEN_WHEN_LOCKED = frozenset(
    {
        "accounts.lock_page",
        "accounts.logout",
        "accounts.set_language",
        "static",
        "help.crisis",
        "shell.away",
        "shell.service_worker",
        "shell.manifest",
        "shell.offline",
        "shell.quick_exit",
    }
)


def open_when_locked(endpoint: str | None) -> bool:
    return endpoint in OPEN_WHEN_LOCKED


def shows_own_things(user, locked: bool) -> bool:
    """Whether a page open to everyone may show this person's own things (their contacts on
    the crisis page): only a client, signed in and not behind the PIN lock (`locked`, from
    lock_session.is_locked, which itself asks this module what stays open)."""
    return has_role(user, CLIENT) and not locked


def may_change_on_get() -> bool:
    """Whether a GET may have a side effect (mark messages read, an alert seen, lock the
    session): only when the person opened it from this app or typed
    it, never when another site sent their browser here. Browsers too old to send
    Sec-Fetch-Site are let through (the cookie's SameSite=Lax still guards the writes).
    A look at something shared is logged however the page was opened: it was seen."""
    site = request.headers.get("Sec-Fetch-Site")
    return site is None or site in ("same-origin", "none")


def loads(
    name: str, getter: Callable, *, within: str | None = None, optional: bool = False, arg: str | None = None
) -> Callable:
    """Guard a view that names an object in its URL: the view gets the object, never the id.

    The URL's `<name>_id` (or `arg`) goes to the getter as getter(db.session, current_user,
    id); the getter alone decides whether this person may have it, and None (not there, or
    someone else's) answers 404, as if it did not exist. The object is handed to the view as
    the keyword `name`. With `within`, the object belongs under one loaded by an outer
    @loads (/goals/<goal_id>/steps/<step_id>), and the getter also gets that one:
    getter(db.session, current_user, id, goal=goal). With `optional`, a URL without the id
    (one view for /new and /<id>/edit) hands None. It goes below the role guard, which
    decides first who may ask at all (and keeps `allowed_roles` on the outer view).
    """
    key = arg or f"{name}_id"

    def decorator(view: Callable) -> Callable:
        if hasattr(view, "allowed_roles"):
            raise TypeError(f"@loads({name!r}) goes below the role guard of {view.__name__}")

        @wraps(view)
        def wrapped(*args, **kwargs):
            object_id = kwargs.pop(key) if not optional else kwargs.pop(key, None)
            found = None
            if object_id is not None:
                parents = {within: kwargs[within]} if within else {}
                found = getter(db.session, current_user, object_id, **parents)
                if found is None:
                    abort(404)
            return view(*args, **{**kwargs, name: found})

        wrapped.loaded_args = (key,) + getattr(view, "loaded_args", ())  # read by the guard's test
        return wrapped

    return decorator
