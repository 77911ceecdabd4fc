"""Contacts, messages, alerts, sharing and reports: the rules, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from accounts.models import User
from diary import entries
from extensions import db
from peer import alerts, contacts, messages, profiles, reports, sharing, signals
from peer.errors import PeerError
from peer.models import AccessEvent, Contact, Message
from tests.conftest import make_peer_profile, make_user


@pytest.fixture
def world(app):
    ids = {}
    ids["mira"], _ = make_user(app, "mira")
    ids["noor"], _ = make_user(app, "noor")
    ids["helle"], _ = make_user(app, "helle", role="peer", approved=True)
    ids["ola"], _ = make_user(app, "ola", role="peer", approved=True)
    ids["wait"], _ = make_user(app, "waiting", role="peer")
    make_peer_profile(app, ids["helle"])
    make_peer_profile(app, ids["ola"], display_name="Ola", gender="man", languages=["sv", "en"], topics=["prison"])
    make_peer_profile(app, ids["wait"], display_name="Not yet")
    with app.app_context():
        session = db.session
        yield session, {name: session.get(User, user_id) for name, user_id in ids.items()}


def test_only_approved_unpaused_peers_taking_new_people_are_found(world):
    session, people = world
    names = lambda **kw: [c.profile.display_name for c in profiles.find_peers(session, **kw)]  # noqa: E731
    assert names() == ["Helle", "Ola"]
    assert names(gender="woman", language="da") == ["Helle"]
    assert names(topic="prison") == ["Ola"]
    assert names(gender="man", language="da") == []
    profiles.set_paused(session, people["ola"], True)
    assert names() == ["Helle"]
    helle = profiles.profile_of(session, people["helle"].id)
    helle.taking_new = False
    session.add(helle)
    session.commit()
    assert names() == []
    with pytest.raises(PeerError):
        contacts.request_peer(session, people["mira"], people["helle"].id)


def test_request_accept_and_the_signals(world):
    session, people = world
    heard = []
    for signal in (signals.contact_requested, signals.contact_accepted, signals.message_created):
        signal.connect(lambda sender, **kw: heard.append(kw), weak=False)
    try:
        contact = contacts.request_peer(session, people["mira"], people["helle"].id, "hi")
        with pytest.raises(PeerError):
            contacts.request_peer(session, people["mira"], people["helle"].id)
        with pytest.raises(PeerError):
            contacts.accept(session, people["ola"], contact)
        contacts.accept(session, people["helle"], contact)
        messages.send(session, people["helle"], contact, "Welcome")
    finally:
        for signal in (signals.contact_requested, signals.contact_accepted, signals.message_created):
            signal.receivers.clear()
    assert [kw.get("recipient_id") for kw in heard] == [people["helle"].id, people["mira"].id, people["mira"].id]


@pytest.mark.parametrize("status", ["pending", "declined", "ended", "blocked"])
def test_only_an_active_contact_can_send(world, status):
    session, people = world
    contact = contacts.request_peer(session, people["mira"], people["helle"].id)
    if status == "declined":
        contacts.decline(session, people["helle"], contact)
    elif status in ("ended", "blocked"):
        contacts.accept(session, people["helle"], contact)
        messages.send(session, people["mira"], contact, "before")
        getattr(contacts, "end" if status == "ended" else "block")(session, people["helle"], contact)
    for sender in (people["mira"], people["helle"]):
        with pytest.raises(PeerError) as error:
            messages.send(session, sender, contact, "hello?")
        assert error.value.code == "contact_closed"
    if status in ("ended", "blocked"):
        assert [m.body for m in messages.conversation(session, contact)[0]] == ["before"]


def test_message_limits_and_strangers(world):
    session, people = world
    contact = session.get(Contact, make_contact_in(session, people))
    with pytest.raises(PeerError) as error:
        messages.send(session, people["mira"], contact, "   ")
    assert error.value.code == "message_empty"
    with pytest.raises(PeerError) as error:
        messages.send(session, people["mira"], contact, "x" * 4001)
    assert error.value.code == "message_long"
    assert messages.send(session, people["mira"], contact, "x" * 4000).id
    with pytest.raises(PeerError):
        messages.send(session, people["noor"], contact, "let me in")


def make_contact_in(session, people) -> int:
    contact = contacts.request_peer(session, people["mira"], people["helle"].id)
    contacts.accept(session, people["helle"], contact)
    return contact.id


def test_seen_marks_and_unread_counts(world):
    session, people = world
    contact = session.get(Contact, make_contact_in(session, people))
    first = messages.send(session, people["helle"], contact, "one")
    messages.send(session, people["helle"], contact, "two")
    assert messages.unread_count(session, people["mira"]) == 2
    assert messages.unread_count(session, people["helle"]) == 0
    before = messages.change_tag(session, contact, people["helle"])
    messages.mark_read(session, contact, people["mira"])
    assert messages.unread_count(session, people["mira"]) == 0
    assert session.get(Message, first.id).read_at is not None
    assert messages.change_tag(session, contact, people["helle"]) != before  # the peer's "Seen" appears


def test_the_change_tag_is_one_query_on_the_message_table(world):
    session, people = world
    contact = session.get(Contact, make_contact_in(session, people))
    messages.send(session, people["helle"], contact, "one")
    statements = []
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        tag = messages.change_tag(session, contact, people["mira"])
        assert tag == messages.change_tag(session, contact, people["mira"])
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    on_messages = [s for s in statements if "FROM message" in s]
    assert len(on_messages) == 2 and all("WHERE message.contact_id" in s for s in on_messages)


def test_inbox_puts_who_waited_longest_first(world):
    session, people = world
    first = session.get(Contact, make_contact_in(session, people))
    second = contacts.request_peer(session, people["noor"], people["helle"].id)
    contacts.accept(session, people["helle"], second)
    newer = messages.send(session, people["noor"], second, "hi")
    older = messages.send(session, people["mira"], first, "hello")
    older.sent_at = newer.sent_at - timedelta(hours=3)
    session.add(older)
    session.commit()
    rows = messages.inbox(session, people["helle"])
    assert [row.client.handle for row in rows] == ["mira", "noor"]
    assert rows[0].waited >= timedelta(hours=3)
    messages.send(session, people["helle"], first, "I'm here")
    rows = messages.inbox(session, people["helle"])
    assert [row.client.handle for row in rows] == ["noor", "mira"] and rows[1].waiting_since is None


def test_an_alert_reaches_exactly_the_opted_in_contacts(world):
    session, people = world
    with_helle = session.get(Contact, make_contact_in(session, people))
    with_ola = contacts.request_peer(session, people["mira"], people["ola"].id)
    contacts.accept(session, people["ola"], with_ola)
    contacts.set_alerts(session, people["mira"], with_ola, False)
    noor_contact = contacts.request_peer(session, people["noor"], people["ola"].id)
    contacts.accept(session, people["ola"], noor_contact)
    raised = []
    signals.support_alert_raised.connect(lambda sender, **kw: raised.append(kw), weak=False)
    try:
        alert = alerts.raise_alert(session, people["mira"], "bad night")
    finally:
        signals.support_alert_raised.receivers.clear()
    assert raised == [
        {"alert_id": alert.id, "recipient_ids": [people["helle"].id], "urls": {people["helle"].id: "/inbox"}}
    ]
    assert [a.client.handle for a in alerts.open_alerts_for(session, people["helle"])] == ["mira"]
    assert alerts.open_alerts_for(session, people["ola"]) == []
    alerts.mark_seen(session, people["helle"], with_helle)
    ((_, deliveries),) = alerts.my_alerts(session, people["mira"])
    assert deliveries[0][0].seen_at is not None
    messages.send(session, people["helle"], with_helle, "I'm here")
    assert alerts.open_alerts_for(session, people["helle"]) == []


def test_sharing_an_entry_and_the_access_log(world):
    session, people = world
    contact = session.get(Contact, make_contact_in(session, people))
    mira, helle = people["mira"], people["helle"]
    entry = entries.save_entry(session, mira, mood=3, text="for Helle", answers={}, strengths=[])
    secret = entries.save_entry(session, mira, mood=1, text="only mine", answers={}, strengths=[])
    assert sharing.view_shared_entry(session, contact, helle, entry.id) is None
    sharing.set_entry_shares(session, mira, entry, {contact.id, 999999})
    assert [e.id for e in sharing.shared_entries(session, contact, helle)] == [entry.id]
    assert sharing.shared_entries(session, contact, mira) == []
    assert sharing.view_shared_entry(session, contact, helle, secret.id) is None
    assert sharing.view_shared_entry(session, contact, helle, entry.id).entry.text == "for Helle"
    assert sharing.view_shared_entry(session, contact, helle, entry.id) is not None
    log = [(line.actor.handle, line.event.action) for line in sharing.access_log(session, mira)]
    assert log == [("helle", "viewed"), ("mira", "shared")]  # two looks in a minute are one line
    sharing.set_entry_shares(session, mira, entry, set())
    assert sharing.view_shared_entry(session, contact, helle, entry.id) is None
    assert [line.event.action for line in sharing.access_log(session, mira)][0] == "unshared"
    events = session.exec(select(AccessEvent)).all()
    assert all(e.user_id == mira.id for e in events) and len(events) == 3


def test_ending_a_contact_hides_shared_entries(world):
    session, people = world
    contact = session.get(Contact, make_contact_in(session, people))
    entry = entries.save_entry(session, people["mira"], mood=3, text="x", answers={}, strengths=[])
    sharing.set_entry_shares(session, people["mira"], entry, {contact.id})
    contacts.end(session, people["mira"], contact)
    assert sharing.view_shared_entry(session, contact, people["helle"], entry.id) is None


def test_a_report_holds_only_the_chosen_messages(world):
    session, people = world
    contact = session.get(Contact, make_contact_in(session, people))
    keep = messages.send(session, people["helle"], contact, "rude words")
    messages.send(session, people["mira"], contact, "my private reply")
    with pytest.raises(PeerError):
        reports.report(session, people["mira"], contact, people["helle"], set(), "")
    reports.report(session, people["mira"], contact, people["helle"], {keep.id}, "not okay")
    (view,) = reports.open_reports(session)
    assert [item.body for item in view.items] == ["rude words"] and view.report.reason == "not okay"
    assert reports.any_report(session, None, view.report.id) is view.report
    reports.close(session, view.report, "no_action")
    assert reports.open_reports(session) == [] and [v.report for v in reports.closed_reports(session)] == [view.report]


def test_removing_a_peer_ends_their_contacts_and_keeps_the_person(world):
    session, people = world
    contact = session.get(Contact, make_contact_in(session, people))
    profiles.remove_peer(session, people["helle"])
    session.refresh(contact)
    assert contact.status == "ended" and people["helle"].role == "client"
    assert [c.user.id for c in profiles.find_peers(session)] == [people["ola"].id]
