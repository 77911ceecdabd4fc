"""Help as data: the crisis page, the directory, and the coordinator's CSV."""

import re

import pytest
from flask_babel import force_locale
from sqlmodel import select

from extensions import db
from help import service, spreadsheet
from help.models import HelpService
from tests.conftest import login, make_contact, make_peer_profile, make_user, post

PAYLOAD = "<script>alert('x')</script>"


def _add(app, **values):
    data = {"country": "SE", "kind": "line", "name": "A line", "phone": "020-123 456"}
    data.update(values)
    with app.app_context():
        return service.save(db.session, data).id


def _main(response):
    body = response.get_data(as_text=True)
    return re.search(r"<main.*?</main>", body, re.S).group(0)


def test_the_crisis_page_puts_112_first_then_the_countrys_lines(app, client):
    _add(app, kind="emergency", name="112", phone="112")
    _add(app, name="Our own line", phone="040-12 34 56", what_for="Advice day and night", hours="Always")
    _add(app, country="DK", name="A Danish line", phone="+45 70 20 20 20")
    _add(app, name="Hidden line", phone="0771-00 00 00", hidden=True)
    page = _main(client.get("/help"))
    assert page.count('href="tel:112"') == 1  # the shipped 112 and the coordinator's are one
    assert page.index("tel:112") < page.index("tel:90101") < page.index("tel:040123456")
    assert "Advice day and night" in page and "A Danish line" not in page and "Hidden line" not in page
    assert "Last verified" in page and "No other lines" not in page
    danish = _main(client.get("/help", headers={"Accept-Language": "da"}))
    assert "A Danish line" in danish and "tel:82121212" in danish and "tel:1177" not in danish
    assert "A Danish line" in _main(client.get("/help?country=DK"))


def test_tap_to_call_links_are_valid_tel_links(app, client):
    _add(app, kind="emergency", name="112", phone="112")
    _add(app, name="Line", phone="+46 (0)8-123 45")
    links = re.findall(r'href="(tel:[^"]*)"', client.get("/help").get_data(as_text=True))
    assert links and all(re.fullmatch(r"tel:\+?[0-9]{2,15}", link) for link in links)
    with pytest.raises(service.HelpError):
        with app.app_context():
            service.save(db.session, {"country": "SE", "kind": "line", "name": "x", "phone": "call me"})


def test_the_country_follows_settings_then_language(app, client):
    _add(app, country="DK", name="Danish line", phone="70 20 20 20")
    make_user(app, "mira")
    login(client, "mira")
    post(client, "/settings/preferences", {"locale": "en", "time_zone": "Europe/Copenhagen", "country": "DK"})
    assert "Danish line" in _main(client.get("/help"))


def test_the_clients_own_contacts_are_there_to_message(app, client):
    mira, _ = make_user(app, "mira")
    helle, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle)
    contact = make_contact(app, mira, helle)
    login(client, "mira")
    assert f"/contacts/{contact}#write" in client.get("/help").get_data(as_text=True)


def test_the_directory_filters_and_shows_a_service(app, client):
    first = _add(
        app,
        kind="harm_reduction",
        name="Needle exchange Malmö",
        region="Malmö",
        phone="040-10 10 10",
        address="Storgatan 1, Malmö",
        what_for="Clean equipment and a chat",
    )
    _add(app, kind="drop_in", name="Café Göteborg", region="Göteborg")
    _add(app, kind="women", name="Kvinnohuset", region="")
    assert "Needle exchange" in _main(client.get("/help/services?kind=harm_reduction"))
    page = _main(client.get("/help/services?region=Göteborg"))
    assert "Café Göteborg" in page and "Kvinnohuset" in page and "Needle exchange" not in page
    assert "Needle exchange" in _main(client.get("/help/services?q=equipment"))
    service_page = _main(client.get(f"/help/services/{first}"))
    assert "tel:040101010" in service_page and "Storgatan 1, Malmö" in service_page
    assert "geo:0,0?q=Storgatan" in service_page and "https://" not in service_page


def test_a_script_payload_in_any_field_is_text(app, client):
    fields = ("name", "what_for", "region", "address", "hours", "languages")
    row = _add(app, kind="drop_in", **{name: PAYLOAD for name in fields})
    pages = client.get("/help/services").get_data(as_text=True) + client.get(f"/help/services/{row}").get_data(
        as_text=True
    )
    assert PAYLOAD not in pages and "&lt;script&gt;" in pages


