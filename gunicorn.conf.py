"""gunicorn's settings for Nära, used by the start in docs/deploy.md:

    gunicorn -c gunicorn.conf.py --workers 3 --bind 127.0.0.1:8000 'app:create_app()'

- Limits on tries must hold. With RATELIMIT_STORAGE_URI on `memory://` (the default) every
  worker process counts on its own, so N workers make every limit N times weaker. gunicorn
  then refuses to start more than one worker and says why on stderr; set
  NARA_ALLOW_MEMORY_LIMITS=1 to start anyway (it still logs the problem at ERROR level).
  Adding workers to a running server (TTIN) cannot be refused; it is logged the same way.
- Responses do not name the server software: gunicorn's `Server:` header is left out of
  HTTP/1 responses (the protocol gunicorn speaks behind the proxy; HTTP/2 is not enabled).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gunicorn.http import wsgi as _gunicorn_wsgi  # noqa: E402

import config as _nara_config  # noqa: E402  (the app's own configuration rules)


def _headers_without_server(default_headers):
    def headers(response):
        return [line for line in default_headers(response) if not line.lower().startswith("server:")]

    headers.nara_without_server = True
    return headers


if not getattr(_gunicorn_wsgi.Response.default_headers, "nara_without_server", False):
    _gunicorn_wsgi.Response.default_headers = _headers_without_server(_gunicorn_wsgi.Response.default_headers)


def _limits_problem(workers: int) -> str | None:
    return _nara_config.shared_limits_problem(_nara_config.limit_storage(), _nara_config.limits_enabled(), workers)


def on_starting(server):
    workers = server.cfg.workers
    # The app's create_app reads this to warn too (config.known_workers).
    os.environ["NARA_GUNICORN_WORKERS"] = str(workers)
    problem = _limits_problem(workers)
    if problem is None:
        return
    if _nara_config._flag("NARA_ALLOW_MEMORY_LIMITS", False):
        server.log.error("%s Starting anyway, because NARA_ALLOW_MEMORY_LIMITS is set.", problem)
        return
    server.log.error("%s Not starting. To start anyway, set NARA_ALLOW_MEMORY_LIMITS=1.", problem)
    raise RuntimeError("Not starting: the limits on tries would not hold (see the message above).")


def nworkers_changed(server, new_value, old_value):
    if old_value is None:  # gunicorn setting up: on_starting speaks for the start
        return
    os.environ["NARA_GUNICORN_WORKERS"] = str(new_value)
    problem = _limits_problem(new_value)
    if problem is not None:
        server.log.error(
            "%s (The number of workers changed from %s to %s while running.)", problem, old_value, new_value
        )
