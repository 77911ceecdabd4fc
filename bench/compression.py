"""What compressing a page costs: CPU time per page and bytes, brotli and gzip at several levels.

    .venv/bin/python bench/compression.py       (figures only, never asserted; exits 0)

Real pages of the app (the same people and demo data as bench/page_weight.py: a client with a
year of diary, a peer supporter, a coordinator), rendered once through the test client without
compression; then each body is compressed REPEAT times per level and the median CPU time
(time.process_time_ns, one thread) is printed with the compressed size. The static files are
compressed once at install (scripts/precompress.py) at the highest levels; their sizes are
printed too. The level chosen for pages is in core/compression.py; the reasons are in
docs/architecture.md, "Compression".
"""

from __future__ import annotations

import gzip
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import brotli  # noqa: E402

from bench.page_weight import prepare  # noqa: E402
from core import compression  # noqa: E402
from tests.conftest import login  # noqa: E402

REPEAT = 50
BROTLI_LEVELS = (1, 3, 4, 5, 6, 8, 11)
GZIP_LEVELS = (1, 6, 9)
PAGES = {
    "anonymous": ["/login", "/help"],
    "demo": ["/today", "/diary", "/trends?days=90", "/settings"],
    "peerok": ["/inbox", "/contacts/{contact}"],
    "coord1": ["/coordinator/help"],
}
STATIC = ("css/app.css", "js/app.js", "vendor/htmx.min.js")


def cpu_ms(work, data: bytes) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(REPEAT):
        started = time.process_time_ns()
        size = len(work(data))
        times.append(time.process_time_ns() - started)
    return statistics.median(times) / 1e6, size


def levels():
    for q in BROTLI_LEVELS:
        yield f"br{q}", lambda data, q=q: brotli.compress(data, mode=brotli.MODE_TEXT, quality=q)
    for level in GZIP_LEVELS:
        yield f"gz{level}", lambda data, level=level: gzip.compress(data, level, mtime=0)


def bodies(app, ids) -> dict[str, bytes]:
    found = {}
    for handle, paths in PAGES.items():
        client = app.test_client()
        if handle != "anonymous":
            login(client, handle)
        for path in paths:
            path = path.format(contact=ids["contact"])
            response = client.get(path, headers={"Accept-Encoding": "identity"})
            assert response.status_code == 200 and "Content-Encoding" not in response.headers, path
            found[path] = response.get_data()
    return found


def main() -> None:
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        app, ids = prepare(Path(tmp))
        pages = bodies(app, ids)
    names = [name for name, _ in levels()]
    print(f"CPU ms per page (median of {REPEAT}, one core) / compressed bytes; raw = uncompressed bytes")
    print(f"pages use br{compression.PAGE_BROTLI_QUALITY} (else gz{compression.PAGE_GZIP_LEVEL})\n")
    print(f"{'page':22}{'raw':>7}  " + "".join(f"{name:>14}" for name in names))
    totals = {name: [0.0, 0] for name in names}
    for path, body in pages.items():
        cells = []
        for name, work in levels():
            ms, size = cpu_ms(work, body)
            totals[name][0] += ms
            totals[name][1] += size
            cells.append(f"{ms:6.2f}/{size:>6}")
        print(f"{path:22}{len(body):>7}  " + "".join(f"{cell:>14}" for cell in cells))
    count = len(pages)
    print(
        f"{'mean':22}{sum(map(len, pages.values())) // count:>7}  "
        + "".join(f"{totals[n][0] / count:6.2f}/{totals[n][1] // count:>6}".rjust(14) for n in names)
    )
    print("\nstatic files, compressed once at install (br11 / gz9), bytes:")
    for name in STATIC:
        path = ROOT / "static" / name
        if not path.exists():
            print(f"  {name}: missing (run `make assets`)")
            continue
        data = path.read_bytes()
        started = time.process_time()
        br = compression.compress(data, "br", static=True)
        took = (time.process_time() - started) * 1000
        gz = compression.compress(data, "gzip", static=True)
        print(f"  {name:22} raw {len(data):>7}  br11 {len(br):>6} ({took:.0f} ms once)  gz9 {len(gz):>6}")


if __name__ == "__main__":
    main()
