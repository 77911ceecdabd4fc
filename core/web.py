"""The shell of every request, whoever makes it: form bodies only where forms are expected,
writes only from this site, security headers, compression and content-hashed assets, and
the friendly error pages. Nothing here knows about people; accounts/web.py does."""

from __future__ import annotations

import hashlib
import io
import math
import mimetypes
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import Request, abort, current_app, request, send_file, send_from_directory, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.security import safe_join
from werkzeug.utils import cached_property

from accounts.rules import clean_text
from accounts.sealing import KeyUnavailable, SealError
from core import compression
from extensions import db, limiter, render

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), midi=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), display-capture=()"
)

ERROR_TEXTS = {
    400: (
        _l("Something in that request was not right"),
        _l("Nothing was changed. Go back and try once more; if the page was open for a long time, reload it first."),
    ),
    403: (_l("This is not open to you"), _l("If you think it should be, ask the person who sent you here.")),
    404: (_l("We could not find that page"), _l("It may have moved, or it is not yours to see.")),
    405: (_l("That did not work here"), _l("Go back and use the buttons on the page.")),
    413: (
        _l("That was too much to send at once"),
        _l("Make the text shorter and try again. Nothing was saved from this attempt."),
    ),
    429: (_l("Please wait a little"), None),
    500: (_l("Something went wrong on our side"), _l("It is not your fault. Try again in a moment.")),
}


def _retry_minutes() -> int:
    limit = limiter.current_limit
    if limit is None:
        return 1
    seconds = min(limit.reset_at - time.time(), limit.limit.get_expiry())
    return max(1, math.ceil(seconds / 60))


def error_page(error: HTTPException):
    code = error.code or 500
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[400 if code < 500 else 500])
    if code == 429:
        minutes = _retry_minutes()
        text = (
            _("For your safety there is a limit on tries. You can try again in %(minutes)d minutes.", minutes=minutes)
            if minutes > 1
            else _("For your safety there is a limit on tries. You can try again in a minute.")
        )
    response = render("errors/error.html", code=code, title=title, text=text, status=code)
    if code == 429:
        response.headers["Retry-After"] = str(_retry_minutes() * 60)
    return response


def _sealed_error(error: SealError):
    """A sealed value that does not open (changed or damaged in the database) gets its own
    clear page; it is never shown as empty text. A key the person does not hold means the
    thing is not theirs: "not found", as for any other person's object."""
    try:
        db.session.rollback()
    except Exception:  # the database itself may be what broke
        pass
    if isinstance(error, KeyUnavailable):
        return error_page(NotFound())
    current_app.logger.warning("a sealed value did not open (%s) at %s", type(error).__name__, request.endpoint)
    return render(
        "errors/error.html",
        code=409,
        title=_("This could not be opened"),
        text=_(
            "Something stored here was changed or damaged after it was saved, so it cannot be opened "
            "and is not shown. The rest of what you wrote is safe. If it happens again, tell your organisation."
        ),
        status=409,
    )


def _internal_error(error):
    current_app.logger.exception("unhandled error", exc_info=error)
    try:
        db.session.rollback()
    except Exception:  # the database itself may be what broke
        pass
    return render("errors/error.html", code=500, title=ERROR_TEXTS[500][0], text=ERROR_TEXTS[500][1], status=500)


class NaraRequest(Request):
    """A request whose query string comes without NUL or other control characters, for every
    view at once: PostgreSQL refuses NUL in text, and a search or a filter must not fail on
    it. (Form fields are cleaned by the base form, accounts/forms.py.)"""

    @cached_property
    def args(self) -> ImmutableMultiDict:
        raw = Request.args.fget(self)
        return ImmutableMultiDict([(clean_text(key), clean_text(value)) for key, value in raw.items(multi=True)])


# The endpoints that take a JSON body. Every other one takes forms only: a JSON body sent to
# them is refused (415) before a view or a form can try to read it.
# Endpoints that take JSON. Each checks its body's size, depth and shape itself, before
# parsing, and answers in JSON with words (push.routes._json_body).
JSON_ENDPOINTS = frozenset({"push.subscribe"})


def _json_only_where_expected():
    """Forms take form bodies only: a JSON body anywhere else is refused with 415."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.is_json or request.endpoint is None:
        return None  # (no endpoint: the answer is "not found" or "not allowed" anyway)
    if request.endpoint not in JSON_ENDPOINTS:
        abort(415)
    return None


def _same_origin_writes():
    """Refuse a write that a browser says came from another site (a second line behind the
    CSRF token): Sec-Fetch-Site where browsers send it, else Origin against our host."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    site = request.headers.get("Sec-Fetch-Site")
    if site and site not in ("same-origin", "none"):
        abort(400)
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        parts = urlsplit(origin)
        if parts.netloc != request.host or parts.scheme != request.scheme:
            abort(400)
    return None


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint != "static" and current_user and current_user.is_authenticated:
        # Pages about a person are never kept by shared caches or the back-forward cache.
        headers.setdefault("Cache-Control", "private, no-store")
    response.vary.add("Cookie")
    response.vary.add("HX-Request")  # a fragment and its page share one URL
    return response


