"""Draw the app icons (two circles close together, and the neutral notebook) as PNG files,
with nothing but zlib.

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


PLAIN_BG, PLAIN_PAGE, PLAIN_LINE = (95, 99, 104), (250, 250, 250), (150, 154, 160)


def draw_plain(size: int, maskable: bool) -> bytes:
    """The neutral icon: a sheet of lined paper on grey, like any notes app."""
    scale = 0.8 if maskable else 1.0
    corner = 0 if maskable else size * 0.22
    half_w, half_h = size * 0.26 * scale, size * 0.32 * scale
    left, right, top, bottom = size / 2 - half_w, size / 2 + half_w, size / 2 - half_h, size / 2 + half_h
    lines = [top + (bottom - top) * f for f in (0.3, 0.5, 0.7)]
    thickness = max(size * 0.025 * scale, 1.5)
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            cx, cy = x + 0.5, y + 0.5
            if corner:
                dx = max(corner - cx, 0, cx - (size - corner))
                dy = max(corner - cy, 0, cy - (size - corner))
                if dx * dx + dy * dy > corner * corner:
                    row += bytes((0, 0, 0, 0))
                    continue
            colour = PLAIN_BG
            if left <= cx <= right and top <= cy <= bottom:
                colour = PLAIN_PAGE
                if left + half_w * 0.25 <= cx <= right - half_w * 0.25 and any(
                    abs(cy - ly) <= thickness / 2 for ly in lines
                ):
                    colour = PLAIN_LINE
            row += bytes(colour) + b"\xff"
        rows.append(bytes(row))
    return _png(size, rows)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "icon-192.png").write_bytes(draw(192, False))
    (OUT / "icon-512.png").write_bytes(draw(512, False))
    (OUT / "maskable-512.png").write_bytes(draw(512, True))
    (OUT / "plain-icon-192.png").write_bytes(draw_plain(192, False))
    (OUT / "plain-icon-512.png").write_bytes(draw_plain(512, False))
    (OUT / "plain-maskable-512.png").write_bytes(draw_plain(512, True))


if __name__ == "__main__":
    main()
