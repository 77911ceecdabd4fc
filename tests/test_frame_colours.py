"""The warm colour for praise (static/css/app.css, --warm) is readable (WCAG AA, 4.5:1) on every
background it is used on, in the light and the dark colour scheme."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[1] / "static" / "css" / "app.css").read_text()


def _palettes() -> dict[str, dict[str, str]]:
    """The custom properties of :root, light (the first blocks) and dark (inside prefers-color-scheme: dark)."""
    light, dark = {}, {}
    for match in re.finditer(r"(@media \(prefers-color-scheme: dark\) \{\s*)?:root \{([^}]*)\}", CSS):
        target = dark if match.group(1) else light
        target.update(dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", match.group(2))))
    return {"light": light, "dark": dark}


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_warm_praise_colour_reads_on_its_backgrounds(scheme):
    palette = _palettes()[scheme]
    for background in ("warm-bg", "bg", "card"):
        assert contrast(palette["warm"], palette[background]) >= 4.5, f"--warm on --{background} in {scheme}"
    assert contrast(palette["fg"], palette["warm-bg"]) >= 4.5, f"text on --warm-bg in {scheme}"
    assert ".praise {" in CSS