def test_coordinators_add_edit_hide_and_verify(app):
    make_user(app, "coord", role="coordinator")
    coordinator = app.test_client()
    login(coordinator, "coord")
    made = post(
        coordinator,
        "/coordinator/help/new",
        {"country": "SE", "kind": "drop_in", "name": "Café", "phone": "08-12 34 56", "self_referral": "y"},
    )
    assert made.status_code == 302
    bad = post(coordinator, "/coordinator/help/new", {"country": "NO", "kind": "drop_in", "name": ""})
    assert "Choose Sweden or Denmark" in bad.get_data(as_text=True)
    with app.app_context():
        row = db.session.exec(select(HelpService)).one()
    post(coordinator, f"/coordinator/help/{row.id}/verify")
    post(coordinator, f"/coordinator/help/{row.id}/hide")
    assert app.test_client().get(f"/help/services/{row.id}").status_code == 404
    with app.app_context():
        row = db.session.get(HelpService, row.id)
        assert row.hidden and row.last_verified is not None


def test_csv_round_trip_and_all_or_nothing_import(app):
    make_user(app, "coord", role="coordinator")
    coordinator = app.test_client()
    login(coordinator, "coord")
    _add(app, kind="drop_in", name="Café", phone="08-12 34 56")
    exported = coordinator.get("/coordinator/help/export.csv").get_data(as_text=True)
    assert exported.splitlines()[0].startswith("id,country,kind,name")
    good = (
        "country,kind,name,phone,region,self_referral\n"
        "SE,harm_reduction,Exchange,040-10 10 10,Malmö,yes\n"
        "DK,drop_in,Værested,,København,no\n"
    )
    bad = good + "NO,drop_in,Somewhere,,,\nSE,line,No number,,,\nSE,teleport,X,,,\n"
    response = post(coordinator, "/coordinator/help/import", {"csv_text": bad})
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    assert "Line 4: Choose Sweden or Denmark." in page and "Line 5: A line needs a phone number." in page
    assert "Line 6" in page
    with app.app_context():
        assert len(db.session.exec(select(HelpService)).all()) == 1
    assert post(coordinator, "/coordinator/help/import", {"csv_text": good}).status_code == 302
    assert post(coordinator, "/coordinator/help/import", {"csv_text": exported}).status_code == 302  # updates by id
    with app.app_context():
        names = sorted(r.name for r in db.session.exec(select(HelpService)))
    assert names == ["Café", "Exchange", "Værested"]
    for broken in ("", "just,some\n1,2\n", "id,country,kind,name\n99999,SE,drop_in,X\n"):
        assert "Nothing was imported" in post(coordinator, "/coordinator/help/import", {"csv_text": broken}).get_data(
            as_text=True
        )


def test_rights_pages_per_country_are_dated(client):
    sweden = _main(client.get("/help/rights?country=SE"))
    denmark = _main(client.get("/help/rights?country=DK"))
    assert "Patient Act" in sweden and "Patientnämnden" in sweden and "bisidder" not in sweden
    assert "bisidder" in denmark and "Ankestyrelsen" in denmark and "Patient Act" not in denmark
    assert "Written November 2026" in sweden and "Written November 2026" in denmark
    assert "Ankestyrelsen" in _main(client.get("/help/rights", headers={"Accept-Language": "da"}))  # da → Denmark


FORMULA_CELLS = {
    "name": '=HYPERLINK("http://x.invalid","Help")',
    "what_for": "+1+1",
    "region": "-Skåne",
    "hours": "@SUM(A1)",
    "phone": "+46 8 123 45 67",
    "address": "'already quoted",
    "source": "=1+1 and a plain tail",
    "languages": "sv, en",
}


def _export_rows(coordinator):
    import csv
    import io

    exported = coordinator.get("/coordinator/help/export.csv").get_data(as_text=True)
    return exported, list(csv.DictReader(io.StringIO(exported)))


def _coordinator(app):
    make_user(app, "coord", role="coordinator")
    coordinator = app.test_client()
    login(coordinator, "coord")
    return coordinator


