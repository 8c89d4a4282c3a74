"""Multi-panel figures assembled from the panel files the workflow already drew.

SVG: each panel's SVG is nested, unchanged, as an ``<svg>`` element at its grid position, so the
composite stays vector and every panel is byte-for-byte the panel file's drawing. PNG: the 300-dpi
panel PNGs are pasted onto a white grid (Pillow, which matplotlib already depends on). A bold panel
letter (a, b, c, …) is added in the top-left corner of each cell.
"""

from __future__ import annotations

import io
import re
import string

_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', re.S)


def _svg_body(text: str) -> tuple[str, float, float]:
    """The <svg> element of a matplotlib SVG (XML prolog and doctype removed) and its size in pt."""
    start = text.index("<svg")
    m = _SIZE.search(text, start)
    if m is None:
        raise ValueError("panel SVG has no width/height in pt")
    return text[start:], float(m.group(1)), float(m.group(2))


def compose_svg(panels: list[str], columns: int, labels: bool = True) -> str:
    """Nest panel SVG texts in a grid with `columns` columns; cell size = the largest panel."""
    bodies = [_svg_body(t) for t in panels]
    w = max(b[1] for b in bodies)
    h = max(b[2] for b in bodies)
    rows = -(-len(bodies) // columns)
    out = [
        '<?xml version="1.0" encoding="utf-8" standalone="no"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{w * columns:.2f}pt" height="{h * rows:.2f}pt" '
        f'viewBox="0 0 {w * columns:.2f} {h * rows:.2f}" version="1.1">',
    ]
    for i, (body, _bw, _bh) in enumerate(bodies):
        x, y = (i % columns) * w, (i // columns) * h
        # place the nested <svg> by giving it x/y (its own width/height/viewBox are kept)
        out.append(body.replace("<svg", f'<svg x="{x:.2f}" y="{y:.2f}"', 1))
        if labels:
            out.append(
                f'<text x="{x + 4:.2f}" y="{y + 12:.2f}" font-family="DejaVu Sans" font-size="11" '
                f'font-weight="bold">{string.ascii_lowercase[i]}</text>'
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def compose_png(panels: list[bytes], columns: int, labels: bool = True) -> bytes:
    """Paste panel PNGs in a grid; returns PNG bytes without software or date metadata."""
    from PIL import Image, ImageDraw

    images = [Image.open(io.BytesIO(p)).convert("RGB") for p in panels]
    w = max(im.width for im in images)
    h = max(im.height for im in images)
    rows = -(-len(images) // columns)
    canvas = Image.new("RGB", (w * columns, h * rows), "white")
    draw = ImageDraw.Draw(canvas)
    for i, im in enumerate(images):
        x, y = (i % columns) * w, (i // columns) * h
        canvas.paste(im, (x, y))
        if labels:
            draw.text((x + 10, y + 5), string.ascii_lowercase[i], fill="black", font_size=48)
    buf = io.BytesIO()
    canvas.save(buf, format="PNG", optimize=False)
    return buf.getvalue()
