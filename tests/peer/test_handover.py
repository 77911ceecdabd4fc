"""Handover with consent, the rules (peer/handover.py): only the client's yes moves
anything, no leaves everything as it was, nobody else can answer, a suggestion that no
longer holds is void, and two yeses at the same moment make one new contact."""

import threading

import pytest
from sqlmodel import select

from tests.conftest import db_session, make_contact, make_peer_profile, make_user


@pytest.fixture
def people(app):
    ids = {}
    ids["mira"], _ = make_user(app, "mira")
    ids["other"], _ = make_user(app, "noor")
    ids["helle"], _ = make_user(app, "helle", role="peer", approved=True)
    ids["ola"], _ = make_user(app, "ola", role="peer", approved=True)
    ids["sara"], _ = make_user(app, "sara", role="peer", approved=True)
    ids["coord"], _ = make_user(app, "coord", role="coordinator")
    make_peer_profile(app, ids["helle"], display_name="Helle")
    make_peer_profile(app, ids["ola"], display_name="Ola", gender="man")
    make_peer_profile(app, ids["sara"], display_name="Sara")
    ids["contact"] = make_contact(app, ids["mira"], ids["helle"])
    ids["other_contact"] = make_contact(app, ids["other"], ids["helle"])
    return ids


def _get(model, id_):
    return db_session().get(model, id_)


def _user(id_):
    from accounts.models import User

    return _get(User, id_)


def _contact(id_):
    from peer.models import Contact

    return _get(Contact, id_)


def _propose(ids, proposer="helle", to="ola", goodbye="Take care, Ola is good.", key=None):
    from peer import handover

    return handover.propose(
        db_session(), _user(ids[proposer]), _contact(ids["contact"]), ids[to], goodbye, client_key=key
    )


def _contacts_of(client_id):
    from peer.models import Contact

    return db_session().exec(select(Contact).where(Contact.client_id == client_id).order_by(Contact.id)).all()


def test_only_the_clients_yes_moves_anything(app, people):
    from diary import entries
    from peer import handover, messages, sharing
    from peer.models import Contact, EntryShare, Message, SharedCopy

    with app.app_context():
        session = db_session()
        mira, helle = _user(people["mira"]), _user(people["helle"])
        entry = entries.save_entry(session, mira, mood=3, text="only for Helle", answers={}, strengths=[])
        old = _contact(people["contact"])
        sharing.set_entry_shares(session, mira, entry, {old.id})
        old.share_checkin = True
        session.add(old)
        session.commit()
        messages.send(session, mira, old, "Hello Helle")
        offer = _propose(people)
        # Asked: nothing has moved yet, and the goodbye is in the old conversation.
        assert [c.other_id for c in _contacts_of(people["mira"])] == [people["helle"]]
        assert _contact(people["contact"]).status == "active"
        goodbye = session.get(Message, offer.message_id)
        assert goodbye.sender_id == helle.id and goodbye.body == "Take care, Ola is good."

        answered = handover.accept(session, mira, offer)
        assert answered.outcome == "accepted" and answered.answered_at is not None
        old, new = _contact(people["contact"]), session.get(Contact, answered.new_contact_id)
        assert (old.status, old.ended_by) == ("ended", helle.id)
        assert (new.client_id, new.other_id, new.kind, new.status) == (mira.id, people["ola"], "peer", "active")
        # Nothing shared with Helle moves: no entries, no copies, only the default consent.
        assert not session.exec(select(EntryShare).where(EntryShare.contact_id == new.id)).all()
        assert not session.exec(select(SharedCopy).where(SharedCopy.contact_id == new.id)).all()
        assert not session.exec(select(SharedCopy).where(SharedCopy.contact_id == old.id)).all()
        assert (new.share_checkin, new.share_plan) == (False, False)
        assert not session.exec(select(Message).where(Message.contact_id == new.id)).all()
        # The old history stays readable for the client, the goodbye last.
        shown, _earlier = messages.conversation(session, old)
        assert [m.body for m in shown] == ["Hello Helle", "Take care, Ola is good."]


