"""Views of the diary: write, list and search, read, edit, delete, month, strengths."""

from __future__ import annotations

import re
from datetime import date, timedelta

from babel.dates import get_day_names
from flask import flash, jsonify, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import loads
from accounts.rules import attempt, message_for
from core.forms import TokenOnlyForm
from extensions import db, htmx, render

from . import entries, vocab
from .blueprint import bp, client_only
from .days import local_today
from .forms import EntryForm


def _suggested(extra: list = ()) -> list[tuple[str, str]]:
    """The strengths offered as chips, as (value, label): the built-in ones by their key, shown
    in the person's language, then their own most used words (and those of the entry)."""
    choices = [(key, str(label)) for key, label in vocab.STRENGTHS.items()]
    keys = set(vocab.STRENGTHS)
    for name in list(entries.own_strength_names(db.session, current_user)) + list(extra):
        if vocab.strength_key(name) not in keys:
            keys.add(vocab.strength_key(name))
            choices.append((name, name))
    return choices


def _chosen(view: entries.EntryView) -> list[str]:
    """An entry's strengths as the form's values: a built-in one by its key, own words as written."""
    return [s.key if s.key in vocab.STRENGTHS else s.name for s in view.strengths]


def _entry_form(view: entries.EntryView | None = None, blank: bool = False) -> tuple[EntryForm, list[str]]:
    """The form and the prompts it shows: today's pair for a new entry, or the answered ones.

    A posted form reads the request; `blank` gives an empty one (after saving); `view` fills
    it from an entry for editing."""
    chosen: list[str] = []
    if view is not None and request.method != "POST":
        chosen = _chosen(view)
        answers = {f"answer_{a.prompt}": a.text for a in view.answers}
        form = EntryForm(
            formdata=None, mood=str(view.entry.mood or ""), text=view.entry.text, strengths=chosen, **answers
        )
    else:
        form = EntryForm(formdata=None) if blank else EntryForm()
    if view is not None:
        prompts = [a.prompt for a in view.answers]
        chosen = chosen or _chosen(view)
    else:
        prompts = vocab.prompts_for(local_today(current_user))
    form.strengths.choices = _suggested(chosen)
    form.prompt.choices = [(key, str(vocab.PROMPTS[key])) for key in prompts]
    return form, prompts


def _save(form: EntryForm, entry=None):
    return attempt(
        form,
        lambda: entries.save_entry(
            db.session,
            current_user,
            mood=form.mood_value(),
            text=form.entry_text(),
            answers=form.answers(),
            strengths=form.strength_names(),
            entry=entry,
            client_key=None if entry else form.key(),
            written_at=None if entry else form.written_time(),
        ),
    )


@bp.route("/diary/new", methods=["GET", "POST"])
@client_only
def write():
    form, prompts = _entry_form()
    saved = None
    if form.validate_on_submit():
        ok, entry = _save(form)
        if ok:
            if not htmx:
                flash(_("Saved. Good that you took a moment for yourself."), "success")
                return redirect(url_for("diary.entry", entry_id=entry.id))
            saved = entries.with_details(db.session, [entry])[0]
    response = render(
        "diary/write.html",
        fragment="entry_form",
        form=form.fresh_key(),
        prompts=prompts,
        saved=saved,
        entry=None,
        moods=vocab.MOODS,
        prompt_words=vocab.PROMPTS,
    )
    if saved is not None:  # tells the page's script which entry is safely saved, so a copy kept on the phone can go
        response.headers["X-Nara-Saved"] = form.key()
    return response


@bp.post("/diary/sync")
@client_only
def sync():
    """An entry the phone kept while it was offline, sent now: the page's script reads the
    answer (saved, or what needs changing) and keeps the entry on the phone until it is saved."""
    form, _prompts = _entry_form()
    if not form.key():
        return jsonify(status="invalid", message=_("This entry could not be read. Open it and save it again.")), 422
    if form.validate():
        ok, saved = _save(form)
        if ok:
            return jsonify(status="saved", url=url_for("diary.entry", entry_id=saved.id)), 201
    first = next((str(e) for errors in form.errors.values() for e in errors), None)
    return jsonify(status="invalid", message=first or str(message_for("unknown"))), 422


def _id_param(values, name: str) -> int | None:
    value = values.get(name, type=int)
    return value if value is not None and 0 < value < 2**31 else None


@bp.route("/diary", methods=["GET", "POST"])
@client_only
def diary():
    """The diary, newest first. Search words come only in a POST body, and a strength is
    named by its id: a person's own words never stand in a URL, where proxy logs keep them."""
    values = request.form if request.method == "POST" else request.args
    q = request.form.get("q", "")[:100] if request.method == "POST" else ""
    strength = entries.get_strength(db.session, current_user, _id_param(values, "strength"))
    views, has_more = entries.list_entries(
        db.session, current_user, q=q, tag=strength.name if strength else "", before=_id_param(values, "before")
    )
    fragment = "more" if values.get("more") == "1" else "content"
    return render(
        "diary/list.html",
        fragment=fragment,
        views=views,
        has_more=has_more,
        q=q,
        strength=strength,
        moods=vocab.MOODS,
        prompts=vocab.PROMPTS,
        total=entries.count_entries(db.session, current_user),
    )


@bp.get("/diary/<id:entry_id>")
@client_only
@loads("entry", entries.get_entry)
def entry(entry):
    view = entries.with_details(db.session, [entry])[0]
    return render("diary/entry.html", view=view, moods=vocab.MOODS, prompts=vocab.PROMPTS)


@bp.route("/diary/<id:entry_id>/edit", methods=["GET", "POST"])
@client_only
@loads("entry", entries.get_entry)
def edit(entry):
    view = entries.with_details(db.session, [entry])[0]
    form, prompts = _entry_form(view)
    if form.validate_on_submit():
        ok, _entry = _save(form, entry=entry)
        if ok:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("diary.entry", entry_id=entry.id))
    return render("diary/write.html", form=form, prompts=prompts, saved=None, entry=entry)


@bp.route("/diary/<id:entry_id>/delete", methods=["GET", "POST"])
@client_only
@loads("entry", entries.get_entry)
def delete(entry):
    form = TokenOnlyForm()
    if form.validate_on_submit():
        entries.delete_entry(db.session, current_user, entry)
        flash(_("The entry is deleted."), "info")
        return redirect(url_for("diary.diary"))
    return render("diary/delete.html", form=form, entry=entry)


def _month_asked(value: str) -> date | None:
    """The first day of the month in ?m=2027-03, or None for anything else (this month is
    shown then): another shape, a month that does not exist, a year outside 2000-2100."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if not match or not 2000 <= int(match.group(1)) <= 2100 or not 1 <= int(match.group(2)) <= 12:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


@bp.get("/diary/month")
@client_only
def month():
    today = local_today(current_user)
    shown = _month_asked(request.args.get("m", "")) or today.replace(day=1)
    previous = (shown - timedelta(days=1)).replace(day=1)
    following = (shown.replace(day=28) + timedelta(days=4)).replace(day=1)
    weeks = entries.month_view(db.session, current_user, shown.year, shown.month)
    short, wide = get_day_names("abbreviated", locale=get_locale()), get_day_names("wide", locale=get_locale())
    return render(
        "diary/month.html",
        weeks=weeks,
        shown=shown,
        previous=previous,
        following=following,
        today=today,
        moods=vocab.MOODS,
        day_names=[(short[i], wide[i]) for i in range(7)],
    )


@bp.get("/strengths")
@client_only
def strengths():
    return render("diary/strengths.html", summary=entries.strengths_summary(db.session, current_user, with_words=True))
