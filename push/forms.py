"""Forms of notifications and reminders, and the words for each reason its rules give."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from core.forms import NaraForm, choices_from
from diary.forms import FriendlyDateTimeField, MultiCheckboxField

from .times import MAX_ENTRIES, MAX_TIME_LENGTH, MAX_TIMES, TimeError, parse_time, pieces

MESSAGES = {
    "quiet_both": _l("Give both a start and an end for quiet hours, or leave both empty."),
    "time_format": _l("Write a time like 8:30, 0830 or 20."),
    "time_hour": _l("A day's hours go from 0 to 23. Write a time like 8:30 or 20:00."),
    "time_minute": _l("Minutes go from 00 to 59. Write a time like 8:30."),
    "time_long": _l("That is too long to be a time. Write a time like 8:30."),
    "times_too_many": _l("A reminder can have at most %(count)s times.", count=MAX_TIMES),
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


class TimesField(Field):
    """Several times of day, each in its own field (`<input type="time">`, or text where a
    browser has no time field), all with the same name; the template draws them, and each
    is read by push/times.py."""

    def process_formdata(self, valuelist):
        self.data = list(valuelist)

    def _value(self):
        return ""

    @property
    def slots(self) -> list[tuple[str, bool]]:
        """The fields to show, as (value, readable): each time given once in its own field,
        as "08:30" when it could be read (a time field shows nothing else) and as written
        when not (shown in a text field, to be corrected); at least one field, empty."""
        data = self.data if isinstance(self.data, list) else [self.data or ""]
        shown = []
        for value in data[:MAX_ENTRIES]:
            try:
                found = pieces(str(value))
            except TimeError:
                shown.append((str(value)[:MAX_TIME_LENGTH], False))
                continue
            for piece in found:
                try:
                    shown.append((parse_time(piece).strftime("%H:%M"), True))
                except TimeError:
                    shown.append((piece, False))
        return shown[:MAX_ENTRIES] or [("", True)]

    def pre_validate(self, form):
        # The values as sent, before NUL and control characters are cleaned away: a time
        # that had them is refused, not quietly read as another one.
        sent = getattr(self, "raw_data", None)
        sent = sent if sent is not None else self.data or []
        if len(sent) > MAX_ENTRIES:
            raise ValidationError(MESSAGES["times_too_many"])
        for value in sent:
            try:
                for piece in pieces(value):
                    parse_time(piece)
            except TimeError as error:
                raise ValidationError(MESSAGES[error.code]) from None


class ReminderForm(NaraForm):
    kind = SelectField(_l("What is it for?"), choices=choices_from(KINDS), validate_choice=False)
    title = StringField(
        _l("Name"), validators=[Length(max=160)], description=_l("Only you see this, never on the lock screen.")
    )
    times = TimesField(_l("Times of day"), description=_l("Up to %(count)s times a day.", count=MAX_TIMES))
    weekdays = MultiCheckboxField(
        _l("Days (none ticked = every day)"), choices=choices_from(WEEKDAYS), validate_choice=False
    )
    once_at = FriendlyDateTimeField(
        _l("Or once, at a date and time (an appointment)"),
        validators=[Optional()],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
