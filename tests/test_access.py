"""Who gets what: every route, for every role. A route missing from this table fails the test,
so nothing new can be added without deciding who may use it."""

from datetime import datetime

import pytest

from tests.conftest import login, make_contact, make_diary, make_peer_profile, make_user, post

ROLES = ["anonymous", "client", "other_client", "peer_waiting", "peer", "other_peer", "relative", "coordinator"]
SIGNED_IN = ROLES[1:]

# endpoint: (method, url, {role: expected status}); roles not named expect `default`.
OK_FOR_ALL = {role: 200 for role in ROLES}
LOGIN = {"anonymous": 302}
CLIENT_ONLY = {
    "anonymous": 302,
    "client": 200,
    "other_client": 200,
    **{r: 404 for r in ("peer_waiting", "peer", "other_peer", "relative", "coordinator")},
}
COORDINATOR_ONLY = {"anonymous": 302, **{r: 404 for r in SIGNED_IN}, "coordinator": 200}
SIGNED_IN_REDIRECTS = {"anonymous": 200, **{r: 302 for r in SIGNED_IN}}
# Someone's own diary and goals: only the author; another client gets 404, as if it did not exist.
OWNED = {**CLIENT_ONLY, "other_client": 404}
OWNED_REDIRECT = {**OWNED, "client": 302}
# The two people of an active contact (client1 and the approved peer "peerok"); nobody else.
PARTIES = {**{r: 404 for r in SIGNED_IN}, "anonymous": 302, "client": 200, "peer": 200}
PARTIES_REDIRECT = {**PARTIES, "client": 302, "peer": 302}
APPROVED_PEERS = {**{r: 404 for r in SIGNED_IN}, "anonymous": 302, "peer": 200, "other_peer": 200}

