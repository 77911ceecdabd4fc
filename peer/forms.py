"""Forms of the people side, and the words for each reason its rules can give."""

from __future__ import annotations

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from core.forms import NaraForm, OnceKeyMixin, choices_from, db_id, db_id_text
from diary.forms import MultiCheckboxField

from .vocab import GENDERS, LANGUAGES, TOPICS

MESSAGES = {
    "profile_name": _l("Write the name people will see."),
    "profile_name_long": _l("The name can have at most 60 characters."),
    "profile_about_long": _l("This can have at most 1,500 characters."),
    "profile_hours_long": _l("This can have at most 200 characters."),
    "profile_gender": _l("Choose one of the options."),
    "profile_languages": _l("Choose at least one language you can talk in."),
    "away_note_long": _l("The note can have at most 200 characters."),
    "caseload_number": _l("Write a whole number from 1 to 200, or leave it empty for no limit."),
    "hours_days": _l("Choose the days you usually answer."),
    "hours_time": _l("Write a time like 09:00."),
    "hours_same": _l("The end has to be another time than the start."),
    "peer_full": _l(
        "This peer supporter has just reached the number of people they can carry, so they are not taking new "
        "people right now. Nothing was sent. Another peer supporter will be glad to hear from you."
    ),
    "peer_unavailable": _l("This peer supporter does not take new people right now. Please choose another."),
    "request_note_long": _l("The note can have at most 500 characters."),
    "already_contact": _l("You already have a contact or a request with this person."),
    "not_pending": _l("This request has already been answered."),
    "not_open": _l("This contact has already ended."),
    "contact_closed": _l("This conversation has ended, so no new messages can be sent."),
    "message_empty": _l("Write something before you send."),
    "message_long": _l("A message can have at most 4,000 characters. Split it into two?"),
    "alert_note_long": _l("The note can have at most 300 characters."),
    "report_reason_long": _l("This can have at most 1,000 characters."),
    "report_empty": _l("Choose at least one message, or say in a few words what happened."),
}


