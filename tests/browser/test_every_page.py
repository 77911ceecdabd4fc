"""Every page, for every role, in a real Chromium at 320 CSS px wide (WCAG 1.4.10: what 400 % zoom
gives on a desktop): axe-core at WCAG 2.2 AA (contrast in the dark colour scheme too), nothing
scrolling sideways or cut off, and no console errors; the role's header, navigation and footer in
Danish and Swedish as well. Plus the keyboard path through /today and `prefers-reduced-motion`.

The pages are tests/test_access.py's MATRIX: for each role, every GET route that answers that role
with 200, its URL filled from the same data (`build_people`). Responses that are not whole HTML
documents (the service worker, the manifest, the exports, htmx fragments) are not pages: skipped.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import AXE, axe_violations, open_page
from tests.browser.conftest import log_in as log_in_as
from tests.test_access import HANDLES, MATRIX, ROLES, build_people

NARROW = {"width": 320, "height": 640}

# What does not fit 320 px: the page scrolling sideways, an element cut off at the right edge (a
# fixed bar does not make the page scroll, it is only cut), text spilling out of its box over the
# next one, or a fixed bar at the bottom taller than the room the page leaves for it (the end of the
# page would stay under it). The deepest elements are named, to say what to fix; those inside a box
# that scrolls or clips on its own are that box's business.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const room = parseFloat(getComputedStyle(document.body).paddingBottom);
  const sticksOut = el => { const box = el.getBoundingClientRect(); return box.width > 1 && box.right > width + 0.5; };
  const spills = el => getComputedStyle(el).overflowX === 'visible' && el.clientWidth > 0
    && el.scrollWidth > el.clientWidth + 1 && !['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(el.tagName);
  const clipped = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '') + ` "${el.textContent.trim().slice(0, 20)}"`;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (sticksOut(el) && ![...el.children].some(sticksOut) && !clipped(el)) {
      out.push(`${name(el)} (right edge ${Math.round(box.right)})`);
    } else if (spills(el) && ![...el.children].some(spills) && !clipped(el)) {
      out.push(`${name(el)} (its content is ${el.scrollWidth} px wide in ${el.clientWidth} px)`);
    }
    if (getComputedStyle(el).position === 'fixed' && box.bottom >= innerHeight - 1 && box.height > room + 0.5) {
      out.push(`${name(el)} (fixed, ${Math.round(box.height)} px tall, the page leaves ${room} px)`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, culprits: out.slice(0, 5)};
}"""


STREAMS = {"/live"}  # the live event stream (live/) is held open, and no page


def pages_for(role: str, ids: dict) -> list[str]:
    return [
        url.format(**ids)
        for method, url, expected in MATRIX.values()
        if method == "GET" and expected[role] == 200 and url not in STREAMS
    ]


def log_in(page, role: str) -> None:
    if role != "anonymous":
        log_in_as(page, HANDLES[role])
        page.wait_for_url(lambda url: "/login" not in url)


DARK_CONTRAST_JS = """() => axe.run(document, {runOnly: ['color-contrast'], resultTypes: ['violations']})
  .then(result => result.violations.map(v =>
    `${v.id}: ${v.help} (${v.nodes.length} places, e.g. ${v.nodes[0].target})`))"""


# Shared by the roles' runs, to keep the file fast: what a URL is does not depend on who asks, and
# the dark palette's contrast is checked once per URL (the role's own navigation is on its other pages).
IS_DOCUMENT: dict[str, bool] = {}
SEEN_IN_DARK: set[str] = set()


def _check(page, url: str) -> list[str]:
    """The page is open at 320 px: axe in the light and (contrast only) the dark colour scheme, reflow."""
    problems = [f"axe {violation}" for violation in axe_violations(page)]
    if url not in SEEN_IN_DARK:
        SEEN_IN_DARK.add(url)
        page.emulate_media(color_scheme="dark")
        problems += [f"axe, dark mode: {violation}" for violation in page.evaluate(DARK_CONTRAST_JS)]
        page.emulate_media(color_scheme="light")
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow["scrollWidth"] > NARROW["width"] or overflow["culprits"]:
        problems.append(
            f"does not fit 320 px (scrollWidth {overflow['scrollWidth']}): " + ", ".join(overflow["culprits"])
        )
    return problems


def _fits_in_danish_and_swedish(page, role: str) -> list[str]:
    """Their words are longer: the last page again, with the role's header, navigation and footer,
    in each of the other languages at 320 px (chosen with the footer's buttons, as a person would)."""
    problems = []
    for language, button in (("da", "Dansk"), ("sv", "Svenska")):
        page.get_by_role("button", name=button).click()
        page.wait_for_function("lang => document.documentElement.lang === lang", arg=language)
        overflow = page.evaluate(OVERFLOW_JS)
        if overflow["scrollWidth"] > NARROW["width"] or overflow["culprits"]:
            problems.append(
                f"{role} {page.url} in {language}: does not fit 320 px "
                f"(scrollWidth {overflow['scrollWidth']}): " + ", ".join(overflow["culprits"])
            )
    return problems + [f"{role} in da/sv: {error}" for error in page.problems.errors]


