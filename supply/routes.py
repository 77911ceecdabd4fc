"""Views of drug-supply warnings: the public list, a client's choice of areas, and the
coordinator's publishing, editing and ending early."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts import lock_session
from accounts.permissions import CLIENT, COORDINATOR, has_role, loads, public, roles_required, shows_own_things
from accounts.rules import attempt
from core.forms import TokenOnlyForm
from extensions import db, render

from . import service
from .forms import COUNTRY_SHORT, ChoiceForm, WarningForm, area_name

bp = Blueprint("supply", __name__)
coordinator_only = roles_required(COORDINATOR)
client_only = roles_required(CLIENT)


def warnings_for_reader(country: str | None = None) -> list:
    """The active warnings a page shows its reader (a template global): for a client, those
    of the areas they chose; for anyone else on the crisis page, those of the country shown."""
    today = service.reader_today(current_user)
    if shows_own_things(current_user, lock_session.is_locked(current_user)):
        return service.active_for(db.session, service.choice_of(db.session, current_user).areas, today)
    if country and not has_role(current_user, CLIENT):
        return service.active_in_country(db.session, country, today)
    return []


@bp.app_template_filter("area_name")
def _area_name(warning) -> str:
    return area_name(service.area_of(warning))


@bp.get("/warnings")
@public
def warnings():
    current, past = service.current_and_past(db.session, service.reader_today(current_user))
    return render(
        "supply/list.html",
        current=current,
        past=past,
        manage=has_role(current_user, COORDINATOR),
        for_client=shows_own_things(current_user, lock_session.is_locked(current_user)),
    )


@bp.route("/settings/warnings", methods=["GET", "POST"])
@client_only
def choose():
    choice = service.choice_of(db.session, current_user)
    form = ChoiceForm()
    if not form.is_submitted():
        form = ChoiceForm(formdata=None, areas=choice.areas, notify=choice.notify)
    elif form.validate():
        ok, _saved = attempt(
            form, lambda: service.save_choice(db.session, current_user, form.areas.data or [], form.notify.data)
        )
        if ok:
            flash(_("Saved. You see warnings for the areas you chose."), "success")
            return redirect(url_for("supply.choose"))
    return render("supply/choose.html", form=form, countries=COUNTRY_SHORT)


@bp.route("/coordinator/warnings/new", methods=["GET", "POST"])
@bp.route("/coordinator/warnings/<id:warning_id>/edit", methods=["GET", "POST"])
@coordinator_only
@loads("warning", service.get_warning, arg="warning_id", optional=True)
def edit(warning):
    today = service.reader_today(current_user)
    if warning is not None and request.method == "GET":
        form = WarningForm(formdata=None, obj=warning, area=service.area_of(warning))
    else:
        form = WarningForm()
    if form.validate_on_submit():
        if warning is None:
            ok, _done = attempt(form, lambda: service.publish(db.session, form.values(), today, form.key()))
            if ok:
                # Not how many were told: in a small region that would say something about people.
                flash(_("Published. People who chose this area are told there is new information."), "success")
                return redirect(url_for("supply.warnings"))
        else:
            ok, _saved = attempt(form, lambda: service.edit(db.session, warning, form.values(), today))
            if ok:
                flash(_("Saved. Nobody was notified again."), "success")
                return redirect(url_for("supply.warnings"))
    form.fresh_key()
    return render("supply/edit.html", form=form, warning=warning)


@bp.post("/coordinator/warnings/<id:warning_id>/end")
@coordinator_only
@loads("warning", service.get_warning, arg="warning_id")
def end(warning):
    if TokenOnlyForm().validate_on_submit():
        service.end_now(db.session, warning)
        flash(_("Ended. It is now among past warnings."), "success")
    return redirect(url_for("supply.warnings"))
