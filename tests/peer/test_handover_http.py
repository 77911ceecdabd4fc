"""Handover with consent over HTTP: the pages of the peer supporter, the coordinator and
the client; bad input and JSON bodies get a clear answer, a double submit stores once, two
yeses at the same moment make one contact, and the coordinator never sees a client's name
or a message."""

import re
import threading

import pytest
from sqlmodel import select

from tests.conftest import db_session, login, main_of, make_contact, make_peer_profile, make_user, post


@pytest.fixture
def people(app):
    ids = {}
    ids["mira"], _ = make_user(app, "mira")
    ids["helle"], _ = make_user(app, "helle", role="peer", approved=True)
    ids["ola"], _ = make_user(app, "ola", role="peer", approved=True)
    ids["coord"], _ = make_user(app, "coord", role="coordinator")
    make_peer_profile(app, ids["helle"], display_name="Helle")
    make_peer_profile(app, ids["ola"], display_name="Ola", about="Ola has been there too.", gender="man")
    ids["contact"] = make_contact(app, ids["mira"], ids["helle"])
    return ids


def _as(app, handle):
    client = app.test_client()
    login(client, handle)
    return client


def _handovers(app):
    from peer.models import Handover

    with app.app_context():
        return db_session().exec(select(Handover).order_by(Handover.id)).all()


def _key(page) -> str:
    return re.search(r'name="client_key" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_peer_suggests_client_says_yes(app, people):
    helle = _as(app, "helle")
    conversation = helle.get(f"/contacts/{people['contact']}")
    assert f"/contacts/{people['contact']}/handover" in conversation.get_data(as_text=True)
    form = helle.get(f"/contacts/{people['contact']}/handover")
    page = main_of(form)
    assert "Ola has been there too." in page and "I am stepping back" in page
    sent = post(
        helle,
        f"/contacts/{people['contact']}/handover",
        {"colleague": str(people["ola"]), "goodbye": "Goodbye from Helle", "client_key": _key(form)},
    )
    assert sent.status_code == 302
    mira = _as(app, "mira")
    contacts = main_of(mira.get("/contacts"))
    assert "Would you like to continue with Ola?" in contacts and "Goodbye from Helle" in contacts
    assert f"/peers/{people['ola']}" in contacts
    assert mira.get(f"/peers/{people['ola']}").status_code == 200  # the colleague's profile opens
    handover_id = _handovers(app)[0].id
    answered = post(mira, f"/handovers/{handover_id}/yes")
    assert answered.status_code == 302
    new_id = _handovers(app)[0].new_contact_id
    assert answered.headers["Location"].endswith(f"/contacts/{new_id}")
    old = main_of(mira.get(f"/contacts/{people['contact']}"))
    assert "Goodbye from Helle" in old and "You chose to continue with Ola." in old
    assert "Would you like" not in main_of(mira.get("/contacts"))
    # Helle sees the answer in the old conversation; Ola sees the person in the inbox.
    assert "Said yes: continues with Ola." in main_of(helle.get(f"/contacts/{people['contact']}"))
    assert "mira" in main_of(_as(app, "ola").get("/inbox"))
    assert "Handed over to you by Helle" in main_of(_as(app, "ola").get(f"/contacts/{new_id}"))
    assert "You continue here after Helle stepped back." in main_of(mira.get(f"/contacts/{new_id}"))


def test_client_says_no_and_the_peer_sees_it(app, people):
    helle = _as(app, "helle")
    post(helle, f"/contacts/{people['contact']}/handover", {"colleague": str(people["ola"]), "goodbye": ""})
    mira = _as(app, "mira")
    assert post(mira, f"/handovers/{_handovers(app)[0].id}/no").status_code == 302
    assert "Would you like" not in main_of(mira.get("/contacts"))
    assert "Said no, thank you, to Ola." in main_of(helle.get(f"/contacts/{people['contact']}"))
    assert "Said no, thank you" in main_of(helle.get("/handover"))
    with db_session_of(app) as session:
        from peer.models import Contact

        assert session.get(Contact, people["contact"]).status == "active"
        assert len(session.exec(select(Contact)).all()) == 1


class db_session_of:
    def __init__(self, app):
        self.context = app.app_context()

    def __enter__(self):
        self.context.push()
        return db_session()

    def __exit__(self, *exc):
        self.context.pop()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"colleague": "abc"},
        {"colleague": "99999999999999999999"},
        {"colleague": "-1"},
        {"colleague": "<script>"},
        {"colleague": "\x00"},
        {"colleague": ["1", "2"]},
        {"goodbye": "x" * 5000},
    ],
)
def test_bad_input_gets_a_clear_answer(app, people, data):
    helle = _as(app, "helle")
    data = {"colleague": str(people["ola"]), **data} if "goodbye" in data else data
    response = post(helle, f"/contacts/{people['contact']}/handover", data)
    assert response.status_code == 200
    assert "Please check this" in response.get_data(as_text=True)
    assert _handovers(app) == []


