"""The people side over HTTP: finding, asking, talking, polling, alerts, sharing, reports."""

import re

import pytest

from tests.conftest import PASSWORD, login, main_of, make_contact, make_diary, make_peer_profile, make_user, post

PAYLOAD = "<script>alert('x')</script>"
HX = {"HX-Request": "true"}


@pytest.fixture
def pair(app):
    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle)
    client, peer = app.test_client(), app.test_client()
    login(client, "mira")
    login(peer, "helle")
    return client, peer, mira, helle


_main = main_of


def test_find_ask_accept_and_talk(app, pair):
    client, peer, mira, helle = pair
    found = _main(client.get("/peers?gender=woman&language=da&topic=women"))
    assert "Helle" in found
    assert "Helle" not in _main(client.get("/peers?gender=man"))
    asked = post(client, f"/peers/{helle}", {"note": "I'd like to talk about work"})
    assert asked.status_code == 302
    assert "Waiting for an answer" in _main(client.get("/contacts"))
    inbox = _main(peer.get("/inbox"))
    assert "I&#39;d like to talk about work" in inbox
    contact = re.search(r"/contacts/(\d+)/accept", inbox).group(1)
    assert post(peer, f"/contacts/{contact}/accept").status_code == 302
    sent = post(peer, f"/contacts/{contact}/messages", {"body": "Welcome, Mira"}, headers=HX)
    fragment = sent.get_data(as_text=True)
    assert "Welcome, Mira" in fragment and "<html" not in fragment and sent.headers["ETag"]
    assert '<span class="badge">1</span>' in client.get("/contacts").get_data(as_text=True)
    page = _main(client.get(f"/contacts/{contact}"))
    assert "Welcome, Mira" in page
    post(client, f"/contacts/{contact}/messages", {"body": "Thank you"})
    assert "Seen" in _main(peer.get(f"/contacts/{contact}"))


def test_a_decline_is_kind_and_shows_other_peers(app, pair):
    client, peer, mira, helle = pair
    contact = make_contact(app, mira, helle, accept=False)
    post(peer, f"/contacts/{contact}/decline")
    page = _main(client.get("/contacts"))
    assert "Could not take you on right now" in page and 'href="/peers"' in page


