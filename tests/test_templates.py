"""The templates say things once: the hidden CSRF input of a form comes from one macro,
csrf_field() in _macros.html, so a change to it is made in one place."""

import re

from flask import render_template_string

from tests.conftest import ROOT

TEMPLATES = ROOT / "templates"
# _macros.html defines csrf_field(); base.html has its own forms, kept by hand on purpose.
MAY_WRITE_IT = {"_macros.html"}
BY_HAND = re.compile(r"""name\s*=\s*["']?csrf_token\b""")
HAND_WRITTEN = '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">'


def test_no_template_writes_the_csrf_input_by_hand():
    offenders = [
        path.relative_to(TEMPLATES).as_posix()
        for path in sorted(TEMPLATES.rglob("*.html"))
        if path.relative_to(TEMPLATES).as_posix() not in MAY_WRITE_IT
        and BY_HAND.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"write {{{{ csrf_field() }}}} instead of the hidden input in {offenders}"


def test_csrf_field_renders_exactly_the_hand_written_input(app):
    with app.test_request_context("/"):
        expected = render_template_string(HAND_WRITTEN)
        assert 'name="csrf_token" value="' in expected
        assert render_template_string("{{ csrf_field() }}") == expected
        # Inside a form, with the page's other fields, it is the same input at the same place.
        assert render_template_string("<form>\n  {{ csrf_field() }}\n</form>") == f"<form>\n  {expected}\n</form>"
