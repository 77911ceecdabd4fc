"""Relatives see exactly what the client switched on, from the next request on; invitations
are single-use and expire; every look and every change of consent is in the client's log."""

import re
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, login, main_of, make_contact, make_diary, make_peer_profile, make_user, post

_main = main_of


def _invite(client, **choices):
    data = {"label": "Mum", **choices}
    page = post(client, "/contacts/invite", data).get_data(as_text=True)
    return re.search(r'<p class="invite-code"><code>([A-Z0-9-]+)</code>', page).group(1)


@pytest.fixture
def family(app):
    mira_id, _ = make_user(app, "mira")
    helle_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle_id, display_name="Helle Peer")
    peer_contact = make_contact(app, mira_id, helle_id)
    ids = make_diary(app, mira_id)
    client = app.test_client()
    login(client, "mira")
    post(client, "/goals/new", {"kind": "life", "area": "housing", "title": "A flat of my own"})
    post(client, "/today/check-in", {"mood": "2", "craving": "7", "sleep": "poor"})
    post(client, f"/contacts/{peer_contact}/messages", {"body": "talk to my peer"})
    return client, mira_id, ids, peer_contact


def _join(app, code, handle="mum"):
    relative = app.test_client()
    response = post(relative, f"/invite/{code.replace('-', '')}", {"handle": handle, "password": PASSWORD})
    assert response.status_code == 200 and "Your recovery codes" in response.get_data(as_text=True)
    return relative


def _next_visit(client):
    """The client opens the app again: what the invitation switched on is sealed to the
    relative now (it could not be while the client was away)."""
    assert client.get("/contacts").status_code == 200


SWITCHES = ["share_checkin", "goal", "entry", "messaging"]


@pytest.mark.parametrize(
    "on",
    [set(), {"share_checkin"}, {"goal"}, {"entry"}, {"messaging"}, set(SWITCHES)],
    ids=lambda on: "+".join(sorted(on)) or "nothing",
)
def test_the_relative_sees_exactly_what_is_switched_on(app, family, on):
    client, mira_id, ids, peer_contact = family
    choices = {}
    if "share_checkin" in on:
        choices["share_checkin"] = "y"
    if "goal" in on:
        choices["goals"] = [str(ids["goal"])]
    if "messaging" in on:
        choices["messaging"] = "y"
    relative = _join(app, _invite(client, **choices))
    contact = re.search(r"/contacts/(\d+)/consent", client.get("/contacts").get_data(as_text=True)).group(1)
    if "entry" in on:
        post(client, f"/diary/{ids['entry']}/share", {"contacts": [contact]})
    page = _main(relative.get("/linked"))
    assert ("A hard day" in page) == ("share_checkin" in on)
    assert "7" not in re.sub(r"<[^>]+>|\d+ [A-Z][a-z]{2} \d{4}|\d\d:\d\d", "", page)  # never a check-in number
    assert ("Only on weekends" in page) == ("goal" in on)
    assert "A flat of my own" not in page  # a goal never picked
    assert ("Messages with mira" in page) == ("messaging" in on)
    assert ("Diary entries shared with you" in page) == ("entry" in on)
    entry_view = relative.get(f"/contacts/{contact}/entries/{ids['entry']}")
    assert entry_view.status_code == (200 if "entry" in on else 404)
    sent = post(relative, f"/contacts/{contact}/messages", {"body": "hello from mum"})
    assert ("Messages are switched off" in sent.get_data(as_text=True)) == ("messaging" not in on)
    for secret in ("Helle Peer", "helle", "talk to my peer", "a quiet good day" if "entry" not in on else "zzz"):
        assert secret not in page
    assert relative.get(f"/contacts/{peer_contact}").status_code == 404
    assert relative.get(f"/diary/{ids['entry']}").status_code == 404
    assert relative.get(f"/goals/{ids['goal']}").status_code == 404


