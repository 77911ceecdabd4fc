"""The one guard that turns a URL's id into a person's object: `loads` in accounts/permissions.py."""

from types import SimpleNamespace

import pytest
from flask_login import login_user
from werkzeug.exceptions import NotFound

from accounts.permissions import CLIENT, loads, public, roles_required
from extensions import IdConverter
from tests.conftest import make_user


class Getter:
    """A getter with the one contract, (session, user, id[, parent]) -> object | None, that
    remembers how it was called."""

    def __init__(self, found: dict):
        self.found, self.calls = found, []

    def __call__(self, session, user, object_id, **parents):
        self.calls.append((session, user.id if user.is_authenticated else None, object_id, parents))
        return self.found.get(object_id)


def _seen(**kwargs):
    return kwargs


@pytest.fixture
def mira(app):
    from accounts.models import User
    from extensions import db

    user_id, _codes = make_user(app, "mira")
    with app.test_request_context("/"):
        login_user(db.session.get(User, user_id))
        yield user_id


def test_the_view_gets_the_object_not_the_id(app, mira):
    from extensions import db

    goal = SimpleNamespace(id=7)
    getter = Getter({7: goal})
    view = loads("goal", getter)(_seen)
    assert view(goal_id=7) == {"goal": goal}
    assert getter.calls == [(db.session, mira, 7, {})]


def test_none_from_the_getter_is_404(app, mira):
    getter = Getter({})
    with pytest.raises(NotFound):
        loads("goal", getter)(_seen)(goal_id=8)


def test_two_ids_the_second_getter_gets_the_first_object(app, mira):
    goal, step = SimpleNamespace(id=1), SimpleNamespace(id=2)
    steps = Getter({2: step})
    view = loads("goal", Getter({1: goal}))(loads("step", steps, within="goal")(_seen))
    assert view(goal_id=1, step_id=2) == {"goal": goal, "step": step}
    assert steps.calls[0][2:] == (2, {"goal": goal})
    with pytest.raises(NotFound):  # a step that is not under this goal
        view(goal_id=1, step_id=3)
    with pytest.raises(NotFound):  # someone else's goal: the step is never looked for
        view(goal_id=9, step_id=2)
    assert len(steps.calls) == 2


def test_optional_hands_none_when_the_url_has_no_id(app, mira):
    getter = Getter({5: "the step"})
    view = loads("step", getter, optional=True)(_seen)
    assert view() == {"step": None}
    assert getter.calls == []
    assert view(step_id=5) == {"step": "the step"}
    with pytest.raises(NotFound):
        view(step_id=6)


def test_another_url_argument_name(app, mira):
    view = loads("row", Getter({3: "a row"}), arg="service_id")(_seen)
    assert view(service_id=3) == {"row": "a row"}


def test_the_role_guard_keeps_its_allowed_roles_and_decides_first(app):
    getter = Getter({1: "goal"})
    view = roles_required(CLIENT)(loads("goal", getter)(_seen))
    assert view.allowed_roles == (CLIENT,)
    assert view.__name__ == "_seen"
    with app.test_request_context("/goals/1"):  # nobody signed in: to login, nothing loaded
        assert view(goal_id=1).status_code == 302
    assert getter.calls == []
    assert public(loads("goal", getter)(_seen)).allowed_roles[0] == "anonymous"


def test_the_guard_goes_below_the_role_guard():
    with pytest.raises(TypeError):
        loads("goal", Getter({}))(roles_required(CLIENT)(_seen))


def test_every_route_naming_an_object_by_id_loads_it_through_the_guard(app):
    for rule in app.url_map.iter_rules():
        ids = {name for name, converter in rule._converters.items() if isinstance(converter, IdConverter)}
        loaded = set(getattr(app.view_functions[rule.endpoint], "loaded_args", ()))
        assert ids <= loaded, f"{rule.endpoint}: load {ids - loaded} with @loads from accounts/permissions.py"
