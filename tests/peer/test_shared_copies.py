"""What a client shares reaches the other person as a copy sealed to that person's key:
made when the client shares, changed when the client changes it, gone when they stop
sharing; the database holds nothing of it in the clear."""

import re

import pytest
from sqlalchemy import text
from sqlmodel import select

from tests.conftest import PASSWORD, login, main_of, make_contact, make_diary, make_peer_profile, make_user, post

_main = main_of


def _copies(app, what: str | None = None) -> list:
    from extensions import db
    from peer.models import SharedCopy

    with app.app_context():
        query = select(SharedCopy)
        if what:
            query = query.where(SharedCopy.what == what)
        rows = db.session.exec(query).all()
        db.session.expunge_all()
        return rows


@pytest.fixture
def shared(app):
    """mira, with an entry, and helle, her peer supporter, each logged in."""
    mira_id, _ = make_user(app, "mira")
    helle_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle_id, display_name="Helle Peer")
    contact = make_contact(app, mira_id, helle_id)
    ids = make_diary(app, mira_id)
    mira, helle = app.test_client(), app.test_client()
    login(mira, "mira")
    login(helle, "helle")
    return mira, helle, contact, ids


def test_a_peer_opens_a_shared_entry_only_while_it_is_shared(app, shared):
    mira, helle, contact, ids = shared
    url = f"/contacts/{contact}/entries/{ids['entry']}"
    assert helle.get(url).status_code == 404 and _copies(app) == []
    post(mira, f"/diary/{ids['entry']}/share", {"contacts": [str(contact)]})
    [copy] = _copies(app, "entry")
    assert (copy.contact_id, copy.ref_id) == (contact, ids["entry"]) and copy.recipient_id != copy.owner_id
    page = _main(helle.get(url))
    assert "a quiet good day" in page and "Patience" in page
    assert "a quiet good day" not in _main(helle.get(f"/contacts/{contact}")) and url in helle.get(
        f"/contacts/{contact}"
    ).get_data(as_text=True)
    post(mira, f"/diary/{ids['entry']}/share", {"contacts": []})
    assert _copies(app, "entry") == []  # unsharing deletes the copy, not only the permission
    assert helle.get(url).status_code == 404
    assert url not in helle.get(f"/contacts/{contact}").get_data(as_text=True)


def test_the_database_holds_no_shared_text_in_the_clear(app, shared):
    from extensions import db

    mira, helle, contact, ids = shared
    post(mira, f"/diary/{ids['entry']}/share", {"contacts": [str(contact)]})
    with app.app_context():
        stored = db.session.execute(text("SELECT sealed FROM shared_copy")).scalars().all()
    assert len(stored) == 1
    assert "quiet" not in stored[0] and "Patience" not in stored[0] and "mood" not in stored[0]


def test_editing_or_deleting_a_shared_entry_changes_what_the_peer_sees(app, shared):
    mira, helle, contact, ids = shared
    url = f"/contacts/{contact}/entries/{ids['entry']}"
    post(mira, f"/diary/{ids['entry']}/share", {"contacts": [str(contact)]})
    before = _copies(app, "entry")[0].sealed
    assert post(mira, f"/diary/{ids['entry']}/edit", {"text": "an even better day", "mood": "5"}).status_code == 302
    assert _copies(app, "entry")[0].sealed != before
    page = _main(helle.get(url))
    assert "an even better day" in page and "a quiet good day" not in page
    assert post(mira, f"/diary/{ids['entry']}/delete").status_code == 302
    assert _copies(app) == [] and helle.get(url).status_code == 404


def test_only_the_recipient_opens_a_copy_and_a_changed_one_is_refused(app, shared):
    from accounts.models import User
    from accounts.sealing import SealBroken
    from extensions import db
    from peer import sharing
    from peer.models import Contact, SharedCopy

    mira, helle, contact, ids = shared
    post(mira, f"/diary/{ids['entry']}/share", {"contacts": [str(contact)]})
    with app.app_context():
        row = db.session.exec(select(SharedCopy)).one()
        from accounts import keys

        with pytest.raises(SealBroken):  # the owner's own key is not the one it is sealed to
            keys.open_json_sealed_to(row.owner_id, row.sealed)
        body = row.sealed
        row.sealed = body[:40] + ("A" if body[40] != "A" else "B") + body[41:]
        db.session.add(row)
        db.session.commit()
        link, helle_user = db.session.get(Contact, contact), db.session.get(User, row.recipient_id)
        with pytest.raises(SealBroken):
            sharing.view_shared_entry(db.session, link, helle_user, ids["entry"])


