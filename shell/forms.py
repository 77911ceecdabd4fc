"""The form of this phone's choices."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import AnyOf

from core.forms import NaraForm, choices_from

from . import device

CHOOSE = _l("Choose one of the options.")


class PhoneForm(NaraForm):
    look = RadioField(
        _l("Name and icon on the home screen"),
        choices=choices_from(device.LOOKS),
        validate_choice=False,
        validators=[AnyOf(list(device.LOOKS), message=CHOOSE)],
    )
    exit = RadioField(
        _l("Quick exit opens"),
        choices=choices_from({key: label for key, (label, _url) in device.EXITS.items()}),
        validate_choice=False,
        validators=[AnyOf(list(device.EXITS), message=CHOOSE)],
    )
    after_exit = RadioField(
        _l("After Quick exit"),
        choices=choices_from(device.AFTER_EXIT),
        description=_l("Without a PIN lock, Quick exit always logs you out."),
        validate_choice=False,
        validators=[AnyOf(list(device.AFTER_EXIT), message=CHOOSE)],
    )
