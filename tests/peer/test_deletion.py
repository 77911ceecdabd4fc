"""When a person deletes their account: nothing of theirs stays in someone else's rows (reports,
access logs), and the other person's side of a conversation stays, with a deleted account."""

import pytest
from sqlmodel import SQLModel, select

from accounts import service
from accounts.models import User
from diary import entries
from extensions import db
from peer import contacts, messages, relatives, reports, sharing
from peer.models import Contact, Message, Report, ReportItem
from tests.conftest import PASSWORD, login, main_of, make_contact, make_peer_profile, make_user, post


@pytest.fixture
def pair(app):
    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle)
    return mira, helle


_main = main_of


def _delete(app, user_id):
    with app.app_context():
        service.delete_account(db.session, db.session.get(User, user_id), PASSWORD)


def _text_in_tables(app, names) -> str:
    """Every value of every row of these tables, as one string to search in."""
    with app.app_context():
        values = []
        for name in names:
            table = SQLModel.metadata.tables[name]
            for row in db.session.execute(table.select()).mappings():
                values += [str(value) for value in row.values()]
        return "\n".join(values)


def test_a_report_keeps_nothing_of_the_reported_person_once_they_are_gone(app, pair):
    mira, helle = pair
    make_user(app, "coord", role="coordinator")  # before the report: its key is sealed to her too
    contact_id = make_contact(app, mira, helle)
    with app.app_context():
        session = db.session
        contact = session.get(Contact, contact_id)
        hers = messages.send(session, session.get(User, helle), contact, "words-of-helle-7f3a")
        mine = messages.send(session, session.get(User, mira), contact, "what mira answered")
        reports.report(
            session, session.get(User, mira), contact, session.get(User, helle), {hers.id, mine.id}, "it hurt"
        )
    _delete(app, helle)
    stored = _text_in_tables(app, ("report", "report_item"))
    assert "helle" not in stored.casefold() and "words-of-helle-7f3a" not in stored
    with app.app_context():
        (view,) = reports.open_reports(db.session)
        assert view.reported is None and view.report.reason == "it hurt"
        assert [(item.body, view.senders[item.sender_id].handle) for item in view.items] == [
            ("what mira answered", "mira")
        ]
    coordinator = app.test_client()
    login(coordinator, "coord")
    page = _main(coordinator.get("/coordinator/reports"))
    assert "mira about a deleted account" in page and "what mira answered" in page and "it hurt" in page
    assert "words-of-helle" not in page


def test_a_report_about_a_live_account_names_them_and_the_senders(app, pair):
    mira, helle = pair
    make_user(app, "coord", role="coordinator")  # before the report: its key is sealed to her too
    contact_id = make_contact(app, mira, helle)
    with app.app_context():
        session = db.session
        contact = session.get(Contact, contact_id)
        hers = messages.send(session, session.get(User, helle), contact, "unkind")
        reports.report(session, session.get(User, mira), contact, session.get(User, helle), {hers.id}, "")
        assert session.exec(select(Report)).one().reported_id == helle
        assert session.exec(select(ReportItem)).one().sender_id == helle
    coordinator = app.test_client()
    login(coordinator, "coord")
    page = _main(coordinator.get("/coordinator/reports"))
    assert "mira about helle" in page and "unkind" in page and "helle ·" in page


def test_the_access_log_keeps_no_handle_of_a_deleted_account(app, pair):
    mira, helle = pair
    contact_id = make_contact(app, mira, helle)
    with app.app_context():
        session = db.session
        owner, looker = session.get(User, mira), session.get(User, helle)
        contact = session.get(Contact, contact_id)
        entry = entries.save_entry(session, owner, mood=3, text="for helle", answers={}, strengths=[])
        sharing.set_entry_shares(session, owner, entry, {contact.id})
        assert sharing.view_shared_entry(session, contact, looker, entry.id) is not None
        assert [(line.actor.handle, line.event.action) for line in sharing.access_log(session, owner)] == [
            ("helle", "viewed"),
            ("mira", "shared"),
        ]
    client = app.test_client()
    login(client, "mira")
    assert "Helle (peer supporter) looked at a diary entry" in _main(client.get("/settings/access-log"))
    _delete(app, helle)
    assert "helle" not in _text_in_tables(app, ("access_event",)).casefold()
    with app.app_context():
        lines = sharing.access_log(db.session, db.session.get(User, mira))
        assert [(line.actor and line.actor.handle, line.event.action) for line in lines] == [
            (None, "viewed"),
            ("mira", "shared"),
        ]
    page = _main(client.get("/settings/access-log"))
    assert "A deleted account looked at a diary entry" in page and "You shared a diary entry" in page
    data = client.get("/settings/export").get_json(force=True)
    assert [e["actor"] for e in data["people"]["access_log"]] == ["you", None]