def test_consent_changes_and_ending_hold_from_the_next_request(app, family):
    client, mira_id, ids, _peer = family
    relative = _join(app, _invite(client, share_checkin="y", goals=[str(ids["goal"])]))
    contact = re.search(r"/contacts/(\d+)/consent", client.get("/contacts").get_data(as_text=True)).group(1)
    assert "Only on weekends" in _main(relative.get("/linked"))
    post(client, f"/contacts/{contact}/consent", {"share_checkin": "y"})
    page = _main(relative.get("/linked"))
    assert "Only on weekends" not in page and "A hard day" in page
    assert "A goal that was shared with you is no longer shared" in page
    post(client, f"/contacts/{contact}/consent", {})
    page = _main(relative.get("/linked"))
    assert "A hard day" not in page and "No longer shared with you." in page
    post(client, f"/contacts/{contact}/end")
    page = _main(relative.get("/linked"))
    assert "A hard day" not in page and "How they are doing" not in page
    assert "mira has ended the link" in page and "Nobody has linked you yet" not in page
    assert f'href="/contacts/{contact}"' in page
    assert relative.get(f"/contacts/{contact}/messages").status_code == 200  # history stays readable
    log = _main(client.get("/settings/access-log"))
    assert "You switched off for Mum (relative): a goal" in log
    # Looks within a minute of each other at the same thing are one look in the log.
    assert (
        log.count("Mum (relative) looked at how you are doing") == 1
        and log.count("Mum (relative) looked at a goal") == 1
    )
    assert "You switched off for Mum (relative): how you are doing" in log


def test_many_looks_in_a_minute_are_one_line_per_thing(app, family):
    from sqlmodel import select

    from extensions import db
    from peer.models import AccessEvent

    client, mira_id, ids, _peer = family
    relative = _join(app, _invite(client, share_checkin="y", goals=[str(ids["goal"])]))
    _next_visit(client)
    for _ in range(5):
        assert relative.get("/linked").status_code == 200
    with app.app_context():
        looks = db.session.exec(
            select(AccessEvent.what).where(AccessEvent.user_id == mira_id, AccessEvent.action == "viewed")
        ).all()
    assert sorted(looks) == ["checkin", "goal"]


def test_invitations_are_single_use(app, family):
    client, *_ = family
    code = _invite(client)
    _join(app, code)
    again = app.test_client().get(f"/invite/{code.replace('-', '')}")
    assert again.status_code == 410 and "already been used" in again.get_data(as_text=True)
    second = post(app.test_client(), f"/invite/{code.replace('-', '')}", {"handle": "sister", "password": PASSWORD})
    assert second.status_code == 410
    assert post(app.test_client(), "/login", {"handle": "sister", "password": PASSWORD}).status_code == 200


def test_invitations_expire_after_seven_days(app, family, monkeypatch):
    client, *_ = family
    code = _invite(client).replace("-", "")
    import peer.relatives as relatives

    real = relatives.utcnow
    monkeypatch.setattr(relatives, "utcnow", lambda: real() + timedelta(days=6, hours=23))
    assert app.test_client().get(f"/invite/{code}").status_code == 200
    monkeypatch.setattr(relatives, "utcnow", lambda: real() + timedelta(days=7, minutes=1))
    late = app.test_client().get(f"/invite/{code}")
    assert late.status_code == 410 and "more than 7 days old" in late.get_data(as_text=True)
    created = post(app.test_client(), f"/invite/{code}", {"handle": "late", "password": PASSWORD})
    assert created.status_code == 410


def test_unknown_codes_create_nothing(app, family):
    for code in ("AAAAABBBBB", "short", "<script>", "x" * 300):
        response = app.test_client().get(f"/invite/{code}")
        assert response.status_code == 404 and "We do not know that code" in response.get_data(as_text=True)
    typed = post(app.test_client(), "/invite", {"code": "abcde-fghjk"})
    assert typed.headers["Location"].endswith("/invite/ABCDEFGHJK")


def test_an_existing_account_can_accept_and_the_inviter_cannot(app, family):
    client, mira_id, *_ = family
    code = _invite(client).replace("-", "")
    assert post(client, f"/invite/{code}/accept").status_code == 302
    assert "Nobody has linked you yet" in _main(client.get("/linked"))
    make_user(app, "noor")
    noor = app.test_client()
    login(noor, "noor")
    post(noor, f"/invite/{code}/accept")
    assert "mira" in _main(noor.get("/linked"))
    assert "Shared with you by people who invited you" in _main(noor.get("/contacts"))


