"""The app frame, for every role and language: one slim app bar and one bottom bar that each fit one
row at 320 and 390 px; every control on every main page at least 44×44 px (links inside running text
excepted); the larger-text setting; and "Read aloud", which uses only the phone's own voices.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in as log_in_as
from tests.browser.conftest import open_page
from tests.browser.test_every_page import STREAMS, _is_document
from tests.test_access import HANDLES, build_people

# The roles whose frames differ (a second client or peer supporter has the same frame).
FRAME_ROLES = ["anonymous", "client", "peer_waiting", "peer", "relative", "coordinator"]
LANGUAGES = ("en", "sv", "da")
WIDTHS = (320, 390)

# The header and the bottom bar, measured: each item's box, the lines of each bar label, the widest
# thing that sticks out of the window.
FRAME_JS = """() => {
  const box = el => { const r = el.getBoundingClientRect();
    return {text: el.innerText.trim().replace(/\\s+/g, ' '), top: r.top, bottom: r.bottom, left: r.left, right: r.right,
            width: r.width, height: r.height, spills: el.scrollWidth - el.clientWidth}; };
  const lines = el => { const style = getComputedStyle(el);
    return Math.round(el.getBoundingClientRect().height / parseFloat(style.lineHeight)); };
  const header = document.querySelector('header.top');
  const nav = document.querySelector('nav.bottom-nav');
  return {
    width: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    header: box(header),
    headerItems: [...header.children].map(box),
    nav: nav ? box(nav) : null,
    navItems: nav ? [...nav.querySelectorAll(':scope > a')].map(a =>
      ({...box(a), lines: lines(a.querySelector('.nav-label'))})) : [],
  };
}"""


def _log_in(page, role: str) -> None:
    if role != "anonymous":
        log_in_as(page, HANDLES[role])


def _choose_language(page, language: str) -> None:
    """As a person would: the footer's language buttons."""
    name = {"en": "English", "sv": "Svenska", "da": "Dansk"}[language]
    if page.evaluate("() => document.documentElement.lang") != language:
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_function("lang => document.documentElement.lang === lang", arg=language)


def frame_problems(frame: dict, where: str) -> list[str]:
    """What is wrong with the measured frame: the header in more than one row or taller than 64 px, the
    bottom bar in more than one row, a label on more than two lines, anything wider than the window."""
    problems = []
    width = frame["width"]
    if frame["scrollWidth"] > width:
        problems.append(f"{where}: the page scrolls sideways ({frame['scrollWidth']} px in {width})")
    header = frame["header"]
    if header["height"] > 64:
        problems.append(f"{where}: the header is {header['height']:.0f} px tall (at most 64)")
    tops = [item["top"] for item in frame["headerItems"]]
    if max(tops) - min(tops) > 12:
        problems.append(
            f"{where}: the header is not one row: "
            + ", ".join(f"{item['text']!r} at {item['top']:.0f}" for item in frame["headerItems"])
        )
    items = frame["headerItems"]
    for before, after in zip(items, items[1:], strict=False):
        if after["left"] < before["right"] - 0.5:
            problems.append(f"{where}: {before['text']!r} and {after['text']!r} overlap in the header")
    for item in frame["headerItems"] + frame["navItems"]:
        if item["right"] > width + 0.5 or item["left"] < -0.5:
            problems.append(f"{where}: {item['text']!r} is outside the window ({item['left']:.0f}–{item['right']:.0f})")
        if item["spills"] > 1:
            problems.append(f"{where}: {item['text']!r} spills {item['spills']} px out of its box")
        if item["width"] < 44 or item["height"] < 44:
            problems.append(f"{where}: {item['text']!r} is {item['width']:.0f}×{item['height']:.0f} px")
    if frame["navItems"]:
        tops = [item["top"] for item in frame["navItems"]]
        if max(tops) - min(tops) > 1:
            problems.append(f"{where}: the bottom bar is not one row")
        for item in frame["navItems"]:
            if item["lines"] > 2:
                problems.append(f"{where}: the bar's {item['text']!r} takes {item['lines']} lines")
    return problems


