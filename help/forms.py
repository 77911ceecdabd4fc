"""Forms of help data, and the words for each reason its rules can give."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from core.forms import NaraForm, SaneDateField, choices_from

from .service import FIELDS

MESSAGES = {
    "help_country": _l("Choose Sweden or Denmark."),
    "help_kind": _l("Choose what kind of help this is."),
    "help_name": _l("Give the name."),
    "help_phone": _l("Write the phone number with digits, spaces, + or - only."),
    "help_phone_needed": _l("A line needs a phone number."),
    "help_date": _l("Write the date like 2026-11-23."),
    "csv_header": _l("The first line must name the columns, with at least country, kind and name."),
    "csv_broken": _l("This does not read as a CSV file."),
    "csv_too_many": _l("At most 2,000 rows at a time."),
    "csv_unknown_id": _l("There is no entry with that id."),
    "csv_twice": _l("This entry (the same country, kind and name) is in the file twice."),
    "csv_encoding": _l("This file could not be read. Save it as “CSV UTF-8” and try again."),
    **{
        f"help_{name}_long": _l("This is too long.")
        for name in ("name", "what_for", "region", "phone", "address", "hours", "languages", "source")
    },
}

COUNTRY_NAMES = {"SE": _l("Sweden"), "DK": _l("Denmark")}
KIND_NAMES = {
    "emergency": _l("Emergency"),
    "line": _l("Phone line for crisis or advice"),
    "harm_reduction": _l("Harm reduction and needle exchange"),
    "drop_in": _l("Low-threshold drop-in"),
    "treatment": _l("Treatment"),
    "housing_first": _l("Housing first"),
    "women": _l("For women only"),
    "youth": _l("For young people"),
    "relatives": _l("Support for relatives"),
    "legal": _l("Legal aid and advocates"),
    "peer_run": _l("Run by people with their own experience"),
}
DIRECTORY_KINDS = {k: v for k, v in KIND_NAMES.items() if k not in ("emergency", "line")}


class FriendlyDate(SaneDateField):
    format_message = _l("Write the date like 2026-11-23.")


class ServiceForm(NaraForm):
    country = SelectField(_l("Country"), choices=choices_from(COUNTRY_NAMES), validate_choice=False)
    kind = SelectField(_l("Kind"), choices=choices_from(KIND_NAMES), validate_choice=False)
    name = StringField(_l("Name"), validators=[Length(max=240)])
    what_for = TextAreaField(_l("What it is for"), validators=[Length(max=1000)])
    region = StringField(_l("Region or municipality (empty = the whole country)"), validators=[Length(max=160)])
    phone = StringField(_l("Phone"), validators=[Length(max=60)])
    address = StringField(_l("Address"), validators=[Length(max=400)])
    hours = StringField(_l("Opening hours"), validators=[Length(max=240)])
    languages = StringField(_l("Languages"), validators=[Length(max=240)])
    self_referral = BooleanField(_l("You can come or call without a referral"), default=True)
    hidden = BooleanField(_l("Hidden from users"))
    source = StringField(_l("Source (where this was checked)"), validators=[Length(max=400)])
    last_verified = FriendlyDate(_l("Last verified"), validators=[Optional()])

    def values(self) -> dict:
        """Every column a coordinator edits (the service's FIELDS, but the id)."""
        return {name: getattr(self, name).data for name in FIELDS if name != "id"}


class DirectoryFilter(NaraForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Length(max=200)])
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice("", _l("Any"))] + choices_from(DIRECTORY_KINDS), validate_choice=False
    )
    region = StringField(_l("Region or municipality"), validators=[Length(max=160)])


class ImportForm(NaraForm):
    csv_text = TextAreaField(_l("Paste the CSV here"), validators=[Length(max=500000)])