def test_relative_notes_are_private(app, family):
    client, *_ = family
    relative = _join(app, _invite(client))
    post(relative, "/relatives/notes", {"text": "I worry at night"})
    assert "I worry at night" in _main(relative.get("/relatives/notes"))
    assert client.get("/relatives/notes").status_code == 404
    assert "I worry at night" not in client.get("/settings/export").get_data(as_text=True)
    assert "I worry at night" in relative.get("/settings/export").get_data(as_text=True)
    note = re.search(r"/relatives/notes/(\d+)/delete", relative.get("/relatives/notes").get_data(as_text=True)).group(1)
    other = _join(app, _invite(client), handle="dad")
    assert post(other, f"/relatives/notes/{note}/delete").status_code == 404
    assert post(relative, "/relatives/notes", {"text": " "}).status_code == 200


def test_support_for_relatives_is_open_to_everyone(app):
    page = _main(app.test_client().get("/relatives/support"))
    assert "Your right to information" in page and "tel:112" in page
    assert "/help/services?kind=relatives" in page
    with app.app_context():
        from extensions import db
        from help import service

        service.save(db.session, {"country": "SE", "kind": "relatives", "name": "Relatives' circle Malmö"})
        service.save(db.session, {"country": "SE", "kind": "drop_in", "name": "Drop-in café"})
    listing = _main(app.test_client().get("/help/services?kind=relatives"))
    assert "circle Malmö" in listing and "Drop-in café" not in listing


def test_a_relative_sees_an_alert_at_the_top_and_seeing_it_marks_it_seen(app, family):
    from sqlmodel import select

    from extensions import db
    from peer.models import AlertDelivery

    client, mira_id, ids, _peer = family
    relative = _join(app, _invite(client, alerts="y"))  # messages off: no conversation to open
    assert post(client, "/support", {"note": "a bad night"}).status_code in (200, 302)
    assert "Mum (relative) has not seen it yet." in _main(client.get("/contacts"))

    relative.get("/linked", headers={"Sec-Fetch-Site": "cross-site"})  # a link from elsewhere
    assert "Mum (relative) has not seen it yet." in _main(client.get("/contacts"))

    page = _main(relative.get("/linked"))
    assert page.index("mira needs support now") < page.index("How they are doing")
    assert "a bad night" in page and "call 112" in page and 'href="/help"' in page
    assert "Send a message" not in page  # messages are off for this link
    assert "Mum (relative) saw it at" in _main(client.get("/contacts"))
    with app.app_context():
        from accounts.models import User

        mum = db.session.exec(select(User).where(User.handle == "mum")).one()
        deliveries = db.session.exec(select(AlertDelivery).where(AlertDelivery.user_id == mum.id)).all()
        assert deliveries and all(d.seen_at for d in deliveries)


def test_the_alert_notification_opens_the_linked_view_for_a_relative(app, family):
    from sqlmodel import select

    from extensions import db
    from push.models import Notification, PushSubscription

    client, mira_id, ids, _peer = family
    _join(app, _invite(client, alerts="y"))
    with app.app_context():
        from accounts.models import User

        mum = db.session.exec(select(User).where(User.handle == "mum")).one()
        db.session.add(
            PushSubscription(user_id=mum.id, endpoint="https://93.184.215.14/x", p256dh="B" * 87, auth="A" * 22)
        )
        db.session.commit()
        mum_id = mum.id
    post(client, "/support", {"note": ""})
    with app.app_context():
        (row,) = db.session.exec(select(Notification).where(Notification.user_id == mum_id)).all()
        assert row.payload["url"] == "/linked"


def test_consent_given_in_the_invitation_is_the_first_thing_in_the_log(app, family):
    client, mira_id, ids, _peer = family
    relative = _join(app, _invite(client, share_checkin="y", goals=[str(ids["goal"])], messaging="y"))
    _next_visit(client)
    relative.get("/linked")
    log = _main(client.get("/settings/access-log"))
    looked = log.index("Mum (relative) looked at how you are doing")
    for line in (
        "You switched on for Mum (relative): how you are doing",
        "You switched on for Mum (relative): a goal",
        "You switched on for Mum (relative): messages",
    ):
        assert line in log and log.index(line) > looked  # newest first: the consent came before the look
    assert "your support alerts" not in log


