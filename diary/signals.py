"""What changes in a person's own diary, for whoever keeps copies of what they share.

`diary` sends these and never imports `peer` (peer listens and re-seals what the person
shares with others). Every signal is sent after the commit, by the person's own request,
with the database session and the person (`user`); the ids a listener needs come too."""

from blinker import Namespace

_signals = Namespace()

entry_changed = _signals.signal("entry_changed")  # session, user, entry_id
entry_deleted = _signals.signal("entry_deleted")  # session, user, entry_id
checkin_saved = _signals.signal("checkin_saved")  # session, user
goal_changed = _signals.signal("goal_changed")  # session, user, goal_id (also when it is deleted)
plan_changed = _signals.signal("plan_changed")  # session, user
step_deleting = _signals.signal("step_deleting")  # session, user_id, step_id: before the delete, in its transaction