class ProfileForm(NaraForm):
    display_name = StringField(_l("Name shown to others"), validators=[Length(max=120)])
    about = TextAreaField(_l("About my own experience, in my own words"), validators=[Length(max=3000)])
    topics = MultiCheckboxField(_l("What I can talk about"), choices=choices_from(TOPICS), validate_choice=False)
    gender = RadioField(_l("Gender"), choices=choices_from(GENDERS), validate_choice=False, validators=[Optional()])
    languages = MultiCheckboxField(
        _l("Languages I can talk in"), choices=choices_from(LANGUAGES), validate_choice=False
    )
    hours = StringField(
        _l("More about when I answer (optional)"),
        validators=[Length(max=400)],
        description=_l("For example: some evenings too, or not in July."),
    )
    taking_new = BooleanField(_l("I take new people"))
    caseload = StringField(
        _l("How many people can you carry at once?"),
        validators=[Length(max=20)],
        description=_l(
            "When you carry that many, you are not offered to new people until someone leaves. Empty: no limit."
        ),
    )
    usual_days = MultiCheckboxField(_l("Days I usually answer"), choices=[], validate_choice=False)
    usual_from = StringField(_l("From"), validators=[Length(max=20)])
    usual_to = StringField(_l("To"), validators=[Length(max=20)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.usual_days.choices = day_choices()


def day_choices() -> list[SelectChoice]:
    """Monday (0) to Sunday (6), named in the reader's language."""
    names = get_day_names("wide", context="stand-alone", locale=str(get_locale() or "en"))
    return [SelectChoice(str(day), names[day]) for day in range(7)]


class AvailabilityForm(NaraForm):
    away_note = StringField(_l("A note while you are away (optional)"), validators=[Length(max=400)])


class FilterForm(NaraForm):
    class Meta:
        csrf = False

    gender = SelectField(
        _l("Gender"), choices=[SelectChoice("", _l("Any"))] + choices_from(GENDERS), validate_choice=False
    )
    language = SelectField(
        _l("Language"), choices=[SelectChoice("", _l("Any"))] + choices_from(LANGUAGES), validate_choice=False
    )
    topic = SelectField(
        _l("Topic"), choices=[SelectChoice("", _l("Any"))] + choices_from(TOPICS), validate_choice=False
    )


class RequestForm(NaraForm):
    note = TextAreaField(
        _l("A short note, if you like"),
        validators=[Length(max=1000)],
        description=_l("For example what you would like to talk about. You can leave it empty."),
    )


class MessageForm(OnceKeyMixin, NaraForm):
    body = TextAreaField(_l("Message"), validators=[Length(max=8000)])


class AlertForm(NaraForm):
    note = StringField(_l("A few words, if you like (optional)"), validators=[Length(max=600)])


class ShareForm(NaraForm):
    contacts = MultiCheckboxField(_l("Share with"), choices=[], validate_choice=False, coerce=db_id)


class ReportForm(NaraForm):
    messages = MultiCheckboxField(_l("Messages to include"), choices=[], validate_choice=False, coerce=db_id)
    reason = TextAreaField(_l("What happened (optional)"), validators=[Length(max=2000)])


MORE_MESSAGES = {
    "invite_label": _l("Write who this is for you, for example “Mum” or “my brother”."),
    "invite_label_long": _l("This can have at most 60 characters."),
    "invite_from_name_long": _l("This can have at most 60 characters."),
    "invite_note_long": _l("The line can have at most 300 characters."),
    "invite_unknown": _l("We do not know that code. Check it, or ask for a new invitation."),
    "invite_used": _l("This invitation has already been used. Ask for a new one if you need it."),
    "invite_expired": _l("This invitation is more than 7 days old and no longer works. Ask for a new one."),
    "invite_not_for_you": _l("This invitation cannot be accepted with this account."),
    "messaging_off": _l("Messages are switched off for this link."),
    "note_empty": _l("Write something before you save."),
    "note_long_relative": _l("A note can have at most 5,000 characters."),
    "link_waiting": _l(
        "This conversation opens for you once the other person has visited the app again. Please try a little later."
    ),
}


class ConsentForm(NaraForm):
    share_checkin = BooleanField(_l("How I am doing (today's check-in as a simple sign, no numbers)"))
    goals = MultiCheckboxField(_l("The progress of these goals"), choices=[], validate_choice=False, coerce=db_id_text)
    alerts = BooleanField(_l("My “I need support now” alerts"))
    messaging = BooleanField(_l("Messages between us"))


class InviteForm(ConsentForm):
    label = StringField(
        _l("Who is this for you?"),
        validators=[Length(max=120)],
        description=_l("For example “Mum” or “my brother”. Only you and they see it."),
    )
    from_name = StringField(
        _l("Your name, as they know you (optional)"),
        validators=[Length(max=120)],
        description=_l("For example “Anna”. Empty: the invitation says “someone close to you”."),
    )
    note = TextAreaField(
        _l("A few words to them (optional)"),
        validators=[Length(max=600)],
        description=_l("At most 300 characters. They read it when they open the link; only the link opens it."),
    )


class CodeForm(NaraForm):
    code = StringField(_l("Invitation code"), validators=[Length(max=40)], description=_l("Like ABCDE-FGHJK."))


class NoteForm(NaraForm):
    text = TextAreaField(_l("A new note"), validators=[Length(max=10000)])


class DebriefForm(NaraForm):
    """No free text on purpose: nothing here can name a client."""

    soon = RadioField(_l("How soon would you like to talk?"), choices=[], validate_choice=False)
    how = RadioField(_l("How would you like to talk?"), choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs):
        from .debrief import HOW, SOON

        super().__init__(*args, **kwargs)
        self.soon.choices, self.how.choices = choices_from(SOON), choices_from(HOW)
