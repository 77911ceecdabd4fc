"""Forms of accounts, and the words for each reason a rule can give."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict
from wtforms import DateField, DateTimeLocalField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from . import passwords
from .rules import clean_text, sane_date
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
}


LANGUAGE_NAMES = {"sv": "Svenska", "da": "Dansk", "en": "English"}


_FROM_REQUEST = object()
SUBMIT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _form_body():
    """What a form reads from a request: the form fields and files of its body, and never
    a JSON body (Flask-WTF would read JSON too: a string, a huge number or a deeply nested
    array there is not a form). None when nothing was sent, so the defaults apply."""
    if not has_request_context() or request.method not in SUBMIT_METHODS:
        return None
    if request.files:
        return CombinedMultiDict((request.files, request.form))
    return request.form or None


class NaraForm(FlaskForm):
    """The base of every form in the app: reads form bodies only, and cleans text input
    (every field, lists of values too) before any rule sees it."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", ())) + [clean_text]
            return unbound_field.bind(form=form, filters=filters, **options)

    def __init__(self, formdata=_FROM_REQUEST, **kwargs):
        super().__init__(formdata=_form_body() if formdata is _FROM_REQUEST else formdata, **kwargs)


ID_MAX = 2**31 - 1  # the largest key a row can have (as the <id:...> URL converter allows)


def db_id(value) -> int:
    """The coerce of a field that names rows (ticked messages, contacts, goals): a whole
    number a key can hold. Anything else is refused as a choice that is not on offer, before
    it reaches a query (SQLite cannot take numbers past 64 bits, nor PostgreSQL past 32)."""
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and 0 < int(text) <= ID_MAX):
        raise ValueError(value)
    return int(text)


def db_id_text(value) -> str:
    """db_id, kept as text for a field whose choices are text."""
    return str(db_id(value))


_YEAR_FIRST = re.compile(r"\s*[+-]?(\d+)-")


class _SaneDates:
    """Shared by every date and date-and-time field: a clear complaint in the person's
    language when the value cannot be read, and a date outside 1900-2200 refused."""

    format_message = _l("Write the date like 2027-03-31, or leave it empty.")

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            year = _YEAR_FIRST.match(valuelist[0] if valuelist else "")
            if year and not 1900 <= int(year.group(1)[:6]) <= 2200:  # readable, only far away (99999-12-31)
                raise ValueError(MESSAGES["date_range"]) from None
            raise ValueError(self.format_message) from None
        if not sane_date(self.data):
            self.data = None
            raise ValueError(MESSAGES["date_range"])


class SaneDateField(_SaneDates, DateField):
    """A date between 1900 and 2200."""


class SaneDateTimeField(_SaneDates, DateTimeLocalField):
    """A date and time between 1900 and 2200."""

    format_message = _l("Write the date and time like 2027-03-31 14:30.")


ONCE_KEY = re.compile(r"[A-Za-z0-9-]{8,40}")


class OnceKeyMixin:
    """A form that a page may send twice (a double tap, a retry after a lost answer, a phone
    that was offline) carries a one-time key: the service stores the key with the row, and
    the same key again gives back the row already saved instead of a second one."""

    client_key = HiddenField()

    def key(self) -> str | None:
        value = self.client_key.data or ""
        return value if ONCE_KEY.fullmatch(value) else None

    def fresh_key(self):
        """A new form gets a fresh key; a form shown again with a mistake keeps its own."""
        if not self.key():
            self.client_key.data = uuid.uuid4().hex
        return self


def stored_local_time(value: str | None) -> datetime | None:
    """A stored local date and time ("2027-03-31T14:30") for a form; a value that cannot be
    read (as an older version stored for years before 1000) leaves the field empty."""
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def choices_from(mapping) -> list[SelectChoice]:
    """Options for a select or radio field from a {stored key: words} mapping."""
    return [SelectChoice(key, label) for key, label in mapping.items()]


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


class ApprovePeerForm(NaraForm):
    """Only the CSRF token: the peer is named by the URL."""


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
