"""The single HTML page a person opens: every figure, every table and both audits.

Figures are linked (relative paths to the SVGs next to the page), not embedded, so the page stays
small and a figure is the same file the workflow wrote. A small script counts the figures that
rendered and writes the count into ``<body data-figures-loaded=…>`` (used by the browser test).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

from ..audit.reproduction import VERDICTS, verdict_counts

CSS = """
body{font-family:DejaVu Sans,Arial,sans-serif;margin:2em auto;max-width:1200px;color:#222}
h1{font-size:1.5em} h2{border-bottom:1px solid #ccc;margin-top:2em} h3{margin-bottom:.3em}
.note{background:#fff6dd;border-left:4px solid #e6a700;padding:.6em 1em}
.figs{display:flex;flex-wrap:wrap;gap:1.2em} figure{margin:0;width:360px}
figure img{width:100%;border:1px solid #eee} figcaption{font-size:.85em;color:#555}
table{border-collapse:collapse;font-size:.78em;margin:.5em 0 1.5em} th,td{border:1px solid #ddd;padding:2px 6px}
th{background:#f3f3f3} tr.reproduced td.v{background:#d9f2d9} tr.deviates td.v{background:#f8d0d0}
tr.not-yet-reproduced td.v{background:#eee} tr.not-derivable td.v{background:#dde6f5}
tr.contradiction td.v{background:#f8d0d0} tr.consistent td.v{background:#d9f2d9} tr.ambiguous td.v{background:#fff0c0}
details{margin:.5em 0}
"""

SCRIPT = """
window.addEventListener('load', function () {
  var imgs = document.querySelectorAll('img.figure');
  var ok = 0;
  imgs.forEach(function (im) { if (im.complete && im.naturalWidth > 0) { ok++; } });
  document.body.setAttribute('data-figures-loaded', String(ok));
  document.body.setAttribute('data-figures-total', String(imgs.length));
});
"""


def _natural(key: str) -> list:
    """Sort key that puts fig2 before fig10 and figS8 before figS12."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key)]


def _table_html(df: pd.DataFrame, verdict_column: str | None = None) -> str:
    cols = list(df.columns)
    out = ["<table><thead><tr>" + "".join(f"<th>{html.escape(str(c))}</th>" for c in cols) + "</tr></thead><tbody>"]
    for row in df.itertuples(index=False):
        values = dict(zip(cols, row))
        cls = ""
        if verdict_column:
            cls = f' class="{html.escape(str(values[verdict_column]).replace(" ", "-"))}"'
        cells = []
        for c in cols:
            v = values[c]
            text = "" if (isinstance(v, float) and v != v) else (f"{v:.6g}" if isinstance(v, float) else str(v))
            klass = ' class="v"' if c == verdict_column else ""
            cells.append(f"<td{klass}>{html.escape(text)}</td>")
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def first_screen(audit: pd.DataFrame, consistency: pd.DataFrame) -> list[str]:
    """The audit at a glance, before any figure: verdict counts per paper and per technique (with a
    total per paper), the numbers that deviate, and every contradiction the consistency audit found."""
    counts = verdict_counts(audit, ("paper", "technique"))
    totals = verdict_counts(audit).assign(technique="all")
    table = pd.concat([counts, totals], ignore_index=True).sort_values(["paper", "technique"], kind="stable")
    table = table[["paper", "technique", *VERDICTS]]
    parts = [
        "<h2 id='at-a-glance'>Audit at a glance</h2>",
        "<p>Per paper and technique: numbers <b>reproduced</b> inside the interval their printed digits and the "
        "method's uncertainty allow (|x − r| ≤ h + 2u), numbers that <b>deviate</b>, numbers <b>not yet</b> "
        "recomputed, numbers <b>not derivable</b> from instrument files, and <b>echoed inputs</b> (sample-sheet or "
        "file-header values, counted apart).</p>",
        _table_html(table),
    ]
    dev = audit[audit["verdict"] == "deviates"]
    parts.append(f"<h3>Deviations ({len(dev)})</h3>")
    if len(dev):
        parts.append(_table_html(dev[["paper", "id", "reported", "reproduced", "unit", "tolerance", "note"]]))
    con = consistency[consistency["verdict"] == "contradiction"] if "verdict" in consistency else consistency.iloc[:0]
    parts.append(f"<h3>Contradictions within the papers ({len(con)})</h3>")
    if len(con):
        cols = [
            c for c in ("paper", "check", "figure", "sample", "quantity", "stated", "recomputed", "arithmetic", "note")
        ]
        parts.append(_table_html(con[[c for c in cols if c in con]]))
    return parts


def build_report(
    papers: dict,
    figures: dict,
    tables: dict,
    table_files: dict[tuple[str, str], str],
    audit: pd.DataFrame,
    consistency: pd.DataFrame,
    page_dir: str | Path,
    figure_files: dict[tuple[str, str], str],
) -> str:
    """HTML text. `figure_files`/`table_files` map (paper, id) to paths; links are made relative to page_dir."""
    page_dir = Path(page_dir)
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Reproduction report</title>",
        f"<style>{CSS}</style><script>{SCRIPT}</script></head><body>",
        "<h1>Reproduction report</h1>",
        "<p class='note'><b>Stand-in data.</b> The papers' raw data are not published. The raw files bundled in "
        "<code>resources/raw/</code> are simulated by physics-based forward models calibrated to what the papers "
        "report, written in the instruments' real formats. Every number below was recomputed from those raw curves; "
        "with a lab's own files in the sample sheets, this page shows their numbers instead.</p>",
    ]
    parts += first_screen(audit, consistency)
    for paper in sorted(papers):
        meta = papers[paper]
        parts.append(f"<h2 id='{html.escape(paper)}'>{html.escape(meta['title'])}</h2>")
        if meta.get("doi"):
            parts.append(f"<p>DOI {html.escape(meta['doi'])}</p>")
        parts.append("<h3>Figures</h3><div class='figs'>")
        for fig_id, spec in sorted(figures.get(paper, {}).items(), key=lambda kv: _natural(kv[0])):
            rel = Path(figure_files[(paper, fig_id)]).relative_to(page_dir).as_posix()
            parts.append(
                f"<figure><img class='figure' src='{html.escape(rel)}' alt='{html.escape(fig_id)}'>"
                f"<figcaption><b>{html.escape(fig_id)}</b> {html.escape(spec.get('title', ''))}</figcaption></figure>"
            )
        parts.append("</div>")
        for table_id, spec in sorted(tables.get(paper, {}).items(), key=lambda kv: _natural(kv[0])):
            df = pd.read_csv(table_files[(paper, table_id)], keep_default_na=False, na_values=[""])
            parts.append(f"<h3>Table {html.escape(table_id)}</h3><p>{html.escape(spec.get('title', ''))}</p>")
            parts.append(_table_html(df))
        sub = audit[audit["paper"] == paper]
        parts.append(f"<h3>Reproduction audit ({len(sub)} reported numbers)</h3>")
        parts.append(_table_html(sub.drop(columns=["paper"]), "verdict"))
        con = consistency[consistency["paper"] == paper] if "paper" in consistency else consistency
        parts.append(f"<h3>Consistency audit ({len(con)} checks)</h3>")
        parts.append(_table_html(con.drop(columns=["paper"], errors="ignore"), "verdict" if "verdict" in con else None))
    parts.append("</body></html>\n")
    return "\n".join(parts)
