"""The accounts blueprint and the rate limits its views (and other packages' sign-in
forms) share. It imports none of the route modules: they import it."""

from __future__ import annotations

from flask import Blueprint

from extensions import limiter

from .web import auth_limit_handle, auth_limit_ip, handle_rate_key

bp = Blueprint("accounts", __name__)

_per_address = limiter.limit(auth_limit_ip, methods=["POST"])
_per_handle = limiter.limit(auth_limit_handle, key_func=handle_rate_key, methods=["POST"])


def address_limited(view):
    """Posts are counted per address only: forms without a handle, and recovery, whose
    codes are too many to guess (so a count per handle would only help lock owners out)."""
    return _per_address(view)


def auth_limited(view):
    """Posts are counted per address and per handle (a known device of the account has its
    own per-handle count: see accounts/web.py handle_rate_key)."""
    return _per_handle(_per_address(view))
