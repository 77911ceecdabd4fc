"""Never a 500: a few thousand generated requests over every route, for every role, on each
database. Methods, paths with real and junk ids, query strings, form and JSON bodies,
content types, odd text (NUL, right-to-left, emoji, 100,000 characters), dates far in the
past and future, with and without a valid CSRF token.

Every answer of 500 or more, and every exception that leaves the app, is collected with the
request that caused it, so one run shows all of them (not only the first). The run prints
its seed; NARA_FUZZ_SEED=<seed> repeats it and NARA_FUZZ_EXAMPLES=<n> changes its size.
"""

from __future__ import annotations

import io
import json
import logging
import os
import random
import re
import traceback
from html.parser import HTMLParser
from urllib.parse import quote, unquote_plus, urlsplit

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from tests.conftest import _CSRF_RE, login
from tests.test_access import HANDLES, MATRIX, ROLES, build_people

EXAMPLES = int(os.environ.get("NARA_FUZZ_EXAMPLES", 3000))
SEED = int(os.environ.get("NARA_FUZZ_SEED") or random.SystemRandom().randrange(2**32))

# The push package's endpoints are fixed by another part of this work (issue 12): their
# findings are printed, not failed on, here. Empty this once that fix is in.
ELSEWHERE_PREFIXES: tuple[str, ...] = ()  # every package is checked; a prefix here only reports

