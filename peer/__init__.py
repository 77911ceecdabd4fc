"""People: contacts with peer supporters and relatives, invitations, messages, sharing."""
