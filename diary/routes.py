"""Views of self-management: Today, the daily check-in and trends. The diary's and goals'
views are in routes_entries.py and routes_goals.py, on the same blueprint."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts import service as accounts_service
from accounts.rules import attempt
from extensions import db, htmx, render

from . import checkins, goals, trends, vocab
from .blueprint import bp, client_only
from .days import local_today
from .forms import CheckInForm, _int_or_none


def _checkin_form(row=None) -> CheckInForm:
    if row is None:
        return CheckInForm(formdata=None)
    return CheckInForm(
        formdata=None,
        mood=str(row.mood),
        craving=str(row.craving),
        sleep=row.sleep,
        use=row.use or "skip",
        good_thing=row.good_thing,
    )


def _today_page(form: CheckInForm | None = None, editing: bool = False, fragment: str = "content"):
    session = db.session
    today = local_today(current_user)
    row = checkins.todays(session, current_user)
    return render(
        "diary/today.html",
        fragment=fragment,
        checkin=row,
        form=form or _checkin_form(row),
        editing=editing or row is None,
        goals=goals.active_goals_with_next_step(session, current_user),
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
    return _today_page(editing=request.args.get("change") == "1")


@bp.post("/today/check-in")
@client_only
def save_check_in():
    form = CheckInForm()
    if form.validate_on_submit():
        ok, _row = attempt(
            form,
            lambda: checkins.save_today(
                db.session,
                current_user,
                mood=_int_or_none(form.mood.data),
                craving=_int_or_none(form.craving.data),
                sleep=form.sleep.data,
                use=form.use.data,
                good_thing=form.good_thing.data,
            ),
        )
        if ok:
            if htmx:
                return _today_page(fragment="checkin")
            flash(_("Thank you for checking in."), "success")
            return redirect(url_for("diary.today"))
    return _today_page(form=form, editing=True, fragment="checkin")


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
