"""The recovery codes page in a real Chromium: losing the keys said plainly, the codes as a
text file made in the browser, printing only the codes and the warning, and "I have saved
them" as the way on."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.conftest import PASSWORD

WARNING = "Not even the organisation can open your diary. If you lose your password and every recovery code, it cannot be brought back."


def _sign_up(page, handle="mira"):
    page.goto("/signup")
    expect(page.get_by_text(WARNING)).to_be_visible()
    page.get_by_label("A made-up name").fill(handle)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name=f"Welcome, {handle}")).to_be_visible()
    page.wait_for_load_state("load")


def _codes_on_page(page) -> list[str]:
    return [code.strip() for code in page.locator("#recovery-codes code").all_text_contents()]


def test_the_codes_download_as_a_text_file_made_on_the_phone(page):
    _sign_up(page)
    codes = _codes_on_page(page)
    assert len(codes) == 8
    expect(page.get_by_text(WARNING)).to_be_visible()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the codes").click()
    file = download.value
    assert file.suggested_filename == "recovery-codes.txt"
    text = open(file.path(), encoding="utf-8").read()
    assert [line.split(". ", 1)[1] for line in text.splitlines() if re.match(r"\d\. ", line)] == codes
    assert WARNING in text
    assert not [url for url in requests if url.startswith("http")], "nothing is fetched for the file"
    expect(page.get_by_role("status").filter(has_text="Downloaded")).to_be_visible()
    assert not axe_violations(page)


def test_printing_shows_only_the_codes_and_the_warning(page):
    _sign_up(page)
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Print the codes").click()
    assert page.evaluate("() => window.printed") == 1
    page.emulate_media(media="print")
    for code in _codes_on_page(page):
        expect(page.get_by_text(code)).to_be_visible()
    expect(page.get_by_text(WARNING)).to_be_visible()
    for hidden in (
        page.get_by_role("heading", name="Welcome, mira"),
        page.get_by_role("button", name="I have saved them"),
        page.get_by_role("button", name="Print the codes"),
        page.get_by_role("link", name="Quick exit"),
        page.get_by_role("navigation", name="Main"),
    ):
        expect(hidden).to_be_hidden()
    page.emulate_media(media="screen")
    expect(page.get_by_role("button", name="I have saved them")).to_be_visible()


def test_i_have_saved_them_goes_on_and_the_codes_are_not_shown_again(page):
    _sign_up(page)
    codes = _codes_on_page(page)
    page.get_by_role("button", name="I have saved them").click()
    expect(page).to_have_url(re.compile(r"/today$"))
    page.goto("/settings")
    expect(page.get_by_text(WARNING)).to_be_visible()
    assert not any(code in page.content() for code in codes)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.get_by_role("heading", name="Your new recovery codes")).to_be_visible()
    fresh = _codes_on_page(page)
    assert len(fresh) == 8 and not set(fresh) & set(codes)
    expect(page.get_by_role("button", name="Download the codes")).to_be_visible()
    page.get_by_role("button", name="I have saved them").click()
    expect(page).to_have_url(re.compile(r"/settings#recovery$"))
    assert all(code not in page.url for code in fresh)


def test_without_javascript_the_codes_are_there_to_copy(chromium, live_server):
    context = chromium.new_context(java_script_enabled=False, base_url=live_server, locale="en-GB")
    try:
        page = context.new_page()
        _sign_up(page)
        assert len(_codes_on_page(page)) == 8
        for name in ("Download the codes", "Print the codes", "Copy the codes"):
            expect(page.get_by_role("button", name=name)).to_be_hidden()
        page.get_by_role("button", name="I have saved them").click()
        expect(page).to_have_url(re.compile(r"/today$"))
    finally:
        context.close()
