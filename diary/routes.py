"""Views of self-management: Today, the daily check-in and trends. The diary's and goals'
views are in routes_entries.py and routes_goals.py, on the same blueprint."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import select

from accounts import service as accounts_service
from accounts.rules import attempt
from extensions import db, htmx, render

from . import checkins, entries, goals, trends, vocab
from .blueprint import bp, client_only
from .days import local_today
from .forms import CheckInForm, _int_or_none


def _checkin_form(row=None) -> CheckInForm:
    if row is None:
        return CheckInForm(formdata=None)
    return CheckInForm(
        formdata=None,
        mood=str(row.mood),
        craving=str(row.craving) if row.craving is not None else None,
        sleep=row.sleep or None,
        use=row.use or "skip",
        good_thing=row.good_thing,
    )


def _first_run(session, goal_count: int) -> bool:
    """A new client: nothing written, no goal, nobody linked. Then Today invites, three ways."""
    from peer.models import Contact  # peer builds on the diary, not the other way round

    if goal_count or entries.count_entries(session, current_user):
        return False
    return (
        session.exec(select(func.count()).select_from(Contact).where(Contact.client_id == current_user.id)).one() == 0
    )


def _today_page(form: CheckInForm | None = None, more_open: bool = False, fragment: str = "content", saved=False):
    session = db.session
    today = local_today(current_user)
    row = checkins.todays(session, current_user)
    active = goals.active_goals_with_next_step(session, current_user)
    goal_count = len(active) or sum(len(g) for g in goals.goals_by_status(session, current_user).values())
    return render(
        "diary/today.html",
        fragment=fragment,
        checkin=row,
        form=form or _checkin_form(row),
        more_open=more_open,
        saved=saved,
        week=checkins.week(session, current_user, today),
        first_run=(fragment == "content" or not htmx) and _first_run(session, goal_count),
        goals=active,
        prompt=vocab.PROMPTS[vocab.prompts_for(today)[0]],
        today=today,
        moods=vocab.MOODS,
        sleep=vocab.SLEEP,
        use=vocab.USE,
        codes_left=accounts_service.codes_left(session, current_user),
    )


@bp.get("/today")
@client_only
def today():
    return _today_page(more_open=request.args.get("change") == "1")


def _answers_to_save(form: CheckInForm, row) -> dict:
    """Each answer that was sent, and for the others what was saved earlier today: the mood
    buttons send only the mood, "Add more" sends the rest."""
    sent = request.form

    def pick(name, value, earlier):
        return value if name in sent else earlier

    return {
        "mood": pick("mood", _int_or_none(form.mood.data), row.mood if row else None),
        "craving": pick("craving", _int_or_none(form.craving.data), row.craving if row else None),
        "sleep": pick("sleep", form.sleep.data, row.sleep if row else None),
        "use": pick("use", form.use.data, row.use if row else None),
        "good_thing": pick("good_thing", form.good_thing.data, row.good_thing if row else ""),
    }


@bp.post("/today/check-in")
@client_only
def save_check_in():
    form = CheckInForm()
    if form.validate_on_submit():
        values = _answers_to_save(form, checkins.todays(db.session, current_user))
        ok, _row = attempt(form, lambda: checkins.save_today(db.session, current_user, **values))
        if ok:
            if htmx:
                return _today_page(fragment="checkin", saved=True)
            flash(_("Thank you for checking in."), "success")
            return redirect(url_for("diary.today"))
    return _today_page(form=form, more_open=True, fragment="checkin")


@bp.get("/trends")
@client_only
def trends_page():
    days = 90 if request.args.get("days") == "90" else 30
    trend = trends.collect(db.session, current_user, days, local_today(current_user))
    mood_text, craving_text, goal_text = (
        trends.mood_summary(trend),
        trends.craving_summary(trend),
        trends.goal_summary(trend),
    )
    charts = {
        "mood": trends.line_chart("mood", _("Mood"), mood_text, trend.mood, 1, 5),
        "craving": trends.line_chart("craving", _("Craving"), craving_text, trend.craving, 0, 10),
        "goals": trends.column_chart("goals", _("Goal check-ins"), goal_text, trend.goal_good, trend.goal_not),
    }
    counts = trends.picture(db.session, current_user, trend)
    return render(
        "diary/trends.html",
        days=days,
        trend=trend,
        charts=charts,
        summaries={"mood": mood_text, "craving": craving_text, "goals": goal_text},
        went_well=trends.went_well(counts),
        show_charts=counts.checked_in >= trends.CHARTS_FROM,
        show_goal_chart=sum(trend.goal_good) + sum(trend.goal_not) >= trends.CHARTS_FROM,
        checked_in=counts.checked_in,
    )
