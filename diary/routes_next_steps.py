"""Views of "my next steps"."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import loads
from accounts.rules import attempt
from core.forms import TokenOnlyForm, stored_local_time
from extensions import db, render

from . import next_steps as steps
from .blueprint import bp, client_only
from .forms import STEP_KINDS, NextStepForm


@bp.get("/next-steps")
@client_only
def next_steps():
    open_steps, done = steps.steps_of(db.session, current_user.id)
    return render(
        "diary/next_steps.html",
        open_steps=open_steps,
        done=done,
        kinds=STEP_KINDS,
        release_kinds=steps.RELEASE_KINDS,
        reminder_link=_reminder_link,
        form=TokenOnlyForm(),
    )


def _reminder_link(step) -> str:
    """The reminder form, filled in for this step (the push package's reminders): the link
    names the step's id, never its words, which would stand in every proxy's log."""
    return url_for("push.edit_reminder", step=step.id)


@bp.route("/next-steps/new", methods=["GET", "POST"])
@bp.route("/next-steps/<id:step_id>/edit", methods=["GET", "POST"])
@client_only
@loads("step", steps.get_step, optional=True)
def edit_step(step):
    if step is not None and request.method == "GET":
        form = NextStepForm(
            formdata=None,
            kind=step.kind,
            title=step.title,
            who=step.who,
            phone=step.phone,
            note=step.note,
            when=stored_local_time(step.when_local),
        )
    else:
        form = NextStepForm()
    if form.validate_on_submit():
        ok, _row = attempt(
            form,
            lambda: steps.save_step(
                db.session,
                current_user,
                kind=form.kind.data,
                title=form.title.data,
                when=form.when.data,
                who=form.who.data,
                phone=form.phone.data,
                note=form.note.data,
                step=step,
            ),
        )
        if ok:
            flash(_("Saved."), "success")
            return redirect(url_for("diary.next_steps"))
    return render("diary/next_step_form.html", form=form, step=step)


@bp.post("/next-steps/<id:step_id>/done")
@client_only
@loads("step", steps.get_step)
def step_done(step):
    if TokenOnlyForm().validate_on_submit():
        steps.toggle_done(db.session, step)
        # The answer stands at the top of the page the person lands on, and takes the focus.
        if step.done_at:
            flash(_("Done: %(step)s. Well done for taking this step.", step=step.title), "success")
        else:
            flash(_("Back on your list: %(step)s.", step=step.title), "info")
    return redirect(url_for("diary.next_steps"))


@bp.route("/next-steps/<id:step_id>/delete", methods=["GET", "POST"])
@client_only
@loads("step", steps.get_step)
def delete_next_step(step):
    """Asks first ("Delete this?"), like every deletion of something the person wrote."""
    form = TokenOnlyForm()
    if form.validate_on_submit():
        steps.delete_step(db.session, step)
        flash(_("The step is deleted."), "info")
        return redirect(url_for("diary.next_steps"))
    return render("diary/delete.html", form=form, step=step)
