"""Goals over HTTP: ideas to tap, goals as whole cards, and every action answering where
the person looks (data-answer in the swapped fragment, or autofocus on the page reached
without JavaScript, with no #anchor that scrolls away from it)."""

import re

import pytest

from diary import goal_templates, vocab
from tests.conftest import login, main_of, make_diary, make_user, post

HX = {"HX-Request": "true"}


@pytest.fixture
def mira(app, client):
    user_id, _ = make_user(app, "mira")
    login(client, "mira")
    return user_id


_main = main_of


def _answer(html):
    """The element marked as the answer, from its opening tag to the end of the fragment."""
    found = re.search(r"<[a-z]+[^>]*\bdata-answer\b[^>]*>", html)
    return html[found.start() :] if found else None


def test_every_kind_has_two_or_three_ideas():
    groups = goal_templates.by_kind()
    assert list(groups) == list(vocab.GOAL_KINDS)
    assert all(2 <= len(items) <= 4 for items in groups.values())
    for template in goal_templates.TEMPLATES:
        assert template.kind in vocab.GOAL_KINDS
        assert (template.area in vocab.LIFE_AREAS) if template.kind == "life" else template.area is None
    keys = [t.key for t in goal_templates.TEMPLATES]
    assert len(keys) == len(set(keys))
    assert goal_templates.find("nope") is None and goal_templates.find(None) is None


def test_the_empty_goals_page_offers_ideas_in_every_kind(client, mira):
    page = _main(client.get("/goals"))
    assert 'class="button" href="/goals/new"' in page
    for title in (
        "Never use alone",
        "A home of my own",
        "Sleep better",
        "Use less on weekdays",
        "A week without using",
    ):
        assert title in page
    assert page.count('href="/goals/new?idea=') == len(goal_templates.TEMPLATES)


def test_an_idea_fills_the_form_to_change_before_saving(client, mira):
    page = _main(client.get("/goals/new?idea=never_alone"))
    assert 'value="Never use alone"' in page
    assert re.search(r'<input[^>]*checked[^>]*value="safer"|<input[^>]*value="safer"[^>]*checked', page)
    assert "Filled in from an idea" in page
    life = _main(client.get("/goals/new?idea=home"))
    assert 'value="A home of my own"' in life
    assert re.search(r'<option[^>]*selected[^>]*value="housing"|<option[^>]*value="housing"[^>]*selected', life)
    # The person changes the words, and their words are what is saved.
    saved = post(client, "/goals/new?idea=home", {"kind": "life", "area": "housing", "title": "A flat near my sister"})
    assert saved.status_code == 302
    assert "A flat near my sister" in _main(client.get(saved.headers["Location"]))
    # An unknown idea is an empty form, not an error.
    plain = _main(client.get("/goals/new?idea=%3Cscript%3E"))
    assert "Filled in from an idea" not in plain and "Ideas to start from" in plain


def test_goals_are_whole_cards_once_there_are_any(app, client, mira):
    ids = make_diary(app, mira)
    page = _main(client.get("/goals"))
    assert re.search(
        rf'<a class="goal-card" href="/goals/{ids["goal"]}">\s*<span class="goal-card-title">Only on weekends', page
    )
    assert "Ideas to start from" not in page


def test_a_setback_without_javascript_lands_on_its_answer(app, client, mira):
    goal = make_diary(app, mira)["goal"]
    answer = post(client, f"/goals/{goal}/check-in", {"outcome": "not_this_time", "client_key": "a" * 32})
    assert answer.status_code == 302 and "#" not in answer.headers["Location"]
    page = _main(client.get(answer.headers["Location"]))
    said = _answer(page)
    assert said is not None and said.startswith("<div") and "autofocus" in said.split(">")[0]
    assert "Thank you for checking in, today too." in said
    assert "Your 1 good day still counts" in said
    assert page.index("Thank you for checking in") < page.index("Save status")


def test_a_check_in_with_htmx_answers_in_the_progress_fragment(app, client, mira):
    goal = make_diary(app, mira)["goal"]
    fragment = post(
        client, f"/goals/{goal}/check-in", {"outcome": "planned", "client_key": "b" * 32}, headers=HX
    ).get_data(as_text=True)
    assert fragment.startswith('<section class="card" id="progress"')
    said = _answer(fragment)
    assert "Checked in. Well done" in said and "praise" in said.split(">")[0]
    assert "autofocus" not in fragment
    setback = post(
        client, f"/goals/{goal}/check-in", {"outcome": "not_this_time", "client_key": "c" * 32}, headers=HX
    ).get_data(as_text=True)
    assert "Thank you for checking in, today too." in _answer(setback)
    # Every outcome is one tap: a button of its own.
    page = _main(client.get(f"/goals/{goal}"))
    for key in vocab.OUTCOMES:
        assert f'name="outcome" value="{key}"' in page
    assert _answer(page) is None  # no answer when nothing was done


def test_steps_answer_in_place(app, client, mira):
    ids = make_diary(app, mira)
    goal, step = ids["goal"], ids["step"]
    ticked = post(client, f"/goals/{goal}/steps/{step}/toggle", headers=HX).get_data(as_text=True)
    assert ticked.startswith('<section class="card" id="steps"')
    assert _answer(ticked).split("</p>")[0].endswith("Done: Tell a friend. Well done for taking this step.")
    unticked = post(client, f"/goals/{goal}/steps/{step}/toggle", headers=HX).get_data(as_text=True)
    assert "Open again: Tell a friend." in _answer(unticked)
    added = post(client, f"/goals/{goal}/steps", {"step": "Call the clinic"}, headers=HX).get_data(as_text=True)
    assert "Added: Call the clinic." in _answer(added)
    removed = post(client, f"/goals/{goal}/steps/{step}/delete", headers=HX).get_data(as_text=True)
    assert _answer(removed).split("</p>")[0].endswith("The step is removed.")
    assert "Tell a friend" not in removed


def test_steps_without_javascript_land_on_the_step(app, client, mira):
    ids = make_diary(app, mira)
    goal, step = ids["goal"], ids["step"]
    answer = post(client, f"/goals/{goal}/steps/{step}/toggle")
    assert answer.headers["Location"].endswith(f"/goals/{goal}?step={step}")
    page = _main(client.get(answer.headers["Location"]))
    assert "autofocus" in _answer(page).split(">")[0] and "Done: Tell a friend." in _answer(page)
    added = post(client, f"/goals/{goal}/steps", {"step": "Call the clinic"})
    assert "added=1" in added.headers["Location"] and "#" not in added.headers["Location"]
    assert "Added: Call the clinic." in _answer(_main(client.get(added.headers["Location"])))
    removed = post(client, f"/goals/{goal}/steps/{step}/delete")
    assert "#" not in removed.headers["Location"]
    assert "The step is removed." in _main(client.get(removed.headers["Location"]))


def test_someone_elses_step_in_the_address_shows_no_answer(app, client, mira):
    mine = make_diary(app, mira)
    noor_id, _ = make_user(app, "noor")
    theirs = make_diary(app, noor_id)
    for step in (theirs["step"], 0, 99999999, 2**40):
        page = client.get(f"/goals/{mine['goal']}?step={step}")
        assert page.status_code == 200 and _answer(_main(page)) is None
