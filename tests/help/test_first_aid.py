"""Overdose first aid: a public page, every section with its sources and the day it was
last reviewed, in every language; linked from "Need help now" and kept by the service worker."""

import json
import re

import pytest

from help import first_aid
from tests.conftest import login, make_user


def _main(response):
    return re.search(r"<main.*?</main>", response.get_data(as_text=True), re.S).group(0)


def _sections(page):
    return re.findall(r'<section class="card first-aid-section" id="([^"]+)".*?</section>', page, re.S), re.findall(
        r'<section class="card first-aid-section".*?</section>', page, re.S
    )


@pytest.mark.parametrize("language", ["sv", "da", "en"])
def test_every_section_names_a_source_and_the_day_it_was_reviewed(app, client, language):
    response = client.get("/help/first-aid", headers={"Accept-Language": language})
    assert response.status_code == 200
    page = _main(response)
    keys, bodies = _sections(page)
    assert keys == [section.key for section in first_aid.SECTIONS]
    with app.test_request_context(headers={"Accept-Language": language}):
        from core.dates import day

        shown = day(first_aid.REVIEWED)
    assert shown and str(first_aid.REVIEWED.year) in shown
    for key, body in zip(keys, bodies, strict=True):
        sources = re.findall(
            r'<a class="help-link" href="(https?://[^"]+)" rel="noreferrer" data-source>([^<]+)</a>', body
        )
        assert sources, f"section {key} names no source"
        assert all(name.strip() for _url, name in sources)
        reviewed = re.search(r"<p data-reviewed>([^<]+)</p>", body)
        assert reviewed and shown in reviewed.group(1), f"section {key} shows no last-reviewed date"
    assert 'href="tel:112"' in page


def test_the_page_covers_what_first_aid_needs(client):
    page = _main(client.get("/help/first-aid"))
    for words in (
        "Signs of an opioid overdose",
        "Signs of a stimulant overdose",
        "Call 112",
        "rescue breaths",
        "The recovery position",
        "wears off sooner than many opioids",
        "Where to get naloxone in Sweden",
        "Where to get naloxone in Denmark",
        "What not to do",
        "sleep it off",
    ):
        assert words in page, words
    # the drawings are inline, each with a text alternative; no image comes from elsewhere
    assert page.count('<svg viewBox="0 0 320 140" role="img" aria-labelledby=') == 2
    assert "<img" not in page


def test_every_source_is_a_distinct_public_page_and_each_section_has_points():
    for section in first_aid.SECTIONS:
        assert section.points and section.sources
        assert len({source.url for source in section.sources}) == len(section.sources)
        for source in section.sources:
            assert source.body and re.match(r"https?://[a-z0-9.-]+\.[a-z]{2,}/", source.url)


@pytest.mark.parametrize("who", [None, "mira"])
def test_anyone_opens_it_and_need_help_now_links_to_it_near_the_top(app, client, who):
    if who:
        make_user(app, who)
        login(client, who)
    assert client.get("/help/first-aid").status_code == 200
    crisis = _main(client.get("/help"))
    link = crisis.index('href="/help/first-aid"')
    assert link < crisis.index('id="call"')


def test_the_service_worker_keeps_the_first_aid_page(client):
    body = client.get("/sw.js").get_data(as_text=True)
    pages = json.loads(re.search(r"var PAGES = (\[.*?\]);", body).group(1))
    shell = json.loads(re.search(r"var SHELL = (\[.*?\]);", body).group(1))
    assert "/help/first-aid" in pages and "/help/first-aid" in shell
