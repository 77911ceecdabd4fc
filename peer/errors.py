"""The one way the people side's rules say no: PeerError(code, field), whose words are in
peer/forms.py (MESSAGES), registered by peer.init_app."""

from __future__ import annotations

from accounts.rules import RuleError


class PeerError(RuleError):
    """A rule of contacts, messages, sharing, relatives, alerts or reports said no."""
