"""What happens between the two people of a meeting, sent after the commit. `push`
listens (meetings never imports push); each signal names who is told and the page it opens."""

from blinker import Namespace

_signals = Namespace()

along_asked = _signals.signal("along_asked")  # session, along_id, recipient_id: the peer supporter
along_answered = _signals.signal("along_answered")  # session, along_id, recipient_id: the client
along_moved = _signals.signal("along_moved")  # session, along_id, recipient_id: the meeting has a new time
along_cancelled = _signals.signal("along_cancelled")  # session, along_id, recipient_id: the peer supporter
reminder_due = _signals.signal("reminder_due")  # session, recipient_id, url
