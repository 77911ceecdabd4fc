"""What people write to each other is sealed: messages and request notes by their
conversation's link key (only its two people hold it), a client's names for relatives and
alert notes by the client's key (each person alerted reads their own copy), a relative's
notes by their own key, and a report by a key of its own (the reporter and the coordinators).
The database holds none of it in the clear."""

import re

from sqlalchemy import text

from tests.conftest import PASSWORD, login, main_of, make_contact, make_peer_profile, make_user, post

_main = main_of


def _raw(app, sql: str, **params) -> list:
    from extensions import db

    with app.app_context():
        return db.session.execute(text(sql), params).scalars().all()


def _send(client, contact_id: int, body: str, key: str) -> None:
    response = post(client, f"/contacts/{contact_id}/messages", {"body": body, "client_key": key * 32})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def _pair(app):
    """mira and her peer supporter helle, logged in, with an active contact."""
    mira_id, _ = make_user(app, "mira")
    helle_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle_id, display_name="Helle Peer")
    contact_id = make_contact(app, mira_id, helle_id)
    mira, helle = app.test_client(), app.test_client()
    login(mira, "mira")
    login(helle, "helle")
    return mira, helle, contact_id, mira_id, helle_id


def _forget_keys(app, user_id: int) -> None:
    """Make an account look as if it was made before sealing: no keys until its next login."""
    from extensions import db

    with app.app_context():
        db.session.execute(text("DELETE FROM user_key WHERE user_id = :u"), {"u": user_id})
        db.session.execute(text("DELETE FROM session_key WHERE user_id = :u"), {"u": user_id})
        db.session.execute(
            text("UPDATE recovery_code SET wrapped_key = NULL, kdf = NULL WHERE user_id = :u"), {"u": user_id}
        )
        db.session.commit()


def test_both_people_read_the_conversation_and_nobody_else_does(app):
    mira, helle, contact_id, _mira_id, _helle_id = _pair(app)
    _send(mira, contact_id, "The bus was late again", "a")
    _send(helle, contact_id, "Tell me about your morning", "b")
    stored = _raw(app, "SELECT body FROM message ORDER BY id")
    assert len(stored) == 2 and all(value.startswith(f"s1.c{contact_id}.") for value in stored)
    assert not any("bus" in value or "morning" in value for value in stored)
    for reader in (mira, helle):
        page = _main(reader.get(f"/contacts/{contact_id}"))
        assert "The bus was late again" in page and "Tell me about your morning" in page
    make_user(app, "oskar", role="peer", approved=True)
    oskar = app.test_client()
    login(oskar, "oskar")
    assert oskar.get(f"/contacts/{contact_id}").status_code == 404
    assert oskar.get(f"/contacts/{contact_id}/messages").status_code == 404


def test_the_request_note_is_sealed_and_the_peer_reads_it(app):
    mira_id, _ = make_user(app, "mira")
    helle_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle_id, display_name="Helle Peer")
    mira, helle = app.test_client(), app.test_client()
    login(mira, "mira")
    post(mira, f"/peers/{helle_id}", {"note": "Evenings are the hardest"})
    [stored] = _raw(app, "SELECT request_note FROM contact")
    assert stored.startswith("s1.c") and "Evenings" not in stored
    login(helle, "helle")
    assert "Evenings are the hardest" in _main(helle.get("/inbox"))


def test_labels_alert_notes_and_relative_notes_are_sealed(app):
    mira_id, _ = make_user(app, "mira")
    mum_id, _ = make_user(app, "mum", role="relative")
    mira, mum = app.test_client(), app.test_client()
    login(mira, "mira")
    page = post(mira, "/contacts/invite", {"label": "Mum Marianne", "alerts": "y", "messaging": "y"})
    code = re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}", page.get_data(as_text=True) + _follow(mira, page)).group(0)
    login(mum, "mum")
    assert post(mum, f"/invite/{code}/accept").status_code == 302
    for sql in ("SELECT label FROM invitation", "SELECT label FROM contact"):
        [stored] = _raw(app, sql)
        assert stored.startswith(f"s1.u{mira_id}.") and "Marianne" not in stored
    assert "Mum Marianne" in _main(mira.get("/contacts"))  # the client's own word, for her
    assert "Marianne" not in mum.get("/linked").get_data(as_text=True)  # never shown to the relative
    post(mira, "/support", {"note": "Please call me tonight"})
    [alert_note] = _raw(app, "SELECT note FROM support_alert")
    [copy] = _raw(app, "SELECT note FROM alert_delivery")
    [contact_id] = _raw(app, "SELECT id FROM contact")
    assert alert_note.startswith(f"s1.u{mira_id}.") and copy.startswith(f"s1.c{contact_id}.")
    assert "tonight" not in alert_note + copy
    assert "Please call me tonight" in _main(mum.get("/linked"))
    post(mum, "/relatives/notes", {"text": "Remember to ask about the dentist"})
    [note] = _raw(app, "SELECT text FROM relative_note")
    assert note.startswith(f"s1.u{mum_id}.") and "dentist" not in note
    assert "Remember to ask about the dentist" in _main(mum.get("/relatives/notes"))


