"""Views of the plan for the first weeks after a release or discharge (peer/release.py)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField

from accounts.permissions import loads
from accounts.rules import attempt
from core.forms import NaraForm
from diary.forms import MultiCheckboxField
from extensions import db, render

from . import release
from .blueprint import bp, client_only

MESSAGES = {
    "release_peer": _l("Choose one of your peer supporters, or nobody."),
}

CHECKLIST_WORDS = {
    "naloxone": _l("I have naloxone, and the people around me know where it is"),
    "who_to_call": _l("I know who to call, day and night"),
    "sleep": _l("I know where I will sleep the first nights"),
    "appointments": _l("I have my first appointments (health care, social services, my treatment)"),
}

# The sources of the warning about tolerance, named with the page they are on.
TOLERANCE_SOURCES = (
    ("Helsenorge (Helsedirektoratet, Norge)", "https://www.helsenorge.no/rus-og-avhengighet/forebygging-av-overdose/"),
    (
        "Sveriges riksdag, motion 2020/21:1860",
        "https://riksdagen.se/sv/dokument-lagar/dokument/motion/forebygg-overdoser-efter-frigivning-fran-hakte_H8021860",
    ),
)


class ReleasePlanForm(NaraForm):
    checklist = MultiCheckboxField(_l("Before the day, and the first days"), choices=[], validate_choice=False)
    peer = SelectField(_l("Who checks in on you?"), choices=[], validate_choice=False)
    days = MultiCheckboxField(_l("Check-ins"), choices=[], validate_choice=False)


def _peer_id(value: str | None) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1


@bp.route("/next-steps/<id:step_id>/plan", methods=["GET", "POST"])
@client_only
@loads("step", release.release_step)
def release_plan(step):
    plan = release.plan_of(db.session, step)
    peers = release.peer_choices(db.session, current_user)
    checkins = release.checkin_days(step)
    if request.method == "GET":
        form = ReleasePlanForm(
            formdata=None,
            checklist=sorted(release.ticked(plan)),
            peer=str(plan.contact_id) if plan and plan.contact_id in peers else "",
            days=[str(day) for day in sorted(release.days_on(plan))],
        )
    else:
        form = ReleasePlanForm()
    form.checklist.choices = list(CHECKLIST_WORDS.items())
    form.peer.choices = [("", _("Nobody, for now"))] + [(str(key), name) for key, name in peers.items()]
    form.days.choices = [(str(day), _("Day %(day)d after", day=day)) for day in release.DAYS]
    if form.validate_on_submit():
        ok, _saved = attempt(
            form,
            lambda: release.save_plan(
                db.session,
                current_user,
                step,
                checklist=form.checklist.data,
                contact_id=_peer_id(form.peer.data),
                days=form.days.data,
            ),
        )
        if ok:
            flash(_("Your plan is saved."), "success")
            return redirect(url_for("peer.release_plan", step_id=step.id))
    return render(
        "peer/release_plan.html",
        form=form,
        step=step,
        plan=plan,
        peers=peers,
        checkins=dict(checkins),
        start=release.step_day(step),
        sources=TOLERANCE_SOURCES,
    )