@pytest.mark.parametrize("role", FRAME_ROLES)
def test_the_header_and_bottom_bar_fit_one_row(chromium, live_server, role):
    build_people(live_server.app)
    page = open_page(chromium, live_server)
    problems, multi_line = [], []
    try:
        _log_in(page, role)
        if role == "anonymous":
            page.goto("/login")
        for language in LANGUAGES:
            _choose_language(page, language)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 700})
                frame = page.evaluate(FRAME_JS)
                problems += frame_problems(frame, f"{role} {language} {width} px")
                multi_line += [f"{language} {width}: {i['text']}" for i in frame["navItems"] if i["lines"] > 1]
                if role != "anonymous":
                    assert frame["navItems"], f"{role} has no bottom bar"
    finally:
        page.context.close()
    assert not problems, "\n".join(problems)
    print(f"{role}: bar labels on two lines: {multi_line or 'none'}")


# Touch targets: every control at least 44×44 CSS px (WCAG 2.5.5, and Nära's DESIGN.md), except a link
# inside running text. THE RULE for "inside running text": an <a> whose nearest block-level ancestor
# also holds words (a letter or a digit) outside the link, so that the link is part of a sentence;
# links that stand alone, or only among other links and separators ("A · B"), must be 44 px. A
# checkbox or radio button is measured by its label when it has one (the label is what a finger
# taps). Hidden and visually hidden controls (1 px, clipped) are not targets.
TARGETS_JS = """() => {
  const small = [];
  const isBlock = el => !getComputedStyle(el).display.startsWith('inline');
  const inRunningText = link => {
    let block = link.parentElement;
    while (block && !isBlock(block)) block = block.parentElement;
    if (!block) return false;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (link.contains(node)) continue;
      const owner = node.parentElement.closest('a, button, .visually-hidden');
      if (owner && owner !== block && block.contains(owner)) continue;  // another control's words
      if (/[\\p{L}\\p{N}]/u.test(node.textContent)) return true;
    }
    return false;
  };
  const name = el => (el.getAttribute('aria-label') || el.innerText || el.value || el.name || el.tagName)
    .trim().replace(/\\s+/g, ' ').slice(0, 40);
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('[hidden], [inert]')) continue;
    let target = el;
    if (el.matches('input[type=checkbox], input[type=radio]')) target = el.closest('label') || (el.labels && el.labels[0]) || el;
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width <= 1 || box.height <= 1 || style.visibility === 'hidden') continue;
    if (el.tagName === 'A' && inRunningText(el)) continue;
    if (box.width < 43.5 || box.height < 43.5) {
      small.push({tag: el.tagName.toLowerCase(), text: name(el), width: Math.round(box.width), height: Math.round(box.height)});
    }
  }
  return small;
}"""


@pytest.mark.parametrize("role", FRAME_ROLES)
def test_every_control_on_every_page_is_44_px(chromium, live_server, role):
    from tests.test_access import MATRIX

    ids = build_people(live_server.app)
    page = open_page(chromium, live_server)
    offenders = []
    try:
        _log_in(page, role)
        for method, pattern, expected in MATRIX.values():
            if method != "GET" or expected[role] != 200 or pattern in STREAMS:
                continue
            url = pattern.format(**ids)
            if not _is_document(page.request.get(url, max_redirects=0)):
                continue
            page.goto(url)
            for item in page.evaluate(TARGETS_JS):
                line = f"{pattern} ({url}): {item['tag']} {item['text']!r} is {item['width']}×{item['height']} px"
                offenders.append(line)
            page.problems.errors.clear()
    finally:
        page.context.close()
    assert not offenders, f"controls smaller than 44×44 px for {role}:\n" + "\n".join(offenders)


