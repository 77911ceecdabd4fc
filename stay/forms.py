"""Forms of "Stay with me", and the words for each reason its rules can give."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from core.forms import NaraForm, OnceKeyMixin
from diary.forms import MultiCheckboxField

MESSAGES = {
    "stay_running": _l("Stay with me is already on. You can end it or add time below."),
    "stay_minutes": _l("Choose how long: between 5 and 240 minutes."),
    "stay_nobody": _l("Choose at least one person who is told if you do not answer."),
    "stay_note_long": _l("The note can have at most 500 characters."),
    "stay_told": _l("Your people have already been told. Tap “I'm OK” to let them know."),
    "stay_over": _l("Stay with me has already ended."),
    "stay_ok_now": _l("They are OK now. Stay with me has ended."),
    "stay_busy": _l("Something changed at the same moment. Please try again."),
    "stay_profile_first": _l("Fill in your profile first."),
}

OTHER = "other"


class StartForm(OnceKeyMixin, NaraForm):
    minutes = RadioField(
        _l("How long?"),
        choices=[
            SelectChoice("10", _l("10 minutes")),
            SelectChoice("20", _l("20 minutes")),
            SelectChoice("30", _l("30 minutes")),
            SelectChoice("60", _l("1 hour")),
            SelectChoice(OTHER, _l("Another time")),
        ],
        default="20",
        validate_choice=False,
    )
    other_minutes = StringField(
        _l("Minutes (5 to 240)"),
        validators=[Optional(), Length(max=10)],
        description=_l("Only if you chose another time."),
    )
    people = MultiCheckboxField(_l("Who is told if you do not answer?"), choices=[], validate_choice=False)
    note = TextAreaField(
        _l("Where you are and how to get in (optional)"),
        validators=[Length(max=1000)],
        description=_l("Only the people you choose can read this. For example: the address, the door code."),
    )
    to_duty = BooleanField(_l("If nobody answers, also tell the peer supporters on duty"))

    def chosen_minutes(self) -> int | None:
        value = self.minutes.data
        if value == OTHER:
            value = (self.other_minutes.data or "").strip()
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def chosen_people(self) -> set[int]:
        found = set()
        for value in self.people.data or []:
            try:
                number = int(value)
            except (TypeError, ValueError):
                continue
            if 0 < number < 2**31:
                found.add(number)
        return found


class DutyForm(NaraForm):
    on = BooleanField(_l("On duty for Stay with me"))