def test_with_messages_off_neither_side_is_offered_a_message_box(app, family):
    client, mira_id, ids, _peer = family
    relative = _join(app, _invite(client, share_checkin="y"))
    contact = re.search(r"/contacts/(\d+)/consent", client.get("/contacts").get_data(as_text=True)).group(1)
    for person in (client, relative):
        page = _main(person.get(f"/contacts/{contact}"))
        assert 'name="body"' not in page and "Messages are switched off for this link." in page
    post(client, f"/contacts/{contact}/consent", {"share_checkin": "y", "messaging": "y"})
    for person in (client, relative):
        assert 'name="body"' in _main(person.get(f"/contacts/{contact}"))


def test_a_shared_goal_says_when_it_was_last_updated(app, family):
    client, mira_id, ids, _peer = family
    relative = _join(app, _invite(client, goals=[str(ids["goal"])]))
    _next_visit(client)
    page = _main(relative.get("/linked"))
    assert re.search(r"Only on weekends</span>.*?updated \d+ \w{3} \d{4}, \d\d:\d\d", page, re.S)


def test_a_shared_entry_links_nowhere_the_reader_cannot_go(app, family):
    client, mira_id, ids, peer_contact = family
    post(client, f"/diary/{ids['entry']}/share", {"contacts": [str(peer_contact)]})
    peer = app.test_client()
    login(peer, "helle")
    page = _main(peer.get(f"/contacts/{peer_contact}/entries/{ids['entry']}"))
    assert "a quiet good day" in page and "Patience" in page
    for link in re.findall(r'href="([^"]+)"', page):
        assert peer.get(link).status_code == 200, link


def test_the_whole_access_log_can_be_read_page_by_page(app, family):
    from accounts.models import User
    from extensions import db
    from peer import sharing

    client, mira_id, ids, _peer = family
    with app.app_context():
        mira = db.session.get(User, mira_id)
        for i in range(230):
            sharing.log_event(db.session, mira_id, mira, "consent_on" if i % 2 else "consent_off", "alerts", i + 1)
        db.session.commit()
    seen, url = 0, "/settings/access-log"
    for _page in range(5):
        page = _main(client.get(url))
        seen += page.count("your support alerts")
        more = re.search(r'href="(/settings/access-log\?before=\d+)"', page)
        if not more:
            break
        url = more.group(1)
    assert seen == 230


def test_the_export_names_who_looked_as_the_client_knows_them(app, family):
    client, mira_id, ids, _peer = family
    relative = _join(app, _invite(client, share_checkin="y"))
    _next_visit(client)
    relative.get("/linked")
    data = client.get("/settings/export").get_json(force=True)
    actors = {e["actor"] for e in data["people"]["access_log"]}
    assert "Mum (relative)" in actors and "mum" not in actors


def test_the_alert_status_sentences_are_set_apart(app, family):
    client, mira_id, ids, _peer = family
    _join(app, _invite(client, alerts="y"))
    post(client, "/support", {"note": ""})
    page = _main(client.get("/contacts"))
    assert re.search(r"not seen it yet\.\s+\S", page) and "yet.Mum" not in page and "yet.Helle" not in page


@pytest.mark.parametrize("accept, expected", [("da", "da"), ("en-GB,en;q=0.8", "en")])
def test_a_relative_who_joins_keeps_the_language_they_joined_in(app, family, accept, expected):
    """Notifications speak the relative's language from the first one (issue 13, item 4)."""
    from sqlmodel import select

    from accounts.models import User
    from extensions import db

    client, *_ = family
    code = _invite(client, alerts="y")
    relative = app.test_client()
    relative.environ_base["HTTP_ACCEPT_LANGUAGE"] = accept
    assert relative.get(f"/invite/{code.replace('-', '')}").status_code == 200
    joined = post(relative, f"/invite/{code.replace('-', '')}", {"handle": "mormor", "password": PASSWORD})
    assert joined.status_code == 200
    with app.app_context():
        assert db.session.exec(select(User).where(User.handle == "mormor")).one().locale == expected
