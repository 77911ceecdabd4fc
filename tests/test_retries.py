"""A double tap, a retry after a lost answer, two requests at the same moment: each form
that a page may send twice is stored once, and a first row of "one per day" never fails."""

from __future__ import annotations

import threading

from sqlmodel import select

from tests.conftest import csrf_token, login, make_contact, make_diary, make_peer_profile, make_user


def _at_once(clients: list, send) -> list[int]:
    """Each client sends at the same moment (after a barrier); the statuses, in any order."""
    tokens = [csrf_token(c) for c in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def run(client, token):
        barrier.wait()
        statuses.append(send(client, token).status_code)

    threads = [threading.Thread(target=run, args=(c, t)) for c, t in zip(clients, tokens, strict=False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _logged_in(app, handle: str, count: int) -> list:
    clients = []
    for _ in range(count):
        client = app.test_client()
        login(client, handle)
        clients.append(client)
    return clients


def _rows(app, model, **where):
    from extensions import db

    with app.app_context():
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return list(db.session.exec(query))


def test_two_first_daily_check_ins_at_the_same_moment(app):
    from diary.models import DailyCheckIn

    make_user(app, "mira")
    clients = _logged_in(app, "mira", 4)
    moods = iter(["2", "3", "4", "5"])
    forms = [{"mood": next(moods), "craving": "3", "sleep": "ok"} for _ in clients]

    def send(client, token):
        return client.post("/today/check-in", data={"csrf_token": token, **forms.pop()})

    statuses = _at_once(clients, send)
    assert all(code in (200, 302) for code in statuses), statuses
    rows = _rows(app, DailyCheckIn)
    assert len(rows) == 1
    assert rows[0].mood in (2, 3, 4, 5) and rows[0].craving == 3


def test_a_correction_the_same_day_changes_the_one_row(app, client):
    from diary.models import DailyCheckIn
    from tests.conftest import post

    make_user(app, "mira")
    login(client, "mira")
    post(client, "/today/check-in", {"mood": "2", "craving": "7", "sleep": "poor", "use": "usual"})
    post(client, "/today/check-in", {"mood": "4", "craving": "2", "sleep": "good", "good_thing": "A walk"})
    (row,) = _rows(app, DailyCheckIn)
    # An answer not sent again keeps what was saved earlier today (the mood buttons send only the mood).
    assert (row.mood, row.craving, row.sleep, row.use, row.good_thing) == (4, 2, "good", "usual", "A walk")
    post(client, "/today/check-in", {"use": "skip"})  # "I would rather not say" takes it back
    (row,) = _rows(app, DailyCheckIn)
    assert (row.mood, row.craving, row.sleep, row.use, row.good_thing) == (4, 2, "good", None, "A walk")


def test_a_goal_check_in_sent_twice_is_recorded_once(app, client):
    from diary.models import GoalCheckIn
    from tests.conftest import post

    user_id, _codes = make_user(app, "mira")
    goal_id = make_diary(app, user_id)["goal"]
    login(client, "mira")
    page = client.get(f"/goals/{goal_id}").get_data(as_text=True)
    assert 'name="client_key"' in page
    before = len(_rows(app, GoalCheckIn, goal_id=goal_id))
    form = {"outcome": "partly", "note": "went ok", "client_key": "g" * 32}
    first = post(client, f"/goals/{goal_id}/check-in", form)
    again = post(client, f"/goals/{goal_id}/check-in", form)  # the double tap
    assert first.status_code == again.status_code == 302
    assert len(_rows(app, GoalCheckIn, goal_id=goal_id)) == before + 1
    # A new check-in (a new key) is a new row: every check-in is still kept.
    post(client, f"/goals/{goal_id}/check-in", {**form, "client_key": "h" * 32})
    assert len(_rows(app, GoalCheckIn, goal_id=goal_id)) == before + 2


def test_a_goal_check_in_at_the_same_moment_twice_is_one_row(app):
    from diary.models import GoalCheckIn

    user_id, _codes = make_user(app, "mira")
    goal_id = make_diary(app, user_id)["goal"]
    clients = _logged_in(app, "mira", 3)
    before = len(_rows(app, GoalCheckIn, goal_id=goal_id))

    def send(client, token):
        return client.post(
            f"/goals/{goal_id}/check-in", data={"csrf_token": token, "outcome": "planned", "client_key": "s" * 32}
        )

    assert sorted(_at_once(clients, send)) == [302, 302, 302]
    assert len(_rows(app, GoalCheckIn, goal_id=goal_id)) == before + 1


def test_the_outcome_of_a_check_in_never_travels_in_the_url(app, client):
    from tests.conftest import post

    user_id, _codes = make_user(app, "mira")
    goal_id = make_diary(app, user_id)["goal"]
    login(client, "mira")
    answer = post(client, f"/goals/{goal_id}/check-in", {"outcome": "not_this_time", "client_key": "n" * 32})
    assert "not_this_time" not in answer.headers["Location"]
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Thank you for checking in, today too." in page
    # A check-in that is not this goal's (another person's, or none) shows no answer.
    sam_id, _codes = make_user(app, "sam")
    sam_goal = make_diary(app, sam_id)["goal"]
    other = app.test_client()
    login(other, "sam")
    theirs = post(other, f"/goals/{sam_goal}/check-in", {"outcome": "not_this_time", "client_key": "s" * 32})
    their_id = theirs.headers["Location"].split("checked=")[1].split("#")[0]
    for checked in (their_id, "999999"):
        shown = client.get(f"/goals/{goal_id}?checked={checked}")
        assert shown.status_code == 200
        assert "Thank you for checking in, today too." not in shown.get_data(as_text=True)


def _message_setup(app):
    client_id, _codes = make_user(app, "mira")
    peer_id, _codes = make_user(app, "lena", role="peer", approved=True)
    make_peer_profile(app, peer_id)
    return make_contact(app, client_id, peer_id)


def test_a_message_retried_after_a_lost_answer_is_stored_once(app, client):
    from peer.models import Message
    from tests.conftest import post

    contact_id = _message_setup(app)
    login(client, "mira")
    page = client.get(f"/contacts/{contact_id}").get_data(as_text=True)
    assert 'name="client_key"' in page
    form = {"body": "Are you there tonight?", "client_key": "m" * 32}
    assert post(client, f"/contacts/{contact_id}/messages", form).status_code == 302
    retry = post(client, f"/contacts/{contact_id}/messages", form, headers={"HX-Request": "true"})
    assert retry.status_code == 200
    assert retry.get_data(as_text=True).count("Are you there tonight?") == 1
    assert len(_rows(app, Message, contact_id=contact_id)) == 1
    post(client, f"/contacts/{contact_id}/messages", {**form, "client_key": "o" * 32})
    assert len(_rows(app, Message, contact_id=contact_id)) == 2


def test_a_message_sent_twice_at_the_same_moment_is_one_message(app):
    from peer.models import Message

    contact_id = _message_setup(app)
    clients = _logged_in(app, "mira", 3)

    def send(client, token):
        return client.post(
            f"/contacts/{contact_id}/messages", data={"csrf_token": token, "body": "at once", "client_key": "t" * 32}
        )

    assert sorted(_at_once(clients, send)) == [302, 302, 302]
    assert len(_rows(app, Message, contact_id=contact_id)) == 1


def test_after_sending_the_page_gets_a_fresh_key_for_the_next_message(app, client):
    """Without JavaScript the answer is a new page: its form carries a new key."""
    import re

    from tests.conftest import post

    contact_id = _message_setup(app)
    login(client, "mira")
    answer = post(
        client, f"/contacts/{contact_id}/messages", {"body": "one", "client_key": "k" * 32}, follow_redirects=True
    )
    key = re.search(r'name="client_key" type="hidden" value="([0-9a-f]{32})"', answer.get_data(as_text=True))
    assert key and key.group(1) != "k" * 32
