"""The app shell: the manifest (in two looks), the service worker with its list of kept
files, the offline page, and this phone's choices."""

import json
import re

from tests.conftest import login, make_user, post


def test_the_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest?look=nara&lang=sv")
    assert response.mimetype == "application/manifest+json"
    data = response.get_json(force=True)
    assert data["id"] == "/" and data["scope"] == "/" and data["start_url"] == "/"
    assert data["display"] == "standalone" and data["name"] == "Nära" and data["lang"] == "sv"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    assert {shot["form_factor"] for shot in data["screenshots"]} == {"narrow", "wide"}
    for item in data["icons"] + data["screenshots"]:
        assert client.get(item["src"]).status_code == 200


def test_the_neutral_manifest_names_nothing_of_the_app(client):
    for lang, name in (("sv", "Anteckningar"), ("da", "Noter"), ("en", "Notes")):
        data = client.get(f"/manifest.webmanifest?look=plain&lang={lang}").get_json(force=True)
        assert data["name"] == data["short_name"] == name
        assert data["id"] == "/"  # still the same installed app
        assert "screenshots" not in data
        assert all("plain-" in icon["src"] for icon in data["icons"])
        assert "Nära" not in json.dumps(data, ensure_ascii=False)


def test_unknown_manifest_choices_fall_back_calmly(client):
    data = client.get("/manifest.webmanifest?look=<script>&lang=xx").get_json(force=True)
    assert data["name"] == "Nära" and data["lang"] == "en"


def test_the_service_worker_keeps_a_versioned_shell_that_exists(client):
    response = client.get("/sw.js")
    body = response.get_data(as_text=True)
    assert response.headers["Service-Worker-Allowed"] == "/" and response.headers["Cache-Control"] == "no-cache"
    version = re.search(r'var VERSION = "([0-9a-f]{16})"', body)
    shell = json.loads(re.search(r"var SHELL = (\[.*?\]);", body).group(1))
    assert version
    assert "/offline" in shell and "/help" in shell and "/away" in shell
    assert any(url.startswith("/static/css/app.css?v=") for url in shell)
    for url in shell:
        assert client.get(url).status_code == 200, url
    assert "__" not in re.search(r"var PAGES = (\[.*?\]);", body).group(1)


def test_the_offline_page_tells_nothing_about_who_is_logged_in(app, client):
    make_user(app, "mira")
    login(client, "mira")
    page = client.get("/offline").get_data(as_text=True)
    assert "No connection right now" in page and "call 112" in page
    assert "mira" not in page and "Log out" not in page and "bottom-nav" not in page
    assert "data-bare" in page


def test_this_phone_can_look_neutral_everywhere(app, client):
    make_user(app, "mira")
    login(client, "mira")
    response = post(client, "/settings/phone", {"look": "plain", "exit": "weather_se", "after_exit": "logout"})
    assert response.status_code == 302
    assert "nara_look=plain" in " ".join(response.headers.getlist("Set-Cookie"))
    assert "nara_after_exit=logout" in " ".join(response.headers.getlist("Set-Cookie"))
    page = client.get("/today").get_data(as_text=True)
    assert "<title>Today · Notes</title>" in page
    assert "look=plain" in page and "plain-icon-192.png" in page
    assert 'href="https://www.smhi.se/" rel="noreferrer" data-quick-exit' in page
    # It holds before anyone logs in, too: the phone keeps it, not the account.
    post(client, "/logout")
    assert "<title>Log in · Notes</title>" in client.get("/login").get_data(as_text=True)


def test_the_default_quick_exit_is_the_recipe_page(app, client):
    assert 'href="/away" rel="noreferrer" data-quick-exit' in client.get("/login").get_data(as_text=True)


def test_a_made_up_choice_is_refused_with_a_message(app, client):
    make_user(app, "mira")
    login(client, "mira")
    response = post(client, "/settings/phone", {"look": "shiny", "exit": "https://evil.example/"})
    assert response.status_code == 200
    assert "Choose one of the options." in response.get_data(as_text=True)
    assert not response.headers.getlist("Set-Cookie") or "nara_exit" not in " ".join(
        response.headers.getlist("Set-Cookie")
    )
    # A made-up cookie changes nothing either.
    client.set_cookie("nara_exit", "https://evil.example/")
    assert "evil.example" not in client.get("/today").get_data(as_text=True)


def test_quick_exit_logs_out_or_locks_as_this_phone_chose(app, client):
    from tests.conftest import PASSWORD

    make_user(app, "mira")
    login(client, "mira")
    assert post(client, "/quick-exit").status_code == 204
    assert client.get("/today").status_code == 302  # logged out: the login page
    assert client.get("/today").headers["Location"].startswith("/login")
    # With a PIN (and the default choice), Quick exit locks instead; the PIN opens it again.
    login(client, "mira")
    post(client, "/settings/lock", {"pin": "2580", "repeat": "2580", "idle_minutes": "5", "password": PASSWORD})
    post(client, "/quick-exit")
    assert client.get("/today").headers["Location"].startswith("/lock")
    post(client, "/lock", {"pin": "2580"})
    assert client.get("/today").status_code == 200
    # This phone chose "log me out": no lock, a full logout even with a PIN.
    client.set_cookie("nara_after_exit", "logout")
    post(client, "/quick-exit")
    assert client.get("/today").headers["Location"].startswith("/login")
