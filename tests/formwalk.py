"""Walk the app as a person would: open pages by following the links on them, and fill in and
send every form found on the way with a marker in every field a person types into.

Tests use it to check where a person's words end up (never in a URL, never in the log; once
data is sealed, never readable in the database files) without a hand-kept list of forms that
a new form could slip past.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

URL_ATTRIBUTES = ("href", "src", "action", "hx-get", "hx-post", "data-lock")
TYPED = ("text", "search", "textarea", "url", "")
# Fields whose words have a form of their own: a sensible value, not the marker.
BY_NAME = {"phone": "+46 70 123 45 67", "times": "08:00, 20:30", "quiet_start": "22:00", "quiet_end": "07:00"}
# Pages not to open: leaving, locking, and what would end the walk's own session.
SKIP_PAGES = ("/away", "/lock", "/logout", "/static/", "/sw.js", "/settings/export", "/coordinator/help/export.csv")
# Forms not to send: they end the session, the account or the contact the walk relies on.
SKIP_FORMS = (
    "/logout",
    "/settings/delete",
    "/settings/password",
    "/settings/recovery-codes",
    "/lock",
    "/settings/lock",
    "/end",
    "/block",
    "/remove",
    "/language",
    "/coordinator/help/import",
    "/settings/phone",
    "/delete",
)


@dataclass
class Form:
    action: str
    method: str = "post"
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (tag/type, name, value)
    options: dict[str, list[str]] = field(default_factory=dict)


class _Page(HTMLParser):
    def __init__(self, base: str):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.urls: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in URL_ATTRIBUTES:
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "option" and self._form is not None and self._select and attrs.get("value"):
            self._form.options.setdefault(self._select, []).append(attrs["value"])
        if tag == "form":
            method = "post" if (attrs.get("method") or "get").lower() == "post" else "get"
            self._form = Form(urljoin(self.base, attrs.get("action") or self.base), method)
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "button" and (attrs.get("type") or "submit").lower() == "submit":
            # A named submit button sends its value, as the one tapped does (a mood button, say).
            self._form.fields.append(("submit-value", attrs["name"], attrs.get("value") or ""))
        elif tag == "input":
            self._form.fields.append(((attrs.get("type") or "text").lower(), attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            self._form.fields.append(("textarea", attrs["name"], ""))
        elif tag == "select":
            self._select = attrs["name"]
            self._form.fields.append(("select", attrs["name"], ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def fill(form: Form, marker: str, csrf: str) -> dict:
    """A form body: the marker in every field a person types into, a sensible choice in the rest."""
    data: dict[str, object] = {}
    for kind, name, value in form.fields:
        if kind in ("submit", "button", "file", "reset", "image"):
            continue
        if kind == "submit-value":  # the first of them, as if tapped
            data.setdefault(name, value)
            continue
        if name in BY_NAME and kind not in ("hidden", "radio", "checkbox", "select"):
            data[name] = BY_NAME[name]
        elif kind == "hidden":
            data[name] = csrf if name == "csrf_token" else value
        elif kind in TYPED:
            data[name] = marker
        elif kind == "textarea":
            data[name] = marker if name != "steps" else f"{marker}\n{marker} two"
        elif kind in ("number", "range"):
            data.setdefault(name, "3")
        elif kind == "date":
            data.setdefault(name, "2027-03-04")
        elif kind == "datetime-local":
            data.setdefault(name, "2027-03-04T10:30")
        elif kind == "time":
            data.setdefault(name, "09:30")
        elif kind in ("radio", "checkbox"):
            data.setdefault(name, value or "y")
        elif kind == "select":
            choices = form.options.get(name) or [""]
            data.setdefault(name, choices[0])
        elif kind == "tel":
            data[name] = BY_NAME["phone"]
        elif kind == "password":
            from tests.conftest import PASSWORD

            data[name] = PASSWORD
    return data


def _local(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc != "localhost":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Walk:
    urls: list[str] = field(default_factory=list)  # every address seen: links, actions, redirects
    pages: list[str] = field(default_factory=list)
    sent: list[tuple[str, int]] = field(default_factory=list)  # (form action, status) of POST forms
    server_errors: list[str] = field(default_factory=list)


def walk(
    client,
    start: list[str],
    marker: str,
    csrf: str,
    max_pages: int = 120,
    walk_result: Walk | None = None,
    only: tuple[str, ...] | None = None,
    skip: tuple[str, ...] = (),
) -> Walk:
    """Open pages from `start` by their links (breadth first, this site only) and send each
    kind of form found once, with the marker typed in; with `only`, just the pages and forms
    whose paths start with one of those."""
    result = walk_result or Walk()
    queue, seen, sent_forms = deque(start), set(), set()
    while queue and len(seen) < max_pages:
        path = queue.popleft()
        if path in seen or path.startswith(SKIP_PAGES) or (only and not path.startswith(only)):
            continue
        seen.add(path)
        response = client.get(path)
        result.pages.append(path)
        if response.status_code >= 500:
            result.server_errors.append(f"GET {path}: {response.status_code}")
        if "Location" in response.headers:
            result.urls.append(response.headers["Location"])
            target = _local(response.headers["Location"])
            if target:
                queue.append(target)
            continue
        if not (response.mimetype or "").startswith("text/html"):
            continue
        parser = _Page("http://localhost" + path)
        parser.feed(response.get_data(as_text=True))
        result.urls.extend(parser.urls)
        for url in parser.urls:
            target = _local(urljoin("http://localhost" + path, url))
            if target and target not in seen:
                queue.append(target)
        for form in parser.forms:
            action = _local(form.action) or ""
            shape = (action.split("?")[0], tuple(sorted(name for _k, name, _v in form.fields)))
            if shape in sent_forms or any(part in action for part in SKIP_FORMS):
                continue
            if (only and not action.startswith(only)) or (skip and action.startswith(skip)):
                continue
            sent_forms.add(shape)
            if form.method == "get":  # a search box, say: what it would put in the address
                query = {k: v for k, v in fill(form, marker, csrf).items() if k != "csrf_token"}
                address = action.split("?")[0] + "?" + urlencode(query)
                result.urls.append(address)
                answer = client.get(address)
            else:
                answer = client.post(action, data=fill(form, marker, csrf))
            if form.method == "post":
                result.sent.append((action, answer.status_code))
            if answer.status_code >= 500:
                result.server_errors.append(f"{form.method.upper()} {action}: {answer.status_code}")
            if "Location" in answer.headers:
                result.urls.append(answer.headers["Location"])
            if (answer.mimetype or "").startswith("text/html"):
                after = _Page("http://localhost" + action)
                after.feed(answer.get_data(as_text=True))
                result.urls.extend(after.urls)
    return result
