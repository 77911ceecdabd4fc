"""Views of push delivery. Subscriptions and reminders come with the push issue; the
VAPID key pair it will sign with is generated into instance/ already (config.py)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("push", __name__, url_prefix="/push")