_ASSET_HASHES: dict[str, str] = {}
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/manifest+json", "image/svg+xml")


def asset(filename: str) -> str:
    """The URL of a static file with a hash of its content, so it can be cached for a year
    and a new deploy is fetched at once."""
    digest = _ASSET_HASHES.get(filename)
    if digest is None:
        path = Path(current_app.static_folder) / filename
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        except OSError:
            digest = "missing"
        if not current_app.debug:
            _ASSET_HASHES[filename] = digest
    return url_for("static", filename=filename, v=digest)


def _encodings() -> list[str]:
    """The encodings this browser takes, ours preferred first: brotli, then gzip."""
    accepted = request.accept_encodings
    return [name for name in compression.SUFFIXES if accepted.quality(name) > 0]


# A static file whose compressed sibling is missing or stale (an install that skipped
# scripts/precompress.py, or a file edited while the app runs): compressed once here, kept by
# path, encoding, time and size; None when compressing does not make it smaller.
_PACKED: dict[tuple[str, str, int, int], bytes | None] = {}


def _packed_in_memory(path: Path, encoding: str, stat: os.stat_result) -> bytes | None:
    key = (str(path), encoding, stat.st_mtime_ns, stat.st_size)
    if key not in _PACKED:
        current_app.logger.info("compressing %s once in memory: run scripts/precompress.py", path.name)
        data = path.read_bytes()
        packed = compression.compress(data, encoding, static=True)
        _PACKED[key] = packed if len(packed) < len(data) else None
    return _PACKED[key]


def static_file(filename: str):
    """The static files, in place of Flask's own view: a CSS, JS or SVG file goes out as the
    `.br` or `.gz` file written next to it at install (scripts/precompress.py), as it is, never
    compressed per request. Conditional requests (ETag, 304), HEAD and the cache headers work as
    for any file; each encoding has its own ETag. A Range request gets the file as it is."""
    if filename.endswith((".br", ".gz")):
        abort(404)  # the precompressed files are only ever sent in place of their source
    folder = current_app.static_folder
    max_age = current_app.get_send_file_max_age(filename)
    found = safe_join(folder, filename)
    if found is None or not os.path.isfile(found):
        abort(404)
    source = Path(found)
    if not compression.is_compressible(source):
        return send_from_directory(folder, filename, max_age=max_age)
    mimetype = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    stat = source.stat()
    encodings = [] if "Range" in request.headers else _encodings()
    for encoding in encodings:
        ready = compression.fresh_sibling(source, encoding, stat.st_mtime_ns)
        if ready is not None:
            response = send_file(ready, mimetype=mimetype, max_age=max_age, conditional=True)
        else:
            packed = _packed_in_memory(source, encoding, stat)
            if packed is None:
                break  # not smaller: as it is
            response = send_file(
                io.BytesIO(packed),
                mimetype=mimetype,
                max_age=max_age,
                conditional=True,
                etag=f"{stat.st_mtime_ns:x}-{stat.st_size:x}-{encoding}",
                last_modified=stat.st_mtime,
            )
        if response.status_code != 304:
            response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
        return response
    response = send_from_directory(folder, filename, max_age=max_age)
    response.vary.add("Accept-Encoding")
    return response


def _never_compress(response) -> bool:
    """Static files (compressed at install), streamed answers and server-sent events (each
    event must leave at once: compressing would hold them back), file downloads."""
    return (
        request.endpoint == "static"
        or response.direct_passthrough
        or response.is_streamed
        or response.mimetype == "text/event-stream"
        or "Content-Encoding" in response.headers
    )


def _cache_and_compress(response):
    """Pages (HTML, JSON) are compressed per response: brotli when the browser takes it,
    else gzip (levels: core/compression.py)."""
    if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    if (
        _never_compress(response)
        or response.status_code not in (200, 201, 400, 404)
        or not (response.mimetype or "").startswith(COMPRESSIBLE)
    ):
        return response
    encodings = _encodings()
    if not encodings:
        return response
    body = response.get_data()
    if len(body) < 500:
        return response
    response.set_data(compression.compress(body, encodings[0]))
    response.headers["Content-Encoding"] = encodings[0]
    response.vary.add("Accept-Encoding")
    if response.headers.get("ETag") and not response.headers["ETag"].startswith("W/"):
        response.headers["ETag"] = "W/" + response.headers["ETag"]
    return response


def init_app(app) -> None:
    app.request_class = NaraRequest
    if app.has_static_folder:
        app.view_functions["static"] = static_file
    app.before_request(_same_origin_writes)
    app.before_request(_json_only_where_expected)
    app.after_request(_cache_and_compress)
    app.after_request(_security_headers)
    app.jinja_env.globals["asset"] = asset
    app.register_error_handler(HTTPException, error_page)
    app.register_error_handler(SealError, _sealed_error)
    app.register_error_handler(Exception, _internal_error)
