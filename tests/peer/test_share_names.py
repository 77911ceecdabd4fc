"""Sharing by the names the client uses ("Mum · relative", "Helle Peer · peer supporter"),
never an account name; the answer, the entry and the access log say who can see it. The
relative's invitation carries the client's own words, sealed by the code's key, and says
what the relative will and will not see."""

import re

import pytest
from sqlalchemy import text

from extensions import db
from tests.conftest import PASSWORD, login, main_of, make_contact, make_diary, make_peer_profile, make_user, post

_main = main_of


def _code(page: str) -> str:
    return re.search(r'<p class="invite-code"><code>([A-Z0-9-]+)</code>', page).group(1).replace("-", "")


@pytest.fixture
def people(app):
    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle, display_name="Helle Peer")
    peer_contact = make_contact(app, mira, helle)
    entry = make_diary(app, mira)["entry"]
    client = app.test_client()
    login(client, "mira")
    page = post(client, "/contacts/invite", {"label": "Mum", "messaging": "y"}).get_data(as_text=True)
    relative = app.test_client()
    post(relative, f"/invite/{_code(page)}", {"handle": "mumsaccount", "password": PASSWORD})
    mum_contact = int(re.search(r"/contacts/(\d+)/consent", client.get("/contacts").get_data(as_text=True)).group(1))
    return client, relative, entry, peer_contact, mum_contact


def test_the_share_list_names_each_person_by_the_clients_words_and_role(people):
    client, _relative, entry, peer_contact, mum_contact = people
    page = _main(client.get(f"/diary/{entry}/share"))
    labels = re.findall(r'<label class="choice share-row">.*?</label>', page, re.S)
    assert len(labels) == 2
    assert any("Mum · relative" in label and f'value="{mum_contact}"' in label for label in labels)
    assert any("Helle Peer · peer supporter" in label and f'value="{peer_contact}"' in label for label in labels)
    assert "helle" not in page.replace("Helle Peer", "") and "mumsaccount" not in page


def test_the_answer_and_the_entry_say_who_can_see_it(people):
    client, relative, entry, peer_contact, mum_contact = people
    assert "Only you can see this." in _main(client.get(f"/diary/{entry}"))
    post(client, f"/diary/{entry}/share", {"contacts": [str(peer_contact)]})
    page = _main(client.get(f"/diary/{entry}"))
    flashes = re.search(r'<div class="flashes".*?</div>', page, re.S).group(0)
    assert "data-answer" in flashes and "Shared. Helle Peer (peer supporter) can see this entry." in flashes
    assert "Helle Peer (peer supporter) can see this." in page and "Mum" not in flashes
    assert relative.get(f"/contacts/{mum_contact}/entries/{entry}").status_code == 404
    post(client, f"/diary/{entry}/share", {"contacts": [str(peer_contact), str(mum_contact)]})
    assert "Mum (relative) and Helle Peer (peer supporter) can see this." in _main(client.get(f"/diary/{entry}"))
    post(client, f"/diary/{entry}/share", {})
    page = _main(client.get(f"/diary/{entry}"))
    assert "Saved. Only you can see this entry." in page and "Only you can see this." in page


def test_the_access_log_names_who_it_was_shared_with(people):
    client, _relative, entry, peer_contact, _mum_contact = people
    post(client, f"/diary/{entry}/share", {"contacts": [str(peer_contact)]})
    post(client, f"/diary/{entry}/share", {})
    log = _main(client.get("/settings/access-log"))
    assert "You shared a diary entry with Helle Peer (peer supporter)" in log
    assert "You stopped sharing a diary entry with Helle Peer (peer supporter)" in log
    assert "You switched on for Mum (relative): messages" in log


def test_the_plan_share_list_uses_the_same_names(people):
    client, *_ = people
    page = _main(client.get("/next-steps/share"))
    assert "Mum · relative" in page and "Helle Peer · peer supporter" in page


def _invite(client, **data):
    return post(client, "/contacts/invite", {"label": "Dad", **data}).get_data(as_text=True)


