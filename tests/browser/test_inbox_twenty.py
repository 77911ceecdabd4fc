"""A peer supporter with 20 people, on a phone (390x844): the one who has waited longest is
the first row of "Waiting", and answering them takes at most 3 taps (the row, the message
field, Send; typing is not a tap). The taps are counted, and the reply shows in the
conversation."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, log_in
from tests.conftest import make_contact, make_peer_profile, make_user

LONGEST = "rosa"


def _twenty_people(app) -> dict[str, int]:
    """20 clients of helle's: 15 wrote and wait (rosa the longest, 30 hours), 5 were answered."""
    from accounts.models import User
    from extensions import db, utcnow
    from peer import messages
    from peer.models import Contact

    helle_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle_id)
    names = [LONGEST] + [f"person{n:02d}" for n in range(1, 20)]
    contact_ids = {}
    for name in names:
        client_id, _ = make_user(app, name)
        contact_ids[name] = make_contact(app, client_id, helle_id)
    with app.app_context():
        helle = db.session.get(User, helle_id)
        now = utcnow()
        for n, name in enumerate(names):
            contact = db.session.get(Contact, contact_ids[name])
            client = db.session.get(User, contact.client_id)
            message = messages.send(db.session, client, contact, f"Hello from {name}\nsecond line")
            message.sent_at = now - timedelta(hours=30 if name == LONGEST else 20 - n)
            db.session.add(message)
            db.session.commit()
            if n >= 15:  # answered already
                messages.send(db.session, helle, contact, "I read you, talk soon")
    return contact_ids


def test_twenty_people_the_longest_waiting_answered_in_three_taps(live_server, page):
    contact_ids = _twenty_people(live_server.app)
    log_in(page, "helle")
    page.goto("/inbox")  # the peer supporter's home in the bottom bar
    taps = 0

    def tap(locator) -> None:
        nonlocal taps
        locator.click()
        taps += 1

    rows = page.locator(".inbox-list a.inbox-row")
    expect(rows).to_have_count(15)  # "Waiting": who wrote and has not been answered
    first = rows.first
    expect(first).to_contain_text(LONGEST)
    expect(first).to_contain_text(f"Hello from {LONGEST}")
    expect(first).not_to_contain_text("second line")
    expect(first).to_contain_text("1 day")  # how long rosa has waited
    box = first.bounding_box()
    assert box["height"] >= 64, box
    assert box["width"] >= 330, box  # the whole row is the link
    filters = page.get_by_role("navigation", name="Show")
    expect(filters.get_by_role("link", name="Waiting")).to_have_attribute("aria-current", "page")
    assert axe_violations(page) == []

    tap(first)
    page.wait_for_url(f"**/contacts/{contact_ids[LONGEST]}")
    field = page.get_by_label("Message")
    tap(field)
    page.keyboard.type("I'm here, Rosa. Tell me more?")
    tap(page.get_by_role("button", name="Send"))
    expect(page.locator(".message.mine").last).to_contain_text("I'm here, Rosa. Tell me more?")
    assert taps <= 3, taps

    # Back in the inbox, rosa waits no more; "All" still has her, with the answer.
    page.goto("/inbox")
    expect(page.locator(".inbox-list a.inbox-row")).to_have_count(14)
    expect(page.locator(".inbox-list a.inbox-row").first).not_to_contain_text(LONGEST)
    page.get_by_role("navigation", name="Show").get_by_role("link", name="All").click()
    expect(page.locator(".inbox-list a.inbox-row")).to_have_count(20)
    expect(page.locator(".inbox-list a.inbox-row", has_text=LONGEST)).to_contain_text("I'm here, Rosa")


def test_the_availability_switch_and_the_private_note(live_server, page):
    contact_ids = _twenty_people(live_server.app)
    log_in(page, "helle")
    page.goto("/inbox")
    switch = page.get_by_role("button", name=re.compile(r"^Available\W+Set me as away$"))
    box = switch.bounding_box()
    assert box["height"] >= 44 and box["y"] < 200, box  # in the header, not a card below
    switch.click()
    expect(page.get_by_role("button", name=re.compile(r"^Away\W+Set me as available$"))).to_be_visible()

    page.goto(f"/contacts/{contact_ids[LONGEST]}")
    page.get_by_text("My private note").click()
    page.get_by_label("Your note").fill("Likes walks. Ask about the new flat.")
    page.get_by_role("button", name="Save note").click()
    answer = page.get_by_text("Your note is saved. Only you can read it.")
    expect(answer).to_be_visible()
    expect(answer).to_be_focused()
    page.reload()
    expect(page.get_by_label("Your note")).to_have_value("Likes walks. Ask about the new flat.")
    page.goto("/inbox")
    expect(page.locator(".inbox-list a.inbox-row", has_text=LONGEST)).to_contain_text("note")
