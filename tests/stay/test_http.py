"""Stay with me through its pages: starting with clear words for bad input, the prompt on the
client's pages, the alert with the note on the chosen peer supporter's pages (and nowhere
else), "I'm on it", "They are OK now", and the on-duty switch."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.conftest import login, main_of, make_contact, make_peer_profile, make_user, post


def _setup(app):
    mira_id, _ = make_user(app, "mira")
    helle_id, _ = make_user(app, "helle", role="peer", approved=True)
    oskar_id, _ = make_user(app, "oskar", role="peer", approved=True)
    make_peer_profile(app, helle_id, display_name="Helle")
    make_peer_profile(app, oskar_id, display_name="Oskar")
    c_helle = make_contact(app, mira_id, helle_id)
    c_oskar = make_contact(app, mira_id, oskar_id)
    mira, helle, oskar = app.test_client(), app.test_client(), app.test_client()
    login(mira, "mira")
    login(helle, "helle")
    login(oskar, "oskar")
    return mira, helle, oskar, c_helle, c_oskar


def _tick(app, minutes: int) -> int:
    from extensions import db, utcnow
    from stay import service

    with app.app_context():
        return service.tick(db.session, utcnow() + timedelta(minutes=minutes))


def _key(page: str) -> str:
    return re.search(r'name="client_key"[^>]*value="([^"]+)"', page).group(1)


def test_the_start_page_says_what_it_is_and_is_not(app):
    mira, *_rest = _setup(app)
    page = main_of(mira.get("/stay"))
    assert "This is not an emergency service. Nobody is called automatically." in page
    assert "If you are with someone who stops breathing, call 112." in page
    assert 'href="/help/first-aid"' in page and "What to do in an overdose" in page
    assert "Helle (peer supporter)" in page and "Oskar (peer supporter)" in page


def test_nobody_to_tell_is_said_with_the_way_to_choose(app):
    make_user(app, "solo")
    solo = app.test_client()
    login(solo, "solo")
    page = main_of(solo.get("/stay"))
    assert "Nobody can be told yet" in page and 'href="/contacts"' in page


def test_bad_input_gets_clear_words_and_nothing_starts(app):
    mira, _helle, _oskar, c_helle, _c_oskar = _setup(app)
    for data, words in (
        ({"minutes": "other", "other_minutes": "3", "people": str(c_helle)}, "between 5 and 240 minutes"),
        ({"minutes": "other", "other_minutes": "soon", "people": str(c_helle)}, "between 5 and 240 minutes"),
        ({"minutes": "20"}, "Choose at least one person"),
        ({"minutes": "20", "people": "99999999999999"}, "Choose at least one person"),
    ):
        response = post(mira, "/stay", data)
        assert response.status_code == 200 and words in main_of(response), data
    assert "Start Stay with me" in main_of(mira.get("/stay"))


def test_the_whole_way_through_the_pages(app):
    mira, helle, oskar, c_helle, _c_oskar = _setup(app)
    key = _key(mira.get("/stay").get_data(as_text=True))
    data = {"minutes": "20", "people": str(c_helle), "note": "Blue door, code 4711", "client_key": key}
    assert post(mira, "/stay", data).status_code == 302
    assert post(mira, "/stay", data).status_code == 302  # a double tap starts nothing more
    page = main_of(mira.get("/stay"))
    assert "Stay with me is on" in page and "Blue door, code 4711" in page
    assert "Stay with me is on until" in main_of(mira.get("/today"))  # the prompt on other pages
    assert _tick(app, 18) == 1
    assert "Are you OK?" in main_of(mira.get("/today"))
    assert "has not answered" not in main_of(helle.get("/inbox"))
    assert _tick(app, 23) == 1
    for url in ("/inbox", "/stay/alerts"):
        page = main_of(helle.get(url))
        assert "mira has not answered" in page and "Blue door, code 4711" in page
    for url in ("/inbox", "/stay/alerts"):
        assert "Blue door" not in oskar.get(url).get_data(as_text=True)
    person_id = re.search(r"/stay/alerts/(\d+)/on-it", main_of(helle.get("/stay/alerts"))).group(1)
    assert post(oskar, f"/stay/alerts/{person_id}/on-it").status_code == 404
    assert post(helle, f"/stay/alerts/{person_id}/on-it").status_code == 302
    assert "On it: You" in main_of(helle.get("/stay/alerts"))
    assert "On it: Helle (peer supporter)" in main_of(mira.get("/stay"))
    timer_id = re.search(r"/stay/(\d+)/ok", main_of(mira.get("/stay"))).group(1)
    answer = post(mira, f"/stay/{timer_id}/ok", follow_redirects=True)
    assert "We told the people who were alerted that you are OK." in main_of(answer)
    assert "mira is OK now" in main_of(helle.get("/stay/alerts"))
    assert "Start Stay with me" in main_of(mira.get("/stay"))


def test_more_time_and_the_polled_status(app):
    mira, _helle, _oskar, c_helle, _c_oskar = _setup(app)
    post(mira, "/stay", {"minutes": "10", "people": str(c_helle)})
    _tick(app, 8)
    timer_id = re.search(r"/stay/(\d+)/more", main_of(mira.get("/stay"))).group(1)
    answer = post(mira, f"/stay/{timer_id}/more", follow_redirects=True)
    assert "10 more minutes" in main_of(answer)
    fragment = mira.get("/stay", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="stay-status"') and "<main" not in fragment


def test_a_peer_supporter_goes_on_and_off_duty(app):
    dina_id, _ = make_user(app, "dina", role="peer", approved=True)
    dina = app.test_client()
    login(dina, "dina")
    assert "Fill in your profile first." in main_of(post(dina, "/stay/duty", {"on": "y"}, follow_redirects=True))
    make_peer_profile(app, dina_id, display_name="Dina")
    answer = main_of(post(dina, "/stay/duty", {"on": "y"}, follow_redirects=True))
    assert "You are on duty for Stay with me." in answer
    assert "Go off duty" in main_of(dina.get("/profile"))
    assert "You are off duty" in main_of(post(dina, "/stay/duty", follow_redirects=True))


def test_a_relative_with_alert_consent_sees_it_on_their_linked_view(app):
    make_user(app, "mira")
    make_user(app, "mum", role="relative")
    mira, mum = app.test_client(), app.test_client()
    login(mira, "mira")
    page = post(mira, "/contacts/invite", {"label": "Mum", "from_name": "Anna", "alerts": "y", "messaging": "y"})
    text = page.get_data(as_text=True)
    if page.status_code == 302:
        text = mira.get(page.headers["Location"]).get_data(as_text=True)
    code = re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}", text).group(0)
    login(mum, "mum")
    assert post(mum, f"/invite/{code}/accept").status_code == 302
    start = main_of(mira.get("/stay"))
    assert "Mum (relative)" in start
    contact_id = re.search(r'name="people"[^>]*value="(\d+)"', start).group(1)
    post(mira, "/stay", {"minutes": "10", "people": contact_id, "note": "Back door is open"})
    _tick(app, 8)
    _tick(app, 13)
    page = main_of(mum.get("/linked"))
    assert "Anna has not answered" in page and "Back door is open" in page
    assert "on it" in page
    assert "mira" not in page  # the relative knows her as Anna


def test_starting_again_while_one_runs_says_so(app):
    mira, _helle, _oskar, c_helle, _c_oskar = _setup(app)
    post(mira, "/stay", {"minutes": "20", "people": str(c_helle)})
    answer = post(mira, "/stay", {"minutes": "30", "people": str(c_helle)}, follow_redirects=True)
    assert "Stay with me is already on." in main_of(answer)