def _follow(client, response) -> str:
    location = response.headers.get("Location")
    return client.get(location).get_data(as_text=True) if location else ""


def test_a_coordinator_reads_only_the_reported_messages_and_the_reason(app):
    mira, helle, contact_id, _mira_id, _helle_id = _pair(app)
    make_user(app, "cora", role="coordinator")
    cora = app.test_client()
    login(cora, "cora")  # a coordinator with keys before the report: it is sealed to her too
    _send(helle, contact_id, "Something unkind was said here", "a")
    _send(helle, contact_id, "An ordinary line about the weather", "b")
    [unkind, _ordinary] = _raw(app, "SELECT id FROM message ORDER BY id")
    post(mira, f"/contacts/{contact_id}/report", {"messages": [str(unkind)], "reason": "It frightened me"})
    [reason] = _raw(app, "SELECT reason FROM report")
    [quote] = _raw(app, "SELECT body FROM report_item")
    assert reason.startswith("s1.r") and quote.startswith("s1.r")
    assert "frightened" not in reason and "unkind" not in quote
    page = _main(cora.get("/coordinator/reports"))
    assert "It frightened me" in page and "Something unkind was said here" in page
    assert "weather" not in page
    assert cora.get(f"/contacts/{contact_id}").status_code == 404  # never the conversation


def test_a_message_to_an_account_from_before_sealing_is_sealed_and_opens_after_logins(app):
    mira_id, _ = make_user(app, "mira")
    lena_id, _ = make_user(app, "lena", role="peer", approved=True)
    make_peer_profile(app, lena_id, display_name="Lena Peer")
    _forget_keys(app, lena_id)
    contact_id = make_contact(app, mira_id, lena_id)
    mira = app.test_client()
    login(mira, "mira")
    _send(mira, contact_id, "Are you there this week", "a")
    [stored] = _raw(app, "SELECT body FROM message")
    assert stored.startswith(f"s1.c{contact_id}.") and "week" not in stored
    assert _raw(app, "SELECT user_id FROM contact_key") == [mira_id]

    lena = app.test_client()
    # Her keys are made now (and new recovery codes shown); her copy of the link key comes from mira.
    assert post(lena, "/login", {"handle": "lena", "password": PASSWORD}).status_code == 200
    page = _main(lena.get(f"/contacts/{contact_id}"))
    assert page and "Are you there this week" not in page and "once the other person has visited" in page
    again = app.test_client()
    login(again, "mira")  # mira's next login seals the link key to lena's new public key
    assert sorted(_raw(app, "SELECT user_id FROM contact_key")) == sorted([mira_id, lena_id])
    assert "Are you there this week" in _main(lena.get(f"/contacts/{contact_id}"))
    _send(lena, contact_id, "Yes, on Thursday", "b")
    assert "Yes, on Thursday" in _main(mira.get(f"/contacts/{contact_id}"))


def test_a_plain_message_from_before_is_sealed_at_the_next_login(app):
    from extensions import db

    _mira, _helle, contact_id, _mira_id, _helle_id = _pair(app)
    with app.app_context():
        db.session.execute(
            text("INSERT INTO message (contact_id, sender_id, body, sent_at) VALUES (:c, NULL, :b, :t)"),
            {"c": contact_id, "b": 'p1."Written before sealing"', "t": "2026-01-01 10:00:00"},
        )
        db.session.commit()
    login(app.test_client(), "helle")
    [stored] = _raw(app, "SELECT body FROM message")
    assert stored.startswith(f"s1.c{contact_id}.") and "Written" not in stored
    mira = app.test_client()
    login(mira, "mira")
    assert "Written before sealing" in _main(mira.get(f"/contacts/{contact_id}"))


