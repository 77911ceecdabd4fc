"""One help flow: call, or tell my people. With nobody to tell it says so before and after,
and sends nothing; with people, the answer names them as the client knows them."""

import re

from sqlmodel import select

from extensions import db
from peer.models import SupportAlert
from tests.conftest import PASSWORD, login, main_of, make_contact, make_peer_profile, make_user, post

_main = main_of


def _alerts(app) -> int:
    with app.app_context():
        return len(db.session.exec(select(SupportAlert)).all())


def _client(app, handle="mira"):
    user_id, _ = make_user(app, handle)
    client = app.test_client()
    login(client, handle)
    return user_id, client


def _with_mum(app, client):
    """A relative the client calls "Mum", who gets the support alerts."""
    page = post(client, "/contacts/invite", {"label": "Mum", "alerts": "y"}).get_data(as_text=True)
    code = re.search(r'<p class="invite-code"><code>([A-Z0-9-]+)</code>', page).group(1)
    relative = app.test_client()
    joined = post(relative, f"/invite/{code.replace('-', '')}", {"handle": "mum", "password": PASSWORD})
    assert joined.status_code == 200
    client.get("/contacts")  # the client is back: what the invitation switched on is sealed to Mum
    return relative


def test_with_no_contacts_the_page_says_nobody_would_be_told_and_offers_the_directory(app):
    _id, client = _client(app)
    page = _main(client.get("/help"))
    assert "Nobody would be told yet: you have no contacts in the app." in page
    assert 'href="/peers"' in page and 'href="/help/services"' in page
    assert "Yes, send it" not in page and 'hx-get="/support"' not in page
    confirm = _main(client.get("/support"))
    assert "Nobody would be told yet" in confirm and "Yes, send it" not in confirm


def test_posting_with_nobody_to_tell_sends_nothing_and_says_so(app):
    _id, client = _client(app)
    for headers in ({}, {"HX-Request": "true"}):
        response = post(client, "/support", {"note": "bad night"}, headers=headers)
        answer = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Nothing was sent: nobody gets your support alerts yet." in answer
        assert 'data-answer tabindex="-1"' in answer and 'href="/peers"' in answer
    assert _alerts(app) == 0


def test_contacts_without_alerts_are_named_as_the_reason(app):
    mira, client = _client(app)
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle, display_name="Lina")
    contact = make_contact(app, mira, helle)
    post(client, f"/contacts/{contact}/alerts")  # switched off
    page = _main(client.get("/help"))
    assert "none of your contacts has support alerts turned on" in page and 'href="/contacts"' in page
    assert "Lina (peer supporter)" in page  # still there to write to
    post(client, "/support", {"note": ""})
    assert _alerts(app) == 0


def test_telling_my_people_names_them_as_the_client_knows_them(app):
    mira, client = _client(app)
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle, display_name="Lina")
    make_contact(app, mira, helle)
    relative = _with_mum(app, client)
    page = _main(client.get("/help"))
    assert "This lets" in page and "Mum (relative)" in page and "Lina (peer supporter)" in page
    assert page.index("tel:112") < page.index("Tell my people")  # call first, then tell
    confirm = client.get("/support", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert confirm.lstrip().startswith('<section class="card help-tell" id="tell"')
    assert "Yes, send it" in confirm and 'data-answer tabindex="-1"' in confirm

    answer = post(client, "/support", {"note": "rough night"}, headers={"HX-Request": "true"})
    told = answer.get_data(as_text=True)
    assert 'id="tell"' in told and 'data-answer tabindex="-1"' in told
    assert "<li>Mum (relative)</li>" in told and "<li>Lina (peer supporter)</li>" in told
    assert "mum" not in told.replace("Mum", "")  # never the account name the client has not seen
    assert _alerts(app) == 1
    assert "mira needs support now" in _main(relative.get("/linked"))


def test_without_javascript_sending_lands_on_a_page_that_names_who_was_told(app):
    _mira, client = _client(app)
    _with_mum(app, client)
    assert "Mum (relative)" in _main(client.get("/support"))
    response = post(client, "/support", {"note": ""})
    assert response.status_code == 302 and re.search(r"/support/\d+$", response.headers["Location"])
    page = _main(client.get(response.headers["Location"]))
    assert "Your people know now" in page and "<li>Mum (relative)</li>" in page and "data-answer" in page
    _other, other = _client(app, "someone")
    assert other.get(response.headers["Location"]).status_code == 404


def test_anonymous_and_other_roles_see_the_call_part_only(app, client):
    page = _main(client.get("/help"))
    assert "tel:112" in page and "Tell my people" not in page
    make_user(app, "helle", role="peer", approved=True)
    peer = app.test_client()
    login(peer, "helle")
    page = _main(peer.get("/help"))
    assert "tel:112" in page and "Tell my people" not in page


def test_the_directory_offers_a_peer_supporter_to_a_client_and_the_lines_to_everyone(app, client):
    page = _main(client.get("/help/services?country=DK"))
    assert 'href="/help?country=DK#lines"' in page and 'href="/peers"' not in page
    _id, mira = _client(app)
    assert 'href="/peers"' in _main(mira.get("/help/services"))


def test_someone_chosen_for_alerts_meanwhile_turns_nothing_sent_into_the_question_again(app):
    from accounts.models import User
    from peer import support

    mira, client = _client(app)
    _with_mum(app, client)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        card = support.for_client(db.session, db.session.get(User, mira), support.NOTHING_SENT)
        assert card.state == support.CONFIRM and card.form is not None and card.names == ["Mum (relative)"]


def test_message_now_is_offered_only_where_a_message_can_go(app):
    """A relative with messages switched off is not offered a "Message now" that leads to
    "Messages are switched off" (issue 13, item 12); the peer supporter still is."""
    mira, client = _client(app)
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle, display_name="Lina")
    lina = make_contact(app, mira, helle)
    _with_mum(app, client)  # alerts on, messages off
    page = _main(client.get("/help"))
    people = page[page.index("Your people") :]
    assert "Lina" in people and f'href="/contacts/{lina}#write"' in people
    assert "Mum" not in people  # nowhere to write to her
    assert "helle" not in people  # the peer supporter by the name the client knows, never the handle
    assert people.count("Message now") == 1
