"""'My next steps': the person's plan, a reminder for a step, and sharing the plan."""

import re

from tests.conftest import login, make_contact, make_peer_profile, make_user, post


def _main(response):
    return re.search(r"<main.*?</main>", response.get_data(as_text=True), re.S).group(0)


def test_steps_are_planned_reminded_and_done(app, client):
    make_user(app, "mira")
    login(client, "mira")
    made = post(
        client,
        "/next-steps/new",
        {
            "kind": "after_prison",
            "title": "Meet probation officer",
            "when": "2099-05-04T10:00",
            "who": "Probation, Malmö",
            "phone": "+46 40-12 34 56",
            "note": "Bring ID",
        },
    )
    assert made.status_code == 302
    post(client, "/next-steps/new", {"kind": "other", "title": "Call the housing office"})
    page = _main(client.get("/next-steps"))
    assert page.index("Meet probation officer") < page.index("Call the housing office")  # dated first
    assert 'href="tel:+4640123456"' in page and "Probation, Malmö" in page
    link = re.search(r'href="(/push/reminders/new\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert re.fullmatch(r"/push/reminders/new\?step=\d+", link)  # the step's id, never its words
    reminder_form = client.get(link).get_data(as_text=True)
    assert 'value="Meet probation officer"' in reminder_form and "2099-05-04T10:00" in reminder_form
    bad = post(client, "/next-steps/new", {"kind": "other", "title": "x", "phone": "ring me"})
    assert "digits, spaces" in bad.get_data(as_text=True)
    step = re.search(r"/next-steps/(\d+)/done", page).group(1)
    post(client, f"/next-steps/{step}/done")
    done = _main(client.get("/next-steps"))
    # The answer is the flash at the top, which takes the focus (data-answer).
    assert re.search(r'class="flashes"[^>]*data-answer', done)
    assert "Done: Meet probation officer. Well done for taking this step." in done
    post(client, f"/next-steps/{step}/done")
    assert "Back on your list: Meet probation officer." in _main(client.get("/next-steps"))
    post(client, f"/next-steps/{step}/done")
    other = app.test_client()
    make_user(app, "noor")
    login(other, "noor")
    assert other.get(f"/next-steps/{step}/edit").status_code == 404
    assert "Meet probation officer" not in other.get(link).get_data(as_text=True)  # not theirs: an empty form
    assert post(other, f"/next-steps/{step}/delete").status_code == 404


def test_the_plan_is_shared_only_with_the_contacts_ticked(app, client):
    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    ola, _ = make_user(app, "ola", role="peer", approved=True)
    make_peer_profile(app, helle)
    make_peer_profile(app, ola, display_name="Ola")
    with_helle = make_contact(app, mira, helle)
    with_ola = make_contact(app, mira, ola)
    login(client, "mira")
    post(client, "/next-steps/new", {"kind": "appointment", "title": "Dentist on Friday"})
    helle_client, ola_client = app.test_client(), app.test_client()
    login(helle_client, "helle")
    login(ola_client, "ola")
    assert "Dentist on Friday" not in helle_client.get(f"/contacts/{with_helle}").get_data(as_text=True)
    post(client, "/next-steps/share", {"contacts": [with_helle]})
    assert "Dentist on Friday" in helle_client.get(f"/contacts/{with_helle}").get_data(as_text=True)
    assert "Dentist on Friday" not in ola_client.get(f"/contacts/{with_ola}").get_data(as_text=True)
    log = _main(client.get("/settings/access-log"))
    assert (
        "Helle (peer supporter) looked at your next steps" in log
        and "You switched on for Helle (peer supporter): your next steps" in log
    )
    post(client, "/next-steps/share", {})
    assert "Dentist on Friday" not in helle_client.get(f"/contacts/{with_helle}").get_data(as_text=True)
