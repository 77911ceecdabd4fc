"""Compression, in one place: the static files are compressed once, at install
(scripts/precompress.py, run by the Makefile's `assets` step), into `.br` and `.gz` files next
to each one, which core/web.py serves as they are; pages are compressed per response, with
brotli when the browser takes it, else gzip. Reasons and figures: docs/architecture.md,
"Compression"; bench/compression.py measures the page levels."""

from __future__ import annotations

import gzip
import os
import tempfile
from pathlib import Path

import brotli

# The static files worth compressing: text. Pictures (PNG) are compressed already.
COMPRESSIBLE_SUFFIXES = (".css", ".js", ".mjs", ".svg", ".json", ".webmanifest", ".map", ".txt", ".html", ".xml")
# Preferred first: brotli is 15-20 % smaller than gzip on our CSS and JS.
SUFFIXES = {"br": ".br", "gzip": ".gz"}

# Static files: once per deploy, so the smallest there is (brotli 11, gzip 9).
STATIC_BROTLI_QUALITY = 11
STATIC_GZIP_LEVEL = 9
# Pages: per response, so a level where the CPU time per page stays well under a millisecond
# (measured by bench/compression.py; the figures are in docs/architecture.md).
PAGE_BROTLI_QUALITY = 5
PAGE_GZIP_LEVEL = 6


def compress(data: bytes, encoding: str, *, static: bool = False) -> bytes:
    """`data` compressed for a Content-Encoding of "br" or "gzip"."""
    if encoding == "br":
        quality = STATIC_BROTLI_QUALITY if static else PAGE_BROTLI_QUALITY
        return brotli.compress(data, mode=brotli.MODE_TEXT, quality=quality)
    if encoding == "gzip":
        # mtime=0: the same file gives the same bytes on every machine and every install.
        return gzip.compress(data, STATIC_GZIP_LEVEL if static else PAGE_GZIP_LEVEL, mtime=0)
    raise ValueError(f"unknown encoding {encoding!r}")


def is_compressible(path: str | Path) -> bool:
    return str(path).endswith(COMPRESSIBLE_SUFFIXES)


def sibling(source: Path, encoding: str) -> Path:
    return source.with_name(source.name + SUFFIXES[encoding])


def fresh_sibling(source: Path, encoding: str, source_mtime_ns: int) -> Path | None:
    """The precompressed file next to `source`, if it is there and not older than it."""
    path = sibling(source, encoding)
    try:
        if path.stat().st_mtime_ns >= source_mtime_ns:
            return path
    except OSError:
        pass
    return None


def _write_atomically(path: Path, data: bytes, mtime_ns: int) -> None:
    """Written beside, given the source's time, then renamed: a running app never reads half
    a file, and a sibling with the source's time counts as fresh."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.utime(temporary, ns=(mtime_ns, mtime_ns))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def precompress(root: Path) -> dict[str, int]:
    """Writes `.br` and `.gz` next to every compressible file under `root` where one is missing
    or older than its source. A file that does not get smaller gets none (the app then sends it
    as it is). Returns counts: written, fresh (left alone), skipped (not smaller)."""
    counts = {"written": 0, "fresh": 0, "skipped": 0}
    for source in sorted(root.rglob("*")):
        if not source.is_file() or not is_compressible(source) or source.name.startswith("."):
            continue
        stat = source.stat()
        data = None
        for encoding in SUFFIXES:
            if fresh_sibling(source, encoding, stat.st_mtime_ns) is not None:
                counts["fresh"] += 1
                continue
            if data is None:
                data = source.read_bytes()
            packed = compress(data, encoding, static=True)
            if len(packed) >= len(data):
                sibling(source, encoding).unlink(missing_ok=True)
                counts["skipped"] += 1
                continue
            _write_atomically(sibling(source, encoding), packed, stat.st_mtime_ns)
            counts["written"] += 1
    return counts
