"""Reports answered (issue 19, point 5): a coordinator replies (sealed by the report's key),
closes with an outcome, pauses or removes the reported peer supporter from the report; the
reporter, and nobody else, sees the answer; every step is safe to tap twice."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from sqlmodel import select

from tests.conftest import login, main_of, make_contact, make_peer_profile, make_user, post


def _raw(app, sql: str) -> list:
    from extensions import db

    with app.app_context():
        return [row[0] for row in db.session.execute(text(sql))]


def _subscribe(app, user_id: int) -> None:
    from accounts.models import User
    from extensions import db
    from push import service

    with app.app_context():
        service.subscribe(db.session, db.session.get(User, user_id), "https://93.184.215.14/x", "B" * 87, "A" * 22)


def _pushes(app, user_id: int, kind: str) -> list[dict]:
    from extensions import db
    from push.models import Notification

    with app.app_context():
        rows = db.session.exec(select(Notification).where(Notification.user_id == user_id, Notification.kind == kind))
        return [row.payload for row in rows]


@pytest.fixture
def reported(app):
    """mira (a client) reported her peer supporter helle; cora is a coordinator with keys
    before the report, so it is sealed to her too. Returns the logged-in clients and ids."""
    mira_id, _ = make_user(app, "mira")
    helle_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle_id)
    make_user(app, "cora", role="coordinator")
    contact = make_contact(app, mira_id, helle_id)
    mira, helle, cora = app.test_client(), app.test_client(), app.test_client()
    login(mira, "mira")
    login(helle, "helle")
    login(cora, "cora")
    post(helle, f"/contacts/{contact}/messages", {"body": "Something unkind was said"})
    post(mira, f"/contacts/{contact}/messages", {"body": "My own quiet answer"})
    form = mira.get(f"/contacts/{contact}/report").get_data(as_text=True)
    unkind = re.search(r'value="(\d+)"[^>]*> <span>Something unkind', form).group(1)
    post(mira, f"/contacts/{contact}/report", {"messages": [unkind], "reason": "It frightened me"})
    [report_id] = _raw(app, "SELECT id FROM report")
    return {"mira": mira, "helle": helle, "cora": cora, "report": report_id, "contact": contact,
            "mira_id": mira_id, "helle_id": helle_id}  # fmt: skip


# -- Services -------------------------------------------------------------------------------


@pytest.fixture
def world(app):
    from accounts.models import User
    from extensions import db
    from peer import messages, reports
    from peer.models import Contact

    mira_id, _ = make_user(app, "mira")
    helle_id, _ = make_user(app, "helle", role="peer", approved=True)
    make_peer_profile(app, helle_id)
    contact_id = make_contact(app, mira_id, helle_id)
    with app.app_context():
        session = db.session
        mira, helle = session.get(User, mira_id), session.get(User, helle_id)
        contact = session.get(Contact, contact_id)
        said = messages.send(session, helle, contact, "rude words")
        about_helle = reports.report(session, mira, contact, helle, {said.id}, "not okay")
        about_mira = reports.report(session, helle, contact, mira, set(), "she shouted")
        yield session, mira, helle, about_helle, about_mira


def test_a_reply_is_checked_saved_once_and_tells_the_reporter_once(world):
    from peer import reports, signals
    from peer.errors import PeerError

    session, mira, _helle, report, _other = world
    told = []
    signals.report_answered.connect(lambda sender, **kw: told.append(kw), weak=False)
    try:
        for bad, code in (("   ", "report_reply_empty"), ("x" * 2001, "report_reply_long")):
            with pytest.raises(PeerError) as error:
                reports.reply(session, report, bad)
            assert error.value.code == code and error.value.field == "reply"
        assert reports.reply(session, report, "  We have talked with her.  ") is True
        assert reports.reply(session, report, "We have talked with her.") is False  # a second tap
        assert report.reply == "We have talked with her." and report.replied_at is not None
        assert told == [{"report_id": report.id, "recipient_id": mira.id}]
        assert reports.reply(session, report, "x" * 2000) is True and len(told) == 2
    finally:
        signals.report_answered.receivers.clear()


def test_closing_takes_a_fixed_outcome_once_and_leaves_the_open_list(world):
    from peer import reports
    from peer.errors import PeerError

    session, _mira, _helle, report, other = world
    with pytest.raises(PeerError) as error:
        reports.close(session, report, "banned forever")
    assert error.value.code == "report_outcome"
    assert reports.close(session, report, "talked") is True
    assert reports.close(session, report, "no_action") is False  # already closed: stays as it was
    assert report.outcome == "talked" and report.handled_at is not None
    assert [v.report.id for v in reports.open_reports(session)] == [other.id]
    (closed,) = reports.closed_reports(session)
    assert closed.report.id == report.id and str(closed.outcome) == str(reports.OUTCOMES["talked"])


def test_only_a_report_about_an_approved_peer_supporter_can_pause_or_remove_them(world):
    from peer import profiles, reports

    session, mira, helle, report, about_mira = world
    assert reports.about_a_peer(session, None, about_mira.id) is None  # about a client: nobody to pause
    assert reports.pause_reported(session, about_mira) is None and mira.role == "client"
    assert reports.about_a_peer(session, None, report.id) is report
    assert reports.pause_reported(session, report) is helle
    assert reports.pause_reported(session, report) is helle  # twice is once
    assert profiles.profile_of(session, helle.id).paused is True
    assert reports.remove_reported(session, report) is helle and helle.role == "client"
    assert reports.remove_reported(session, report) is None  # a second tap changes nothing
    assert reports.about_a_peer(session, None, report.id) is None


# -- Over HTTP ------------------------------------------------------------------------------


def test_the_reporter_reads_the_reply_and_outcome_and_nobody_else_does(app, reported):
    cora, mira, helle, report = reported["cora"], reported["mira"], reported["helle"], reported["report"]
    page = main_of(cora.get(f"/coordinator/reports/{report}"))
    assert "It frightened me" in page and "Something unkind was said" in page and "My own quiet answer" not in page
    sent = post(
        cora, f"/coordinator/reports/{report}/reply", {"reply": "Thank you for telling us. We will talk with her."}
    )
    assert sent.status_code == 302
    assert post(cora, f"/coordinator/reports/{report}/close", {"outcome": "talked"}).status_code == 302
    assert "No open reports." in main_of(cora.get("/coordinator/reports"))
    closed = main_of(cora.get("/coordinator/reports/closed"))
    assert "We talked with the person about it" in closed

    mine = main_of(mira.get("/reports"))
    assert "About Helle" in mine and "Closed" in mine
    one = main_of(mira.get(f"/reports/{report}"))
    assert "Thank you for telling us. We will talk with her." in one and "We talked with the person about it" in one
    assert "It frightened me" in one
    assert helle.get(f"/reports/{report}").status_code == 404  # the reported person never sees it
    assert "frightened" not in main_of(helle.get("/reports"))
    noor_id, _ = make_user(app, "noor")
    noor = app.test_client()
    login(noor, "noor")
    assert noor.get(f"/reports/{report}").status_code == 404
    assert "You have not reported anything." in main_of(noor.get("/reports"))
    # The coordinator still never reaches the conversation.
    assert cora.get(f"/contacts/{reported['contact']}").status_code == 404
    assert cora.get(f"/contacts/{reported['contact']}/messages").status_code == 404


def test_the_reply_is_sealed_at_rest_and_in_the_reporters_export(app, reported):
    cora, mira, report = reported["cora"], reported["mira"], reported["report"]
    post(cora, f"/coordinator/reports/{report}/reply", {"reply": "We paused the peer supporter for now"})
    post(cora, f"/coordinator/reports/{report}/close", {"outcome": "paused"})
    [stored] = _raw(app, "SELECT reply FROM report")
    assert stored.startswith(f"s1.r{report}.") and "paused" not in stored
    [outcome] = _raw(app, "SELECT outcome FROM report")
    assert outcome == "paused"
    data = mira.get("/settings/export").get_json(force=True)
    (row,) = data["people"]["reports"]
    assert row["reply"] == "We paused the peer supporter for now" and row["outcome"] == "paused"
    assert row["replied_at"] and row["handled_at"]


def test_bad_input_gets_a_clear_message_never_an_error(app, reported):
    cora, report = reported["cora"], reported["report"]
    empty = post(cora, f"/coordinator/reports/{report}/reply", {"reply": "   "})
    assert empty.status_code == 200 and "Write something before you send." in main_of(empty)
    long = post(cora, f"/coordinator/reports/{report}/reply", {"reply": "x" * 2001})
    assert "A reply can have at most 2,000 characters." in main_of(long)
    odd = post(cora, f"/coordinator/reports/{report}/close", {"outcome": "<script>"})
    assert odd.status_code == 200 and "Choose how the report ended." in main_of(odd) and "<script>" not in main_of(odd)
    none = post(cora, f"/coordinator/reports/{report}/close", {"outcome": ["talked", "paused"]})
    assert none.status_code in (200, 302)
    as_json = cora.post(f"/coordinator/reports/{report}/reply", json={"reply": "hi"})
    assert as_json.status_code in (400, 415)  # refused before any rule: a form body only
    no_token = cora.post(f"/coordinator/reports/{report}/reply", data={"reply": "hi"})
    assert no_token.status_code == 400 and "Nothing was changed" in no_token.get_data(as_text=True)
    assert _raw(app, "SELECT replied_at FROM report") == [None]
    assert cora.get("/coordinator/reports/999999").status_code == 404
    assert post(cora, "/coordinator/reports/999999/close", {"outcome": "talked"}).status_code == 404
    for path in ("reply", "close", "pause", "remove", "confirm-remove"):  # ids past what a row can have: 404
        huge = f"/coordinator/reports/99999999999999999999/{path}"
        assert (cora.get(huge) if path == "confirm-remove" else post(cora, huge)).status_code == 404
    assert reported["mira"].get("/reports/99999999999999999999").status_code == 404


def test_a_double_tap_stores_once_and_pushes_once(app, reported):
    cora, report, mira_id = reported["cora"], reported["report"], reported["mira_id"]
    _subscribe(app, mira_id)
    for _ in range(2):
        assert post(cora, f"/coordinator/reports/{report}/reply", {"reply": "We are on it"}).status_code == 302
    pushes = _pushes(app, mira_id, "report_answered")
    assert len(pushes) == 1 and pushes[0]["url"] == f"/reports/{report}"
    assert "We are on it" not in str(pushes) and "coordinator" not in pushes[0]["body"].lower()  # neutral by default
    for _ in range(2):
        assert post(cora, f"/coordinator/reports/{report}/close", {"outcome": "no_action"}).status_code == 302
    assert len(_pushes(app, mira_id, "report_answered")) == 2
    assert _raw(app, "SELECT outcome FROM report") == ["no_action"]


def test_the_coordinator_pauses_and_after_a_confirmation_removes_from_the_report(app, reported):
    from accounts.models import User
    from extensions import db
    from peer import profiles

    cora, mira, report, helle_id = reported["cora"], reported["mira"], reported["report"], reported["helle_id"]
    assert post(cora, f"/coordinator/reports/{report}/pause").status_code == 302
    with app.app_context():
        assert profiles.profile_of(db.session, helle_id).paused is True
    assert "Helle" not in main_of(mira.get("/peers"))
    page = main_of(cora.get(f"/coordinator/reports/{report}"))
    assert "The peer supporter Helle" in page and "paused" in page and "Show again</button>" in page
    assert post(cora, f"/coordinator/reports/{report}/pause", {"show_again": "1"}).status_code == 302
    with app.app_context():
        assert profiles.profile_of(db.session, helle_id).paused is False
    assert post(cora, f"/coordinator/reports/{report}/pause").status_code == 302
    question = main_of(cora.get(f"/coordinator/reports/{report}/confirm-remove"))
    assert "Remove Helle as a peer supporter?" in question and "Yes, remove" in question
    with app.app_context():
        assert db.session.get(User, helle_id).is_approved_peer  # the question changed nothing
    for _ in range(2):  # a double tap: the second finds nobody to remove, and says nothing
        assert post(cora, f"/coordinator/reports/{report}/remove").status_code == 302
    with app.app_context():
        assert db.session.get(User, helle_id).role == "client"
    assert cora.get(f"/coordinator/reports/{report}/confirm-remove").status_code == 404
    assert "Remove as peer supporter" not in main_of(cora.get(f"/coordinator/reports/{report}"))


def test_a_report_about_a_client_offers_no_pause_or_remove(app, reported):
    helle, cora, contact = reported["helle"], reported["cora"], reported["contact"]
    post(helle, f"/contacts/{contact}/report", {"reason": "She shouted at me"})
    [_first, second] = _raw(app, "SELECT id FROM report ORDER BY id")
    page = main_of(cora.get(f"/coordinator/reports/{second}"))
    assert "She shouted at me" in page and "Remove as peer supporter" not in page
    assert cora.get(f"/coordinator/reports/{second}/confirm-remove").status_code == 404
    assert post(cora, f"/coordinator/reports/{second}/pause").status_code == 302
    assert "About mira" in main_of(helle.get("/reports"))


def test_two_coordinators_closing_at_the_same_moment_close_once_and_tell_once(world):
    """The second request loaded the report before the first closed it: its close changes
    nothing (one conditional UPDATE), keeps the first outcome and tells nobody twice."""
    from sqlmodel import Session

    from extensions import db
    from peer import reports, signals
    from peer.models import Report

    session, _mira, _helle, report, _other = world
    told = []
    signals.report_answered.connect(lambda sender, **kw: told.append(kw), weak=False)
    try:
        with Session(db.engine) as second_session:
            stale = second_session.get(Report, report.id)  # loaded while still open
            assert reports.close(session, report, "talked") is True
            assert stale.handled_at is None
            assert reports.close(second_session, stale, "no_action") is False
            assert stale.outcome == "talked"
        assert len(told) == 1
    finally:
        signals.report_answered.receivers.clear()
