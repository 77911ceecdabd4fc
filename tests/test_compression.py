"""Compression: static files compressed once at install (scripts/precompress.py) and served as
they are; pages with brotli when the browser takes it, else gzip; streams never touched."""

from __future__ import annotations

import gzip
import os
import re
import shutil
from pathlib import Path

import brotli
import pytest
from flask import Response

from core import compression
from core.web import _cache_and_compress

ROOT = Path(__file__).resolve().parent.parent
FILES = ("css/app.css", "js/app.js", "icons/nav.svg", "icons/icon-192.png")


@pytest.fixture
def static_dir(app, tmp_path, monkeypatch):
    """A copy of some static files, precompressed as the install does, served by the app."""
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "static" / name, tmp_path / name)
    compression.precompress(tmp_path)
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    monkeypatch.setattr("core.web._ASSET_HASHES", {})  # no hash of this copy outlives the test
    return tmp_path


@pytest.fixture
def no_compressing(monkeypatch):
    """Fails the test if anything is compressed while it runs."""

    def refuse(*args, **kwargs):
        raise AssertionError("compressed per request")

    monkeypatch.setattr(compression, "compress", refuse)


def test_install_writes_br_and_gz_next_to_each_text_file_once(tmp_path):
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "static" / name, tmp_path / name)
    assert compression.precompress(tmp_path)["written"] == 6  # css, js, svg: .br and .gz each
    source = (tmp_path / "css/app.css").read_bytes()
    assert brotli.decompress((tmp_path / "css/app.css.br").read_bytes()) == source
    assert gzip.decompress((tmp_path / "css/app.css.gz").read_bytes()) == source
    assert not (tmp_path / "icons/icon-192.png.br").exists()  # pictures are compressed already
    assert compression.precompress(tmp_path)["written"] == 0  # up to date: nothing written again
    changed = tmp_path / "js/app.js"
    changed.write_bytes(changed.read_bytes() + b"\n// changed\n")
    stat = changed.stat()
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # newer than its .br
    assert compression.precompress(tmp_path)["written"] == 2
    assert brotli.decompress((tmp_path / "js/app.js.br").read_bytes()) == changed.read_bytes()