def test_polling_answers_304_with_no_body_until_something_changes(app, pair):
    client, peer, mira, helle = pair
    contact = make_contact(app, mira, helle)
    first = client.get(f"/contacts/{contact}/messages", headers=HX)
    tag = first.headers["ETag"]
    quiet = client.get(f"/contacts/{contact}/messages", headers={**HX, "If-None-Match": tag})
    assert quiet.status_code == 304 and quiet.data == b""
    post(peer, f"/contacts/{contact}/messages", {"body": "New news"})
    changed = client.get(f"/contacts/{contact}/messages", headers={**HX, "If-None-Match": tag})
    assert changed.status_code == 200 and "New news" in changed.get_data(as_text=True)
    badge = client.get("/unread", headers=HX)
    again = client.get("/unread", headers={**HX, "If-None-Match": badge.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_the_compressed_answers_weak_tag_still_gives_304(app, pair):
    """A gzip answer carries W/"..."; the page sends that back; it names the same content."""
    client, peer, mira, helle = pair
    contact = make_contact(app, mira, helle)
    for i in range(30):  # enough text to be worth compressing
        post(peer, f"/contacts/{contact}/messages", {"body": f"A longer message, number {i}, about the week."})
    first = client.get(f"/contacts/{contact}/messages", headers={**HX, "Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip" and first.headers["ETag"].startswith('W/"')
    quiet = client.get(
        f"/contacts/{contact}/messages",
        headers={**HX, "Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]},
    )
    assert quiet.status_code == 304 and quiet.data == b""
    several = client.get(
        f"/contacts/{contact}/messages", headers={**HX, "If-None-Match": f'"nope", {first.headers["ETag"]}'}
    )
    assert several.status_code == 304
    post(peer, f"/contacts/{contact}/messages", {"body": "Something new"})
    changed = client.get(f"/contacts/{contact}/messages", headers={**HX, "If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200


def test_message_problems_are_explained(app, pair):
    client, peer, mira, helle = pair
    contact = make_contact(app, mira, helle)
    empty = post(client, f"/contacts/{contact}/messages", {"body": "  "})
    assert "Write something before you send" in empty.get_data(as_text=True)
    long = post(client, f"/contacts/{contact}/messages", {"body": "x" * 4001})
    page = long.get_data(as_text=True)
    assert "at most 4,000 characters" in page and "x" * 4001 in page  # nothing typed is lost
    ok = post(client, f"/contacts/{contact}/messages", {"body": "y" * 4000})
    assert ok.status_code == 302


def test_script_payloads_in_messages_and_profiles_are_text(app, pair):
    client, peer, mira, helle = pair
    post(
        peer,
        "/profile",
        {
            "display_name": PAYLOAD,
            "about": PAYLOAD,
            "gender": "woman",
            "languages": ["da"],
            "hours": PAYLOAD,
            "taking_new": "y",
        },
    )
    contact = make_contact(app, mira, helle)
    post(client, f"/contacts/{contact}/messages", {"body": PAYLOAD})
    pages = "".join(
        c.get(url).get_data(as_text=True)
        for c, url in [
            (client, "/peers"),
            (client, f"/peers/{helle}"),
            (client, f"/contacts/{contact}"),
            (peer, f"/contacts/{contact}"),
            (peer, "/inbox"),
            (client, "/contacts"),
        ]
    )
    assert PAYLOAD not in pages and pages.count("&lt;script&gt;") >= 5


def test_ended_contact_keeps_history_and_stops_messages(app, pair):
    client, peer, mira, helle = pair
    contact = make_contact(app, mira, helle)
    post(client, f"/contacts/{contact}/messages", {"body": "before the end"})
    post(peer, f"/contacts/{contact}/end")
    page = _main(client.get(f"/contacts/{contact}"))
    assert "before the end" in page and "This contact has ended" in page and 'name="body"' not in page
    refused = post(client, f"/contacts/{contact}/messages", {"body": "after"})
    assert "no new messages can be sent" in refused.get_data(as_text=True)


def test_support_now_alerts_and_says_who_was_told(app, pair):
    client, peer, mira, helle = pair
    make_contact(app, mira, helle)
    assert "Helle (peer supporter) will be told right away" in _main(client.get("/support"))
    response = post(client, "/support", {"note": "rough night"})
    told = _main(client.get(response.headers["Location"]))
    assert "<li>Helle (peer supporter)</li>" in told and "tel:112" in told
    inbox = _main(peer.get("/inbox"))
    # The alert is the pinned row of the inbox: her name, the marker and her words.
    pinned = re.search(r'<a class="inbox-row has-alert" href="/contacts/(\d+)">(.*?)</a>', inbox, re.S)
    assert "mira" in pinned.group(2) and "Needs support now" in pinned.group(2) and "rough night" in pinned.group(2)
    assert "has not seen it yet" in _main(client.get("/contacts"))
    contact = pinned.group(1)
    peer.get(f"/contacts/{contact}")
    assert "Helle (peer supporter) saw it at" in _main(client.get("/contacts"))


def test_sharing_takes_effect_on_the_next_request_and_is_logged(app, pair):
    client, peer, mira, helle = pair
    contact = make_contact(app, mira, helle)
    entry = make_diary(app, mira)["entry"]
    assert peer.get(f"/contacts/{contact}/entries/{entry}").status_code == 404
    post(client, f"/diary/{entry}/share", {"contacts": [contact]})
    assert "Shared with you" in _main(peer.get(f"/contacts/{contact}"))
    assert "a quiet good day" in _main(peer.get(f"/contacts/{contact}/entries/{entry}"))
    post(client, f"/diary/{entry}/share", {})
    assert peer.get(f"/contacts/{contact}/entries/{entry}").status_code == 404
    log = _main(client.get("/settings/access-log"))
    assert log.count("Helle (peer supporter) looked at a diary entry") == 1
    assert "You shared a diary entry with Helle (peer supporter)" in log
    assert "You stopped sharing a diary entry with Helle (peer supporter)" in log


def test_block_and_report(app, pair):
    client, peer, mira, helle = pair
    make_user(app, "coord", role="coordinator")  # before the report: its key is sealed to her too
    contact = make_contact(app, mira, helle)
    post(peer, f"/contacts/{contact}/messages", {"body": "something unkind"})
    post(client, f"/contacts/{contact}/messages", {"body": "my private answer"})
    form = client.get(f"/contacts/{contact}/report").get_data(as_text=True)
    unkind = re.search(r'value="(\d+)"[^>]*> <span>something unkind', form).group(1)
    assert post(client, f"/contacts/{contact}/report", {"messages": [unkind], "reason": "hurtful"}).status_code == 302
    post(client, f"/contacts/{contact}/block")
    assert "blocked" in _main(peer.get(f"/contacts/{contact}"))
    coordinator = app.test_client()
    login(coordinator, "coord")
    reports = _main(coordinator.get("/coordinator/reports"))
    assert "something unkind" in reports and "hurtful" in reports and "my private answer" not in reports
    assert coordinator.get(f"/contacts/{contact}").status_code == 404


def test_coordinator_pauses_and_removes_a_peer(app, pair):
    client, peer, mira, helle = pair
    make_user(app, "coord", role="coordinator")
    coordinator = app.test_client()
    login(coordinator, "coord")
    post(coordinator, f"/coordinator/peers/{helle}/pause")
    assert "Helle" not in _main(client.get("/peers"))
    assert client.get(f"/peers/{helle}").status_code == 404
    post(coordinator, f"/coordinator/peers/{helle}/pause")
    assert "Helle" in _main(client.get("/peers"))
    post(coordinator, f"/coordinator/peers/{helle}/remove")
    assert "Helle" not in _main(client.get("/peers"))
    assert peer.get("/inbox").status_code == 404


def test_availability_is_shown_before_writing(app, pair):
    client, peer, mira, helle = pair
    contact = make_contact(app, mira, helle)
    post(peer, "/inbox/availability", {"away_note": "Back on Monday"})
    page = _main(client.get(f"/contacts/{contact}"))
    assert "Helle is away right now" in page and "Back on Monday" in page
    post(peer, "/inbox/availability")
    assert "away right now" not in _main(client.get(f"/contacts/{contact}"))


def test_profile_problems_are_explained(pair):
    client, peer, mira, helle = pair
    page = post(peer, "/profile", {"display_name": "", "gender": "robot"}).get_data(as_text=True)
    assert "Write the name people will see" in page
    page = post(peer, "/profile", {"display_name": "Helle", "gender": "woman", "languages": []}).get_data(as_text=True)
    assert "at least one language" in page


def test_export_and_deletion_cover_the_people_side(app, pair):
    client, peer, mira, helle = pair
    contact = make_contact(app, mira, helle)
    post(peer, f"/contacts/{contact}/messages", {"body": "from helle"})
    post(client, "/support", {"note": "now"})
    data = client.get("/settings/export").get_json(force=True)
    assert [m["body"] for m in data["people"]["messages"]] == ["from helle"]
    assert len(data["people"]["contacts"]) == 1 and len(data["people"]["support_alerts"]) == 1
    post(client, "/settings/delete", {"password": PASSWORD})
    assert "mira" not in _main(peer.get("/inbox"))


@pytest.mark.parametrize("how", ["end", "block"])
def test_after_a_contact_ends_only_its_two_people_can_read_it(app, pair, how):
    client, peer, mira, helle = pair
    contact = make_contact(app, mira, helle)
    post(client, f"/contacts/{contact}/messages", {"body": "kept for both"})
    post(client, f"/contacts/{contact}/{how}")
    for party in (client, peer):
        assert "kept for both" in party.get(f"/contacts/{contact}").get_data(as_text=True)
        assert party.get(f"/contacts/{contact}/messages").status_code == 200
    noor_id, _ = make_user(app, "noor")
    ola_id, _ = make_user(app, "ola", role="peer", approved=True)
    for handle in ("noor", "ola"):
        stranger = app.test_client()
        login(stranger, handle)
        for url in (f"/contacts/{contact}", f"/contacts/{contact}/messages", f"/contacts/{contact}/report"):
            assert stranger.get(url).status_code == 404
        assert post(stranger, f"/contacts/{contact}/messages", {"body": "hi"}).status_code == 404


def test_the_peer_sees_the_clients_name_and_the_client_the_peers(app, pair):
    client, peer, mira, helle = pair
    contact = make_contact(app, mira, helle)
    assert "<h1>mira</h1>" in peer.get(f"/contacts/{contact}").get_data(as_text=True)
    assert "<h1>Helle</h1>" in client.get(f"/contacts/{contact}").get_data(as_text=True)