def test_the_csv_export_cannot_start_a_formula_in_a_spreadsheet(app):
    coordinator = _coordinator(app)
    _add(app, kind="drop_in", **FORMULA_CELLS)
    _exported, rows = _export_rows(coordinator)
    (row,) = [r for r in rows if r["kind"] == "drop_in"]
    for cells in rows:
        assert not any(value[:1] in ("=", "+", "-", "@", "\t", "\r") for value in cells.values()), cells
    assert row["name"] == "'" + FORMULA_CELLS["name"] and row["phone"] == "'+46 8 123 45 67"
    assert row["region"] == "'-Skåne" and row["hours"] == "'@SUM(A1)" and row["what_for"] == "'+1+1"
    assert row["address"] == "''already quoted" and row["languages"] == "sv, en"
    for value in ("=x", "+x", "-x", "@x", "\tx", "\rx", "'x", "''x"):
        assert spreadsheet.spreadsheet_safe(value) == "'" + value
        assert spreadsheet.from_spreadsheet(spreadsheet.spreadsheet_safe(value)) == value
    for value in ("x", "", "1", "'s-Hertogenbosch", "Café = good"):
        assert spreadsheet.from_spreadsheet(spreadsheet.spreadsheet_safe(value)) == value
    assert spreadsheet.spreadsheet_safe("'s-Hertogenbosch") == "''s-Hertogenbosch"


def test_an_export_imported_again_changes_nothing(app):
    coordinator = _coordinator(app)
    first = _add(app, kind="drop_in", **FORMULA_CELLS)
    _add(app, kind="line", name="-Night line", phone="+45 70 20 20 20", what_for="=open all night")
    with app.app_context():
        before = {r.id: {f: getattr(r, f) for f in service.FIELDS} for r in service.everything(db.session)}
    exported, _rows = _export_rows(coordinator)
    assert post(coordinator, "/coordinator/help/import", {"csv_text": exported}).status_code == 302
    with app.app_context():
        db.session.expire_all()
        after = {r.id: {f: getattr(r, f) for f in service.FIELDS} for r in service.everything(db.session)}
    assert after == before and before[first]["phone"] == "+46 8 123 45 67"
    # The same file without ids finds the same entries by country, kind and name: no copies.
    without_ids = "\n".join(line.split(",", 1)[1] for line in exported.splitlines()) + "\n"
    assert post(coordinator, "/coordinator/help/import", {"csv_text": without_ids}).status_code == 302
    with app.app_context():
        db.session.expire_all()
        again = {r.id: {f: getattr(r, f) for f in service.FIELDS} for r in service.everything(db.session)}
    assert again == before


def test_a_hand_written_quote_at_the_start_of_an_imported_cell_is_kept(app):
    coordinator = _coordinator(app)
    text = "country,kind,name,address,phone\nSE,drop_in,'t Huis,'s-Gravenhage 1,'+46 40 10 10 10\n"
    assert post(coordinator, "/coordinator/help/import", {"csv_text": text}).status_code == 302
    with app.app_context():
        (row,) = [r for r in service.everything(db.session) if r.kind == "drop_in"]
    assert (row.name, row.address, row.phone) == ("'t Huis", "'s-Gravenhage 1", "+46 40 10 10 10")


def test_the_directory_search_ignores_case_for_every_letter(app):
    from extensions import db
    from help import service

    with app.app_context():
        service.save(
            db.session,
            {"country": "SE", "kind": "drop_in", "name": "Café Ängen", "region": "Örebro", "phone": "019-12 34 56"},
        )
        for q in ("ängen", "ÄNGEN", "örebro"):
            assert [r.name for r in service.directory(db.session, country="SE", kind="", region="", q=q)] == [
                "Café Ängen"
            ], q
        assert [r.name for r in service.directory(db.session, country="SE", kind="", region="ÖREBRO", q="")] == [
            "Café Ängen"
        ]


@pytest.mark.parametrize("language", ["en", "da", "sv"])
def test_the_shipped_lines_speak_the_readers_language(app, language):
    from help import lines

    with app.app_context():  # 1177 as migration 0006 ships it, in Swedish (the test database starts empty)
        service.save(
            db.session,
            {
                "country": "SE",
                "kind": "line",
                "name": "1177 Vårdguiden",
                "phone": "1177",
                "what_for": "Sjukvårdsrådgivning på telefon, dygnet runt.",
                "hours": "Dygnet runt",
            },
        )
    reader = app.test_client()
    reader.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    page = _main(reader.get("/help?country=SE"))
    with app.app_context(), force_locale(language):
        for line in lines.for_country("SE"):
            assert str(line.what_for) in page and str(line.hours) in page
    assert page.count("tel:1177") == 1
    if language != "sv":  # never a Swedish text inside an English or Danish page
        assert "Sjukvårdsrådgivning" not in page and "Dygnet runt" not in page


