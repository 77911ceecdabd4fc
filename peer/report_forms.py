"""Forms of answering a report (the coordinator's reply and outcome), and the words for
each reason their rules can give."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField

from accounts.rules import register_messages
from core.forms import NaraForm, choices_from

from .reports import OUTCOMES

MESSAGES = {
    "report_reply_empty": _l("Write something before you send."),
    "report_reply_long": _l("A reply can have at most 2,000 characters."),
    "report_not_opened": _l("This report opens for you once another coordinator has visited the app again."),
    "report_outcome": _l("Choose how the report ended."),
}
register_messages(MESSAGES)


class ReportReplyForm(NaraForm):
    # The length (REPLY_MAX) is the service's rule, said in the person's language.
    reply = TextAreaField(_l("Your reply to the person who reported"))


class ReportCloseForm(NaraForm):
    outcome = RadioField(_l("How did it end?"), choices=choices_from(OUTCOMES), validate_choice=False)
