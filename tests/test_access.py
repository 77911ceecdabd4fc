"""Who gets what: every route, for every role. A route missing from this table fails the test,
so nothing new can be added without deciding who may use it."""

import pytest

from tests.conftest import login, make_diary, make_user, post

ROLES = ["anonymous", "client", "other_client", "peer_waiting", "peer", "relative", "coordinator"]
SIGNED_IN = ROLES[1:]

# endpoint: (method, url, {role: expected status}); roles not named expect `default`.
OK_FOR_ALL = {role: 200 for role in ROLES}
LOGIN = {"anonymous": 302}
CLIENT_ONLY = {"anonymous": 302, "client": 200, "other_client": 200, **{r: 404 for r in ("peer_waiting", "peer", "relative", "coordinator")}}
COORDINATOR_ONLY = {"anonymous": 302, **{r: 404 for r in SIGNED_IN}, "coordinator": 200}
SIGNED_IN_REDIRECTS = {"anonymous": 200, **{r: 302 for r in SIGNED_IN}}
# Someone's own diary and goals: only the author; another client gets 404, as if it did not exist.
OWNED = {**CLIENT_ONLY, "other_client": 404}
OWNED_REDIRECT = {**OWNED, "client": 302}

MATRIX = {
    "accounts.index": ("GET", "/", SIGNED_IN_REDIRECTS),
    "accounts.home": ("GET", "/home", {**LOGIN, **{r: 200 for r in SIGNED_IN}, "client": 302, "other_client": 302,
                                       "coordinator": 302}),
    "accounts.signup": ("GET", "/signup", SIGNED_IN_REDIRECTS),
    "accounts.signup_peer": ("GET", "/signup/peer", SIGNED_IN_REDIRECTS),
    "accounts.login": ("GET", "/login", SIGNED_IN_REDIRECTS),
    "accounts.logout": ("POST", "/logout", {r: 302 for r in ROLES}),
    "accounts.recover": ("GET", "/recover", OK_FOR_ALL),
    "accounts.settings": ("GET", "/settings", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.save_preferences": ("POST", "/settings/preferences", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.change_password": ("POST", "/settings/password", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.new_recovery_codes": ("POST", "/settings/recovery-codes", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.export": ("GET", "/settings/export", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.delete_account": ("GET", "/settings/delete", {**LOGIN, **{r: 200 for r in SIGNED_IN}}),
    "accounts.set_language": ("POST", "/language", {r: 302 for r in ROLES}),
    "accounts.coordinator": ("GET", "/coordinator", COORDINATOR_ONLY),
    "accounts.approve_peer": ("POST", "/coordinator/peers/{peer_waiting}/approve",
                              {**COORDINATOR_ONLY, "coordinator": 302}),
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
    "peer.contacts": ("GET", "/contacts", CLIENT_ONLY),
    "help.crisis": ("GET", "/help", OK_FOR_ALL),
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
    ids = {}
    ids["client"], _ = make_user(app, "client1")
    ids["other_client"], _ = make_user(app, "client2")
    ids["peer_waiting"], _ = make_user(app, "peerwait", role="peer")
    ids["peer"], _ = make_user(app, "peerok", role="peer", approved=True)
    ids["relative"], _ = make_user(app, "relative1", role="relative")
    ids["coordinator"], _ = make_user(app, "coord1", role="coordinator")
    ids.update(make_diary(app, ids["client"]))
    return ids


HANDLES = {"client": "client1", "other_client": "client2", "peer_waiting": "peerwait", "peer": "peerok",
           "relative": "relative1", "coordinator": "coord1"}


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, people, role):
    failures = []
    for endpoint, (method, url, expected) in MATRIX.items():
        client = app.test_client()
        if role != "anonymous":
            login(client, HANDLES[role])
        target = url.format(**people)
        response = client.get(target) if method == "GET" else post(client, target)
        want = expected[role]
        if response.status_code != want:
            failures.append(f"{role} {method} {target}: {response.status_code}, expected {want}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["client", "other_client", "peer", "relative"])
def test_no_one_but_a_coordinator_can_approve(app, people, role):
    client = app.test_client()
    login(client, HANDLES[role])
    assert post(client, f"/coordinator/peers/{people['peer_waiting']}/approve").status_code == 404
    coord = app.test_client()
    login(coord, "coord1")
    assert "peerwait" in coord.get("/coordinator").get_data(as_text=True)
