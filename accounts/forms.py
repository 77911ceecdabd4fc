"""Forms of accounts, and the words for each reason a rule can give."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length

from core.forms import NaraForm, choices_from

from . import passwords
from .service import HANDLE_MAX, LOCALES, TIME_ZONES

MESSAGES = {
    "handle_too_short": _l("Your name here needs at least 3 characters."),
    "handle_too_long": _l("Your name here can have at most 32 characters."),
    "handle_chars": _l("Use letters, digits, dots, dashes or underscores, and start with a letter or digit."),
    "handle_phone": _l("That looks like a phone number. Choose a made-up name instead, so nobody can find you by it."),
    "handle_taken": _l("Someone already uses that name. Try another one, perhaps with a number."),
    "too_short": _l("The password needs at least 10 characters."),
    "too_long": _l("The password can have at most 200 characters."),
    "contains_handle": _l("The password should not contain your name here."),
    "common": _l("That password is too easy to guess. Try a few unrelated words together."),
    "wrong_password": _l("That is not your current password."),
    "bad_recovery": _l("That name and recovery code do not match. Check the code and try again."),
    "bad_login": _l("That name and password do not match. Check them and try again."),
    "locale": _l("Choose one of the languages in the list."),
    "time_zone": _l("Choose one of the time zones in the list."),
    "country": _l("Choose Sweden or Denmark."),
    "no_such_user": _l("Nobody has that name here."),
    "not_a_peer": _l("That account is not a peer supporter."),
    "role": _l("That kind of account cannot be made here."),
    "date_range": _l("Choose a date between 1900 and 2200."),
    "keep_diary": _l("Choose one of the options."),
}


LANGUAGE_NAMES = {"sv": "Svenska", "da": "Dansk", "en": "English"}


def _required():
    return InputRequired(message=_l("Please fill this in."))


class SignUpForm(NaraForm):
    handle = StringField(
        _l("A made-up name"),
        validators=[_required(), Length(max=HANDLE_MAX * 2)],
        description=_l("Not your real name. Others will see this name."),
    )
    password = PasswordField(
        _l("Password"),
        validators=[_required(), Length(max=passwords.MAX_LENGTH * 2)],
        description=_l("At least 10 characters. A few unrelated words work well."),
    )


class LoginForm(NaraForm):
    handle = StringField(_l("Your name here"), validators=[_required(), Length(max=HANDLE_MAX * 2)])
    password = PasswordField(_l("Password"), validators=[_required(), Length(max=passwords.MAX_LENGTH * 2)])


class RecoverForm(NaraForm):
    handle = StringField(_l("Your name here"), validators=[_required(), Length(max=HANDLE_MAX * 2)])
    code = StringField(
        _l("One of your recovery codes"),
        validators=[_required(), Length(max=64)],
        description=_l("Like abcd-efgh-jkmn-pqrs. Each code works once."),
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[_required(), Length(max=passwords.MAX_LENGTH * 2)],
        description=_l("At least 10 characters. A few unrelated words work well."),
    )


class ChangePasswordForm(NaraForm):
    current_password = PasswordField(
        _l("Current password"), validators=[_required(), Length(max=passwords.MAX_LENGTH * 2)]
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[_required(), Length(max=passwords.MAX_LENGTH * 2)],
        description=_l("At least 10 characters. A few unrelated words work well."),
    )


class PasswordConfirmForm(NaraForm):
    password = PasswordField(_l("Your password"), validators=[_required(), Length(max=passwords.MAX_LENGTH * 2)])


class PreferencesForm(NaraForm):
    locale = SelectField(
        _l("Language"), choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in LOCALES], validate_choice=False
    )
    country = SelectField(
        _l("Country, for the help pages"),
        choices=[
            SelectChoice("", _l("From my language")),
            SelectChoice("SE", _l("Sweden")),
            SelectChoice("DK", _l("Denmark")),
        ],
        validate_choice=False,
    )
    time_zone = SelectField(
        _l("Time zone"),
        choices=[SelectChoice(zone, zone.replace("_", " ")) for zone in TIME_ZONES],
        validate_choice=False,
    )


# "Keep my diary for": the stored number of days (None: always) for each choice.
KEEP_FOR = {"always": None, "365": 365, "90": 90}
KEEP_FOR_LABELS = {"always": _l("Always"), "365": _l("1 year"), "90": _l("3 months")}


class KeepDiaryForm(NaraForm):
    keep_for = RadioField(
        _l("Keep my diary for"),
        choices=choices_from(KEEP_FOR_LABELS),
        description=_l("Older entries and check-ins are deleted for good."),
        validate_choice=False,
        validators=[AnyOf(list(KEEP_FOR), message=_l("Choose one of the options."))],
    )

    @staticmethod
    def choice_of(days: int | None) -> str:
        return next((key for key, value in KEEP_FOR.items() if value == days), "always")

    def days(self) -> int | None:
        return KEEP_FOR[self.keep_for.data]


class CodesSavedForm(NaraForm):
    """The way on from the recovery codes: where the person was going (a path in this app)."""

    next = HiddenField()


IDLE_LABELS = {"1": _l("1 minute"), "5": _l("5 minutes"), "15": _l("15 minutes"), "60": _l("1 hour")}


class PinForm(NaraForm):
    pin = PasswordField(
        _l("New PIN"),
        validators=[_required(), Length(max=12)],
        description=_l("4 to 6 digits. Not your bank card's PIN."),
    )
    repeat = PasswordField(_l("The same PIN again"), validators=[_required(), Length(max=12)])
    idle_minutes = SelectField(
        _l("Ask for it when the app has not been used for"),
        validate_choice=False,
        default="5",
        choices=choices_from(IDLE_LABELS),
    )
    password = PasswordField(
        _l("Your password"),
        validators=[_required(), Length(max=passwords.MAX_LENGTH * 2)],
        description=_l("So that only you can set the PIN."),
    )

    def idle_value(self) -> int:
        try:
            return int(self.idle_minutes.data or "")
        except ValueError:
            return 0


class UnlockForm(NaraForm):
    pin = PasswordField(_l("PIN"), validators=[_required(), Length(max=12)])
