"""The base every form of the app stands on, and the fields several packages share: form
bodies only (never JSON), text cleaned of NUL and control characters, dates within a sane
range, ids a key can hold, and the one-time key of a form a page may send twice."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict
from wtforms import DateField, DateTimeLocalField, HiddenField
from wtforms.fields.choices import SelectChoice

from accounts.rules import clean_text, message_for, sane_date

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


class TokenOnlyForm(NaraForm):
    """Only the CSRF token: what the form does, and to what, is named by its URL (approve,
    delete, end, block, mark done)."""


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
                raise ValueError(message_for("date_range")) from None
            raise ValueError(self.format_message) from None
        if not sane_date(self.data):
            self.data = None
            raise ValueError(message_for("date_range"))


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