def _is_document(response) -> bool:
    """A whole HTML page, not a script, a manifest, an export or an htmx fragment."""
    return response.headers.get("content-type", "").startswith(
        "text/html"
    ) and response.text().lstrip().lower().startswith("<!doctype html")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_accessible_reflows_and_logs_no_errors(chromium, live_server, role):
    ids = build_people(live_server.app)
    page = open_page(chromium, live_server)
    page.set_viewport_size(NARROW)
    page.context.add_init_script(path=str(AXE))  # in every page at once, rather than fetched for each
    checked, skipped, failures = [], [], []
    try:
        log_in(page, role)
        for url in pages_for(role, ids):
            # Asked for outside the tab first: a script or an export opened as a document is no page.
            if url not in IS_DOCUMENT:
                IS_DOCUMENT[url] = _is_document(page.request.get(url, max_redirects=0))
            if not IS_DOCUMENT[url]:
                skipped.append(url)
                continue
            response = page.goto(url)
            if response.status != 200:
                failures.append(f"{role} {url}: answered {response.status}")
            else:
                checked.append(url)
                failures += [f"{role} {url}: {problem}" for problem in _check(page, url)]
            failures += [f"{role} {url}: {error}" for error in page.problems.errors]
            page.problems.errors.clear()
        failures += _fits_in_danish_and_swedish(page, role)
    finally:
        page.context.close()
    assert checked, f"no pages for {role}"
    assert not failures, (
        f"{len(failures)} problems on {len(checked)} pages for {role} "
        f"(not pages, so not checked: {', '.join(skipped)}):\n" + "\n".join(failures)
    )


# Keyboard: the skip link comes first and lands on <main>; every stop shows where focus is.
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  // The part of each of its boxes (a link can wrap onto two lines) inside the window; a field taller
  // than the window shows only a part. In the middle of that part it must be itself, not something
  // on top of it (the fixed bar at the bottom).
  const parts = [...el.getClientRects()].map(r => ({
    left: Math.max(r.left, 0), right: Math.min(r.right, innerWidth),
    top: Math.max(r.top, 0), bottom: Math.min(r.bottom, innerHeight)}));
  const onTop = parts.every(r => {
    const top = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    return !!top && (el === top || el.contains(top) || (el.labels && [...el.labels].some(l => l.contains(top))));
  });
  return {
    name: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      ' "' + (el.textContent || el.value || el.name || '').trim().slice(0, 30) + '"',
    sized: box.width > 0 && box.height > 0 && style.visibility !== 'hidden',
    inView: parts.length > 0 && parts.every(r => r.right > r.left && r.bottom > r.top),
    onTop,
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
  };
}"""


@pytest.mark.parametrize("viewport", [None, NARROW], ids=["phone", "320px"])
def test_the_keyboard_path_is_visible(chromium, live_server, viewport):
    build_people(live_server.app)
    page = open_page(chromium, live_server)
    if viewport:
        page.set_viewport_size(viewport)
    try:
        log_in(page, "client")
        page.goto("/today")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.classList.contains('skip-link')"), (
            "the skip link is the first thing focused"
        )
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main", "the skip link moves focus to main"

        problems = []
        for url in ("/today", "/goals/new"):  # the second for its date field, whose parts take focus in turn
            page.goto(url)
            seen = []
            for _ in range(120):
                page.keyboard.press("Tab")
                focus = page.evaluate(FOCUS_JS)
                if focus is None or focus["name"] in seen[:1]:
                    break  # round the page and back to the start
                seen.append(focus["name"])
                where = f"{url} {focus['name']}"
                if not focus["sized"] or not focus["inView"]:
                    problems.append(f"{where}: focused but not visible")
                elif not focus["onTop"]:
                    problems.append(f"{where}: focused but covered by something else (WCAG 2.4.11)")
                if not focus["outline"] and not focus["shadow"]:
                    problems.append(f"{where}: no visible focus indicator")
            assert len(seen) > 10, f"Tab went through only {seen} on {url}"
        assert not problems, "\n".join(problems)
        assert not page.problems.errors, "\n".join(page.problems.errors)
    finally:
        page.context.close()


MOTION_JS = """() => {
  const probe = document.createElement('div');
  probe.style.transition = 'opacity 1s';          // what a future rule might add
  probe.style.animation = 'spin 2s infinite';
  document.body.append(probe);
  const long = v => v.split(',').some(part => parseFloat(part) > 0);
  const out = [];
  for (const el of document.querySelectorAll('*')) {
    for (const pseudo of [null, '::before', '::after']) {
      const s = getComputedStyle(el, pseudo);
      if (long(s.transitionDuration) || long(s.animationDuration)) {
        out.push(el.tagName.toLowerCase() + (pseudo || '') + (el.id ? '#' + el.id : '') +
                 `: transition ${s.transitionDuration}, animation ${s.animationDuration}`);
      }
    }
  }
  probe.remove();
  return out;
}"""


def test_reduced_motion_turns_every_transition_and_animation_off(chromium, live_server):
    build_people(live_server.app)
    page = open_page(chromium, live_server)
    try:
        page.emulate_media(reduced_motion="reduce")
        page.goto("/help")
        problems = [f"/help: {moving}" for moving in page.evaluate(MOTION_JS)]
        log_in(page, "client")
        for url in ("/today", "/diary/new", "/contacts/1", "/goals/1"):
            page.goto(url)
            problems += [f"{url}: {moving}" for moving in page.evaluate(MOTION_JS)]
        assert not problems, "\n".join(problems)
        assert not page.problems.errors, "\n".join(page.problems.errors)
    finally:
        page.context.close()
