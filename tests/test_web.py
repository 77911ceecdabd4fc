"""What every response promises: security headers, friendly errors, no 500 for bad input."""

import re

import pytest

from tests.conftest import PASSWORD, csrf_token, login, make_user, post

PAGES = ["/", "/login", "/signup", "/help", "/recover", "/nowhere"]


@pytest.mark.parametrize("url", PAGES)
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    script = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_pages_load_nothing_from_other_hosts(client):
    page = client.get("/signup").get_data(as_text=True)
    assert "http://" not in page and "https://" not in page
    assert "<script>" not in page and " on" + "click=" not in page


def test_pages_about_a_person_are_not_cached(client, app):
    make_user(app, "mira")
    login(client, "mira")
    assert "no-store" in client.get("/settings").headers["Cache-Control"]


def test_not_found_is_a_friendly_page_in_the_users_language(client):
    response = client.get("/nowhere", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "We could not find that page" in response.get_data(as_text=True)
    da = client.get("/nowhere", headers={"Accept-Language": "da"}).get_data(as_text=True)
    assert "We could not find that page" not in da


def test_wrong_method_is_friendly(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "Traceback" not in response.get_data(as_text=True)


def test_forged_or_missing_csrf_token_is_refused_kindly(client, app):
    make_user(app, "mira")
    missing = client.post("/login", data={"handle": "mira", "password": PASSWORD})
    assert missing.status_code == 400
    forged = client.post("/login", data={"handle": "mira", "password": PASSWORD, "csrf_token": "forged"})
    assert forged.status_code == 400
    assert "Nothing was changed" in forged.get_data(as_text=True)
    assert client.get("/today").status_code == 302


def test_a_token_from_another_session_does_not_work(app):
    make_user(app, "mira")
    attacker, victim = app.test_client(), app.test_client()
    login(victim, "mira")
    stolen = csrf_token(attacker)
    response = victim.post("/settings/preferences", data={"csrf_token": stolen, "locale": "en", "time_zone": "UTC"})
    assert response.status_code == 400


def test_htmx_requests_carry_the_token_in_a_header(client, app):
    make_user(app, "mira")
    login(client, "mira")
    token = csrf_token(client)
    ok = client.post(
        "/settings/preferences",
        data={"locale": "en", "time_zone": "UTC"},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert ok.status_code == 302
    refused = client.post(
        "/settings/preferences", data={"locale": "en", "time_zone": "UTC"}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 400


def test_htmx_gets_only_the_fragment(client):
    full = client.get("/help").get_data(as_text=True)
    fragment = client.get("/help", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in full and "<html" not in fragment
    assert "tel:112" in fragment


def test_a_2mb_body_gets_a_friendly_413(client):
    response = client.post("/login", data={"handle": "x" * (2 * 1024 * 1024), "password": "y"})
    assert response.status_code == 413
    assert "too much to send" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"handle": "", "password": ""},
        {"handle": "   ", "password": " " * 12},
        {"handle": "x" * 5000, "password": "y" * 5000},
        {"handle": "<script>alert(1)</script>", "password": "<img src=x onerror=alert(1)>"},
        {"handle": "\x00\x01\x02", "password": "\ud800"[:0] + "\u202e\u200b" * 10},
        {"handle": "🙂🙂🙂🙂", "password": "ゆっくり休んでください、ね"},
        {"handle": ["a", "b"], "password": ["c", "d"]},
    ],
)
@pytest.mark.parametrize("url", ["/signup", "/login", "/recover"])
def test_bad_input_never_breaks_the_auth_forms(client, url, form):
    response = post(client, url, form)
    assert response.status_code in (200, 302), response.status_code
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize(
    "data",
    [
        {"locale": "sv", "time_zone": "x" * 10000},
        {"locale": ["sv", "da"], "time_zone": "UTC"},
        {"locale": "\x00", "time_zone": "\x00"},
    ],
)
def test_bad_settings_input_is_explained(client, app, data):
    make_user(app, "mira")
    login(client, "mira")
    response = post(client, "/settings/preferences", data)
    assert response.status_code in (200, 302)


def test_bad_path_values_are_404_not_500(client, app):
    make_user(app, "coord", role="coordinator")
    login(client, "coord")
    assert post(client, "/coordinator/peers/99999999999999999999/approve").status_code == 404
    assert post(client, "/coordinator/peers/abc/approve").status_code == 404


def test_an_unexpected_error_is_a_calm_500(app):
    @app.get("/__boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/__boom")
    assert response.status_code == 500
    assert "not your fault" in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)


def test_forms_work_over_https_without_a_referer(app):
    """Referrer-Policy: no-referrer means browsers send no Referer; posting must still work."""
    make_user(app, "mira")
    client = app.test_client()
    base = {"base_url": "https://nara.example"}
    page = client.get("/login", **base).get_data(as_text=True)
    import re

    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        data={"csrf_token": token, "handle": "mira", "password": PASSWORD},
        headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"},
        **base,
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
    ],
)
def test_writes_from_other_sites_are_refused(client, app, headers):
    make_user(app, "mira")
    token = csrf_token(client)
    response = client.post(
        "/login", data={"csrf_token": token, "handle": "mira", "password": PASSWORD}, headers=headers
    )
    assert response.status_code == 400
    assert client.get("/settings").status_code == 302


def test_every_page_can_be_asked_for_as_a_fragment(app):
    """htmx may ask any page for its content block; none of them may break."""
    from tests.conftest import make_diary

    user_id, _ = make_user(app, "mira")
    ids = make_diary(app, user_id)
    make_user(app, "coord", role="coordinator")
    for who in ("anonymous", "mira", "coord"):
        client = app.test_client()
        if who != "anonymous":
            login(client, who)
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            url = rule.rule.replace("<id:entry_id>", str(ids["entry"])).replace("<id:goal_id>", str(ids["goal"]))
            response = client.get(url, headers={"HX-Request": "true"})
            assert response.status_code < 500, (who, url)
            standalone = url == "/away"  # a page of its own, without the app's layout
            assert standalone or "<html" not in response.get_data(as_text=True) or response.status_code in (301, 302), (
                who,
                url,
            )


def test_error_pages_carry_the_security_headers(client):
    for response in (
        client.get("/nowhere"),
        client.post("/login", data={"x": "y" * (2 * 1024 * 1024)}),
        client.get("/static/css/app.css"),
    ):
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_fragment_and_page_are_cached_apart(client):
    assert "HX-Request" in client.get("/help").headers["Vary"]


def test_pages_and_static_files_are_compressed(client):
    page = client.get("/signup", headers={"Accept-Encoding": "gzip"})  # brotli: tests/test_compression.py
    assert page.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in page.headers["Vary"]
    import gzip as gz

    assert b"<html" in gz.decompress(page.data)
    html = client.get("/signup").get_data(as_text=True)  # a browser without gzip gets it plain
    css_url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', html).group(1)
    css = client.get(css_url, headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "immutable" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")
