"""Forms of drug-supply warnings, and the words for each reason their rules can give."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from core.forms import NaraForm, OnceKeyMixin, SaneDateField
from diary.forms import MultiCheckboxField

from .service import REGIONS

MESSAGES = {
    "supply_area": _l("Choose where the warning is for."),
    "supply_found_needed": _l("Write what was found."),
    "supply_advice_needed": _l("Write what people can do to stay safer."),
    "supply_source_name_needed": _l("Write who the information comes from."),
    "supply_source_url_needed": _l("Write the web address of the source."),
    "supply_source_url": _l("Write the web address in full, starting with https://"),
    "supply_ends_needed": _l("Write the last day the warning is shown, like 2027-03-31."),
    "supply_ends_past": _l("The last day cannot be before today."),
    "supply_ends_far": _l("The last day can be at most 90 days from today. You can make it longer later."),
    "supply_too_long": _l("This is too long."),
}

COUNTRY_WHOLE = {"SE": _l("All of Sweden"), "DK": _l("All of Denmark")}
COUNTRY_SHORT = {"SE": _l("Sweden"), "DK": _l("Denmark")}


def area_name(area: str) -> str:
    """An area in words: "All of Sweden", or a region with its country: "Skåne, Sweden"."""
    if area in COUNTRY_WHOLE:
        return str(COUNTRY_WHOLE[area])
    country = area.split("-")[0]
    return f"{REGIONS.get(country, {}).get(area, area)}, {COUNTRY_SHORT.get(country, country)}"


def area_choices() -> list[SelectChoice]:
    return [SelectChoice(area, area_name(area)) for country in REGIONS for area in (country, *REGIONS[country])]


class EndDayField(SaneDateField):
    """The end day a warning must have."""

    format_message = _l("Write the last day the warning is shown, like 2027-03-31.")


class WarningForm(OnceKeyMixin, NaraForm):
    area = SelectField(_l("Where is it for?"), validate_choice=False)
    found = TextAreaField(
        _l("What was found"),
        description=_l("For example: pills sold as oxycodone that hold a much stronger opioid."),
        validators=[Length(max=1000)],
    )
    place = StringField(
        _l("Where (town, area or place)"), description=_l("You can leave this empty."), validators=[Length(max=400)]
    )
    advice = TextAreaField(_l("What to do"), validators=[Length(max=2000)])
    source_name = StringField(_l("Source: who says so"), validators=[Length(max=240)])
    source_url = StringField(_l("Source: web address"), validators=[Length(max=600)])
    ends_on = EndDayField(
        _l("Last day it is shown"),
        description=_l("At most 90 days from today. After this day it moves to past warnings by itself."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = area_choices()

    def values(self) -> dict:
        return {
            name: getattr(self, name).data
            for name in ("area", "found", "place", "advice", "source_name", "source_url", "ends_on")
        }


class ChoiceForm(NaraForm):
    areas = MultiCheckboxField(
        _l("Show me warnings for"),
        description=_l("Choose your country, or only the regions you spend time in. Choose none to see none."),
        validate_choice=False,
    )
    notify = BooleanField(_l("Send me a notification when there is a new warning"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas.choices = area_choices()
