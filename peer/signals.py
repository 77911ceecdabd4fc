"""What happens between people, for whoever wants to know (push delivery listens).

`peer` sends these and never imports `push`. Every signal is sent after the commit, with
the ids a listener needs and nothing more."""

from blinker import Namespace

_signals = Namespace()

message_created = _signals.signal("message_created")  # message_id, contact_id, recipient_id
messages_read = _signals.signal("messages_read")  # contact_id, recipient_id (whose messages were seen)
contact_requested = _signals.signal("contact_requested")  # contact_id, recipient_id
contact_accepted = _signals.signal("contact_accepted")  # contact_id, recipient_id
support_alert_raised = _signals.signal("support_alert_raised")  # alert_id, recipient_ids, urls (by recipient)
invitation_accepted = _signals.signal("invitation_accepted")  # contact_id, recipient_id (the client)
release_checkin_due = _signals.signal("release_checkin_due")  # contact_id, recipient_id (the peer supporter)
handover_proposed = _signals.signal("handover_proposed")  # handover_id, recipient_id (the client)
handover_joined = _signals.signal("handover_joined")  # contact_id, recipient_id (the colleague, a new person)
debrief_requested = _signals.signal("debrief_requested")  # request_id, recipient_ids (the coordinators)
report_answered = _signals.signal("report_answered")  # report_id, recipient_id (the reporter)
