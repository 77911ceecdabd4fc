"""Forms of self-management, and the words for each reason its rules can give."""

from __future__ import annotations

from datetime import datetime, timezone

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import NaraForm, OnceKeyMixin, SaneDateField, SaneDateTimeField, choices_from

from . import vocab
from .entries import ANSWER_MAX, STRENGTH_MAX, TEXT_MAX

MESSAGES = {
    "empty_entry": _l("Write a few words, choose a mood or a strength: any one of them is enough."),
    "mood": _l("Choose one of the moods."),
    "text_too_long": _l("That is longer than an entry can hold (10,000 characters). Split it into two entries?"),
    "answer_too_long": _l("One of the answers is longer than 2,000 characters. Shorten it a little?"),
    "strength_too_long": _l("A strength can have at most 40 characters."),
    "too_many_strengths": _l("Choose at most 12 strengths for one entry."),
    "goal_kind": _l("Choose what kind of goal this is."),
    "goal_area": _l("Choose the part of life this goal is about."),
    "goal_title": _l("Give the goal a name, in your own words."),
    "goal_title_long": _l("The name can have at most 120 characters."),
    "goal_why_long": _l("This can have at most 2,000 characters."),
    "goal_date": _l("Choose a date between 2000 and 2100, or leave it empty."),
    "goal_status": _l("Choose one of the options."),
    "step_empty": _l("Write the step in a few words."),
    "step_long": _l("A step can have at most 200 characters."),
    "steps_many": _l("A goal can have at most 30 steps."),
    "outcome": _l("Choose how it went."),
    "note_long": _l("The note can have at most 1,000 characters."),
    "checkin_mood": _l("Choose how you feel, from very low to very good."),
    "checkin_craving": _l("Choose a number from 0 to 10."),
    "checkin_sleep": _l("Choose how you slept."),
    "checkin_good_long": _l("This can have at most 500 characters."),
}


# Every date and date-and-time field of the app is one of the shared ones (1900-2200).
FriendlyDateField = SaneDateField
FriendlyDateTimeField = SaneDateTimeField


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return -1  # refused with a clear message by the service