LONG = "x" * 100_000
NASTY_TEXT = [
    "",
    " ",
    "a",
    "0",
    "-1",
    "1",
    "5",
    "10",
    "2147483648",
    "9" * 40,
    "1e999999",
    "-1e999999",
    "NaN",
    "inf",
    "\x00",
    "a\x00b",
    "\x00" * 50,
    "\x01\x02\x7f\x1b",
    "\r\n\r\n",
    "\t",
    "\u202eevil\u202c",
    "\u200f\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627",
    "\ufeff",
    "\U0001f600" * 20,
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "e\u0301" * 30,
    "\u00e5\u00e4\u00f6\u00e6\u00f8",
    LONG,
    "\U0001f600" * 30_000,
    "\x00" * 5000,
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "%00",
    "../../etc/passwd",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "{{7*7}}",
    "0001-01-01",
    "99999-12-31",
    "9999-12-31",
    "1899-12-31",
    "2200-12-31",
    "2201-01-01",
    "2026-02-30",
    "0001-01-01T00:00",
    "99999-12-31T23:59",
    "9999-12-31T23:59",
    "2026-06-01T12:00",
    "2026-06-01T25:61",
    "0000-00-00",
    "10000000000000-1",
    "2026-13",
    "2026-0",
    "0-1",
    "-5-1",
    "2026-06",
    "1970-01-01T00:00:00",
    "00:00",
    "24:00",
    "23:59",
    "08:00, 20:30",
    "99:99",
    "8",
    ",,,",
    "SE",
    "DK",
    "XX",
    "se",
    "yes",
    "no",
    "true",
    "false",
    "on",
    "y",
]
DATES = [
    "0001-01-01",
    "99999-12-31",
    "9999-12-31",
    "1900-01-01",
    "2200-12-31",
    "2026-06-01",
    "0001-01-01T00:00",
    "99999-12-31T23:59",
    "1900-01-01T00:00",
    "2200-12-31T23:59",
    "2026-06-01T09:30",
    "10000000000000-1",
    "2026-02-29",
    "1-1-1",
]
JUNK_IDS = [
    "0",
    "-1",
    "2147483647",
    "2147483648",
    "99999999999999999999",
    "abc",
    "1.5",
    "1e3",
    "%00",
    "%20",
    "\u0661",
    "\uff11",
    "00001",
    "1%2F2",
    LONG[:2000],
]
JSON_BODIES = [
    '"a string"',
    "1e999999",
    "-1e999999",
    "[]",
    "null",
    "true",
    "0",
    "{}",
    "[1, 2, 3]",
    "{",
    '{"a": }',
    "9" * 5000,
    "[" * 50_000 + "]" * 50_000,
    '{"a":' * 20_000 + "1" + "}" * 20_000,
    '{"handle": 1e999999, "password": ["x"]}',
    '{"handle": "client1", "password": null}',
    '{"endpoint": "https://push.example/x", "keys": {"p256dh": "B", "auth": "A"}}',
    '{"endpoint": ["x"], "keys": [1], "device": {"a": 1}}',
    '{"keys": {"p256dh": 1e999, "auth": null}}',
    '{"text": "\\u0000", "mood": "5", "strengths": ["\\u0000"]}',
    '{"csrf_token": "x"}',
    "\ufeff{}",
    '{"a": NaN}',
    '{"a": Infinity}',
    '"\\ud800"',
]
CONTENT_TYPES = [
    None,
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "application/json",
    "application/json; charset=utf-16",
    "application/merge-patch+json",
    "text/plain",
    "text/csv",
    "application/xml",
    "application/octet-stream",
    "",
    "a/b",
    ";;;",
    "text/html; charset=\x01",
    "application/x-www-form-urlencoded; charset=latin-1",
]
RAW_BODIES = [
    b"",
    b"\xff\xfe\x00\x01",
    b"a=%ff%fe&b=%00",
    b"csrf_token=&text=%00",
    b"=&=&&",
    b"a" * 200_000,
    b"--x\r\nContent-Disposition: form-data\r\n\r\n",
    b"\x00" * 100,
    "\u00e5=\u00e4".encode("latin-1"),
]
CSV_FILES = [
    b"country,kind,name\nSE,drop_in,Caf\x00e\n",
    b"country,kind,name\x00\nSE,drop_in,A\n",
    b"id,country,kind,name\n99999999999999999999,SE,drop_in,A\n",
    b"id,country,kind,name\n\xd9\xa1,SE,drop_in,A\n",
    b"country,kind,name,last_verified\nSE,drop_in,A,0001-01-01\n",
    b"country,kind,name,last_verified\nSE,drop_in,A,99999-12-31\n",
    b"country,kind,name,phone\nSE,line,L,\x00\n",
    b"\xff\xfe\x00c\x00o",
    b"",
    b"country\n" + b"SE\n" * 3000,
    b"country,kind,name,extra\nSE,drop_in,A,b,c,d\n",
    b"id,country,kind,name\n\xc2\xb2,SE,drop_in,A\n",
    b'country,kind,name\n"SE,drop_in\n',
    b"country,kind,name,self_referral,hidden\nSE,drop_in,\xe2\x80\xae,\x00,\x00\n",
]
QUERY_KEYS = [
    "q",
    "tag",
    "before",
    "more",
    "m",
    "days",
    "change",
    "answer",
    "country",
    "kind",
    "region",
    "look",
    "lang",
    "next",
    "once_at",
    "title",
    "gender",
    "language",
    "topic",
    "v",
    "page",
    "id",
]
HEADER_CHOICES = [
    {},
    {"HX-Request": "true"},
    {"HX-Request": "true", "HX-Boosted": "true"},
    {"X-Nara-Background": "1"},
    {"Accept-Language": "da"},
    {"Accept-Language": "sv;q=x, \x00"},
    {"Sec-Fetch-Site": "same-origin"},
    {"Accept-Encoding": "gzip"},
    {"Accept": "application/json"},
    {"HX-Request": "true", "Accept-Language": "sv"},
]
METHODS = ["GET", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"]


# Requests that remove what they name are sent, with a real id, to spare objects made for them,
# so the objects every other route uses stay (endpoint: the URL arguments given spares).
DESTRUCTIVE = {
    "diary.delete": {"entry"},
    "diary.delete_goal": {"goal"},
    "diary.delete_step": {"step"},
    "diary.delete_next_step": {"next_step"},
    "peer.end": {"contact"},
    "peer.block": {"contact"},
    "peer.remove_peer": {"peer"},
    "peer.pause_peer": {"peer"},
    "peer.delete_note": {"note"},
    "push.delete_reminder": {"reminder"},
    "push.unsubscribe": {"device"},
    "help.hide": {"service"},
}
SPARES = 12


def make_spares(app, people) -> dict[str, list[int]]:
    """Spare entries, goals, steps, next steps, notes, reminders, devices, services, and
    approved peers in contact with the client, for the DESTRUCTIVE requests."""
    from accounts.models import User
    from diary import entries, goals
    from diary import next_steps as steps
    from diary.models import Goal
    from extensions import db
    from help import service as help_service
    from peer import contacts, relatives
    from push import service as push_service
    from push.models import PushSubscription
    from tests.conftest import make_peer_profile, make_user

    spares: dict[str, list[int]] = {}
    with app.app_context():
        session = db.session
        client, relative = session.get(User, people["client"]), session.get(User, people["relative"])
        goal = session.get(Goal, people["goal"])
        for n in range(SPARES):
            spares.setdefault("entry", []).append(
                entries.save_entry(session, client, mood=3, text=f"spare {n}", answers={}, strengths=[]).id
            )
            spares.setdefault("goal", []).append(
                goals.create_goal(session, client, kind="less", area=None, title=f"Spare {n}", steps=[]).id
            )
            spares.setdefault("step", []).append(goals.add_step(session, goal, f"Spare step {n}").id)
            spares.setdefault("next_step", []).append(
                steps.save_step(
                    session, client, kind="other", title=f"Spare {n}", when=None, who="", phone="", note=""
                ).id
            )
            spares.setdefault("note", []).append(relatives.add_note(session, relative, f"spare {n}").id)
            spares.setdefault("reminder", []).append(
                push_service.save_reminder(
                    session, client, kind="task", title=f"Spare {n}", times="09:00", weekdays=[], once_at=None
                ).id
            )
            device = PushSubscription(
                user_id=client.id, endpoint=f"https://93.184.215.14/spare{n}", p256dh="B" * 87, auth="A" * 22
            )  # past the cap of devices, on purpose
            session.add(device)
            session.flush()
            spares.setdefault("device", []).append(device.id)
            spares.setdefault("service", []).append(
                help_service.save(session, {"country": "SE", "kind": "drop_in", "name": f"Spare {n}"}).id
            )
    for n in range(4):
        peer, _codes = make_user(app, f"sparepeer{n}", role="peer", approved=True)
        make_peer_profile(app, peer, display_name=f"Spare {n}")
        with app.app_context():
            session = db.session
            contact = contacts.request_peer(session, session.get(User, people["client"]), peer, "")
            contacts.accept(session, session.get(User, peer), contact)
            spares.setdefault("peer", []).append(peer)
            spares.setdefault("contact", []).append(contact.id)
    return spares


def _form_fields() -> tuple[list[str], dict[str, list[str]]]:
    """Every field name of every form, and the stored keys its choices offer."""
    from core.forms import NaraForm

    names, choices, todo = {"csrf_token", "csv_file", "token", "action", "locale", "next"}, {}, [NaraForm]
    seen = set()
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.add(cls)
        todo.extend(cls.__subclasses__())
        for name in dir(cls):
            unbound = getattr(cls, name, None)
            if isinstance(unbound, UnboundField):
                names.add(name)
                for choice in unbound.kwargs.get("choices") or []:
                    key = choice[0] if isinstance(choice, tuple) else getattr(choice, "value", None)
                    if isinstance(key, str) and key:
                        choices.setdefault(name, []).append(key)
    return sorted(names), choices


def _routes(app) -> list[tuple[str, str, list[str], list[tuple[str, str]]]]:
    """(endpoint, rule, methods, [(argument, people key or "")]) for every rule of the app."""
    routes = []
    for rule in app.url_map.iter_rules():
        template = MATRIX.get(rule.endpoint, (None, "", None))[1].split("/")
        parts = rule.rule.split("/")
        args = []
        for index, part in enumerate(parts):
            match = re.fullmatch(r"<(?:(\w+):)?(\w+)>", part)
            if match:
                known = template[index] if len(template) == len(parts) else ""
                args.append((match.group(2), known.strip("{}") if known.startswith("{") else ""))
        methods = sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS"))
        routes.append((rule.endpoint, rule.rule, methods, args))
    return sorted(routes)


class _Forms(HTMLParser):
    """The forms of a page: where each posts, and its fields with the values they offer."""

    def __init__(self, page: str):
        super().__init__()
        self.page, self.forms, self._current = page, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {
                "action": attrs.get("action") or self.page,
                "fields": {},
                "get": (attrs.get("method") or "get").lower() == "get",
            }
            self.forms.append(self._current)
        elif tag == "a" and "?" in (attrs.get("href") or ""):  # a link with a query: its keys and values
            path, query = attrs["href"].split("?", 1)
            fields = {}
            for pair in query.split("#")[0].split("&"):
                key, _sep, value = pair.partition("=")
                fields.setdefault(unquote_plus(key), set()).add(unquote_plus(value))
            self.forms.append({"action": path or self.page, "fields": fields, "get": True})
        elif tag in ("input", "select", "textarea", "button") and self._current is not None and attrs.get("name"):
            self._field = self._current["fields"].setdefault(attrs["name"], set())
            if attrs.get("value") is not None:
                self._field.add(attrs["value"])
        elif tag == "option" and self._current is not None and attrs.get("value") is not None:
            getattr(self, "_field", set()).add(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def crawl_forms(app, browsers, people) -> tuple[dict, dict]:
    """endpoint: {field: values seen}, from the forms of every page every role can open: the
    fields sent in a body, and (from search forms and links) the keys of query strings."""
    adapter = app.url_map.bind("localhost")
    bodies: dict[str, dict[str, set]] = {}
    queries: dict[str, dict[str, set]] = {}
    pages = [url.format(**people) for method, url, _expected in MATRIX.values() if method == "GET"]
    pages += ["/next-steps/new", "/push/reminders/new", "/coordinator/help/new"]
    for role in ("anonymous", "client", "peer_waiting", "peer", "relative", "coordinator"):
        for page in pages:
            parser = _Forms(page)
            parser.feed(browsers.clients[role].get(page).get_data(as_text=True))
            for form in parser.forms:
                try:
                    endpoint, _args = adapter.match(
                        urlsplit(form["action"]).path, method="GET" if form["get"] else "POST"
                    )
                except Exception:  # a link to a static file, or to another site
                    continue
                fields = (queries if form["get"] else bodies).setdefault(endpoint, {})
                for name, values in form["fields"].items():
                    fields.setdefault(name, set()).update(values)

    def lists(found):
        return {
            endpoint: {name: sorted(values) for name, values in fields.items()} for endpoint, fields in found.items()
        }

    return lists(bodies), lists(queries)


class _Errors(logging.Handler):
    """The tracebacks the app's own 500 handler logs."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record):
        if record.exc_info:
            self.seen.append("".join(traceback.format_exception(*record.exc_info))[-1500:])


def _short(value, limit: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"...({len(text)} chars)"


class Browsers:
    """One test client per role. A generated request may change who a client is (a visitor
    signs up, someone logs out, a session locks): then it starts again as its role."""

    def __init__(self, app, people):
        self.app, self.people = app, people
        self.clients, self.tokens, self.seen = {}, {}, {}
        for role in ROLES:
            self.reset(role)

    def session(self, role: str) -> dict:
        cookie = self.clients[role].get_cookie(self.app.config["SESSION_COOKIE_NAME"])
        if cookie is None:
            return {}
        try:
            return dict(self.app.session_interface.get_signing_serializer(self.app).loads(cookie.value))
        except Exception:
            return {}

    def reset(self, role: str) -> None:
        client = self.app.test_client()
        self.clients[role] = client
        if role != "anonymous":
            try:
                login(client, HANDLES[role])
            except AssertionError:  # the account was removed by a generated request: a visitor now
                pass
        self._token(role)

    def _token(self, role: str) -> None:
        match = _CSRF_RE.search(self.clients[role].get("/help").get_data(as_text=True))
        self.tokens[role] = match.group(1) if match else ""
        session = self.session(role)
        self.seen[role] = (session.get("_user_id"), session.get("csrf_token"))

    def check(self, role: str) -> None:
        session = self.session(role)
        if session.get("_user_id") != self.seen[role][0] or session.get("locked"):
            self.reset(role)
        elif session.get("csrf_token") != self.seen[role][1]:
            self._token(role)


NUMBERS = [
    "0",
    "-1",
    "1",
    "\u00b2",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "9" * 40,
    "18446744073709551616",
    "1e999999",
    "NaN",
    "1.5",
    " 1",
    "\uff11",
    "\u0661",
    "0x10",
    "1_000",
    "+1",
    "00",
    "4" * 5000,
]


def _text(draw, pool=None):
    """A value for a field or a query: one it offers, a number, a date, odd text or any text."""
    choice = draw(st.integers(0, 19))
    numeric = bool(pool) and all(value.isdigit() for value in pool)  # ids offered: numbers matter most
    if choice < 6 and pool:
        return draw(st.sampled_from(pool))
    if choice < (14 if numeric else 9):
        return draw(st.sampled_from(NUMBERS))
    if choice < 12:
        return draw(st.sampled_from(DATES))
    if choice < 17:
        return draw(st.sampled_from(NASTY_TEXT))
    return draw(st.text(max_size=40))


def _path(draw, world) -> tuple[str, str, list[str]]:
    endpoint, rule, methods, args = world.route  # one route at a time: see the test
    people = world.people
    path = rule
    ids = [str(v) for k, v in people.items() if isinstance(v, int)]
    for name, known in args:
        kind = draw(st.integers(0, 19))
        if known and kind < 15 and known in DESTRUCTIVE.get(endpoint, ()):
            value = str(draw(st.sampled_from(world.spares[known])))
        elif known and kind < 15:
            value = str(people[known])
        elif kind < 18:
            value = draw(st.sampled_from(ids + [str(people.get("code", "x"))]))
        else:
            value = draw(st.sampled_from(JUNK_IDS))
        path = re.sub(r"<(?:\w+:)?" + name + ">", quote(value, safe="%"), path)
    if draw(st.integers(0, 30)) == 0 and path != "/":  # ("//..." would name another host)
        path += draw(st.sampled_from(["/", "//", "/x", "%00", "?", "/.."]))
    return endpoint, path, methods


def _query(draw, world, endpoint: str) -> str:
    own = world.queries.get(endpoint, {})
    pairs = []
    for _ in range(draw(st.integers(0, 4))):
        pick = draw(st.integers(0, 5))
        if own and pick < 3:
            key = draw(st.sampled_from(sorted(own)))
        else:
            key = draw(st.sampled_from(QUERY_KEYS)) if pick < 5 else _text(draw)[:20]
        pairs.append(quote(key, safe="") + "=" + quote(_text(draw, own.get(key))[:5000], safe=""))
    if draw(st.integers(0, 20)) == 0:
        pairs.append(draw(st.sampled_from(["%", "%zz", "a=%00", "=", "&&", "a=b=c", "q=%ff%fe"])))
    return "&".join(pairs)


PLAIN = [
    "hello",
    "A few quiet words",
    "Mum",
    "2027-03-31",
    "2027-03-31T14:30",
    "08:00, 20:30",
    "+46 70 123 45 67",
    "1",
    "3",
    "y",
    "SE",
    "Europe/Stockholm",
    "sv",
    "green kettle morning walk",
    "ABCDE-FGHJK",
]


def _form(draw, world, endpoint: str, token: str) -> dict:
    """Mostly the endpoint's own form filled in as a person would, with one to three fields
    made odd (so the odd value gets past the other fields' checks); sometimes any fields."""
    own = {name: values for name, values in world.forms.get(endpoint, {}).items() if name != "csrf_token"}
    form = {}
    if own and draw(st.integers(0, 3)):
        for name, values in own.items():
            form[name] = (
                draw(st.sampled_from(values or PLAIN)) if draw(st.integers(0, 3)) else draw(st.sampled_from(PLAIN))
            )
        odd = draw(st.lists(st.sampled_from(sorted(own)), min_size=1, max_size=3, unique=True))
    else:
        odd = [draw(st.sampled_from(world.names)) for _ in range(draw(st.integers(0, 6)))]
    for name in odd:
        pool = own.get(name) or world.choices.get(name)
        values = [_text(draw, pool) for _ in range(draw(st.integers(1, 3)) if draw(st.integers(0, 3)) == 0 else 1)]
        form[name] = values if len(values) > 1 else values[0]
    csrf = draw(st.integers(0, 9))
    if csrf < 8:
        form["csrf_token"] = token
    elif csrf < 9:
        form["csrf_token"] = draw(st.sampled_from(["", "x", token[:-2] + "aa" if token else "y", LONG[:5000]]))
    return form


class World:
    """What the generated requests are made from: the people and their ids, the routes, and the
    forms found on the pages."""

    def __init__(self, app, people, browsers):
        self.people, self.browsers = people, browsers
        self.routes = _routes(app)
        self.names, self.choices = _form_fields()
        self.forms, self.queries = crawl_forms(app, browsers, people)
        self.spares = make_spares(app, people)
        # Routes that take a form are where input reaches the rules and the database: more often.
        self.routes = [route for route in self.routes for _ in range(3 if route[0] in self.forms else 1)]
        # The roles that get further than "not found" on each endpoint, to reach deeper code.
        self.allowed = {
            endpoint: [role for role, status in expected.items() if status != 404 and role != "anonymous"]
            or list(expected)
            for endpoint, (_method, _url, expected) in MATRIX.items()
        }
        for endpoint in self.allowed:
            self.allowed[endpoint] = [role for role in ROLES if role in self.allowed[endpoint]] or ROLES


@st.composite
def requests(draw, world):
    endpoint, path, methods = _path(draw, world)
    role = (
        draw(st.sampled_from(world.allowed.get(endpoint, ROLES)))
        if draw(st.integers(0, 6))
        else draw(st.sampled_from(ROLES))
    )
    method = draw(st.sampled_from(methods)) if draw(st.integers(0, 9)) else draw(st.sampled_from(METHODS))
    kwargs = {
        "method": method,
        "query_string": _query(draw, world, endpoint),
        "headers": dict(draw(st.sampled_from(HEADER_CHOICES))),
    }
    token = world.browsers.tokens[role]
    if draw(st.integers(0, 3)) == 0:
        kwargs["headers"]["X-CSRFToken"] = token if draw(st.booleans()) else "forged"
    if method not in ("GET", "HEAD", "OPTIONS") or draw(st.integers(0, 10)) == 0:
        body = draw(st.integers(0, 19))
        if body < 15:
            kwargs["data"] = _form(draw, world, endpoint, token)
            if draw(st.integers(0, 4)) == 0:  # sent as multipart, sometimes with a file
                kwargs["content_type"] = "multipart/form-data"
                if draw(st.booleans()):
                    kwargs["data"]["csv_file"] = (
                        io.BytesIO(draw(st.sampled_from(CSV_FILES))),
                        draw(st.sampled_from(["help.csv", "", "a\x00.csv", "x" * 300])),
                    )
        elif body < 18:
            kwargs["data"] = (
                draw(st.sampled_from(JSON_BODIES))
                if draw(st.integers(0, 3))
                else json.dumps(_form(draw, world, endpoint, token))
            )
            kwargs["content_type"] = draw(
                st.sampled_from(
                    ["application/json", "application/json; charset=utf-8", "application/vnd.api+json", "text/plain"]
                )
            )
            kwargs["headers"]["X-CSRFToken"] = token if draw(st.integers(0, 4)) else "forged"
        else:
            kwargs["data"] = draw(st.sampled_from(RAW_BODIES))
            content_type = draw(st.sampled_from(CONTENT_TYPES))
            if content_type is not None:
                kwargs["content_type"] = content_type
    return role, endpoint, path, kwargs


def _describe(role, path, kwargs) -> str:
    data = kwargs.get("data")
    if isinstance(data, dict):
        data = {k: (f"<file {v[1]!r}>" if isinstance(v, tuple) else v) for k, v in data.items()}
    return (
        f"{role} {kwargs['method']} {path}?{_short(kwargs['query_string'], 200)} "
        f"content_type={kwargs.get('content_type')!r} headers={kwargs['headers']} body={_short(data, 400)}"
    )


class Tally:
    """What the run sent and what came back: the 5xx answers with the requests that caused
    them, grouped by endpoint and error, and (NARA_FUZZ_COVERAGE=1) every endpoint's answers."""

    def __init__(self):
        self.sent, self.statuses, self.by_endpoint = 0, {}, {}
        self.failures: dict[tuple, list[str]] = {}
        self.elsewhere: dict[tuple, list[str]] = {}

    def add(self, role, endpoint, path, kwargs, status: int, problem: str) -> None:
        self.sent += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1
        answers = self.by_endpoint.setdefault((endpoint, kwargs["method"]), {})
        answers[status] = answers.get(status, 0) + 1
        if os.environ.get("NARA_FUZZ_TRACE") == endpoint:
            print("trace:", status, _describe(role, path, kwargs)[:400])
        if status >= 500:
            found = self.elsewhere if endpoint.startswith(ELSEWHERE_PREFIXES) else self.failures
            key = (endpoint, problem.strip().splitlines()[-1] if problem else str(status))
            found.setdefault(key, []).append(f"{status}: {_describe(role, path, kwargs)}\n{problem}")

    def summary(self, database: str) -> str:
        count = sum(len(cases) for cases in self.failures.values())
        lines = [
            f"{database}: {self.sent} requests, {count} answered 5xx ({len(self.failures)} kinds), "
            f"seed {SEED}; answers: {dict(sorted(self.statuses.items()))}"
        ]
        if os.environ.get("NARA_FUZZ_COVERAGE"):
            lines += [
                f"  {method:7} {endpoint:32} {dict(sorted(answers.items()))}"
                for (endpoint, method), answers in sorted(self.by_endpoint.items())
            ]
        lines += [
            f"  left to another fix, {endpoint} ({len(cases)}x): {cases[0][:800]}"
            for (endpoint, _error), cases in self.elsewhere.items()
        ]
        return "\n".join(lines)

    def report(self) -> str:
        count = sum(len(cases) for cases in self.failures.values())
        return f"seed {SEED}, {count} of {self.sent} requests answered 5xx:\n\n" + "\n\n".join(
            f"{endpoint} ({len(cases)}x): {cases[0]}" for (endpoint, _error), cases in self.failures.items()
        )


def test_no_generated_request_answers_5xx(app):
    browsers = Browsers(app, build_people(app))
    world = World(app, browsers.people, browsers)
    errors, tally = _Errors(), Tally()
    app.logger.addHandler(errors)

    def send(data):
        role, endpoint, path, kwargs = data.draw(requests(world))
        if isinstance(kwargs.get("data"), dict):  # a fresh file object for each sending
            kwargs["data"] = {
                k: ((io.BytesIO(v[0].getvalue()), v[1]) if isinstance(v, tuple) else v)
                for k, v in kwargs["data"].items()
            }
        errors.seen.clear()
        try:
            status = browsers.clients[role].open(path, **kwargs).status_code
            problem = errors.seen[-1] if errors.seen else ""  # what the app's own 500 page logged
        except Exception:  # anything that leaves the app (TESTING propagates it) is as bad as a 500
            status, problem = 599, traceback.format_exc()[-1500:]
        tally.add(role, endpoint, path, kwargs, status, problem)
        browsers.check(role)

    # One route at a time, each with its share of the examples (a route with a form counts
    # three times): left to choose among ~300 routes itself, Hypothesis is far from even
    # (3,000 draws left 5 to 9 routes never asked about).
    share = max(1, EXAMPLES // len(world.routes))
    try:
        for endpoint, rule in sorted({route[:2] for route in world.routes}):
            world.route = next(route for route in world.routes if route[:2] == (endpoint, rule))
            run = given(st.data())(send)
            run = settings(
                max_examples=share * world.routes.count(world.route),
                deadline=None,
                database=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )(run)
            seed(SEED)(run)()
    finally:
        app.logger.removeHandler(errors)
    print("\n" + tally.summary(app.config["DATABASE_URL"].split(":")[0]))
    assert not tally.failures, tally.report()
    if EXAMPLES:  # every route was asked about
        missed = sorted({route[0] for route in world.routes} - {endpoint for endpoint, _method in tally.by_endpoint})
        assert not missed, f"routes never requested: {missed}"
