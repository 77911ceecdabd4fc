"""Help views: "Need help now" for everyone, the help directory, and the coordinator's
pages to keep lines and services up to date (add, edit, hide, verify, CSV)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from accounts import lock_session
from accounts.permissions import COORDINATOR, loads, public, roles_required, shows_own_things
from accounts.rules import attempt, message_for
from extensions import db, no_store, render, utcnow

from . import first_aid, service, spreadsheet
from .forms import COUNTRY_NAMES, DIRECTORY_KINDS, KIND_NAMES, DirectoryFilter, ImportForm, ServiceForm

bp = Blueprint("help", __name__)
coordinator_only = roles_required(COORDINATOR)


def _tell_my_people():
    """'Tell my people' for a client (peer is optional for help/); None for everyone else,
    who see the numbers to call."""
    if not shows_own_things(current_user, lock_session.is_locked(current_user)):
        return None
    from peer import support

    return support.for_client(db.session, current_user)


@bp.get("/help")
@public
def crisis():
    country = service.country_for(current_user, str(get_locale()), request.args.get("country"))
    emergency, lines = service.crisis_lines(db.session, country, str(get_locale()))
    return render(
        "help/crisis.html",
        country=country,
        countries=COUNTRY_NAMES,
        emergency=emergency,
        lines=lines,
        tell=_tell_my_people(),
        tel=service.tel_link,
    )


@bp.get("/help/first-aid")
@public
def first_aid_page():
    """Overdose first aid. Kept by the service worker, so it opens without a network."""
    return render("help/first_aid.html", sections=first_aid.SECTIONS, reviewed=first_aid.REVIEWED)


@bp.app_template_filter("shown")
def shown(value: str) -> str:
    """A directory text in the reader's language when it is one the app shipped with."""
    return service.shown_text(value)


@bp.get("/help/services")
@public
def directory():
    country = service.country_for(current_user, str(get_locale()), request.args.get("country"))
    form = DirectoryFilter(request.args)
    rows = service.directory(
        db.session, country=country, kind=form.kind.data or "", region=form.region.data or "", q=form.q.data or ""
    )
    return render(
        "help/directory.html",
        form=form,
        rows=rows,
        country=country,
        countries=COUNTRY_NAMES,
        kinds=KIND_NAMES,
        tel=service.tel_link,
        for_client=shows_own_things(current_user, lock_session.is_locked(current_user)),
    )


@bp.get("/help/services/<id:service_id>")
@public
@loads("row", service.visible, arg="service_id")
def service_page(row):
    return render("help/service.html", row=row, kinds=KIND_NAMES, countries=COUNTRY_NAMES, tel=service.tel_link)


@bp.get("/help/rights")
@public
def rights():
    country = service.country_for(current_user, str(get_locale()), request.args.get("country"))
    return render("help/rights.html", country=country, countries=COUNTRY_NAMES)


@bp.get("/coordinator/help")
@coordinator_only
def manage():
    return render(
        "help/manage.html",
        rows=service.everything(db.session),
        kinds=KIND_NAMES,
        countries=COUNTRY_NAMES,
        form=ImportForm(formdata=None),
    )


@bp.route("/coordinator/help/new", methods=["GET", "POST"])
@bp.route("/coordinator/help/<id:service_id>/edit", methods=["GET", "POST"])
@coordinator_only
@loads("row", service.get_service, arg="service_id", optional=True)
def edit(row):
    if row is not None and request.method == "GET":
        form = ServiceForm(formdata=None, obj=row)
    else:
        form = ServiceForm()
    if form.validate_on_submit():
        ok, _saved = attempt(form, lambda: service.save(db.session, form.values(), row))
        if ok:
            flash(_("Saved."), "success")
            return redirect(url_for("help.manage"))
    return render("help/edit.html", form=form, row=row, kinds=DIRECTORY_KINDS)


@bp.post("/coordinator/help/<id:service_id>/hide")
@coordinator_only
@loads("row", service.get_service, arg="service_id")
def hide(row):
    service.set_hidden(db.session, row, not row.hidden)
    flash(_("Hidden from users.") if row.hidden else _("Shown to users again."), "success")
    return redirect(url_for("help.manage"))


@bp.post("/coordinator/help/<id:service_id>/verify")
@coordinator_only
@loads("row", service.get_service, arg="service_id")
def verify(row):
    service.verify(db.session, row, utcnow().date())
    flash(_("Marked as verified today."), "success")
    return redirect(url_for("help.manage"))


@bp.get("/coordinator/help/export.csv")
@coordinator_only
def export_csv():
    return no_store(
        Response(
            spreadsheet.export_csv(db.session),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="nara-help.csv"'},
        )
    )


def _imported(result) -> str:
    if not result.added and not result.updated:
        return _("The file had no rows to import.")
    return " ".join(
        part
        for part in (
            ngettext("%(num)d new row added.", "%(num)d new rows added.", result.added) if result.added else "",
            ngettext(
                "%(num)d row changed an entry already there.",
                "%(num)d rows changed entries already there.",
                result.updated,
            )
            if result.updated
            else "",
        )
        if part
    )


@bp.post("/coordinator/help/import")
@coordinator_only
def import_csv():
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        upload = request.files.get("csv_file")
        text = form.csv_text.data or ""
        if upload is not None and upload.filename:
            text = spreadsheet.decode_csv(upload.read())
        if text is None:
            problems = [spreadsheet.ImportProblem(1, "csv_encoding")]
        else:
            result = spreadsheet.import_csv(db.session, text)
            problems = result.problems
            if not problems:
                flash(_imported(result), "success")
                return redirect(url_for("help.manage"))
    messages = [_("Line %(line)d: %(problem)s", line=p.line, problem=message_for(p.code)) for p in problems]
    return render(
        "help/manage.html",
        rows=service.everything(db.session),
        kinds=KIND_NAMES,
        countries=COUNTRY_NAMES,
        form=form,
        import_problems=messages,
    )
