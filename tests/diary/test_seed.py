"""`flask demo seed` makes a client with a year of data the app can show."""

from sqlalchemy import func
from sqlmodel import select

from diary.models import DailyCheckIn, DiaryEntry, GoalCheckIn
from tests.conftest import login


def test_demo_seed_makes_a_year_of_data_and_refuses_twice(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed", "--handle", "demo1", "--password", "green kettle morning walk"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        from extensions import db

        count = lambda model: db.session.exec(select(func.count()).select_from(model)).one()  # noqa: E731
        assert 150 < count(DiaryEntry) < 250
        assert 250 < count(DailyCheckIn) <= 365
        assert count(GoalCheckIn) > 500
        days = db.session.exec(select(func.min(DailyCheckIn.day), func.max(DailyCheckIn.day))).one()
        assert (days[1] - days[0]).days > 330
    again = runner.invoke(args=["demo", "seed", "--handle", "demo1"])
    assert again.exit_code != 0 and "exists already" in again.output
    client = app.test_client()
    login(client, "demo1")
    for url in ("/today", "/diary", "/trends?days=90", "/strengths", "/goals", "/diary/month"):
        assert client.get(url).status_code == 200, url
