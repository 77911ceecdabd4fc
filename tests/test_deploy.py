"""The documented production start (docs/deploy.md): gunicorn with gunicorn.conf.py. Limits
on tries must not silently multiply with workers, and responses do not name the server."""

import http.client
import logging
import os
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
START_TIMEOUT = 40  # seconds: a bound for the subprocess tests, not a speed assertion


class FakeLog:
    def __init__(self):
        self.lines = []

    def _say(self, level):
        return lambda message, *args: self.lines.append((level, message % args if args else message))

    def __getattr__(self, level):
        return self._say(level)


def _fake_server(workers: int):
    return SimpleNamespace(cfg=SimpleNamespace(workers=workers), log=FakeLog())


@pytest.fixture
def hooks(monkeypatch):
    for name in ("RATELIMIT_STORAGE_URI", "RATELIMIT_ENABLED", "NARA_ALLOW_MEMORY_LIMITS", "NARA_GUNICORN_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    return runpy.run_path(str(GUNICORN_CONF))


def _loud(server) -> list[str]:
    return [text for level, text in server.log.lines if level in ("warning", "error", "critical")]


def test_gunicorn_refuses_several_workers_counting_tries_in_their_own_memory(hooks):
    server = _fake_server(2)
    with pytest.raises(RuntimeError):
        hooks["on_starting"](server)
    assert any("RATELIMIT_STORAGE_URI" in text and "redis://" in text for text in _loud(server))


def test_gunicorn_starts_anyway_when_told_to_but_says_so_loudly(hooks, monkeypatch):
    monkeypatch.setenv("NARA_ALLOW_MEMORY_LIMITS", "1")
    server = _fake_server(3)
    hooks["on_starting"](server)
    assert any("RATELIMIT_STORAGE_URI" in text for text in _loud(server))


@pytest.mark.parametrize(
    "workers, env",
    [
        (1, {}),
        (4, {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}),
        (4, {"RATELIMIT_ENABLED": "0"}),
    ],
)
def test_gunicorn_is_quiet_when_the_limits_hold(hooks, monkeypatch, workers, env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    server = _fake_server(workers)
    hooks["on_starting"](server)
    assert _loud(server) == []


def test_adding_workers_while_running_is_warned_about(hooks):
    server = _fake_server(1)
    hooks["on_starting"](server)
    hooks["nworkers_changed"](server, 2, 1)
    assert any("RATELIMIT_STORAGE_URI" in text for text in _loud(server))


def test_create_app_warns_when_it_knows_of_several_workers_on_memory_storage(tmp_path, monkeypatch, caplog):
    from app import create_app

    for name in ("NARA_GUNICORN_WORKERS", "GUNICORN_CMD_ARGS", "RATELIMIT_STORAGE_URI"):
        monkeypatch.delenv(name, raising=False)
    settings = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "RATELIMIT_ENABLED": True}
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    with caplog.at_level(logging.WARNING):
        create_app({**settings, "TESTING": False}, instance_path=str(tmp_path / "a"))
    assert any("RATELIMIT_STORAGE_URI" in r.getMessage() and r.levelno >= logging.WARNING for r in caplog.records)

    caplog.clear()
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    with caplog.at_level(logging.WARNING):
        create_app({**settings, "TESTING": False}, instance_path=str(tmp_path / "b"))
    assert not any("RATELIMIT_STORAGE_URI" in r.getMessage() for r in caplog.records)


def test_create_app_reads_the_worker_count_from_the_gunicorn_command_line():
    import config

    assert config.known_workers({}, ["/srv/nara/.venv/bin/gunicorn", "--workers", "3", "app:create_app()"]) == 3
    assert config.known_workers({}, ["gunicorn", "-w2", "app:create_app()"]) == 2
    assert config.known_workers({"GUNICORN_CMD_ARGS": "--workers=4"}, ["gunicorn", "app:create_app()"]) == 4
    assert config.known_workers({"NARA_GUNICORN_WORKERS": "5", "WEB_CONCURRENCY": "2"}, ["gunicorn"]) == 5
    assert config.known_workers({}, ["flask", "run", "-w", "3"]) == 1


# --- A real gunicorn, started in a subprocess on a free loopback port -----------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn(tmp_path, *args, env_extra=None):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "RATELIMIT_STORAGE_URI",
            "RATELIMIT_ENABLED",
            "NARA_ALLOW_MEMORY_LIMITS",
            "WEB_CONCURRENCY",
            "GUNICORN_CMD_ARGS",
            "NARA_GUNICORN_WORKERS",
        )
    }
    env.update({"NARA_INSTANCE": str(tmp_path / "instance"), **(env_extra or {})})
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), *args, "app:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(process) -> tuple[str, str]:
    if process.poll() is None:
        process.terminate()
    try:
        return process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()


def test_real_gunicorn_refuses_two_workers_on_memory_storage(tmp_path):
    process = _gunicorn(tmp_path, "--workers", "2", "--bind", f"127.0.0.1:{_free_port()}")
    try:
        process.wait(timeout=START_TIMEOUT)
    finally:
        _out, err = _stop(process)
    assert process.returncode not in (0, None)
    assert "RATELIMIT_STORAGE_URI" in err


def test_responses_under_gunicorn_do_not_name_the_server(tmp_path):
    port = _free_port()
    process = _gunicorn(tmp_path, "--workers", "1", "--bind", f"127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + START_TIMEOUT
        response = None
        while response is None and time.monotonic() < deadline and process.poll() is None:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/sw.js")
                response = connection.getresponse()
                response.read()
                connection.close()
            except OSError:
                time.sleep(0.2)
    finally:
        _out, err = _stop(process)
    assert response is not None, f"gunicorn did not answer: {err[-2000:]}"
    assert response.status == 200
    assert response.getheader("Server") is None
    assert "gunicorn" not in str(response.headers).lower()


def test_the_deploy_guide_starts_gunicorn_safely():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    commands = [line for line in guide.splitlines() if "gunicorn " in line and "create_app()" in line]
    assert commands
    assert all("-c gunicorn.conf.py" in line for line in commands)
    blocks = guide.split("```")[1::2]
    start = next(block for block in blocks if "gunicorn -c gunicorn.conf.py --workers 3" in block)
    assert "RATELIMIT_STORAGE_URI=redis://" in start
    assert "Strict-Transport-Security" in guide and "max-age=63072000; includeSubDomains" in guide