MATRIX = {
    "accounts.index": ("GET", "/", SIGNED_IN_REDIRECTS),
    "accounts.home": (
        "GET",
        "/home",
        {
            **LOGIN,
            **{r: 200 for r in SIGNED_IN},
            "client": 302,
            "other_client": 302,
            "peer": 302,
            "other_peer": 302,
            "relative": 302,
            "coordinator": 302,
        },
    ),
    "accounts.signup": ("GET", "/signup", SIGNED_IN_REDIRECTS),
    "accounts.signup_peer": ("GET", "/signup/peer", SIGNED_IN_REDIRECTS),
    "accounts.login": ("GET", "/login", SIGNED_IN_REDIRECTS),
    "accounts.logout": ("POST", "/logout", {r: 302 for r in ROLES}),
    "accounts.forget_phone": ("POST", "/settings/forget-phone", {r: 302 for r in ROLES}),
    "accounts.codes_saved": ("POST", "/codes/saved", {r: 302 for r in ROLES}),
    "accounts.save_keep_diary": ("POST", "/settings/keep-diary", CLIENT_ONLY),
    "accounts.recover": ("GET", "/recover", OK_FOR_ALL),
    "accounts.settings": ("GET", "/settings", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.save_preferences": ("POST", "/settings/preferences", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.save_text_size": ("POST", "/settings/text", {**LOGIN, **{r: 302 for r in SIGNED_IN}}),
    "accounts.change_password": ("POST", "/settings/password", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.new_recovery_codes": ("POST", "/settings/recovery-codes", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.export": ("GET", "/settings/export", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.delete_account": ("GET", "/settings/delete", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.set_language": ("POST", "/language", {r: 302 for r in ROLES}),
    "accounts.coordinator": ("GET", "/coordinator", COORDINATOR_ONLY),
    "accounts.approve_peer": (
        "POST",
        "/coordinator/peers/{peer_waiting}/approve",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    "accounts.confirm_approve": ("GET", "/coordinator/peers/{peer_waiting}/confirm-approve", COORDINATOR_ONLY),
    "diary.today": ("GET", "/today", CLIENT_ONLY),
    "diary.save_check_in": ("POST", "/today/check-in", CLIENT_ONLY),
    "diary.trends_page": ("GET", "/trends", CLIENT_ONLY),
    "diary.diary": ("GET", "/diary", CLIENT_ONLY),
    "diary.write": ("GET", "/diary/new", CLIENT_ONLY),
    "diary.month": ("GET", "/diary/month", CLIENT_ONLY),
    "diary.strengths": ("GET", "/strengths", CLIENT_ONLY),
    "diary.entry": ("GET", "/diary/{entry}", OWNED),
    "diary.edit": ("GET", "/diary/{entry}/edit", OWNED),
    "diary.delete": ("GET", "/diary/{entry}/delete", OWNED),
    "diary.goals_list": ("GET", "/goals", CLIENT_ONLY),
    "diary.new_goal": ("GET", "/goals/new", CLIENT_ONLY),
    "diary.goal": ("GET", "/goals/{goal}", OWNED),
    "diary.edit_goal": ("GET", "/goals/{goal}/edit", OWNED),
    "diary.delete_goal": ("GET", "/goals/{goal}/delete", OWNED),
    "diary.goal_status": ("POST", "/goals/{goal}/status", OWNED_REDIRECT),
    "diary.goal_check_in": ("POST", "/goals/{goal}/check-in", OWNED),
    "diary.add_step": ("POST", "/goals/{goal}/steps", OWNED),
    "diary.toggle_step": ("POST", "/goals/{goal}/steps/{step}/toggle", OWNED_REDIRECT),
    "diary.delete_step": ("POST", "/goals/{goal}/steps/{step}/delete", OWNED_REDIRECT),
    "peer.contacts_page": ("GET", "/contacts", CLIENT_ONLY),
    "peer.find": ("GET", "/peers", CLIENT_ONLY),
    "peer.peer_profile": ("GET", "/peers/{peer}", CLIENT_ONLY),
    "peer.support": ("GET", "/support", CLIENT_ONLY),
    "peer.support_told": ("GET", "/support/{alert}", OWNED),
    "peer.access_log": ("GET", "/settings/access-log", CLIENT_ONLY),
    "peer.share_entry": ("GET", "/diary/{entry}/share", OWNED),
    "peer.conversation": ("GET", "/contacts/{contact}", PARTIES),
    "peer.send": ("POST", "/contacts/{contact}/messages", PARTIES),
    "peer.poll": ("GET", "/contacts/{contact}/messages", PARTIES),
    "peer.report": ("GET", "/contacts/{contact}/report", PARTIES),
    "peer.shared_entry": ("GET", "/contacts/{contact}/entries/{entry}", {**PARTIES, "client": 404}),
    "peer.unread": ("GET", "/unread", {**{r: 200 for r in SIGNED_IN}, "anonymous": 302, "coordinator": 404}),
    "live.stream": ("GET", "/live", {**{r: 200 for r in SIGNED_IN}, "anonymous": 401, "coordinator": 404}),
    "peer.toggle_alerts": ("POST", "/contacts/{contact}/alerts", {**PARTIES, "client": 302, "peer": 404}),
    "peer.accept": ("POST", "/contacts/{contact}/accept", {**PARTIES_REDIRECT, "client": 404}),
    "peer.decline": ("POST", "/contacts/{contact}/decline", {**PARTIES_REDIRECT, "client": 404}),
    "peer.inbox": ("GET", "/inbox", APPROVED_PEERS),
    "peer.availability": ("POST", "/inbox/availability", {**APPROVED_PEERS, "peer": 302, "other_peer": 302}),
    # A peer supporter's private note: only the contact's own peer supporter; never the
    # client, another peer supporter or a coordinator.
    "peer.save_note": ("POST", "/contacts/{contact}/note", {**PARTIES_REDIRECT, "client": 404}),
    "peer.edit_profile": ("GET", "/profile", {**APPROVED_PEERS, "peer_waiting": 200}),
    "peer.coordinator_peers": ("GET", "/coordinator/peers", COORDINATOR_ONLY),
    # Handover: the peer supporter of the contact, a coordinator (counts only), the client answers.
    "peer.handover_one": ("GET", "/contacts/{contact}/handover", {**PARTIES, "client": 404}),
    "peer.handover_all": ("GET", "/handover", APPROVED_PEERS),
    "peer.handover_coordinator": ("GET", "/coordinator/peers/{peer}/handover", COORDINATOR_ONLY),
    "peer.coordinator_reports": ("GET", "/coordinator/reports", COORDINATOR_ONLY),
    # Answering a report: the coordinator's only (an empty reply or no outcome shows the page again).
    "peer.closed_reports": ("GET", "/coordinator/reports/closed", COORDINATOR_ONLY),
    "peer.coordinator_report": ("GET", "/coordinator/reports/{report}", COORDINATOR_ONLY),
    "peer.reply_report": ("POST", "/coordinator/reports/{report}/reply", COORDINATOR_ONLY),
    "peer.close_report": ("POST", "/coordinator/reports/{report}/close", COORDINATOR_ONLY),
    "peer.pause_reported": ("POST", "/coordinator/reports/{report}/pause", {**COORDINATOR_ONLY, "coordinator": 302}),
    "peer.confirm_remove_reported": ("GET", "/coordinator/reports/{report}/confirm-remove", COORDINATOR_ONLY),
    # The reporter's own reports: the list for anyone who can report; one report for its reporter only.
    "peer.my_reports": ("GET", "/reports", {**APPROVED_PEERS, "client": 200, "other_client": 200, "relative": 200}),
    "peer.my_report": ("GET", "/reports/{report}", {**PARTIES, "peer": 404}),
    "peer.pause_peer": ("POST", "/coordinator/peers/{peer}/pause", {**COORDINATOR_ONLY, "coordinator": 302}),
    "peer.invite": ("GET", "/contacts/invite", CLIENT_ONLY),
    "peer.enter_code": ("GET", "/invite", OK_FOR_ALL),
    "peer.invitation": ("GET", "/invite/{code}", OK_FOR_ALL),
    "peer.relative_support": ("GET", "/relatives/support", OK_FOR_ALL),
    "peer.linked": (
        "GET",
        "/linked",
        {**{r: 404 for r in SIGNED_IN}, "anonymous": 302, "client": 200, "other_client": 200, "relative": 200},
    ),
    "peer.consent": ("GET", "/contacts/{relative_contact}/consent", {**OWNED, "other_client": 404}),
    "peer.notes": ("GET", "/relatives/notes", {**{r: 404 for r in SIGNED_IN}, "anonymous": 302, "relative": 200}),
    "peer.delete_note": (
        "POST",
        "/relatives/notes/{note}/delete",
        {**{r: 404 for r in SIGNED_IN}, "anonymous": 302, "relative": 302},
    ),
    "peer.accept_invitation": (
        "POST",
        "/invite/{code}/accept",
        {**{r: 404 for r in SIGNED_IN}, "anonymous": 302, "client": 302, "other_client": 302, "relative": 302},
    ),
    "shell.service_worker": ("GET", "/sw.js", OK_FOR_ALL),
    "shell.manifest": ("GET", "/manifest.webmanifest", OK_FOR_ALL),
    "shell.offline": ("GET", "/offline", OK_FOR_ALL),
    "shell.quick_exit": ("POST", "/quick-exit", {r: 204 for r in ROLES}),
    "shell.phone": ("GET", "/settings/phone", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.lock_page": ("GET", "/lock", {r: 302 for r in ROLES}),  # nobody here has a PIN: home
    "accounts.still_here": ("POST", "/lock/still-here", {**LOGIN, **{r: 204 for r in SIGNED_IN}}),
    "accounts.pin_settings": ("GET", "/settings/lock", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.pin_off": ("POST", "/settings/lock/off", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "diary.sync": ("POST", "/diary/sync", {**CLIENT_ONLY, "client": 422, "other_client": 422}),
    "push.settings": ("GET", "/push/settings", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "push.subscribe": ("POST", "/push/subscriptions", {**LOGIN, **{r: 400 for r in SIGNED_IN}}),
    "push.unsubscribe": ("POST", "/push/subscriptions/{device}/delete", {**OWNED_REDIRECT}),
    "push.reminders": ("GET", "/push/reminders", {**LOGIN, **{r: 200 for r in SIGNED_IN}, "coordinator": 404}),
    "push.edit_reminder": ("GET", "/push/reminders/{reminder}/edit", OWNED),
    "push.delete_reminder": ("POST", "/push/reminders/{reminder}/delete", OWNED_REDIRECT),
    "push.notification_action": ("POST", "/push/action", {r: 400 for r in ROLES}),
    "diary.next_steps": ("GET", "/next-steps", CLIENT_ONLY),
    "diary.edit_step": ("GET", "/next-steps/{next_step}/edit", OWNED),
    "diary.step_done": ("POST", "/next-steps/{next_step}/done", OWNED_REDIRECT),
    "diary.delete_next_step": ("POST", "/next-steps/{next_step}/delete", OWNED_REDIRECT),
    "peer.share_plan": ("GET", "/next-steps/share", CLIENT_ONLY),
    "meetings.prepare": ("GET", "/next-steps/{meeting_step}/meeting", OWNED),
    "meetings.after": ("GET", "/next-steps/{meeting_step}/meeting/after", OWNED),
    "meetings.print_view": ("GET", "/next-steps/{meeting_step}/meeting/print", OWNED),
    "meetings.ask": ("GET", "/next-steps/{meeting_step}/meeting/along", OWNED),
    "meetings.share": ("POST", "/next-steps/{meeting_step}/meeting/along/share", OWNED_REDIRECT),
    "meetings.cancel": ("POST", "/next-steps/{meeting_step}/meeting/along/cancel", OWNED_REDIRECT),
    "meetings.peer_steps": ("GET", "/along", APPROVED_PEERS),
    # A question to come along: only the peer supporter asked (the client sees it on their meeting).
    "meetings.along_page": ("GET", "/along/{along}", {**PARTIES, "client": 404}),
    "meetings.answer": ("POST", "/along/{along}/answer", {**PARTIES_REDIRECT, "client": 404}),
    "peer.release_plan": ("GET", "/next-steps/{release_step}/plan", OWNED),
    "shell.away": ("GET", "/away", OK_FOR_ALL),
    "help.directory": ("GET", "/help/services", OK_FOR_ALL),
    "help.rights": ("GET", "/help/rights", OK_FOR_ALL),
    "help.service_page": ("GET", "/help/services/{service}", OK_FOR_ALL),
    "help.manage": ("GET", "/coordinator/help", COORDINATOR_ONLY),
    "help.edit": ("GET", "/coordinator/help/{service}/edit", COORDINATOR_ONLY),
    "help.export_csv": ("GET", "/coordinator/help/export.csv", COORDINATOR_ONLY),
    "help.import_csv": ("POST", "/coordinator/help/import", COORDINATOR_ONLY),
    "help.verify": ("POST", "/coordinator/help/{service}/verify", {**COORDINATOR_ONLY, "coordinator": 302}),
    "help.hide": ("POST", "/coordinator/help/{service}/hide", {**COORDINATOR_ONLY, "coordinator": 302}),
    "stay.start": ("GET", "/stay", CLIENT_ONLY),
    "stay.alerts": (
        "GET",
        "/stay/alerts",
        {**APPROVED_PEERS, "client": 200, "other_client": 200, "relative": 200},
    ),
    "stay.duty": ("POST", "/stay/duty", {**APPROVED_PEERS, "peer": 302, "other_peer": 302}),
    "stay.more": ("POST", "/stay/{stay}/more", OWNED_REDIRECT),
    "stay.on_it": ("POST", "/stay/alerts/{stay_person}/on-it", {**PARTIES_REDIRECT, "client": 404}),
    "stay.ok": ("POST", "/stay/{stay}/ok", OWNED_REDIRECT),
    # Last, since they change the contact or the peer for the routes above.
    "peer.handover_withdraw": ("POST", "/handovers/{handover}/withdraw", {**PARTIES_REDIRECT, "client": 404}),
    "peer.handover_no": ("POST", "/handovers/{handover}/no", {**PARTIES_REDIRECT, "peer": 404}),
    "peer.handover_yes": ("POST", "/handovers/{handover}/yes", {**PARTIES_REDIRECT, "peer": 404}),
    "peer.end": ("POST", "/contacts/{contact}/end", PARTIES_REDIRECT),
    "peer.block": ("POST", "/contacts/{contact}/block", PARTIES_REDIRECT),
    "peer.confirm_remove_peer": ("GET", "/coordinator/peers/{peer}/confirm-remove", COORDINATOR_ONLY),
    "peer.remove_peer": ("POST", "/coordinator/peers/{peer}/remove", {**COORDINATOR_ONLY, "coordinator": 302}),
    "peer.debrief_page": ("GET", "/debrief", APPROVED_PEERS),
    "peer.coordinator_debriefs": ("GET", "/coordinator/debriefs", COORDINATOR_ONLY),
    "peer.debrief_arranged": (
        "POST",
        "/coordinator/debriefs/{debrief}/arranged",
        {**COORDINATOR_ONLY, "coordinator": 302},
    ),
    "help.crisis": ("GET", "/help", OK_FOR_ALL),
    "supply.warnings": ("GET", "/warnings", OK_FOR_ALL),
    "supply.choose": ("GET", "/settings/warnings", CLIENT_ONLY),
    "supply.edit": ("GET", "/coordinator/warnings/{warning}/edit", COORDINATOR_ONLY),
    "supply.end": ("POST", "/coordinator/warnings/{warning}/end", {**COORDINATOR_ONLY, "coordinator": 302}),
    "help.first_aid_page": ("GET", "/help/first-aid", OK_FOR_ALL),
    "stats.service_page": ("GET", "/coordinator/service", COORDINATOR_ONLY),
    "stats.service_csv": ("GET", "/coordinator/service.csv", COORDINATOR_ONLY),
    # Last: it takes back the approval of the reported peer supporter ("peerok").
    "peer.remove_reported": ("POST", "/coordinator/reports/{report}/remove", {**COORDINATOR_ONLY, "coordinator": 302}),
}


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == set(MATRIX), "add the new route to MATRIX with who may use it"


def test_every_view_declares_who_may_use_it(app):
    for endpoint in MATRIX:
        view = app.view_functions[endpoint]
        assert getattr(view, "allowed_roles", None), f"{endpoint} has no guard from accounts/permissions.py"


@pytest.fixture
def people(app):
    return build_people(app)


def build_people(app) -> dict:
    """One of each role, with a diary, a goal, a contact, a relative link and the rest: the ids
    that fill the MATRIX's URLs. Also used by tests/browser/test_every_page.py."""
    ids = {}
    ids["client"], _ = make_user(app, "client1")
    ids["other_client"], _ = make_user(app, "client2")
    ids["peer_waiting"], _ = make_user(app, "peerwait", role="peer")
    ids["peer"], _ = make_user(app, "peerok", role="peer", approved=True)
    ids["relative"], _ = make_user(app, "relative1", role="relative")
    ids["other_peer"], _ = make_user(app, "peerother", role="peer", approved=True)
    ids["coordinator"], _ = make_user(app, "coord1", role="coordinator")
    ids.update(make_diary(app, ids["client"]))
    make_peer_profile(app, ids["peer"])
    make_peer_profile(app, ids["other_peer"], display_name="Ola", gender="man")
    ids["contact"] = make_contact(app, ids["client"], ids["peer"])
    ids.update(_share_alert_and_report(app, ids))
    ids["handover"] = _handover(app, ids)
    ids.update(_relative_link(app, ids))
    ids.update(_device_and_reminder(app, ids["client"]))
    ids.update(_stay_with_me(app, ids))
    ids["debrief"] = _debrief(app, ids["other_peer"])
    ids.update(_meeting(app, ids))
    with app.app_context():
        from accounts.models import User
        from diary import next_steps as steps
        from help import service as help_service
        from tests.conftest import db_session

        ids["next_step"] = steps.save_step(
            db_session(),
            db_session().get(User, ids["client"]),
            kind="appointment",
            title="Social services",
            when=None,
            who="",
            phone="",
            note="",
        ).id
        ids["release_step"] = steps.save_step(
            db_session(),
            db_session().get(User, ids["client"]),
            kind="after_prison",
            title="Out of prison",
            when=datetime(2027, 3, 1, 10, 0),
            who="",
            phone="",
            note="",
        ).id
        ids["service"] = help_service.save(
            db_session(), {"country": "SE", "kind": "drop_in", "name": "Café", "phone": "08-123 456"}
        ).id
        ids["warning"] = _supply_warning()
    return ids


def _meeting(app, ids) -> dict:
    """A meeting of client1's, with peerok asked to come along."""
    from accounts.models import User
    from diary import next_steps as steps
    from meetings import along
    from meetings import service as meetings
    from tests.conftest import db_session

    with app.app_context():
        client = db_session().get(User, ids["client"])
        step = steps.save_step(
            db_session(),
            client,
            kind="appointment",
            title="SIP",
            when=datetime(2031, 3, 3, 10),
            who="",
            phone="",
            note="",
        )
        meeting = meetings.save_preparation(db_session(), client, step, kind="sip", remind=True, say="Hello")
        asked, _new = along.ask(
            db_session(),
            client,
            meeting,
            step,
            contact_id=ids["contact"],
            place="Room 1",
            roles=["notes"],
            note="",
            share_prep=True,
        )
        return {"meeting_step": step.id, "along": asked.id}


def _debrief(app, peer_id) -> int:
    """A debrief request of a peer supporter (no free text: how soon, how)."""
    from accounts.models import User
    from peer import debrief
    from tests.conftest import db_session

    with app.app_context():
        request, _new = debrief.ask(db_session(), db_session().get(User, peer_id), "week", "either")
        return request.id


def _supply_warning() -> int:
    from datetime import timedelta

    from extensions import utcnow
    from supply import service as supply
    from tests.conftest import db_session

    today = utcnow().date()
    values = {
        "area": "SE-M",
        "found": "Pills sold as one thing that are another",
        "place": "Malmö",
        "advice": "Test a small amount first",
        "source_name": "A drop-in",
        "source_url": "https://example.org/",
        "ends_on": today + timedelta(days=7),
    }
    return supply.publish(db_session(), values, today)[0].id


def _stay_with_me(app, ids) -> dict:
    """A "Stay with me" of the client that told their peer supporter (no answer in time)."""
    from datetime import timedelta

    from sqlmodel import select

    from accounts.models import User
    from extensions import utcnow
    from stay import service
    from stay.models import StayPerson
    from tests.conftest import db_session

    with app.app_context():
        session = db_session()
        client = session.get(User, ids["client"])
        now = utcnow()
        timer = service.start(
            session,
            client,
            minutes=10,
            contact_ids={ids["contact"]},
            note="Door code 1234",
            now=now - timedelta(hours=1),
        )
        service.tick(session, now)  # asked
        service.tick(session, now + timedelta(minutes=3))  # no answer within the grace period: told
        person = session.exec(
            select(StayPerson).where(StayPerson.timer_id == timer.id, StayPerson.user_id == ids["peer"])
        ).one()
        return {"stay": timer.id, "stay_person": person.id}


def _device_and_reminder(app, user_id) -> dict:
    from accounts.models import User
    from push import service
    from tests.conftest import db_session

    with app.app_context():
        session = db_session()
        user = session.get(User, user_id)
        device = service.subscribe(session, user, "https://93.184.215.14/abc", "B" * 87, "A" * 22)
        reminder = service.save_reminder(
            session, user, kind="diary", title="Write", times="20:00", weekdays=[], once_at=None
        )
        return {"device": device.id, "reminder": reminder.id}


def _relative_link(app, ids) -> dict:
    from accounts.models import User
    from peer import relatives
    from tests.conftest import db_session

    with app.app_context():
        session = db_session()
        client, relative = session.get(User, ids["client"]), session.get(User, ids["relative"])
        _invitation, code = relatives.create_invitation(
            session, client, label="Mum", share_checkin=True, goal_ids=[ids["goal"]], alerts=False, messaging=True
        )
        contact = relatives.accept_invitation(session, relative, code)
        note = relatives.add_note(session, relative, "my own thoughts")
        _unused, spare = relatives.create_invitation(
            session, client, label="Brother", share_checkin=False, goal_ids=[], alerts=False, messaging=True
        )
        return {"relative_contact": contact.id, "note": note.id, "code": spare.replace("-", "")}


def _handover(app, ids) -> int:
    """The peer supporter suggests Ola (other_peer) to continue with the client."""
    from accounts.models import User
    from peer import handover
    from peer.models import Contact
    from tests.conftest import db_session

    with app.app_context():
        session = db_session()
        peer, contact = session.get(User, ids["peer"]), session.get(Contact, ids["contact"])
        return handover.propose(session, peer, contact, ids["other_peer"]).id


def _share_alert_and_report(app, ids) -> dict:
    from accounts.models import User
    from diary.entries import get_entry
    from peer import alerts, messages, reports, sharing
    from peer.models import Contact
    from tests.conftest import db_session

    with app.app_context():
        session = db_session()
        client, peer = session.get(User, ids["client"]), session.get(User, ids["peer"])
        contact = session.get(Contact, ids["contact"])
        message = messages.send(session, peer, contact, "Hello")
        sharing.set_entry_shares(session, client, get_entry(session, client, ids["entry"]), {contact.id})
        alert = alerts.raise_alert(session, client, "now")
        report = reports.report(session, client, contact, peer, {message.id}, "test")
        return {"report": report.id, "alert": alert.id}


HANDLES = {
    "client": "client1",
    "other_client": "client2",
    "peer_waiting": "peerwait",
    "peer": "peerok",
    "other_peer": "peerother",
    "relative": "relative1",
    "coordinator": "coord1",
}


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, people, role):
    failures = []
    for method, url, expected in MATRIX.values():
        client = app.test_client()
        if role != "anonymous":
            login(client, HANDLES[role])
        target = url.format(**people)
        response = client.get(target) if method == "GET" else post(client, target)
        want = expected[role]
        if response.status_code != want:
            failures.append(f"{role} {method} {target}: {response.status_code}, expected {want}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["client", "other_client", "peer", "other_peer", "relative"])
def test_no_one_but_a_coordinator_can_approve(app, people, role):
    client = app.test_client()
    login(client, HANDLES[role])
    assert post(client, f"/coordinator/peers/{people['peer_waiting']}/approve").status_code == 404
    coord = app.test_client()
    login(coord, "coord1")
    assert "peerwait" in coord.get("/coordinator").get_data(as_text=True)
