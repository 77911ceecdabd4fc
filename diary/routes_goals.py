"""Views of goals: the list by status, create and edit, steps, status, check-ins."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.permissions import loads
from accounts.rules import attempt
from core.forms import TokenOnlyForm
from extensions import db, htmx, render

from . import goal_templates, goals, vocab
from .blueprint import bp, client_only
from .forms import GoalCheckInForm, GoalForm, StatusForm, StepForm


def _goal_page(
    goal,
    *,
    fragment: str = "content",
    step_form=None,
    checkin_form=None,
    answer=None,
    step_answer=None,
    landing: bool = False,
):
    """The goal's page or one of its fragments. `answer` is the outcome of the check-in just
    made, `step_answer` ("done", "open", "added" or "removed", and the step's id) what just
    happened to a step: each is shown where the person is looking, marked data-answer.
    `landing` is a whole page reached after a form sent without JavaScript: the answer
    takes the focus by itself (autofocus), since no script will move it."""
    check_ins = goals.check_ins_of(db.session, goal)
    return render(
        "diary/goal.html",
        fragment=fragment,
        goal=goal,
        steps=goals.steps_of(db.session, goal),
        progress=goals.progress(check_ins),
        last=list(reversed(check_ins))[:7],
        step_form=step_form or StepForm(formdata=None),
        checkin_form=(checkin_form or GoalCheckInForm(formdata=None)).fresh_key(),
        status_form=StatusForm(formdata=None, status=goal.status),
        answer=answer,
        step_answer=step_answer or (None, None),
        landing=landing,
        vocab=vocab,
    )


@bp.get("/goals")
@client_only
def goals_list():
    sections = goals.goals_by_status(db.session, current_user)
    return render(
        "diary/goals.html",
        sections=sections,
        empty=not any(sections.values()),
        ideas=goal_templates.by_kind(),
        vocab=vocab,
    )


def _goal_fields(form: GoalForm) -> dict:
    return {
        "kind": form.kind.data,
        "area": form.area.data or None,
        "title": form.title.data,
        "why": form.why.data,
        "target_date": form.target_date.data,
    }


@bp.route("/goals/new", methods=["GET", "POST"])
@client_only
def new_goal():
    idea = goal_templates.find(request.args.get("idea")) if request.method == "GET" else None
    if idea is not None:
        # A tapped idea fills the form; the person changes what they like before saving.
        form = GoalForm(formdata=None, kind=idea.kind, area=idea.area or "", title=str(idea.title))
    else:
        form = GoalForm()
    if form.validate_on_submit():
        steps = (form.steps.data or "").splitlines()
        ok, goal = attempt(form, lambda: goals.create_goal(db.session, current_user, steps=steps, **_goal_fields(form)))
        if ok:
            flash(_("Your goal is saved."), "success")
            return redirect(url_for("diary.goal", goal_id=goal.id))
    return render("diary/goal_form.html", form=form, goal=None, ideas=goal_templates.by_kind(), idea=idea, vocab=vocab)


@bp.get("/goals/<id:goal_id>")
@client_only
@loads("goal", goals.get_goal)
def goal(goal):
    # After a check-in without JavaScript: its id, never its outcome, travels in the URL.
    row = goals.get_check_in(db.session, current_user, goal, request.args.get("checked", type=int))
    # After a step was added or ticked without JavaScript: the step's id, never its words.
    step = _asked_step(goal, request.args.get("step", type=int))
    step_answer = (("done" if step.done_at else "open"), step.id) if step is not None else None
    if step is not None and request.args.get("added"):
        step_answer = ("added", step.id)
    return _goal_page(goal, answer=row.outcome if row else None, step_answer=step_answer, landing=bool(row or step))


def _asked_step(goal, step_id: int | None):
    if not step_id or not 0 < step_id < 2**31:
        return None
    return goals.get_step(db.session, current_user, step_id, goal)


@bp.route("/goals/<id:goal_id>/edit", methods=["GET", "POST"])
@client_only
@loads("goal", goals.get_goal)
def edit_goal(goal):
    if request.method == "POST":
        form = GoalForm()
    else:
        form = GoalForm(
            formdata=None,
            kind=goal.kind,
            area=goal.area or "",
            title=goal.title,
            why=goal.why,
            target_date=goal.target_date,
        )
    if form.validate_on_submit():
        ok, _goal = attempt(form, lambda: goals.update_goal(db.session, goal, **_goal_fields(form)))
        if ok:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("diary.goal", goal_id=goal.id))
    return render("diary/goal_form.html", form=form, goal=goal)


@bp.post("/goals/<id:goal_id>/status")
@client_only
@loads("goal", goals.get_goal)
def goal_status(goal):
    form = StatusForm()
    if form.validate_on_submit():
        ok, _result = attempt(form, lambda: goals.set_status(db.session, goal, form.status.data))
        if ok:
            flash(_("Saved: %(status)s.", status=vocab.GOAL_STATUSES[goal.status]), "success")
    return redirect(url_for("diary.goal", goal_id=goal.id))


@bp.route("/goals/<id:goal_id>/delete", methods=["GET", "POST"])
@client_only
@loads("goal", goals.get_goal)
def delete_goal(goal):
    form = TokenOnlyForm()
    if form.validate_on_submit():
        goals.delete_goal(db.session, goal)
        flash(_("The goal is deleted."), "info")
        return redirect(url_for("diary.goals_list"))
    return render("diary/delete.html", form=form, goal=goal, entry=None)


@bp.post("/goals/<id:goal_id>/steps")
@client_only
@loads("goal", goals.get_goal)
def add_step(goal):
    form = StepForm()
    if form.validate_on_submit():
        ok, step = attempt(form, lambda: goals.add_step(db.session, goal, form.step.data))
        if ok:
            if htmx:
                return _goal_page(goal, fragment="steps", step_answer=("added", step.id))
            return redirect(url_for("diary.goal", goal_id=goal.id, step=step.id, added=1))
    return _goal_page(goal, fragment="steps", step_form=form)


@bp.post("/goals/<id:goal_id>/steps/<id:step_id>/toggle")
@client_only
@loads("goal", goals.get_goal)
@loads("step", goals.get_step, within="goal")
def toggle_step(goal, step):
    """Tick a step, or untick it; the answer is the step itself, in place."""
    if TokenOnlyForm().validate_on_submit():
        goals.toggle_step(db.session, step)
    if htmx:
        return _goal_page(goal, fragment="steps", step_answer=("done" if step.done_at else "open", step.id))
    # No #anchor: a page with one never autofocuses, and the answer takes the focus itself.
    return redirect(url_for("diary.goal", goal_id=goal.id, step=step.id))


@bp.post("/goals/<id:goal_id>/steps/<id:step_id>/delete")
@client_only
@loads("goal", goals.get_goal)
@loads("step", goals.get_step, within="goal")
def delete_step(goal, step):
    """Remove a step; the answer stands where the steps are (htmx), or at the top."""
    removed = TokenOnlyForm().validate_on_submit()
    if removed:
        goals.delete_step(db.session, step)
        if not htmx:
            flash(_("The step is removed."), "info")
    if htmx:
        return _goal_page(goal, fragment="steps", step_answer=("removed", None) if removed else None)
    return redirect(url_for("diary.goal", goal_id=goal.id))


@bp.post("/goals/<id:goal_id>/check-in")
@client_only
@loads("goal", goals.get_goal)
def goal_check_in(goal):
    form = GoalCheckInForm()
    if form.validate_on_submit():
        ok, row = attempt(
            form,
            lambda: goals.check_in(
                db.session, current_user, goal, form.outcome.data or "", form.note.data, client_key=form.key()
            ),
        )
        if ok:
            if htmx:
                return _goal_page(goal, fragment="progress", answer=row.outcome)
            # No #anchor (a page with one never autofocuses): the answer takes the focus itself.
            return redirect(url_for("diary.goal", goal_id=goal.id, checked=row.id))
    return _goal_page(goal, fragment="progress", checkin_form=form)
