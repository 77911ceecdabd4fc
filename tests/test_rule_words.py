"""Every reason a rule can give has words: a code raised anywhere in the app and never
registered would reach the person as "That is not possible here." """

from __future__ import annotations

import re

from tests.test_imports import PACKAGES, ROOT  # every package of the app, read from the folders

RAISED = re.compile(r"\b[A-Z]\w*Error\(\s*[\"']([a-z][a-z0-9_]*)[\"']")
PROBLEM = re.compile(r"\bImportProblem\(\s*[^,]+,\s*[\"']([a-z][a-z0-9_]*)[\"']")


def _codes() -> dict[str, str]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for pattern in (RAISED, PROBLEM):
                for code in pattern.findall(text):
                    found.setdefault(code, str(path.relative_to(ROOT)))
    return found


def test_every_rule_code_raised_has_words(app):
    from accounts.rules import _MESSAGES

    codes = _codes()
    assert len(codes) > 50, "the scan finds the codes the app raises"
    missing = {code: where for code, where in codes.items() if code not in _MESSAGES}
    assert not missing, f"codes without words: {missing}"


def test_approving_someone_who_is_not_there_says_so(app):
    runner = app.test_cli_runner()
    answer = runner.invoke(args=["users", "approve-peer", "nosuchperson"])
    assert answer.exit_code != 0
    assert "not possible here" not in answer.output
    with app.app_context():
        from flask_babel import force_locale, gettext

        with force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
            assert gettext("Nobody has that name here.") in answer.output
