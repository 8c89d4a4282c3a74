"""Composite figures: panels nested at their grid positions, deterministic bytes."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402

from batrepro.report.composite import compose_png, compose_svg  # noqa: E402


def _panel(kind: str, value: float) -> bytes:
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [0, value])
    buf = io.BytesIO()
    fig.savefig(buf, format=kind, dpi=50, metadata={"Date": None} if kind == "svg" else {"Software": None})
    plt.close(fig)
    return buf.getvalue()


def test_svg_composite_nests_every_panel_in_a_grid():
    panels = [_panel("svg", v).decode() for v in (1, 2, 3, 4)]
    out = compose_svg(panels, columns=3)
    assert out.count("<svg") == 5  # the wrapper and four nested panels
    assert 'x="0.00" y="0.00"' in out and 'y="108.00"' in out  # second row starts one panel height down
    assert ">d</text>" in out


def test_png_composite_size_and_determinism():
    panels = [_panel("png", v) for v in (1, 2, 3)]
    a, b = compose_png(panels, columns=2), compose_png(panels, columns=2)
    assert a == b
    w, h = Image.open(io.BytesIO(panels[0])).size
    assert Image.open(io.BytesIO(a)).size == (2 * w, 2 * h)
