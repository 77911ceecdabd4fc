"""The forms of a meeting, and the words for what its rules refuse. Lengths are checked by
the rules (meetings/service.py), which say it with the number in the person's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from core.forms import NaraForm, OnceKeyMixin, SaneDateField, choices_from
from diary.forms import MultiCheckboxField

KIND_NAMES = {
    "social": _l("Social services"),
    "sip": _l("A care planning meeting (SIP)"),
    "hearing": _l("A hearing"),
    "probation": _l("The prison and probation service"),
    "jobcentre": _l("The job centre or the municipality"),
    "health": _l("Health care"),
    "other": _l("Something else"),
}

ROLE_NAMES = {
    "be_there": _l("Just be there with me"),
    "notes": _l("Take notes"),
    "speak": _l("Speak for me if I ask"),
}

MESSAGES = {
    "meeting_kind": _l("Choose one of the kinds of meeting, or leave it empty."),
    "meeting_too_long": _l("This can have at most 2,000 characters. Shorten it a little and save again."),
    "meeting_received_future": _l("That day has not come yet. Write the day the decision reached you."),
    "along_peer": _l("Choose one of your peer supporters."),
    "along_place_long": _l("The place can have at most 300 characters."),
    "along_role": _l("Choose at least one thing you would like them to do."),
    "along_when": _l("Give the appointment a day and a time first, so they know when to come."),
    "along_already": _l("You have already asked someone. Take that question back first."),
    "along_no_time": _l("They have taken the time off this meeting. You can answer once it has a time again."),
    "along_passed": _l("This meeting has already started, so it cannot be answered any more."),
}


class PrepareForm(NaraForm):
    kind = SelectField(_l("What kind of meeting?"), choices=[], validate_choice=False)
    say = TextAreaField(
        _l("What I want to say"), description=_l("For example: what has been hard, what has gone well lately.")
    )
    ask = TextAreaField(_l("What I want to ask"), description=_l("For example: what happens next, and when?"))
    want = TextAreaField(_l("What I want to happen"), description=_l("In your own words. It is your meeting too."))
    bring = TextAreaField(
        _l("What I bring"), description=_l("For example: ID, letters, my list of medicines, someone with me.")
    )
    remind = BooleanField(_l("Remind me the day before and two hours before"))

    def with_kinds(self) -> PrepareForm:
        self.kind.choices = [("", _l("Choose (optional)"))] + choices_from(KIND_NAMES)
        return self


class AfterForm(NaraForm):
    decided = TextAreaField(_l("What was decided?"))
    next_who = TextAreaField(
        _l("Who does what next?"), description=_l("For example: I send my papers by Friday; my contact calls me.")
    )
    received_on = SaneDateField(
        _l("The day I got the decision (optional)"),
        validators=[Optional()],
        description=_l("The deadline for an appeal counts from this day."),
    )
    country = SelectField(_l("Whose rules count the deadline?"), choices=[], validate_choice=False)
    remind_deadline = BooleanField(_l("Remind me a week and two days before the deadline"))


class AskForm(OnceKeyMixin, NaraForm):
    peer = SelectField(_l("Who would you like to ask?"), choices=[], validate_choice=False)
    place = StringField(
        _l("Where is the meeting?"), description=_l("As you would tell them: an address, a building, a room.")
    )
    roles = MultiCheckboxField(_l("What would you like from them?"), choices=[], validate_choice=False)
    note = TextAreaField(_l("Anything else they should know (optional)"))
    share_prep = BooleanField(_l("Let them see how I prepared"))
    client_key = HiddenField()

    def with_choices(self, peers: dict[int, str]) -> AskForm:
        self.peer.choices = [(str(key), name) for key, name in peers.items()]
        self.roles.choices = choices_from(ROLE_NAMES)
        return self