def test_a_json_body_is_not_a_form(app, people):
    helle = _as(app, "helle")
    for url in (f"/contacts/{people['contact']}/handover", "/handover"):
        response = helle.post(url, json={"colleague": people["ola"]})
        assert response.status_code in (200, 400)
    coord = _as(app, "coord")
    assert coord.post(f"/coordinator/peers/{people['helle']}/handover", json=[1, [2]]).status_code in (200, 400)
    assert _handovers(app) == []


def test_a_double_submit_stores_once(app, people):
    helle = _as(app, "helle")
    form = helle.get("/handover")
    data = {"colleague": str(people["ola"]), "goodbye": "Bye", "client_key": _key(form)}
    assert post(helle, "/handover", data).status_code == 302
    assert post(helle, "/handover", data).status_code == 302
    from peer.models import Message

    with db_session_of(app) as session:
        assert len(session.exec(select(Message)).all()) == 1
    assert [h.outcome for h in _handovers(app)] == [None]
    mira = _as(app, "mira")
    handover_id = _handovers(app)[0].id
    assert post(mira, f"/handovers/{handover_id}/yes").status_code == 302
    assert post(mira, f"/handovers/{handover_id}/yes").status_code == 302  # the second tap: no harm
    with db_session_of(app) as session:
        from peer.models import Contact

        assert len(session.exec(select(Contact).where(Contact.other_id == people["ola"])).all()) == 1