def test_ending_the_link_deletes_what_was_sealed_to_the_peer(app, shared):
    mira, helle, contact, ids = shared
    post(mira, f"/diary/{ids['entry']}/share", {"contacts": [str(contact)]})
    assert len(_copies(app)) == 1
    assert post(mira, f"/contacts/{contact}/end").status_code in (200, 302)
    assert _copies(app) == []


def _invite(client, **choices):
    page = post(client, "/contacts/invite", {"label": "Mum", **choices}).get_data(as_text=True)
    return re.search(r'<p class="invite-code"><code>([A-Z0-9-]+)</code>', page).group(1)


def _join(app, code):
    relative = app.test_client()
    assert (
        post(relative, f"/invite/{code.replace('-', '')}", {"handle": "mum", "password": PASSWORD}).status_code == 200
    )
    return relative


def test_a_relative_sees_the_check_in_sign_only_while_consent_is_on(app):
    make_user(app, "mira")
    mira = app.test_client()
    login(mira, "mira")
    post(mira, "/today/check-in", {"mood": "2", "craving": "7", "sleep": "poor"})
    relative = _join(app, _invite(mira))
    contact = re.search(r"/contacts/(\d+)/consent", mira.get("/contacts").get_data(as_text=True)).group(1)
    assert _copies(app, "checkin") == [] and "A hard day" not in _main(relative.get("/linked"))
    post(mira, f"/contacts/{contact}/consent", {"share_checkin": "y"})
    assert len(_copies(app, "checkin")) == 1
    assert "A hard day" in _main(relative.get("/linked"))
    post(mira, "/today/check-in", {"mood": "5", "craving": "1", "sleep": "good"})  # a new check-in reaches the copy
    page = _main(relative.get("/linked"))
    assert "A good day" in page and "A hard day" not in page
    post(mira, f"/contacts/{contact}/consent", {})
    assert _copies(app, "checkin") == []
    page = _main(relative.get("/linked"))
    assert "A good day" not in page and "No longer shared with you." in page


def test_what_an_invitation_shares_reaches_the_relative_at_the_clients_next_login(app):
    mira_id, _ = make_user(app, "mira")
    ids = make_diary(app, mira_id)
    mira = app.test_client()
    login(mira, "mira")
    post(mira, "/today/check-in", {"mood": "2", "craving": "7", "sleep": "poor"})
    code = _invite(mira, share_checkin="y", goals=[str(ids["goal"])])
    post(mira, "/logout")
    relative = _join(app, code)  # the client is away: nothing can be sealed to mum yet
    page = _main(relative.get("/linked"))
    assert "A hard day" not in page and "Only on weekends" not in page
    assert "Nothing shared yet." in page and "mira has shared more with you" in page
    again = app.test_client()
    login(again, "mira")
    assert {row.what for row in _copies(app)} == {"checkin", "goal"}
    page = _main(relative.get("/linked"))
    assert "A hard day" in page and "Only on weekends" in page
    assert "Nothing shared yet." not in page and "shared more with you" not in page


def test_a_goal_check_in_updates_the_progress_a_relative_sees(app):
    mira_id, _ = make_user(app, "mira")
    ids = make_diary(app, mira_id)
    mira = app.test_client()
    login(mira, "mira")
    relative = _join(app, _invite(mira, goals=[str(ids["goal"])]))
    mira.get("/contacts")
    assert "1 good day" in _main(relative.get("/linked"))
    post(mira, f"/goals/{ids['goal']}/check-in", {"outcome": "planned"})
    # The same day twice is still one good day; the copy was sealed again all the same.
    page = _main(relative.get("/linked"))
    assert "Only on weekends" in page and "1 good day" in page
    post(mira, f"/goals/{ids['goal']}/edit", {"kind": "less", "title": "Weekends only, and less"})
    assert "Weekends only, and less" in _main(relative.get("/linked"))
