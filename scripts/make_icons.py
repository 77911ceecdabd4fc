"""Draw the app icons (two circles close together) as PNG files, with nothing but zlib.

Run once when the icon changes; the PNGs are committed in static/icons/.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

BG = (47, 93, 80)
FG = (247, 245, 240)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def _png(width: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)
    header = struct.pack(">IIBBBBB", width, len(rows), 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def draw(size: int, maskable: bool) -> bytes:
    # A maskable icon keeps its drawing inside the middle 80 % and fills the whole square.
    scale = 0.8 if maskable else 1.0
    corner = 0 if maskable else size * 0.22
    r = size * 0.2 * scale
    centres = [(size * 0.5 - r * 0.62, size * 0.5), (size * 0.5 + r * 0.62, size * 0.5)]
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            cx, cy = x + 0.5, y + 0.5
            inside = True
            if corner:
                dx = max(corner - cx, 0, cx - (size - corner))
                dy = max(corner - cy, 0, cy - (size - corner))
                inside = dx * dx + dy * dy <= corner * corner
            if not inside:
                row += bytes((0, 0, 0, 0))
                continue
            hits = sum((cx - ox) ** 2 + (cy - oy) ** 2 <= r * r for ox, oy in centres)
            colour = FG if hits == 1 else (BG if hits == 0 else (200, 222, 212))
            row += bytes(colour) + b"\xff"
        rows.append(bytes(row))
    return _png(size, rows)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon-192.png").write_bytes(draw(192, False))
    (OUT / "icon-512.png").write_bytes(draw(512, False))
    (OUT / "maskable-512.png").write_bytes(draw(512, True))


if __name__ == "__main__":
    main()