def test_two_yeses_at_the_same_moment(app, people):
    post(_as(app, "helle"), f"/contacts/{people['contact']}/handover", {"colleague": str(people["ola"])})
    handover_id = _handovers(app)[0].id
    clients = [_as(app, "mira") for _ in range(4)]
    barrier, statuses = threading.Barrier(4), []

    def tap(client):
        barrier.wait()
        statuses.append(post(client, f"/handovers/{handover_id}/yes").status_code)

    threads = [threading.Thread(target=tap, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 4
    with db_session_of(app) as session:
        from peer.models import Contact

        made = session.exec(select(Contact).where(Contact.other_id == people["ola"])).all()
        assert [c.status for c in made] == ["active"]


def test_the_coordinator_sees_counts_never_names_or_messages(app, people):
    from peer import messages
    from peer.models import Contact

    with db_session_of(app) as session:
        from accounts.models import User

        messages.send(
            session, session.get(User, people["mira"]), session.get(Contact, people["contact"]), "secret words"
        )
    coord = _as(app, "coord")
    page = main_of(coord.get(f"/coordinator/peers/{people['helle']}/handover"))
    assert "1 person will be asked." in page and "mira" not in page and "secret" not in page
    assert (
        post(coord, f"/coordinator/peers/{people['helle']}/handover", {"colleague": str(people["ola"])}).status_code
        == 302
    )
    listing = main_of(coord.get("/coordinator/peers"))
    assert "Handover: 1 waiting, 0 yes, 0 no" in listing and "mira" not in listing and "secret" not in listing
    mira = _as(app, "mira")
    assert "The organisation suggests Ola" in main_of(mira.get("/contacts"))
    post(mira, f"/handovers/{_handovers(app)[0].id}/yes")
    old = main_of(mira.get(f"/contacts/{people['contact']}"))
    assert "Helle could no longer continue as your peer supporter. You chose to continue with Ola." in old
    assert "Handover: 0 waiting, 1 yes, 0 no" in main_of(coord.get("/coordinator/peers"))


def test_others_cannot_reach_a_handover(app, people):
    make_user(app, "noor")
    post(_as(app, "helle"), f"/contacts/{people['contact']}/handover", {"colleague": str(people["ola"])})
    handover_id = _handovers(app)[0].id
    for handle in ("noor", "ola", "helle", "coord"):
        client = _as(app, handle)
        for answer in ("yes", "no"):
            assert post(client, f"/handovers/{handover_id}/{answer}").status_code == 404
    assert _as(app, "ola").get(f"/contacts/{people['contact']}/handover").status_code == 404
    assert [h.outcome for h in _handovers(app)] == [None]


def test_a_void_suggestion_is_not_shown_and_yes_says_so(app, people):
    post(_as(app, "helle"), f"/contacts/{people['contact']}/handover", {"colleague": str(people["ola"])})
    coord = _as(app, "coord")
    post(coord, f"/coordinator/peers/{people['ola']}/pause")
    mira = _as(app, "mira")
    assert "Would you like" not in main_of(mira.get("/contacts"))
    answered = post(mira, f"/handovers/{_handovers(app)[0].id}/yes", follow_redirects=True)
    assert "This suggestion no longer stands. Nothing has changed." in answered.get_data(as_text=True)
    assert [h.outcome for h in _handovers(app)] == ["void"]


def test_the_client_is_asked_by_a_neutral_push_in_their_language(app, people):
    from accounts.models import User
    from push import service
    from push.models import Notification

    with db_session_of(app) as session:
        mira = session.get(User, people["mira"])
        mira.locale = "sv"
        session.add(mira)
        service.subscribe(session, mira, "https://93.184.215.14/m", "B" * 87, "A" * 22)
        ola = session.get(User, people["ola"])
        service.subscribe(session, ola, "https://93.184.215.14/o", "B" * 87, "A" * 22)
        session.commit()
    post(_as(app, "helle"), f"/contacts/{people['contact']}/handover", {"colleague": str(people["ola"])})
    post(_as(app, "mira"), f"/handovers/{_handovers(app)[0].id}/yes")
    with db_session_of(app) as session:
        sent = {n.kind: n for n in session.exec(select(Notification)).all()}
        assert sent["handover"].payload["body"] == "Något nytt till dig"
        assert sent["handover"].user_id == people["mira"] and sent["handover_new"].user_id == people["ola"]
        for notification in sent.values():
            assert "Helle" not in str(notification.payload) and "Ola" not in str(notification.payload)


def test_the_peer_supporter_takes_a_question_back_and_the_client_is_no_longer_asked(app, people):
    helle, mira = _as(app, "helle"), _as(app, "mira")
    contact = people["contact"]
    post(helle, f"/contacts/{contact}/handover", {"colleague": str(people["ola"]), "goodbye": ""})
    assert "Would you like to continue with Ola?" in main_of(mira.get("/contacts"))
    conversation = main_of(helle.get(f"/contacts/{contact}"))
    handover_id = re.search(r'action="/handovers/(\d+)/withdraw"', conversation).group(1)
    # Only the peer supporter who asked can take it back: the client and the colleague get 404.
    assert post(mira, f"/handovers/{handover_id}/withdraw", {}).status_code == 404
    assert post(_as(app, "ola"), f"/handovers/{handover_id}/withdraw", {}).status_code == 404
    taken = post(helle, f"/handovers/{handover_id}/withdraw", {})
    assert taken.status_code == 302 and taken.headers["Location"].endswith(f"/contacts/{contact}")
    assert "The question is taken back." in main_of(helle.get(taken.headers["Location"]))
    assert "Would you like to continue" not in main_of(mira.get("/contacts"))
    assert post(helle, f"/handovers/{handover_id}/withdraw", {}).status_code == 404  # a second tap: gone
    answered = post(mira, f"/handovers/{handover_id}/yes", {})
    assert answered.status_code == 302
    from peer.models import Contact

    with app.app_context():
        mine = db_session().exec(select(Contact).where(Contact.client_id == people["mira"])).all()
        assert [(c.other_id, c.status) for c in mine] == [(people["helle"], "active")]


def test_stopping_stops_being_offered_to_new_people_unless_unticked(app, people):
    from peer.profiles import profile_of
    from tests.conftest import db_session

    helle = _as(app, "helle")
    page = main_of(helle.get("/handover"))
    (box,) = re.findall(r'<input[^>]*name="stop_new"[^>]*>', page)
    assert "checked" in box  # ticked unless the peer supporter unticks it
    post(helle, "/handover", {"colleague": str(people["ola"]), "goodbye": "", "stop_new": "y"})
    with app.app_context():
        assert profile_of(db_session(), people["helle"]).taking_new is False


def test_removing_from_the_list_asks_first_and_offers_a_handover(app, people):
    """The coordinator's list no longer removes at one tap: a question page names the peer
    supporter, says how many people they carry and links to handing them over first."""
    coord = _as(app, "coord")
    listing = main_of(coord.get("/coordinator/peers"))
    assert f'action="/coordinator/peers/{people["helle"]}/remove"' not in listing
    assert f'href="/coordinator/peers/{people["helle"]}/confirm-remove"' in listing
    question = main_of(coord.get(f"/coordinator/peers/{people['helle']}/confirm-remove"))
    assert "Remove Helle as a peer supporter?" in question
    assert "They carry 1 person now." in question
    assert f'href="/coordinator/peers/{people["helle"]}/handover"' in question
    assert f'action="/coordinator/peers/{people["helle"]}/remove"' in question
    assert "mira" not in question and "noor" not in question  # never who
    assert _as(app, "helle").get(f"/coordinator/peers/{people['helle']}/confirm-remove").status_code == 404


@pytest.mark.parametrize("who", ["helle", "coord"])
def test_a_refused_form_sent_by_htmx_comes_back_as_its_fragment(app, people, who):
    """htmx asks for the content block alone: the form's macro must be there too."""
    url = "/handover" if who == "helle" else f"/coordinator/peers/{people['helle']}/handover"
    answer = post(_as(app, who), url, {"colleague": "2147483647"}, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    assert "Choose the peer supporter who could continue." in answer.get_data(as_text=True)
    one = post(
        _as(app, "helle"), f"/contacts/{people['contact']}/handover", {"colleague": "x"}, headers={"HX-Request": "true"}
    )
    assert one.status_code == 200 and 'name="colleague"' in one.get_data(as_text=True)