def test_a_changed_message_gives_the_clear_page_never_an_error(app):
    from extensions import db

    mira, helle, contact_id, _mira_id, _helle_id = _pair(app)
    _send(mira, contact_id, "Thank you for yesterday", "a")
    [stored] = _raw(app, "SELECT body FROM message")
    at = len(stored) - 8
    changed = stored[:at] + ("A" if stored[at] != "A" else "B") + stored[at + 1 :]
    with app.app_context():
        db.session.execute(text("UPDATE message SET body = :b"), {"b": changed})
        db.session.commit()
    for reader in (mira, helle):
        page = reader.get(f"/contacts/{contact_id}")
        body = page.get_data(as_text=True)
        assert page.status_code == 409 and "This could not be opened" in body
        assert "Thank you for yesterday" not in body and "Traceback" not in body


def test_a_coordinator_who_came_later_reads_a_report_once_a_holder_has_logged_in(app):
    mira, helle, contact_id, _mira_id, _helle_id = _pair(app)
    make_user(app, "cora", role="coordinator")
    _send(helle, contact_id, "A line to report", "a")
    [message_id] = _raw(app, "SELECT id FROM message")
    post(mira, f"/contacts/{contact_id}/report", {"messages": [str(message_id)], "reason": "Not kind"})
    make_user(app, "nils", role="coordinator")  # made after the report: no copy of its key yet
    nils = app.test_client()
    login(nils, "nils")
    page = _main(nils.get("/coordinator/reports"))
    assert "opens for you once another coordinator" in page and "Not kind" not in page
    login(app.test_client(), "cora")  # a coordinator who holds the key seals it to nils too
    page = _main(nils.get("/coordinator/reports"))
    assert "Not kind" in page and "A line to report" in page


def test_the_export_opens_messages_notes_and_labels_for_their_person_only(app):
    import json

    mira_id, _ = make_user(app, "mira")
    make_user(app, "mum", role="relative")
    mira, mum = app.test_client(), app.test_client()
    login(mira, "mira")
    page = post(mira, "/contacts/invite", {"label": "Mum Marianne", "messaging": "y"})
    code = re.search(r"[A-Z2-9]{5}-[A-Z2-9]{5}", page.get_data(as_text=True) + _follow(mira, page)).group(0)
    login(mum, "mum")
    post(mum, f"/invite/{code}/accept")
    [contact_id] = _raw(app, "SELECT id FROM contact")
    _send(mum, contact_id, "Dinner on Sunday?", "a")
    post(mum, "/relatives/notes", {"text": "Bring the photo album"})
    hers = json.loads(mira.get("/settings/export").get_data(as_text=True))["people"]
    theirs = json.loads(mum.get("/settings/export").get_data(as_text=True))["people"]
    assert [m["body"] for m in hers["messages"]] == ["Dinner on Sunday?"] == [m["body"] for m in theirs["messages"]]
    assert hers["contacts"][0]["label"] == "Mum Marianne" and "label" not in theirs["contacts"][0]
    assert [n["text"] for n in theirs["relative_notes"]] == ["Bring the photo album"] and not hers["relative_notes"]
    assert [k["user_id"] for k in theirs["conversation_keys"]] != [] and "sealed" not in theirs["conversation_keys"][0]
    assert "Marianne" not in json.dumps(theirs) and hers["invitations"][0]["label"] == "Mum Marianne"
    assert mira_id in {k["user_id"] for k in hers["conversation_keys"]}


def test_two_first_keys_made_at_the_same_moment_keep_the_first(app):
    """Both people of a contact without a key send at once: the second request's key does
    not fail on the first one's; both end up with the first key, and read each other."""
    from accounts.sealing import current_keyring
    from extensions import db
    from peer import links
    from peer.models import Contact

    _mira, _helle, contact_id, mira_id, helle_id = _pair(app)
    with app.app_context():
        db.session.execute(text("DELETE FROM contact_key WHERE contact_id = :c"), {"c": contact_id})
        db.session.commit()
        contact = db.session.get(Contact, contact_id)
        first = links.make(db.session, contact)
        current_keyring().forget(f"c{contact_id}")  # the other request never saw this one's key
        second = links.make(db.session, contact)
        db.session.commit()
        assert first is not None and second == first
        assert sorted(_raw(app, "SELECT user_id FROM contact_key WHERE contact_id = :c", c=contact_id)) == sorted(
            [mira_id, helle_id]
        )
