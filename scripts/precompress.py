"""Compress the static files once, at install: a `.br` (brotli 11) and a `.gz` (gzip 9) next to
each CSS, JS, SVG and JSON file under static/ (vendor files included), only where one is missing
or older than its source. Run by the Makefile's `assets` step (so by `make run` and `make test`);
the app serves these files as they are (core/web.py). They are not in git (.gitignore)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.compression import precompress  # noqa: E402


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else ROOT / "static"
    started = time.perf_counter()
    counts = precompress(root)
    took = time.perf_counter() - started
    print(
        f"precompress {root.name}/: {counts['written']} written, {counts['fresh']} up to date, "
        f"{counts['skipped']} not smaller ({took:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