class EntryForm(OnceKeyMixin, NaraForm):
    # "No mood this time" lets a mood chosen earlier be taken back when editing.
    mood = RadioField(
        _l("How do you feel?"),
        choices=[SelectChoice(str(k), v) for k, v in vocab.MOODS.items()]
        + [SelectChoice("none", _l("No mood this time"))],
        validate_choice=False,
        validators=[Optional()],
    )
    text = TextAreaField(_l("Anything you want to write"), validators=[Length(max=TEXT_MAX * 2)])
    # A question to write about, if the person likes: chosen, what they write is its answer.
    prompt = RadioField(
        _l("Something to write about, if you like"), choices=[], validate_choice=False, validators=[Optional()]
    )
    strengths = MultiCheckboxField(_l("Strengths you used"), choices=[], validate_choice=False)
    own_strengths = StringField(
        _l("Other strengths, in your own words"),
        description=_l("Separate them with commas."),
        validators=[Length(max=STRENGTH_MAX * 30)],
    )

    # Set by the page (when it waited on the phone): the time it was written, in milliseconds
    # since 1970. The one-time key comes from OnceKeyMixin.
    written_at = HiddenField()

    def answer_fields(self):
        return {key: getattr(self, f"answer_{key}") for key in vocab.PROMPTS}

    def written_time(self) -> datetime | None:
        try:
            return datetime.fromtimestamp(int(self.written_at.data or "") / 1000, tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            return None

    def _prompt_answered(self) -> str | None:
        """The chosen prompt, when the words in the big box answer it (and no answer field does)."""
        key = self.prompt.data
        if key in vocab.PROMPTS and (self.text.data or "").strip():
            if not (self.answer_fields()[key].data or "").strip():
                return key
        return None

    def entry_text(self) -> str:
        return "" if self._prompt_answered() else (self.text.data or "")

    def answers(self) -> dict[str, str]:
        answers = {key: field.data or "" for key, field in self.answer_fields().items()}
        if key := self._prompt_answered():
            answers[key] = self.text.data
        return answers

    def mood_value(self):
        return None if self.mood.data == "none" else _int_or_none(self.mood.data)

    def strength_names(self) -> list[str]:
        own = [part for part in (self.own_strengths.data or "").split(",")]
        return list(self.strengths.data or []) + own


for _key, _label in vocab.PROMPTS.items():
    setattr(EntryForm, f"answer_{_key}", TextAreaField(_label, validators=[Length(max=ANSWER_MAX * 2)]))


class CheckInForm(NaraForm):
    """Today's check-in. The mood comes from one of five buttons (a tap saves it); the rest is
    "Add more". A field that is not sent keeps what was saved earlier today."""

    mood = RadioField(
        _l("How are you today?"),
        choices=[SelectChoice(str(k), v) for k, v in vocab.MOODS.items()],
        validate_choice=False,
        validators=[Optional()],
    )
    craving = RadioField(
        _l("Craving right now, from 0 (none) to 10 (very strong)"),
        choices=[SelectChoice(str(n), str(n)) for n in range(11)],
        validate_choice=False,
        validators=[Optional()],
    )
    sleep = RadioField(
        _l("How did you sleep?"), choices=choices_from(vocab.SLEEP), validate_choice=False, validators=[Optional()]
    )
    # "Rather not say" lets an answer given earlier today be taken back.
    use = RadioField(
        _l("Have you used anything today? (You can skip this)"),
        choices=choices_from(vocab.USE) + [SelectChoice("skip", _l("I would rather not say"))],
        validate_choice=False,
        validators=[Optional()],
    )
    good_thing = StringField(_l("One thing that went well"), validators=[Length(max=1000)])


class GoalForm(NaraForm):
    kind = RadioField(
        _l("What kind of goal?"), choices=choices_from(vocab.GOAL_KINDS), validate_choice=False, validators=[Optional()]
    )
    area = SelectField(
        _l("Part of life (for a life goal)"),
        choices=[SelectChoice("", _l("Choose"))] + choices_from(vocab.LIFE_AREAS),
        validate_choice=False,
    )
    title = StringField(
        _l("The goal, in your own words"),
        validators=[Length(max=240)],
        description=_l("For example: Only on weekends. Never use alone. Find a flat of my own."),
    )
    why = TextAreaField(_l("Why it matters to me"), validators=[Length(max=4000)])
    target_date = FriendlyDateField(_l("By when, if you like (optional)"), validators=[Optional()])
    steps = TextAreaField(_l("Small steps, one per line (optional)"), validators=[Length(max=7000)])


class StepForm(NaraForm):
    step = StringField(_l("A new small step"), validators=[Length(max=400)])


class GoalCheckInForm(OnceKeyMixin, NaraForm):
    outcome = RadioField(
        _l("How did it go today?"), choices=choices_from(vocab.OUTCOMES), validate_choice=False, validators=[Optional()]
    )
    note = TextAreaField(_l("A note, if you like"), validators=[Length(max=2000)])


class StatusForm(NaraForm):
    status = SelectField(_l("Status"), choices=choices_from(vocab.GOAL_STATUSES), validate_choice=False)


STEP_MESSAGES = {
    "step_kind": _l("Choose what kind of step this is."),
    "step_title": _l("Write the step in a few words."),
    "step_too_long": _l("One of the fields is too long. Shorten it a little?"),
    "step_phone": _l("Write the phone number with digits, spaces, + or - only."),
}

STEP_KINDS = {
    "appointment": _l("An appointment"),
    "after_treatment": _l("After a treatment ends"),
    "after_prison": _l("After prison"),
    "after_placement": _l("After a placement ends"),
    "other": _l("Something else"),
}


class NextStepForm(NaraForm):
    kind = SelectField(_l("What kind of step?"), choices=choices_from(STEP_KINDS), validate_choice=False)
    title = StringField(
        _l("The step, in your own words"),
        validators=[Length(max=240)],
        description=_l("For example: Meeting at social services about housing."),
    )
    when = FriendlyDateTimeField(
        _l("When (optional)"), validators=[Optional()], format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
    )
    who = StringField(
        _l("Who is involved (optional)"),
        validators=[Length(max=400)],
        description=_l("For example social services, healthcare, psychiatry, probation, housing."),
    )
    phone = StringField(_l("Who to call (optional)"), validators=[Length(max=60)])
    note = TextAreaField(_l("Notes (optional)"), validators=[Length(max=2000)])
