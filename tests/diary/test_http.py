"""The diary, goals, check-ins and trends over HTTP, with and without htmx."""

import re

import pytest

from tests.conftest import login, main_of, make_diary, make_user, post

PAYLOAD = "<script>alert('x')</script>"
HX = {"HX-Request": "true"}


@pytest.fixture
def mira(app, client):
    user_id, _ = make_user(app, "mira")
    login(client, "mira")
    return user_id


_main = main_of


def test_today_shows_check_in_goals_writing_and_help(client, mira):
    page = _main(client.get("/today"))
    assert "How are you today?" in page and "Your goals" in page and "Write in my diary" in page
    assert page.count("How are you today?") == 1
    assert 'href="/help"' in page and page.count(">Get help<") == 1
    assert "I need support now" not in page and "Need help now" not in page
    # Writing comes first: before the check-in.
    assert page.index("Write in my diary") < page.index("How are you today?")


def test_today_has_five_mood_buttons_that_each_save_and_a_week_strip(client, mira):
    page = _main(client.get("/today"))
    buttons = re.findall(r'<button type="submit" name="mood" value="(\d)"', page)
    assert buttons == ["1", "2", "3", "4", "5"]
    # The rest waits under "Add more", closed; before a mood is saved it asks for one too.
    assert '<details class="add-more">' in page and page.count('name="mood"') == 5 + 5
    assert page.count('class="week-mood"') == 7 and page.count("no check-in") == 7


def test_a_new_client_is_invited_three_ways_until_they_start(client, mira):
    page = _main(client.get("/today"))
    assert "Write a line" in page and "Find a peer supporter" in page and 'href="/goals/new"' in page
    post(client, "/diary/new", {"text": "first words"})
    assert "Write a line" not in _main(client.get("/today"))