def test_a_new_line_starts_as_open_without_a_referral(app):
    from tests.conftest import login, make_user

    make_user(app, "coord", role="coordinator")
    coordinator = app.test_client()
    login(coordinator, "coord")
    form = coordinator.get("/coordinator/help/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*name="self_referral"|<input[^>]*name="self_referral"[^>]*checked', form)


def _upload(coordinator, data: bytes, follow=False):
    import io

    return post(
        coordinator,
        "/coordinator/help/import",
        {"csv_file": (io.BytesIO(data), "services.csv")},
        content_type="multipart/form-data",
        follow_redirects=follow,
    )


def test_csv_problems_name_the_line_the_row_starts_on(app):
    coordinator = _coordinator(app)
    text = (
        "country,kind,name,what_for\n"
        "\n"  # line 2: empty
        'SE,drop_in,Café,"Coffee\nand a talk"\n'  # lines 3-4: one row
        "XX,drop_in,Somewhere,\n"
    )  # line 5
    page = post(coordinator, "/coordinator/help/import", {"csv_text": text}).get_data(as_text=True)
    assert "Line 5: Choose Sweden or Denmark." in page and "Line 3" not in page and "Line 4" not in page


def test_a_windows_file_with_semicolons_is_read_as_it_is(app):
    coordinator = _coordinator(app)
    data = "country;kind;name;region\r\nSE;drop_in;Träffpunkten;Malmö Södra\r\n".encode("cp1252")
    answer = _upload(coordinator, data, follow=True).get_data(as_text=True)
    assert "1 new row added." in answer
    with app.app_context():
        (row,) = db.session.exec(select(HelpService)).all()
        assert (row.name, row.region) == ("Träffpunkten", "Malmö Södra")
    # The same file again adds nothing twice: it changes the entry already there.
    again = _upload(coordinator, data, follow=True).get_data(as_text=True)
    assert "1 row changed an entry already there." in again
    with app.app_context():
        assert len(db.session.exec(select(HelpService)).all()) == 1


def test_excels_unicode_text_is_read_too(app):
    """Excel's "Unicode text" is UTF-16 with a byte-order mark and tabs between cells."""
    coordinator = _coordinator(app)
    data = "country\tkind\tname\tregion\r\nDK\tdrop_in\tVærested Østerbro\tKøbenhavn\r\n".encode("utf-16")
    answer = _upload(coordinator, data, follow=True).get_data(as_text=True)
    assert "1 new row added." in answer
    with app.app_context():
        (row,) = db.session.exec(select(HelpService)).all()
        assert (row.name, row.region) == ("Værested Østerbro", "København")


def test_a_file_that_names_one_entry_twice_is_refused_and_the_kinds_are_listed(app):
    coordinator = _coordinator(app)
    text = "country,kind,name\nSE,drop_in,Café\nSE,drop_in,CAFÉ\n"
    page = post(coordinator, "/coordinator/help/import", {"csv_text": text}).get_data(as_text=True)
    assert "Line 3: This entry (the same country, kind and name) is in the file twice." in page
    manage = coordinator.get("/coordinator/help").get_data(as_text=True)
    assert "<code>drop_in</code>" in manage and "<code>harm_reduction</code>" in manage
    assert "Nothing was imported" in _upload(coordinator, b"\x81\x8d\x8f\x90\x9d").get_data(as_text=True)


def test_an_id_and_a_name_that_both_mean_one_entry_are_refused(app):
    coordinator = _coordinator(app)
    row = _add(app, kind="drop_in", name="Café")
    text = f"id,country,kind,name\n{row},SE,drop_in,Café Nytt\n,SE,drop_in,Café\n"
    page = post(coordinator, "/coordinator/help/import", {"csv_text": text}).get_data(as_text=True)
    assert "Line 3: This entry (the same country, kind and name) is in the file twice." in page