def test_the_invitation_carries_the_clients_words_and_never_the_account_name(app, people):
    client, *_ = people
    made = _invite(client, from_name="Anna", note="I would like you\nto see how I am doing.", share_checkin="y")
    assert "Anna invites you to see some of how they are doing." in made
    assert "Copy the link" in made and "Share…" in made and "js/invite-share.js" in made
    code = _code(made)
    page = _main(app.test_client().get(f"/invite/{code}"))
    assert "Anna invites you to see some of how they are doing." in page
    assert "I would like you\nto see how I am doing." in page
    assert "mira" not in page.casefold()
    will, will_not = page.split("You will not see")
    assert "How they are doing: a simple sign, no numbers" in will
    assert "Messages between the two of you" in will_not and "Their goals" in will_not
    assert "Their diary, unless they share an entry with you" in will_not


def test_without_a_name_the_invitation_says_someone_close_to_you(app, people):
    client, *_ = people
    page = _main(app.test_client().get(f"/invite/{_code(_invite(client))}"))
    assert "Someone close to you invites you to see some of how they are doing." in page
    assert "mira" not in page.casefold() and "invite-note" not in page


def test_a_long_personal_line_is_refused(people):
    client, *_ = people
    page = _invite(client, note="x" * 301)
    assert "The line can have at most 300 characters." in page and "invite-code" not in page


def test_the_personal_line_is_sealed_by_the_code_and_goes_once_used(app, people):
    client, *_ = people
    made = _invite(client, from_name="Annamarker", note="a line only the link opens")
    code = _code(made)
    with app.app_context():
        row = db.session.execute(text("SELECT id, note, from_name FROM invitation ORDER BY id DESC LIMIT 1")).one()
        assert row.note.startswith(f"s1.i{row.id}.") and row.from_name.startswith(f"s1.i{row.id}.")
        raw = " ".join(str(value) for r in db.session.execute(text("SELECT * FROM invitation")).all() for value in r)
        assert "only the link" not in raw and "Annamarker" not in raw
    joined = app.test_client()
    joining = post(joined, f"/invite/{code}", {"handle": "dadsaccount", "password": PASSWORD})
    assert "Your recovery codes" in joining.get_data(as_text=True), _main(joining)
    with app.app_context():
        from peer import relatives
        from peer.models import Invitation

        invitation = db.session.get(Invitation, row.id)
        assert invitation.used_at is not None
        assert relatives.invitation_words(db.session, invitation, code) == ("", "")


def test_the_export_leaves_out_the_words_only_the_link_opens(people):
    client, *_ = people
    _invite(client, from_name="Anna", note="a line only the link opens")
    data = client.get("/settings/export").get_json(force=True)
    invitations = [
        row for section in data.values() if isinstance(section, dict) for row in section.get("invitations", [])
    ]
    assert invitations and all("note" not in row and "from_name" not in row for row in invitations)
    assert "only the link" not in str(data)


def test_before_inviting_the_client_reads_what_they_never_see(people):
    client, *_ = people
    page = _main(client.get("/contacts/invite"))
    never = page.split("They never see")[1]
    assert "Your diary, unless you share an entry with them" in never
    assert "Anything you do not tick here" in never
    assert 'name="from_name"' in page and 'name="note"' in page and 'maxlength="300"' in page
    made = _invite(client, share_checkin="y")
    will, will_not = made.split("Dad will not see")
    assert "How you are doing: a simple sign, no numbers" in will.split("Dad will see")[1]
    assert "Your goals" in will_not and "Your diary, unless you share an entry with them" in will_not


def test_once_linked_the_relative_knows_the_client_by_the_invitations_name(app, people):
    client, *_ = people
    code = _code(_invite(client, from_name="Annalinked", share_checkin="y"))
    relative = app.test_client()
    post(relative, f"/invite/{code}", {"handle": "sistersaccount", "password": PASSWORD})
    page = _main(relative.get("/linked"))
    assert "Annalinked" in page and "mira" not in page.casefold()
    with app.app_context():
        stored = db.session.execute(text("SELECT client_name FROM contact WHERE client_name IS NOT NULL")).all()
        assert stored and all(not value or value.startswith("s1.") for (value,) in stored)
        assert "Annalinked" not in " ".join(str(value) for (value,) in stored)


def test_without_a_name_the_relative_sees_the_account_name_they_were_given(app, people):
    client, *_ = people
    code = _code(_invite(client))
    relative = app.test_client()
    post(relative, f"/invite/{code}", {"handle": "brothersaccount", "password": PASSWORD})
    assert "mira" in _main(relative.get("/linked"))