def test_larger_text_is_chosen_on_the_me_page_without_javascript(chromium, live_server):
    """A plain form: it works with JavaScript off, says so in the flash, and grows the page, not the bars."""
    build_people(live_server.app)
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", base_url=live_server, java_script_enabled=False
    )
    page = context.new_page()
    try:
        log_in_as(page, HANDLES["client"])
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Me").click()
        expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
        root = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"
        header = "() => document.querySelector('header.top').getBoundingClientRect().height"
        normal, normal_header = page.evaluate(root), page.evaluate(header)

        page.get_by_label("Larger text").check()
        page.locator("#text-size").get_by_role("button", name="Save").click()
        expect(page.get_by_text("Larger text is on, on this phone.")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("data-text", "large")
        assert page.evaluate(root) == pytest.approx(normal * 1.2)
        assert page.evaluate(header) == pytest.approx(normal_header), "the app bar keeps its size"
        cookie = next(c for c in context.cookies() if c["name"] == "text")
        assert cookie["value"] == "large" and cookie["sameSite"] == "Lax" and cookie["httpOnly"]
        assert cookie["expires"] > time.time() + 360 * 24 * 3600, "kept for a year"
        page.goto("/today")
        expect(page.locator("html")).to_have_attribute("data-text", "large")  # on every page

        page.goto("/settings")
        expect(page.get_by_label("Larger text")).to_be_checked()
        page.get_by_label("Larger text").uncheck()
        page.locator("#text-size").get_by_role("button", name="Save").click()
        expect(page.get_by_text("Text is back to its usual size on this phone.")).to_be_visible()
        expect(page.locator("html")).not_to_have_attribute("data-text", "large")
        assert page.evaluate(root) == pytest.approx(normal)
    finally:
        context.close()


# A speechSynthesis of our own, with the voices a test gives: what it is asked to say is kept in
# window.spoken. (Chromium's own, headless, usually has no voice at all.)
FAKE_SPEECH = """(voices) => {
  window.spoken = []; window.cancelled = 0;
  const synth = {
    getVoices: () => voices,
    speak: utterance => window.spoken.push({text: utterance.text, voice: utterance.voice.name, lang: utterance.lang}),
    cancel: () => { window.cancelled += 1; },
    addEventListener: () => {},
  };
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
}"""


def _with_voices(page, voices: list[dict]) -> None:
    page.add_init_script(f"({FAKE_SPEECH})({json.dumps(voices)})")


def test_read_aloud_stays_hidden_without_a_local_voice_in_the_pages_language(page):
    # A voice on a server in the page's language, and a local one in another: neither may be used.
    _with_voices(
        page,
        [
            {"name": "Cloud English", "lang": "en-GB", "localService": False},
            {"name": "Local Swedish", "lang": "sv-SE", "localService": True},
        ],
    )
    page.goto("/help/rights")
    expect(page.locator("[data-read-aloud] .read-aloud")).to_be_hidden()
    expect(page.get_by_role("button", name="Read aloud")).to_have_count(0)


def test_read_aloud_is_hidden_in_a_browser_with_no_voices(page):
    page.goto("/help/rights")
    has_local = page.evaluate(
        "() => !!window.speechSynthesis && speechSynthesis.getVoices().some(v => v.localService && v.lang.startsWith('en'))"
    )
    if has_local:
        pytest.skip("this Chromium has a local English voice")
    expect(page.get_by_role("button", name="Read aloud")).to_have_count(0)


def test_read_aloud_reads_with_the_phones_own_voice_and_stops(page):
    _with_voices(
        page,
        [
            {"name": "Cloud English", "lang": "en-US", "localService": False},
            {"name": "Phone English", "lang": "en-GB", "localService": True},
        ],
    )
    page.goto("/help/rights")
    button = page.get_by_role("button", name="Read aloud")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    button.click()
    spoken = page.evaluate("() => window.spoken")
    assert len(spoken) == 1 and spoken[0]["voice"] == "Phone English"
    assert spoken[0]["text"].startswith("In short and in plain words.")
    assert "Read aloud" not in spoken[0]["text"] and "Stop reading" not in spoken[0]["text"]
    stop = page.get_by_role("button", name="Stop reading")
    expect(stop).to_have_attribute("aria-pressed", "true")
    stop.click()
    assert page.evaluate("() => window.cancelled") >= 1
    expect(page.get_by_role("button", name="Read aloud")).to_be_visible()


def test_quick_exit_is_quiet_in_the_dark_and_reachable_by_keyboard(page):
    """Always there, but not the brightest thing on the page: no light fill in the dark scheme."""
    page.emulate_media(color_scheme="dark")
    page.goto("/help")
    exit_link = page.locator("header [data-quick-exit]")
    fill = exit_link.evaluate("el => getComputedStyle(el).backgroundColor")
    channels = [int(c) for c in re.findall(r"\d+", fill)[:3]]
    transparent = fill in ("rgba(0, 0, 0, 0)", "transparent")
    assert transparent or max(channels) < 128, f"Quick exit is filled with {fill} in the dark"
    box = exit_link.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    for _ in range(6):  # the skip link, the logo, Get help, then Quick exit
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.hasAttribute('data-quick-exit')"):
            break
    else:
        pytest.fail("Tab does not reach Quick exit among the first stops")
