"""Deterministic, atomic writers for every output the workflow produces.

Every file is first written to a temporary sibling and then moved into place with
``os.replace``, so a failed job never leaves a half-written output behind.
Formatting is fixed (sorted keys, explicit float format, ``\\n`` line endings) so that
the same inputs give byte-identical files.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

FLOAT_FORMAT = "%.6g"


def _atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; outputs are ordinary readable files
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write bytes atomically."""
    _atomic_write_bytes(path, data)


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write UTF-8 text atomically with ``\\n`` line endings."""
    _atomic_write_bytes(path, text.encode("utf-8"))


def _clean(obj: Any) -> Any:
    """Turn NumPy scalars/arrays into plain Python and NaN/inf into None (JSON null)."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [_clean(v) for v in obj.tolist()]
    if isinstance(obj, (np.floating, float)):
        value = float(obj)
        if not math.isfinite(value):
            return None
        # Round-trip safe and stable across platforms: 12 significant digits.
        return float(f"{value:.12g}")
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    return obj


def dumps_json(record: Any) -> str:
    return json.dumps(_clean(record), sort_keys=True, indent=2, allow_nan=False, ensure_ascii=False) + "\n"


def as_written(record: Any) -> Any:
    """``record`` as :func:`read_json` returns it after :func:`write_json` (NumPy to lists, NaN to None, floats to
    12 significant digits): what a later job reads, for a job that goes on with what it just wrote."""
    return json.loads(dumps_json(record))


def write_json(record: Any, path: str | os.PathLike) -> None:
    """Write a JSON record with sorted keys and NaN written as null."""
    write_text(path, dumps_json(record))


def read_json(path: str | os.PathLike) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def table_to_csv(df: pd.DataFrame, columns: Iterable[str] | None = None, sort_by: Iterable[str] | None = None) -> str:
    if columns is not None:
        df = df.loc[:, list(columns)]
    if sort_by:
        df = df.sort_values(list(sort_by), kind="stable")
    return df.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def write_csv(
    df: pd.DataFrame,
    path: str | os.PathLike,
    columns: Iterable[str] | None = None,
    sort_by: Iterable[str] | None = None,
) -> None:
    """CSV with an explicit column order, stable-sorted rows and a fixed float format."""
    write_text(path, table_to_csv(df, columns, sort_by))


def _md_cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, (float, np.floating)):
        return FLOAT_FORMAT % value
    return str(value).replace("|", "\\|").replace("\n", " ")


def table_to_markdown(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table (no extra dependency such as tabulate)."""
    header = "| " + " | ".join(str(c) for c in df.columns) + " |"
    rule = "|" + "|".join("---" for _ in df.columns) + "|"
    rows = ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([header, rule, *rows]) + "\n"


def write_markdown_table(df: pd.DataFrame, path: str | os.PathLike, title: str | None = None) -> None:
    text = table_to_markdown(df)
    if title:
        text = f"# {title}\n\n" + text
    write_text(path, text)


def save_figure(
    fig, svg_path: str | os.PathLike | None = None, png_path: str | os.PathLike | None = None, dpi: int = 300
) -> None:
    """Save a matplotlib figure as byte-reproducible SVG and/or PNG.

    SVG: ``svg.hashsalt`` must be fixed in matplotlibrc; the date is removed here.
    PNG: the Software tag is removed, so the file does not depend on the matplotlib version string.
    """
    import io

    import matplotlib

    if svg_path is not None:
        if not matplotlib.rcParams.get("svg.hashsalt"):
            raise ValueError("svg.hashsalt is not set: load workflow/resources/matplotlibrc before saving figures")
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        _atomic_write_bytes(svg_path, buf.getvalue())
    if png_path is not None:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        _atomic_write_bytes(png_path, buf.getvalue())


def write_summary(df: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a technique summary in the long format (batrepro.vocab.summary), columns fixed and rows sorted."""
    from .vocab.summary import SUMMARY_COLUMNS

    missing = [c for c in SUMMARY_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"summary for {path} lacks columns {missing}")
    write_csv(df, path, SUMMARY_COLUMNS, ["sample", "quantity", "condition"])


def write_csv_table(df: pd.DataFrame, path: str | os.PathLike, float_format: str = FLOAT_FORMAT) -> None:
    """A canonical data or curve table as CSV, columns and rows as given, with a fixed float format."""
    write_text(path, df.to_csv(index=False, float_format=float_format, lineterminator="\n"))
