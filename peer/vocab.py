"""Words of the people side: topics, genders and languages a peer supporter can name."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TOPICS = {
    "opioids": _l("Opioids"),
    "stimulants": _l("Stimulants"),
    "cannabis": _l("Cannabis"),
    "alcohol": _l("Alcohol and drugs"),
    "prison": _l("After prison"),
    "treatment": _l("After treatment"),
    "women": _l("Women only"),
    "lgbtq": _l("LGBTQ+"),
    "parents": _l("Parents"),
    "young": _l("Young adults"),
}
GENDERS = {
    "woman": _l("Woman"),
    "man": _l("Man"),
    "nonbinary": _l("Non-binary"),
    "unsaid": _l("Prefer not to say"),
}
# Languages are named in themselves, as a person who speaks them would look for them.
LANGUAGES = {
    "sv": "Svenska",
    "da": "Dansk",
    "en": "English",
    "no": "Norsk",
    "fi": "Suomi",
    "ar": "العربية",
    "fa": "فارسی",
    "so": "Soomaali",
    "pl": "Polski",
    "ti": "ትግርኛ",
    "es": "Español",
    "de": "Deutsch",
}
