"""Forms of notifications and reminders, and the words for each reason its rules give."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length, Optional

from core.forms import NaraForm, choices_from
from diary.forms import FriendlyDateTimeField, MultiCheckboxField

MESSAGES = {
    "quiet_both": _l("Give both a start and an end for quiet hours, or leave both empty."),
    "time_format": _l("Write times like 08:30, separated by commas."),
    "subscription": _l("This device could not be turned on. Please try again."),
    "endpoint": _l("This browser's notification service can't be used here. Another browser may work."),
    "too_many_devices": _l(
        "You can have notifications on at most %(count)s devices. Turn one off below, then try again."
    ),
    "reminder_kind": _l("Choose what the reminder is for."),
    "reminder_title": _l("Give the reminder a name."),
    "reminder_title_long": _l("The name can have at most 80 characters."),
    "reminder_when": _l("Give at least one time of day, or a date and time for a one-off."),
    "reminder_past": _l("That date and time has already passed."),
}

KINDS = {
    "diary": _l("Write in my diary"),
    "checkin": _l("Daily check-in"),
    "goal_step": _l("A goal step"),
    "appointment": _l("An appointment"),
    "medicine": _l("Medicine"),
    "task": _l("An everyday task"),
}
WEEKDAYS = {
    str(i): name
    for i, name in enumerate(
        [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday")]
    )
}


class SettingsForm(NaraForm):
    quiet_start = StringField(_l("Quiet from"), validators=[Length(max=10)], description=_l("For example 22:00"))
    quiet_end = StringField(_l("Quiet until"), validators=[Length(max=10)], description=_l("For example 07:00"))
    show_more = BooleanField(_l("Show what it is about (a message, a reminder) on the lock screen"))


class ReminderForm(NaraForm):
    kind = SelectField(_l("What is it for?"), choices=choices_from(KINDS), validate_choice=False)
    title = StringField(
        _l("Name"), validators=[Length(max=160)], description=_l("Only you see this, never on the lock screen.")
    )
    times = StringField(_l("Times of day"), validators=[Length(max=100)], description=_l("For example 08:00, 20:30"))
    weekdays = MultiCheckboxField(
        _l("Days (none ticked = every day)"), choices=choices_from(WEEKDAYS), validate_choice=False
    )
    once_at = FriendlyDateTimeField(
        _l("Or once, at a date and time (an appointment)"),
        validators=[Optional()],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