def test_the_new_contact_gets_its_link_key_like_a_request(app, people):
    from peer import handover
    from peer.models import ContactKey

    with app.app_context():
        session = db_session()
        answered = handover.accept(session, _user(people["mira"]), _propose(people))
        holders = session.exec(select(ContactKey.user_id).where(ContactKey.contact_id == answered.new_contact_id))
        assert set(holders) == {people["mira"], people["ola"]}


def test_no_leaves_everything_as_it_was(app, people):
    from peer import handover, handover_shown

    with app.app_context():
        session = db_session()
        offer = _propose(people)
        answered = handover.decline(session, _user(people["mira"]), offer)
        assert answered.outcome == "declined" and answered.new_contact_id is None
        assert [(c.other_id, c.status) for c in _contacts_of(people["mira"])] == [(people["helle"], "active")]
        assert handover_shown.counts_for(session, people["helle"]) == {"open": 0, "accepted": 0, "declined": 1}
        # A yes after the no changes nothing either.
        with pytest.raises(handover.PeerError):
            handover.accept(session, _user(people["mira"]), answered)
        assert len(_contacts_of(people["mira"])) == 1


@pytest.mark.parametrize("who", ["other", "helle", "ola", "coord"])
def test_nobody_but_the_client_can_answer(app, people, who):
    from peer import handover

    with app.app_context():
        offer = _propose(people)
        assert handover.for_client(db_session(), _user(people[who]), offer.id) is None
        for answer in (handover.accept, handover.decline):
            with pytest.raises(handover.PeerError):
                answer(db_session(), _user(people[who]), offer)
        db_session().refresh(offer)
        assert offer.outcome is None and len(_contacts_of(people["mira"])) == 1


def test_only_the_contacts_peer_or_a_coordinator_may_suggest(app, people):
    from peer import handover

    with app.app_context():
        for who in ("sara", "mira", "other"):
            with pytest.raises(handover.PeerError):
                _propose(people, proposer=who)
        with pytest.raises(handover.PeerError, match="handover_colleague"):
            _propose(people, to="helle")  # not themselves
        with pytest.raises(handover.PeerError, match="handover_colleague"):
            _propose(people, to="mira")  # a client is no colleague
        made = _propose(people, proposer="coord", goodbye="ignored")
        assert made.proposed_by == people["coord"] and made.message_id is None


def test_a_new_suggestion_withdraws_the_old(app, people):
    from peer import handover, handover_shown
    from peer.models import Handover

    with app.app_context():
        first = _propose(people)
        second = _propose(people, to="sara", goodbye="")
        session = db_session()
        session.refresh(first)
        assert first.outcome == "withdrawn" and second.outcome is None
        assert [o.handover.id for o in handover_shown.open_offers(session, _user(people["mira"]))] == [second.id]
        rows = session.exec(select(Handover).where(Handover.contact_id == people["contact"])).all()
        assert sum(1 for row in rows if row.outcome is None) == 1
        with pytest.raises(handover.PeerError, match="handover_void"):
            handover.accept(session, _user(people["mira"]), first)


def test_the_same_form_sent_twice_makes_one_suggestion_and_one_goodbye(app, people):
    from peer.models import Handover, Message

    with app.app_context():
        first = _propose(people, key="k" * 32)
        again = _propose(people, key="k" * 32)
        assert first.id == again.id
        session = db_session()
        assert len(session.exec(select(Handover)).all()) == 1
        assert len(session.exec(select(Message).where(Message.contact_id == people["contact"])).all()) == 1


@pytest.mark.parametrize("change", ["paused", "removed", "unapproved", "ended", "blocked"])
def test_a_suggestion_that_no_longer_holds_is_void(app, people, change):
    from peer import contacts, handover, handover_shown, profiles

    with app.app_context():
        session = db_session()
        offer = _propose(people)
        ola, mira = _user(people["ola"]), _user(people["mira"])
        if change == "paused":
            profiles.set_paused(session, ola, True)
        elif change == "removed":
            profiles.remove_peer(session, ola)
        elif change == "unapproved":
            ola.peer_approved_at = None
            session.add(ola)
            session.commit()
        elif change == "ended":
            contacts.end(session, mira, _contact(people["contact"]))
        else:  # mira had blocked Ola before
            earlier = contacts.request_peer(session, mira, ola.id, "")
            contacts.block(session, mira, earlier)
        assert handover_shown.open_offers(session, mira) == []
        with pytest.raises(handover.PeerError, match="handover_void"):
            handover.accept(session, mira, offer)
        session.refresh(offer)
        assert offer.outcome == "void" and offer.new_contact_id is None
        assert not [c for c in _contacts_of(mira.id) if c.other_id == ola.id and c.status == "active"]


