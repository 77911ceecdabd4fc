"""Sharing by the names the client uses: a client with a relative ("Mum") and a peer
supporter ("Lina") shares an entry with the peer supporter only. The list says "Mum ·
relative" and "Lina · peer supporter", the answer names Lina where the client looks, the
entry says who can see it, Mum does not see it, and the access log names Lina. The
invitation: Copy copies the link, the client's own name and line reach Mum's page, the
account name is nowhere on it, and the line is not in the database file as text."""

import re

from playwright.sync_api import expect

from tests.at_rest import marker_pieces_in, sqlite_files
from tests.browser.conftest import axe_violations, log_in, open_page
from tests.conftest import PASSWORD, make_contact, make_diary, make_peer_profile, make_user

LINE = "Qzline I would like you to see how I am doing"


def test_share_by_name_and_invite_with_own_words(chromium, live_server, page):
    app = live_server.app
    mira, _ = make_user(app, "mira")
    lina, _ = make_user(app, "linaaccount", role="peer", approved=True)
    make_peer_profile(app, lina, display_name="Lina")
    with_lina = make_contact(app, mira, lina)
    entry = make_diary(app, mira)["entry"]

    log_in(page, "mira")
    page.goto("/contacts/invite")
    page.get_by_label("Who is this for you?").fill("Mum")
    page.get_by_label("Your name, as they know you (optional)").fill("Anna")
    page.get_by_label("A few words to them (optional)").fill(LINE)
    page.get_by_role("checkbox", name="Messages between us").check()
    page.get_by_role("button", name="Make the invitation").click()
    link = page.locator(".invite-link").inner_text()
    assert re.search(r"/invite/[A-Z0-9]{10}$", link)
    expect(page.get_by_role("heading", name="Mum will see")).to_be_visible()
    expect(page.get_by_text("Messages between the two of you")).to_be_visible()
    page.get_by_role("button", name="Copy the link").click()
    copied = page.get_by_text("The link is copied.")
    expect(copied).to_be_visible()
    expect(copied).to_be_focused()
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    assert not axe_violations(page)

    relative = open_page(chromium, live_server)
    try:
        relative.goto(link)
        expect(relative.get_by_text("Anna invites you to see some of how they are doing.")).to_be_visible()
        expect(relative.get_by_text(LINE)).to_be_visible()
        expect(relative.get_by_role("heading", name="You will not see")).to_be_visible()
        expect(relative.get_by_text("Their diary, unless they share an entry with you")).to_be_visible()
        assert "mira" not in relative.content().casefold()
        assert not axe_violations(relative)
        relative.get_by_label("A made-up name").fill("mumsaccount")
        relative.get_by_label("Password").fill(PASSWORD)
        relative.get_by_role("button", name="Create account and accept").click()
        relative.get_by_role("button", name="I have saved them").click()
        expect(relative.get_by_role("heading", name="Shared with you", exact=True)).to_be_visible()

        with app.app_context():
            from extensions import db

            files = sqlite_files(db.engine)
        assert not [marker_pieces_in(LINE, raw) for raw in files.values() if marker_pieces_in(LINE, raw)]

        page.goto(f"/diary/{entry}")
        expect(page.get_by_text("Only you can see this.")).to_be_visible()
        page.get_by_role("link", name="Share", exact=True).click()
        mum = page.get_by_role("checkbox", name="Mum · relative")
        peer = page.get_by_role("checkbox", name="Lina · peer supporter")
        expect(mum).to_be_visible()
        expect(peer).to_be_visible()
        row = page.locator("label.share-row").filter(has_text="Lina · peer supporter")
        assert row.bounding_box()["height"] >= 44
        assert not axe_violations(page)
        row.click()  # the whole row is the checkbox
        expect(peer).to_be_checked()
        expect(mum).not_to_be_checked()
        page.get_by_role("button", name="Save", exact=True).click()
        answer = page.locator(".flashes")
        expect(answer).to_contain_text("Shared. Lina (peer supporter) can see this entry.")
        expect(answer).to_be_focused()
        expect(answer).to_be_in_viewport()
        expect(page.get_by_text("Lina (peer supporter) can see this.", exact=True)).to_be_visible()

        relative.goto("/linked")
        expect(relative.get_by_text("a quiet good day")).to_have_count(0)
        mum_contact = re.search(r"/contacts/(\d+)", relative.url + relative.content())
        if mum_contact:
            assert relative.request.get(f"/contacts/{mum_contact.group(1)}/entries/{entry}").status == 404

        lina_page = open_page(chromium, live_server)
        try:
            log_in(lina_page, "linaaccount")
            lina_page.goto(f"/contacts/{with_lina}/entries/{entry}")
            expect(lina_page.get_by_text("a quiet good day")).to_be_visible()
        finally:
            lina_page.context.close()

        page.goto("/settings/access-log")
        expect(page.get_by_text("You shared a diary entry with Lina (peer supporter)")).to_be_visible()
        expect(page.get_by_text("Lina (peer supporter) looked at a diary entry")).to_be_visible()
        assert not relative.problems.errors, relative.problems.errors
    finally:
        relative.context.close()