def test_the_clients_conversation_stays_when_the_peer_supporter_deletes_their_account(app, pair):
    mira, helle = pair
    contact_id = make_contact(app, mira, helle)
    client, peer = app.test_client(), app.test_client()
    login(client, "mira")
    login(peer, "helle")
    post(client, f"/contacts/{contact_id}/messages", {"body": "from mira"})
    post(peer, f"/contacts/{contact_id}/messages", {"body": "from helle"})
    post(peer, f"/contacts/{contact_id}/messages", {"body": "still unread"})
    assert post(peer, "/settings/delete", {"password": PASSWORD}).status_code == 302
    with app.app_context():
        session = db.session
        contact = session.get(Contact, contact_id)
        assert contact.other_id is None and contact.status == "ended" and contact.ended_at is not None
        rows = session.exec(select(Message).where(Message.contact_id == contact_id).order_by(Message.id)).all()
        assert [(m.body, m.sender_id) for m in rows] == [
            ("from mira", mira),
            ("from helle", None),
            ("still unread", None),
        ]
        owner = session.get(User, mira)
        assert messages.unread_count(session, owner) == 2
        assert messages.unread_by_contact(session, owner) == {contact_id: 2}
        assert contacts.other_person(session, contact, owner) is None
        (row,) = contacts.contacts_of(session, owner)
        assert row.other is None and row.contact.id == contact_id
    listing = _main(client.get("/contacts"))
    assert "A deleted account" in listing and "Ended" in listing
    page = client.get(f"/contacts/{contact_id}")
    assert page.status_code == 200
    shown = _main(page)
    assert "<h1>A deleted account</h1>" in shown and "from mira" in shown and "from helle" in shown
    assert "This account has been deleted" in shown and 'action="/contacts/%d/messages"' % contact_id not in shown
    assert f"/contacts/{contact_id}/report" not in shown
    with app.app_context():
        assert messages.unread_count(db.session, db.session.get(User, mira)) == 0
    assert client.get(f"/contacts/{contact_id}/messages").status_code == 200
    assert client.get(f"/contacts/{contact_id}/report").status_code == 404
    refused = post(client, f"/contacts/{contact_id}/messages", {"body": "are you there?"})
    assert refused.status_code == 200 and "are you there?" not in _text_in_tables(app, ("message",))
    assert client.get("/today").status_code == 200 and client.get("/diary").status_code == 200
    data = client.get("/settings/export").get_json(force=True)
    assert [m["body"] for m in data["people"]["messages"]] == ["from mira", "from helle", "still unread"]
    assert data["people"]["contacts"][0]["other_id"] is None
    # The client deleting their account still takes everything of the conversation with it.
    assert post(client, "/settings/delete", {"password": PASSWORD}).status_code == 302
    assert _text_in_tables(app, ("contact", "message")) == ""


def test_a_pending_request_to_a_deleted_peer_supporter_ends(app, pair):
    mira, helle = pair
    contact_id = make_contact(app, mira, helle, accept=False)
    _delete(app, helle)
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.other_id, contact.status) == (None, "ended")
    client = app.test_client()
    login(client, "mira")
    assert "A deleted account" in _main(client.get("/contacts"))
    assert client.get(f"/contacts/{contact_id}").status_code == 200


def test_who_ended_a_contact_is_forgotten_with_their_account(app, pair):
    mira, helle = pair
    contact_id = make_contact(app, mira, helle)
    with app.app_context():
        contacts.end(db.session, db.session.get(User, helle), db.session.get(Contact, contact_id))
    _delete(app, helle)
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.other_id, contact.status, contact.ended_by) == (None, "ended", None)


def test_a_deleted_relative_leaves_the_clients_side_and_their_look_in_the_log(app, pair):
    mira, _helle = pair
    mum, _ = make_user(app, "mum", role="relative")
    with app.app_context():
        session = db.session
        _invitation, code = relatives.create_invitation(
            session, session.get(User, mira), label="Mum", share_checkin=False, goal_ids=[], alerts=True, messaging=True
        )
        contact = relatives.accept_invitation(session, session.get(User, mum), code)
        contact_id = contact.id
        messages.send(session, session.get(User, mum), contact, "love, mum")
        entry = entries.save_entry(session, session.get(User, mira), mood=4, text="for mum", answers={}, strengths=[])
        sharing.set_entry_shares(session, session.get(User, mira), entry, {contact_id})
        sharing.view_shared_entry(session, contact, session.get(User, mum), entry.id)
    _delete(app, mum)
    assert "mum" not in _text_in_tables(app, ("access_event", "contact")).replace("Mum", "")
    client = app.test_client()
    login(client, "mira")
    assert "Mum" in _main(client.get("/contacts"))
    assert "love, mum" in _main(client.get(f"/contacts/{contact_id}"))
    assert client.get(f"/contacts/{contact_id}/consent").status_code == 404
    assert "A deleted account looked at a diary entry" in _main(client.get("/settings/access-log"))
    gone = post(client, "/support", {"note": "now"})  # nobody left to tell: nothing is sent, and it says so
    assert gone.status_code == 200 and "Nothing was sent" in gone.get_data(as_text=True)