def test_the_install_step_writes_them_and_git_leaves_them_out():
    makefile = (ROOT / "Makefile").read_text()
    assets = re.search(r"^assets:.*\n((?:\t.*\n)*)", makefile, re.M)
    assert assets and "scripts/precompress.py" in assets.group(1)
    assert re.search(r"^install: .*\bassets\b", makefile, re.M)
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "static/**/*.br" in ignored and "static/**/*.gz" in ignored


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [("gzip, deflate, br, zstd", "br"), ("br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("", None)],
)
def test_a_static_file_goes_out_as_the_file_written_at_install(client, static_dir, no_compressing, accept, encoding):
    response = client.get("/static/css/app.css?v=abc", headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    assert response.mimetype == "text/css"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    source = (static_dir / "css/app.css").read_bytes()
    suffix = {"br": ".br", "gzip": ".gz", None: ""}[encoding]
    assert response.data == (static_dir / f"css/app.css{suffix}").read_bytes()  # the very bytes on disk
    assert int(response.headers["Content-Length"]) == len(response.data)
    decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding]
    assert decode(response.data) == source


def test_pictures_go_out_as_they_are(client, static_dir, no_compressing):
    response = client.get("/static/icons/icon-192.png", headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert response.data == (static_dir / "icons/icon-192.png").read_bytes()


def test_each_encoding_has_its_etag_and_a_304(client, static_dir, no_compressing):
    tags = set()
    for accept in ("br", "gzip", "identity"):
        first = client.get("/static/js/app.js", headers={"Accept-Encoding": accept})
        tags.add(first.headers["ETag"])
        again = client.get(
            "/static/js/app.js", headers={"Accept-Encoding": accept, "If-None-Match": first.headers["ETag"]}
        )
        assert again.status_code == 304 and again.data == b""
        assert "Content-Encoding" not in again.headers and "Accept-Encoding" in again.headers["Vary"]
    assert len(tags) == 3


def test_head_and_range_requests(client, static_dir, no_compressing):
    head = client.head("/static/js/app.js", headers={"Accept-Encoding": "br"})
    assert head.status_code == 200 and head.headers["Content-Encoding"] == "br"
    assert int(head.headers["Content-Length"]) == (static_dir / "js/app.js.br").stat().st_size
    part = client.get("/static/js/app.js", headers={"Accept-Encoding": "br, gzip", "Range": "bytes=0-9"})
    assert part.status_code == 206 and "Content-Encoding" not in part.headers  # ranges of the file itself
    assert part.data == (static_dir / "js/app.js").read_bytes()[:10]


def test_a_missing_br_file_is_compressed_once_in_memory(client, static_dir, monkeypatch):
    (static_dir / "css/app.css.br").unlink()
    calls = []
    real = compression.compress
    monkeypatch.setattr(compression, "compress", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    source = (static_dir / "css/app.css").read_bytes()
    for _ in range(3):
        response = client.get("/static/css/app.css", headers={"Accept-Encoding": "br, gzip"})
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "br"
        assert brotli.decompress(response.data) == source
    assert calls == ["br"]
    etag = response.headers["ETag"]
    assert (
        client.get("/static/css/app.css", headers={"Accept-Encoding": "br", "If-None-Match": etag}).status_code == 304
    )


def test_a_stale_br_file_is_not_served(client, static_dir):
    source = static_dir / "css/app.css"
    source.write_bytes(source.read_bytes() + b"\n.new { color: red; }\n")
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    response = client.get("/static/css/app.css", headers={"Accept-Encoding": "br"})
    assert response.status_code == 200 and brotli.decompress(response.data) == source.read_bytes()


def test_precompressed_files_are_not_addressed_directly(client, static_dir):
    assert client.get("/static/css/app.css.br").status_code == 404
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/css/nothing.css", headers={"Accept-Encoding": "br"}).status_code == 404


def test_the_real_assets_are_served_precompressed_after_install(client):
    """After the install step (make assets), the app's own CSS goes out as its .br file."""
    if not (ROOT / "static/css/app.css.br").exists():
        pytest.skip("scripts/precompress.py has not run (the Makefile's assets step runs it)")
    html = client.get("/signup").get_data(as_text=True)
    css_url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', html).group(1)
    response = client.get(css_url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == (ROOT / "static/css/app.css").read_bytes()


def test_pages_get_brotli_when_the_browser_takes_it_else_gzip(client):
    page = client.get("/signup", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert page.headers["Content-Encoding"] == "br" and "Accept-Encoding" in page.headers["Vary"]
    assert b"<html" in brotli.decompress(page.data)
    page = client.get("/signup", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(page.data)
    assert "Content-Encoding" not in client.get("/signup", headers={"Accept-Encoding": "identity"}).headers


def test_the_service_worker_is_compressed_and_its_shell_files_are_served(client):
    response = client.get("/sw.js", headers={"Accept-Encoding": "br"})
    sw = brotli.decompress(response.data).decode()
    urls = re.findall(r'"(/static/[^"]+)"', sw)
    assert urls
    for url in urls:
        assert client.get(url, headers={"Accept-Encoding": "br, gzip"}).status_code == 200, url


def _events():
    for number in range(3):
        yield f"data: {'x' * 400} {number}\n\n"


@pytest.mark.parametrize(
    "response",
    [
        lambda: Response(_events(), mimetype="text/event-stream"),
        lambda: Response("data: " + "x" * 2000 + "\n\n", mimetype="text/event-stream"),
        lambda: Response(_events(), mimetype="text/html"),
    ],
    ids=["event-stream", "event-stream-whole", "streamed-html"],
)
def test_streams_and_server_sent_events_are_never_compressed_or_buffered(app, response, no_compressing):
    with app.test_request_context("/live", headers={"Accept-Encoding": "br, gzip"}):
        original = response()
        answered = _cache_and_compress(original)
        assert answered is original and "Content-Encoding" not in answered.headers
        if original.is_streamed:
            assert not isinstance(answered.response, list)  # the generator was not read up front