def test_yes_with_a_contact_already_there_only_ends_the_old_one(app, people):
    from peer import handover

    with app.app_context():
        already = make_contact(app, people["mira"], people["ola"])
        answered = handover.accept(db_session(), _user(people["mira"]), _propose(people))
        assert answered.new_contact_id == already
        assert [(c.other_id, c.status) for c in _contacts_of(people["mira"])] == [
            (people["helle"], "ended"),
            (people["ola"], "active"),
        ]


def test_a_waiting_request_to_the_colleague_is_answered_by_the_yes(app, people):
    from peer import handover

    with app.app_context():
        waiting = make_contact(app, people["mira"], people["ola"], accept=False)
        answered = handover.accept(db_session(), _user(people["mira"]), _propose(people))
        assert answered.new_contact_id == waiting and _contact(waiting).status == "active"


def test_everyone_at_once_and_the_coordinator_sees_counts(app, people):
    from peer import handover, handover_shown

    with app.app_context():
        session = db_session()
        helle = _user(people["helle"])
        assert handover.propose_all(session, helle, helle, people["ola"], "Goodbye", client_key="a" * 32) == 2
        assert handover_shown.counts_for(session, helle.id) == {"open": 2, "accepted": 0, "declined": 0}
        handover.accept(
            session, _user(people["mira"]), handover_shown.open_offers(session, _user(people["mira"]))[0].handover
        )
        assert handover_shown.counts_for(session, helle.id) == {"open": 1, "accepted": 1, "declined": 0}
        with pytest.raises(handover.PeerError):  # one peer supporter cannot hand over another's people
            handover.propose_all(session, _user(people["sara"]), helle, people["ola"])
        coord = _user(people["coord"])
        assert handover.propose_all(session, coord, helle, people["sara"]) == 1
        with pytest.raises(handover.PeerError, match="handover_nobody"):
            handover.propose_all(session, coord, _user(people["sara"]), people["ola"])


def test_what_the_peer_who_stepped_back_sees(app, people):
    from peer import handover, handover_shown

    with app.app_context():
        session = db_session()
        offer = _propose(people)
        asked = handover_shown.asked_by(session, _user(people["helle"]))
        assert [(a.name, a.colleague, a.handover.id) for a in asked] == [("mira", "Ola", offer.id)]
        handover.decline(session, _user(people["mira"]), offer)
        note = handover_shown.latest_for(session, _user(people["helle"]), _contact(people["contact"]))
        assert note.handover.outcome == "declined"
        assert handover_shown.latest_for(session, _user(people["sara"]), _contact(people["contact"])) is None


def test_the_export_holds_the_handover_for_the_client_and_the_peer(app, people):
    from accounts.exporting import export_user

    with app.app_context():
        offer = _propose(people)
        for who in ("mira", "helle"):
            rows = export_user(db_session(), _user(people[who]))["handovers"]
            assert [row["id"] for row in rows] == [offer.id]
        assert export_user(db_session(), _user(people["ola"]))["handovers"] == []