def test_one_tap_mood_saves_and_answers_in_place(client, mira):
    response = post(client, "/today/check-in", {"mood": "4"}, headers=HX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert "data-answer" in fragment and "Thank you for checking in" in fragment
    assert re.search(r"Your mood today:.*Good", fragment, re.S)
    assert "Add more" in fragment and 'aria-current="true"' in fragment
    assert fragment.count('class="week-mood">Good<') == 1


def test_add_more_keeps_the_mood_and_a_new_mood_keeps_the_rest(app, client, mira):
    from sqlmodel import select

    from diary.models import DailyCheckIn
    from extensions import db

    post(client, "/today/check-in", {"mood": "2"}, headers=HX)
    post(client, "/today/check-in", {"craving": "6", "sleep": "poor", "use": "none", "good_thing": "tea"}, headers=HX)
    post(client, "/today/check-in", {"mood": "3"}, headers=HX)
    with app.app_context():
        row = db.session.exec(select(DailyCheckIn)).one()
        assert (row.mood, row.craving, row.sleep, row.use, row.good_thing) == (3, 6, "poor", "none", "tea")
    page = _main(client.get("/today"))
    assert "6 of 10" in page and "tea" in page
    # Craving is a row of eleven choices, not a dropdown.
    assert len(re.findall(r'name="craving"[^>]*type="radio"|type="radio"[^>]*name="craving"', page)) == 11
    assert "<select" not in page


def test_daily_check_in_with_htmx_answers_with_the_result_only(client, mira):
    response = post(
        client,
        "/today/check-in",
        {"mood": "4", "craving": "3", "sleep": "good", "use": "less", "good_thing": "made soup"},
        headers=HX,
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert "Thank you for checking in" in fragment and "made soup" in fragment
    assert "Less than usual" in fragment


def test_daily_check_in_without_javascript_and_with_a_problem(client, mira):
    missing = post(client, "/today/check-in", {"craving": "3", "sleep": "good"})
    assert missing.status_code == 200 and "Choose how you feel" in missing.get_data(as_text=True)
    done = post(client, "/today/check-in", {"mood": "2", "craving": "8", "sleep": "poor"})
    assert done.status_code == 302
    assert "Thank you for checking in" in client.get("/today").get_data(as_text=True)
    change = client.get("/today?change=1").get_data(as_text=True)
    assert '<details class="add-more" open>' in change
    assert re.search(r'value="8"[^>]*checked|checked[^>]*value="8"', change)


def test_writing_an_entry_shows_the_saved_entry(client, mira):
    page = _main(client.get("/diary/new"))
    assert page.count("<textarea") == 1  # the big box; prompts are chips
    assert page.index("<textarea") < page.index('name="prompt"') < page.index('name="strengths"')
    assert page.count('class="chip"') >= 2 + 5 + 12
    saved = post(
        client,
        "/diary/new",
        {"text": "A calm evening", "mood": "4", "strengths": ["patience"], "own_strengths": "cooking, listening"},
        headers=HX,
    )
    fragment = saved.get_data(as_text=True)
    assert "Saved." in fragment and "<html" not in fragment and saved.headers.get("X-Nara-Saved")
    # The saved entry itself is the answer, focused, with a way to write another.
    assert "data-answer" in fragment and "A calm evening" in fragment and "Patience" in fragment
    assert "Write another" in fragment and "<form" not in fragment
    plain = post(client, "/diary/new", {"answer_handled": "asked for help"})
    assert plain.status_code == 302 and re.search(r"/diary/\d+$", plain.headers["Location"])
    listing = client.get("/diary").get_data(as_text=True)
    assert "A calm evening" in listing and "asked for help" in listing and "cooking" in listing


def test_a_chosen_prompt_makes_the_words_its_answer(app, client, mira):
    from sqlmodel import select

    from diary.models import DiaryEntry, EntryAnswer
    from extensions import db

    page = _main(client.get("/diary/new"))
    key = re.search(r'name="prompt"[^>]*value="(\w+)"|value="(\w+)"[^>]*name="prompt"', page)
    key = key.group(1) or key.group(2)
    post(client, "/diary/new", {"prompt": key, "text": "I asked for a lift"}, headers=HX)
    with app.app_context():
        (answer,) = db.session.exec(select(EntryAnswer)).all()
        assert (answer.prompt, answer.text) == (key, "I asked for a lift")
        assert db.session.exec(select(DiaryEntry)).one().text == ""


def test_danish_strengths_page_lists_each_strength_once(app, client, mira):
    from accounts.models import User
    from extensions import db

    for strengths in (["courage"], ["Courage"], ["Mod"]):  # by key, and as an old page sent the word
        post(client, "/diary/new", {"text": "x", "strengths": strengths})
    with app.app_context():
        db.session.get(User, mira).locale = "da"
        db.session.commit()
    page = _main(client.get("/strengths"))
    assert page.count('class="strength-name"') == 1 and ">Mod<" in page and "Courage" not in page
    assert "3 gange" in page or "3 times" in page


def test_an_empty_entry_keeps_what_was_typed_elsewhere(client, mira):
    response = post(client, "/diary/new", {"own_strengths": ""})
    assert response.status_code == 200
    assert "any one of them is enough" in response.get_data(as_text=True)


def test_show_more_with_and_without_htmx(client, app, mira):
    for i in range(25):
        post(client, "/diary/new", {"text": f"note {i:02d}"})
    first = client.get("/diary").get_data(as_text=True)
    assert "note 24" in first and "note 04" not in first
    link = re.search(r'href="(/diary\?before=\d+)"', first).group(1)
    second = client.get(link).get_data(as_text=True)
    assert "note 04" in second and "note 24" not in second
    more = client.get(link + "&more=1", headers=HX).get_data(as_text=True)
    assert "note 00" in more and "<html" not in more and "Search your diary" not in more


def test_search_and_tag_filter(client, mira):
    post(client, "/diary/new", {"text": "the sea was calm", "strengths": ["Courage"]})
    post(client, "/diary/new", {"text": "a busy street"})
    assert "busy" not in _main(post(client, "/diary", {"q": "sea"}))
    link = re.search(r'href="(/diary\?strength=\d+)"', client.get("/diary").get_data(as_text=True)).group(1)
    assert "courage" not in link.lower()
    found = _main(client.get(link))
    assert "sea was calm" in found and "busy" not in found
    assert "Nothing found" in _main(post(client, "/diary", {"q": "mountain"}))
    # Words in the address are not read: the search form posts them.
    assert "busy" in _main(client.get("/diary?q=sea"))


def test_search_words_never_stand_in_an_address(client, mira):
    for i in range(25):
        post(client, "/diary/new", {"text": f"lakeside note {i:02d}", "strengths": ["Patience"]})
    page = post(client, "/diary", {"q": "lakeside"}).get_data(as_text=True)
    addresses = re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', page)
    assert addresses and not [a for a in addresses if "lakeside" in a or "Patience" in a]
    # "Show more" of a search posts the words again, with and without htmx.
    last = re.search(r'name="before" value="(\d+)"', page).group(1)
    more = post(client, "/diary", {"q": "lakeside", "before": last, "more": "1"}, headers=HX).get_data(as_text=True)
    assert "lakeside note 00" in more and "<html" not in more
    whole = post(client, "/diary", {"q": "lakeside", "before": last, "more": "1"}).get_data(as_text=True)
    assert "lakeside note 00" in whole and "lakeside note 24" not in whole


def test_someone_elses_strength_filters_nothing(app, client, mira):
    from tests.conftest import login, make_user

    post(client, "/diary/new", {"text": "mine", "strengths": ["Courage"]})
    link = re.search(r'href="(/diary\?strength=\d+)"', client.get("/strengths").get_data(as_text=True)).group(1)
    make_user(app, "sam")
    other = app.test_client()
    login(other, "sam")
    post(other, "/diary/new", {"text": "theirs"})
    page = _main(other.get(link))
    assert "theirs" in page and "Courage" not in page


def test_edit_and_delete_an_entry(client, app, mira):
    ids = make_diary(app, mira)
    entry = ids["entry"]
    form = client.get(f"/diary/{entry}/edit").get_data(as_text=True)
    assert "a quiet good day" in form
    changed = post(client, f"/diary/{entry}/edit", {"text": "an even better day", "mood": "5"})
    assert changed.status_code == 302
    assert "an even better day" in client.get(f"/diary/{entry}").get_data(as_text=True)
    confirm = client.get(f"/diary/{entry}/delete").get_data(as_text=True)
    assert "cannot be brought back" in confirm
    assert client.get(f"/diary/{entry}").status_code == 200  # asking did not delete
    assert post(client, f"/diary/{entry}/delete").status_code == 302
    assert client.get(f"/diary/{entry}").status_code == 404


def test_month_and_strengths_pages(client, mira):
    post(client, "/diary/new", {"mood": "4", "strengths": ["Humour"]})
    month = _main(client.get("/diary/month"))
    assert "has-entry" in month and "Good" in month
    assert "Humour" in _main(client.get("/strengths"))
    assert client.get("/diary/month?m=garbage").status_code == 200
    assert client.get("/diary/month?m=1999-13").status_code == 200


def test_goal_flow_with_a_setback(client, mira):
    made = post(
        client,
        "/goals/new",
        {"kind": "less", "title": "Only on weekends", "why": "Money for rent", "steps": "Tell Sam\nCount the days"},
    )
    assert made.status_code == 302
    goal_url = made.headers["Location"]
    post(client, goal_url + "/check-in", {"outcome": "planned"})
    page = _main(client.get(goal_url))
    assert "Only on weekends" in page and "Money for rent" in page and "Tell Sam" in page
    setback = post(client, goal_url + "/check-in", {"outcome": "not_this_time", "note": "party"}, headers=HX)
    fragment = setback.get_data(as_text=True)
    assert "still counts" in fragment and 'href="/help"' in fragment
    assert re.search(r"<dt>Days that went as planned or partly</dt><dd>1</dd>", fragment)
    assert "<dd>0</dd>" not in fragment  # never a zero after a setback


def test_a_first_check_in_of_not_this_time_shows_no_zero(client, mira):
    made = post(client, "/goals/new", {"kind": "stop", "title": "A week without"})
    goal_url = made.headers["Location"]
    fresh = _main(client.get(goal_url))
    answered = post(client, goal_url + "/check-in", {"outcome": "not_this_time"}, headers=HX).get_data(as_text=True)
    for page in (fresh, answered):
        numbers = re.findall(r"<dd>\s*(\d+)\s*</dd>", page)
        assert "0" not in numbers, numbers
        assert "Your first day that goes as planned or partly counts here" in page
        assert page.count("Starts with your next good day") == 2


def test_life_goal_needs_an_area_and_the_form_keeps_the_text(client, mira):
    response = post(client, "/goals/new", {"kind": "life", "title": "A flat of my own"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose the part of life" in page and "A flat of my own" in page
    bad_date = post(client, "/goals/new", {"kind": "less", "title": "x", "target_date": "someday"})
    assert "Write the date like" in bad_date.get_data(as_text=True)


def test_steps_and_status(client, app, mira):
    ids = make_diary(app, mira)
    goal, step = ids["goal"], ids["step"]
    ticked = post(client, f"/goals/{goal}/steps/{step}/toggle", headers=HX).get_data(as_text=True)
    assert 'aria-pressed="true"' in ticked and "<html" not in ticked
    added = post(client, f"/goals/{goal}/steps", {"step": "Buy a calendar"}, headers=HX).get_data(as_text=True)
    assert "Buy a calendar" in added
    empty = post(client, f"/goals/{goal}/steps", {"step": "  "}, headers=HX).get_data(as_text=True)
    assert "Write the step" in empty
    assert post(client, f"/goals/{goal}/steps/{step}/delete").status_code == 302
    assert "Tell a friend" not in _main(client.get(f"/goals/{goal}"))
    post(client, f"/goals/{goal}/status", {"status": "paused"})
    listing = _main(client.get("/goals"))
    assert "Paused for now" in listing and "Only on weekends" in listing


def test_trends_page(client, mira):
    post(client, "/today/check-in", {"mood": "3", "craving": "4", "sleep": "ok"})
    for days in ("30", "90"):
        page = _main(client.get(f"/trends?days={days}"))
        assert "<svg" not in page and "after three check-ins" in page
        assert "What went well" in page and "Talk to one of your contacts" in page
    assert client.get("/trends?days=abc").status_code == 200


def test_trends_show_charts_from_the_third_check_in(app, client, mira):
    from datetime import timedelta

    from accounts.models import User
    from diary import checkins
    from diary.days import local_today
    from tests.conftest import db_session

    with app.app_context():
        user = db_session().get(User, mira)
        today = local_today(user)
        for offset, mood in ((0, 2), (1, 3), (2, 4)):
            checkins.save_today(
                db_session(),
                user,
                mood=mood,
                craving=2,
                sleep="ok",
                use=None,
                good_thing="",
                day=today - timedelta(days=offset),
            )
    page = _main(client.get("/trends"))
    assert page.count("<svg") == 2  # mood and craving; goal check-ins have their own three
    assert "You checked in 3 of 30 days." in page
    assert "Mood noted on 3 of 30 days, from low to good." in page
    assert page.index("What went well") < page.index("<svg")
    assert "averaged" not in page


@pytest.mark.parametrize(
    "url, field",
    [
        ("/diary/new", "text"),
        ("/diary/new", "answer_handled"),
        ("/diary/new", "own_strengths"),
        ("/goals/new", "title"),
        ("/goals/new", "why"),
        ("/goals/new", "steps"),
    ],
)
def test_script_payloads_are_shown_as_text(client, mira, url, field):
    data = {"kind": "less", "title": "t", field: PAYLOAD} if url == "/goals/new" else {field: PAYLOAD}
    if field == "own_strengths":
        data = {field: "<b>bold</b>"}
    response = post(client, url, data, follow_redirects=True)
    assert response.status_code == 200
    everything = client.get("/diary").get_data(as_text=True) + client.get("/strengths").get_data(as_text=True)
    for goal_link in re.findall(r'href="(/goals/\d+)"', client.get("/goals").get_data(as_text=True)):
        everything += client.get(goal_link).get_data(as_text=True)
    assert PAYLOAD not in everything and "<b>bold</b>" not in everything
    assert "&lt;script&gt;" in everything or "&lt;b&gt;" in everything


def test_script_payloads_in_check_ins(client, mira, app):
    ids = make_diary(app, mira)
    post(client, "/today/check-in", {"mood": "3", "craving": "1", "sleep": "ok", "good_thing": PAYLOAD})
    post(client, f"/goals/{ids['goal']}/check-in", {"outcome": "partly", "note": PAYLOAD})
    post(client, f"/goals/{ids['goal']}/steps", {"step": PAYLOAD})
    pages = client.get("/today").get_data(as_text=True) + client.get(f"/goals/{ids['goal']}").get_data(as_text=True)
    assert PAYLOAD not in pages and pages.count("&lt;script&gt;") >= 3


@pytest.mark.parametrize(
    "data",
    [
        {"mood": "abc", "craving": "-5", "sleep": "x" * 5000},
        {"mood": ["1", "2"], "craving": "3.5", "sleep": "ok"},
        {"mood": "99999999999999999999", "craving": "10", "sleep": "ok"},
        {"mood": "3", "craving": "3", "sleep": "ok", "use": "\x00", "good_thing": "\ud7ff" * 600},
    ],
)
def test_bad_check_in_input_is_explained(client, mira, data):
    response = post(client, "/today/check-in", data)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "less", "title": "x" * 300},
        {"kind": ["less", "life"], "title": "t"},
        {"kind": "life", "area": "moon", "title": "t"},
        {"kind": "less", "title": "t", "target_date": "2026-02-30"},
        {"kind": "less", "title": "t", "steps": "\n".join(["s"] * 40)},
    ],
)
def test_bad_goal_input_is_explained(client, mira, data):
    assert post(client, "/goals/new", data).status_code in (200, 302)


def test_someone_elses_diary_cannot_be_changed(app, client, mira):
    noor_id, _ = make_user(app, "noor")
    theirs = make_diary(app, noor_id)
    entry, goal, step = theirs["entry"], theirs["goal"], theirs["step"]
    attempts = [
        (f"/diary/{entry}/edit", {"text": "mine now"}),
        (f"/diary/{entry}/delete", {}),
        (f"/goals/{goal}/edit", {"kind": "less", "title": "mine"}),
        (f"/goals/{goal}/delete", {}),
        (f"/goals/{goal}/status", {"status": "let_go"}),
        (f"/goals/{goal}/check-in", {"outcome": "not_this_time"}),
        (f"/goals/{goal}/steps", {"step": "x"}),
        (f"/goals/{goal}/steps/{step}/toggle", {}),
        (f"/goals/{goal}/steps/{step}/delete", {}),
    ]
    for url, data in attempts:
        assert post(client, url, data).status_code == 404, url
    owner = app.test_client()
    login(owner, "noor")
    assert "a quiet good day" in owner.get(f"/diary/{entry}").get_data(as_text=True)
    page = owner.get(f"/goals/{goal}").get_data(as_text=True)
    assert "Tell a friend" in page and "Only on weekends" in page
    assert page.count("Not this time") == 1  # the option to choose, not a check-in someone else made


def test_a_step_of_another_goal_is_404(app, client, mira):
    mine = make_diary(app, mira)
    other = make_diary(app, mira)
    assert post(client, f"/goals/{mine['goal']}/steps/{other['step']}/toggle").status_code == 404


def test_export_and_deletion_include_the_diary(app, client, mira):
    make_diary(app, mira)
    post(client, "/today/check-in", {"mood": "3", "craving": "1", "sleep": "ok"})
    data = client.get("/settings/export").get_json(force=True)
    assert len(data["diary"]["diary_entries"]) == 1 and len(data["diary"]["goals"]) == 1
    assert len(data["diary"]["daily_check_ins"]) == 1 and data["diary"]["entry_strengths"][0]["name"] == "Patience"
    post(client, "/settings/delete", {"password": "green kettle morning walk"})
    from sqlalchemy import text

    from extensions import db

    with app.app_context():
        for table in ("diary_entry", "entry_strength", "goal", "goal_step", "goal_check_in", "daily_check_in"):
            assert db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table


def test_answers_can_be_taken_back(app, client, mira):
    from sqlmodel import select

    from diary.models import DailyCheckIn, DiaryEntry
    from extensions import db

    post(client, "/today/check-in", {"mood": "3", "craving": "5", "sleep": "ok", "use": "usual"})
    form = _main(client.get("/today?change=1"))
    assert "I would rather not say" in form
    post(client, "/today/check-in", {"mood": "3", "craving": "5", "sleep": "ok", "use": "skip"})
    post(client, "/diary/new", {"mood": "2", "text": "a heavy day"})
    with app.app_context():
        assert db.session.exec(select(DailyCheckIn)).one().use is None
        entry = next(e for e in db.session.exec(select(DiaryEntry)).all() if e.text == "a heavy day")
    edit = _main(client.get(f"/diary/{entry.id}/edit"))
    assert "No mood this time" in edit
    post(client, f"/diary/{entry.id}/edit", {"mood": "none", "text": "a heavy day"})
    with app.app_context():
        assert db.session.get(DiaryEntry, entry.id).mood is None


def test_a_done_step_can_be_undone_and_deleting_asks_first(app, client, mira):
    post(client, "/next-steps/new", {"kind": "other", "title": "Call the housing office"})
    step = re.search(r"/next-steps/(\d+)/done", _main(client.get("/next-steps"))).group(1)
    post(client, f"/next-steps/{step}/done")
    page = _main(client.get("/next-steps"))
    assert "Not done after all" in page
    post(client, f"/next-steps/{step}/done")  # not done after all
    assert f"/next-steps/{step}/done" in _main(client.get("/next-steps"))
    assert "Not done after all" not in _main(client.get("/next-steps"))
    post(client, f"/next-steps/{step}/done")
    asked = client.get(f"/next-steps/{step}/delete")
    assert asked.status_code == 200 and "Delete this?" in _main(asked) and "Call the housing office" in _main(asked)
    assert "Call the housing office" in _main(client.get("/next-steps"))  # asking deleted nothing
    post(client, f"/next-steps/{step}/delete")
    assert "Call the housing office" not in _main(client.get("/next-steps"))
