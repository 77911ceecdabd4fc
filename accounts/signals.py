"""What happens to an account, for whoever wants to know (push delivery listens).

`accounts` sends these and never imports `push`. Sent after the commit, with ids only."""

from blinker import Namespace

_signals = Namespace()

peer_approved = _signals.signal("peer_approved")  # user_id (the peer supporter a coordinator approved)