def test_two_yeses_at_the_same_moment_make_one_contact(app, people):
    from peer import handover
    from peer.models import Handover

    with app.app_context():
        offer_id = _propose(people).id
    barrier, results = threading.Barrier(4), []

    def answer():
        with app.app_context():  # the keys of the test's accounts are open to every thread
            session = db_session()
            mira = _user(people["mira"])
            barrier.wait()
            try:
                results.append(handover.accept(session, mira, session.get(Handover, offer_id)).new_contact_id)
            except Exception as error:  # noqa: BLE001  (the assertion below names it)
                results.append(error)

    threads = [threading.Thread(target=answer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        made = [c for c in _contacts_of(people["mira"]) if c.other_id == people["ola"]]
        assert len(made) == 1 and made[0].status == "active", results
        assert results == [made[0].id] * 4, results


def test_a_full_colleague_is_not_offered_and_a_yes_to_one_who_filled_up_moves_nothing(app, people):
    """The caseload holds for a handover as for a request: a colleague at their number is
    not in the list, and a yes after they filled up voids the offer and moves nothing."""
    from peer import handover
    from peer.errors import PeerError
    from peer.profiles import profile_of

    with app.app_context():
        session = db_session()
        offer = _propose(people)  # Ola carries nobody yet
        ola = profile_of(session, people["ola"])
        ola.caseload = 1
        session.add(ola)
        session.commit()
        assert people["ola"] in [card.user.id for card in handover.colleagues(session, people["helle"])]
        make_contact(app, people["other"], people["ola"])  # Ola's one place goes to someone else
        session.expire_all()
        assert people["ola"] not in [card.user.id for card in handover.colleagues(session, people["helle"])]
        with pytest.raises(PeerError) as refused:
            handover.accept(session, _user(people["mira"]), _get(type(offer), offer.id))
        assert refused.value.code == "handover_full"
        session.expire_all()
        assert _get(type(offer), offer.id).outcome == "void"
        assert [c.other_id for c in _contacts_of(people["mira"])] == [people["helle"]]
        assert _contact(people["contact"]).status == "active"


@pytest.mark.parametrize("who", ["coord", "helle"])
def test_a_retry_of_the_same_form_asks_once_even_without_a_goodbye_or_after_a_no(app, people, who):
    """The form's one-time key is kept on the suggestion itself: a coordinator's double tap,
    or a peer's with no goodbye, asks each person once, and the same form sent again after
    the client said no does not ask again."""
    from peer import handover, handover_shown, signals
    from peer.models import Handover

    asked = []

    def heard(sender, **kwargs):
        asked.append(kwargs["recipient_id"])

    signals.handover_proposed.connect(heard)
    try:
        with app.app_context():
            session = db_session()
            proposer, helle = _user(people[who]), _user(people["helle"])
            for _ in range(2):
                handover.propose_all(session, proposer, helle, people["ola"], "", client_key="k" * 32)
            assert sorted(asked) == sorted([people["mira"], people["other"]])
            rows = session.exec(select(Handover)).all()
            assert len(rows) == 2 and all(row.outcome is None for row in rows)
            mine = next(o for o in handover_shown.open_offers(session, _user(people["mira"])))
            handover.decline(session, _user(people["mira"]), mine.handover)
            handover.propose_all(session, proposer, helle, people["ola"], "", client_key="k" * 32)
            assert handover_shown.open_offers(session, _user(people["mira"])) == []
            assert len(session.exec(select(Handover)).all()) == 2 and len(asked) == 2
    finally:
        signals.handover_proposed.disconnect(heard)


def test_a_colleague_not_taking_new_people_is_not_offered(app, people):
    from peer import handover
    from peer.errors import PeerError
    from peer.profiles import profile_of

    with app.app_context():
        session = db_session()
        ola = profile_of(session, people["ola"])
        ola.taking_new = False
        session.add(ola)
        session.commit()
        assert people["ola"] not in [card.user.id for card in handover.colleagues(session, people["helle"])]
        with pytest.raises(PeerError, match="handover_colleague"):
            _propose(people)


def test_the_goodbye_is_no_answer_to_an_open_support_alert(app, people):
    """A peer supporter's goodbye goes into the conversation, but a client who needs support
    now still waits for a real answer: their alert stays open."""
    from peer import alerts, messages
    from peer.models import SupportAlert

    with app.app_context():
        session = db_session()
        mira = _user(people["mira"])
        alerts.raise_alert(session, mira, "now please")
        _propose(people)
        assert session.exec(select(SupportAlert)).one().answered_at is None
        messages.send(session, _user(people["helle"]), _contact(people["contact"]), "I'm here")
        session.expire_all()
        assert session.exec(select(SupportAlert)).one().answered_at is not None
