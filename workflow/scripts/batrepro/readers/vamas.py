"""ISO 14976 VAMAS reader (REGULAR and IRREGULAR layouts, NORM experiments, many blocks).

The format is the one of Dench, Hazell and Seah, Surf. Interface Anal. 13 (1988) 63 (ISO 14976:1998):
a fixed sequence of lines, one value per line, whose presence depends on the experiment mode, the
scan mode and the technique. This parser walks that sequence line by line, so every error names the
line where the file stops making sense.

What it returns (:class:`batrepro.readers.RawTable`):

``data``
    one long table, one row per channel: ``block`` (0-based), ``block_id``, ``sample``, ``region``
    (species + transition, e.g. ``Si 2p``), ``site`` and ``sputter_time_min`` (when a block comment
    states ``site = N`` / ``sputter_time_min = T``), ``binding_energy_eV``, ``kinetic_energy_eV``,
    ``counts`` (the ordinate as stored), ``counts_per_s`` (counts / (dwell x scans) for a counting
    signal; the stored value for a ``c/s`` / ``Counts per Second`` ordinate) and ``transmission``
    when the file carries a transmission column (CasaXPS / SpecsLab exports).
``header["blocks"]``
    per-block metadata: source label and energy, pass energy, dwell, scans, the CasaXPS region and
    component definitions parsed from the ``CASA region`` / ``CASA comp`` comment lines.

Only the NORM experiment mode (spectra, optionally in a depth profile written as separate blocks)
and the XPS/UPS/AES techniques with a kinetic- or binding-energy abscissa are supported; others
raise a :class:`RawDataError`.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd

from ._common import PLAIN_NUMBER, RawDataError, RawTable, quote, read_text

FORMATS = {"vamas": "read_vamas"}
#: XPS exports are kilobytes to a few MB (a 100-block depth profile is ~2 MB); the line-by-line parse peaks at
#: ~44 MB of RSS per MiB of file (benchmarks/bench_reader_limits.py), so larger files are refused unread.
VAMAS_MAX_BYTES = 16 * 1024**2
FORMAT_ID = "VAMAS Surface Chemical Analysis Standard Data Transfer Format 1988 May 4"
SUPPORTED_MODES = ("NORM",)
SUPPORTED_TECHNIQUES = ("XPS", "UPS", "AES DIFF", "AES DIR")
_MISSING = 1e37
_COMMENT_KV = re.compile(r"^\s*(site|sputter_time_min|sputter_min)\s*[=:]\s*([-+0-9.eE]+)\s*$", re.IGNORECASE)
_CASA_PAREN = re.compile(r"\(\*(.*?)\*\)")
_INT = re.compile(r"^[+-]?[0-9]{1,18}$")


class _Lines:
    """A cursor over the file's lines with 1-based line numbers for errors."""

    def __init__(self, path, text: str):
        self.path = path
        self.lines = text.splitlines()
        self.i = 0

    def next(self, what: str) -> str:
        if self.i >= len(self.lines):
            raise RawDataError(self.path, f"file ends while reading {what} (truncated block?)", len(self.lines))
        self.i += 1
        return self.lines[self.i - 1].rstrip("\r")

    def int(self, what: str) -> int:
        text = self.next(what).strip()
        if not _INT.match(text):
            raise RawDataError(self.path, f"expected an integer for {what}, found {quote(text)}", self.i)
        return int(text)

    def float(self, what: str) -> float:
        text = self.next(what).strip()
        if not PLAIN_NUMBER.match(text):
            raise RawDataError(self.path, f"expected a number for {what}, found {quote(text)}", self.i)
        value = float(text)
        if not np.isfinite(value):
            raise RawDataError(self.path, f"number {quote(text)} for {what} overflows a double", self.i)
        return value


def _value(x: float) -> float | None:
    return None if abs(x) >= _MISSING * 0.999 else x


def parse_casa_comments(comments: list[str]) -> dict:
    """The CasaXPS processing stored in a block's comment lines: regions and components.

    ``CASA region (*name*) (*background*) start end RSF ...`` and ``CASA comp (*name*) (*lineshape*)
    Area a lo hi link scale MFWHM ... Position ... RSF r MASS m INDEX k (*tag*) ...`` (positions and
    region limits on the file's abscissa scale, usually kinetic energy).
    """
    regions, comps = [], []
    for line in comments:
        s = line.strip()
        if s.startswith("CASA region"):
            names = _CASA_PAREN.findall(s)
            rest = _CASA_PAREN.sub(" ", s[len("CASA region") :]).split()
            regions.append(
                {
                    "name": names[0],
                    "background": names[1],
                    "start": float(rest[0]),
                    "end": float(rest[1]),
                    "rsf": float(rest[2]),
                    "average_width": float(rest[3]) if len(rest) > 3 else None,
                    # background parameters, e.g. Tougaard B, C, D and a fourth (T0) for the U 3 cross-section
                    "background_parameters": [float(v) for v in rest[6:10]],
                }
            )
        elif s.startswith("CASA comp"):
            names = _CASA_PAREN.findall(s)
            tokens = _CASA_PAREN.sub(" ", s[len("CASA comp") :]).split()
            comp: dict = {"name": names[0], "lineshape": names[1]}
            for key in ("Area", "MFWHM", "Position"):
                k = tokens.index(key)
                comp[key.lower()] = {
                    "value": float(tokens[k + 1]),
                    "lo": float(tokens[k + 2]),
                    "hi": float(tokens[k + 3]),
                    "link": int(float(tokens[k + 4])),
                    "scale": float(tokens[k + 5]),
                }
            for key in ("RSF", "MASS", "INDEX"):
                if key in tokens:
                    comp[key.lower()] = float(tokens[tokens.index(key) + 1])
            comps.append(comp)
    return {"regions": regions, "components": comps}


def _casa(path, comments: list[str], b: int) -> dict:
    """:func:`parse_casa_comments`, with a malformed CasaXPS line named in a one-line error."""
    for line in comments:
        if line.lstrip().startswith("CASA") and len(line) > 4_000:  # real ones are ~300; (*...*) is quadratic
            raise RawDataError(path, f"CasaXPS comment line of {len(line):,} characters in block {b}")
        try:
            parse_casa_comments([line])
        except (IndexError, ValueError):
            raise RawDataError(path, f"malformed CasaXPS comment line in block {b}: {quote(line.strip())}") from None
    return parse_casa_comments(comments)


def _block_labels(comments: list[str]) -> dict:
    out = {}
    for c in comments:
        m = _COMMENT_KV.match(c)
        if m:
            key = "site" if m.group(1).lower() == "site" else "sputter_time_min"
            out[key] = float(m.group(2))
    return out


def read_vamas(path: str | os.PathLike, *, max_bytes: int = VAMAS_MAX_BYTES) -> RawTable:
    """Read a VAMAS (ISO 14976) file into one long table; see the module docstring."""
    text = read_text(path, "latin-1", max_bytes, "VAMAS files")
    cur = _Lines(path, text)
    first = cur.next("format identifier").strip()
    if not first.startswith("VAMAS Surface Chemical Analysis Standard Data Transfer Format"):
        raise RawDataError(path, f"not a VAMAS file: first line is {quote(first)}", 1)
    header: dict = {}
    for key in ("institution", "instrument", "operator", "experiment"):
        header[key] = cur.next(key).strip()
    header["comments"] = [cur.next("header comment") for _ in range(cur.int("number of header comment lines"))]
    mode = cur.next("experiment mode").strip()
    if mode not in SUPPORTED_MODES:
        raise RawDataError(
            path, f"unsupported experiment mode {quote(mode)} (supported: {', '.join(SUPPORTED_MODES)})", cur.i
        )
    scan_mode = cur.next("scan mode").strip()
    if scan_mode not in ("REGULAR", "IRREGULAR"):
        raise RawDataError(path, f"unsupported scan mode {quote(scan_mode)} (REGULAR or IRREGULAR)", cur.i)
    header["experiment_mode"], header["scan_mode"] = mode, scan_mode
    header["n_regions"] = cur.int("number of spectral regions")
    n_exp_vars = cur.int("number of experimental variables")
    for _ in range(n_exp_vars):
        cur.next("experimental variable label")
        cur.next("experimental variable unit")
    n_incl = cur.int("number of entries in the parameter inclusion list")
    included = [cur.int("inclusion list entry") for _ in range(abs(n_incl))]
    if n_incl != 0:
        raise RawDataError(path, f"parameter inclusion/exclusion lists are not supported ({included})", cur.i)
    for _ in range(cur.int("number of manually entered items")):
        cur.next("manually entered item")
    n_future_exp = cur.int("number of future experiment entries")
    n_future_block = cur.int("number of future block entries")
    for _ in range(n_future_exp):
        cur.next("future experiment entry")
    n_blocks = cur.int("number of blocks")
    header["n_blocks"] = n_blocks
    frames, blocks = [], []
    for b in range(n_blocks):
        meta, frame = _read_block(cur, b, scan_mode, n_exp_vars, n_future_block)
        blocks.append(meta)
        frames.append(frame)
    rest = [ln for ln in cur.lines[cur.i :] if ln.strip()]
    if rest and rest[0].strip() != "end of experiment":
        raise RawDataError(path, f"header says {n_blocks} blocks but more data follows: {quote(rest[0])}", cur.i + 1)
    if not rest:
        raise RawDataError(path, f"header says {n_blocks} blocks but 'end of experiment' is missing", cur.i)
    header["blocks"] = blocks
    data = _assemble(frames)
    return RawTable(data=data, technique="XPS", header=header, source=str(path))


_SCALARS = ("block", "block_id", "sample", "region", "site", "sputter_time_min")


def _assemble(frames: list[dict]) -> pd.DataFrame:
    """One long table from the blocks' columns (scalars repeated per channel): one DataFrame, not one per block."""
    if not frames:
        return pd.DataFrame()
    sizes = [f["counts"].size for f in frames]
    out = {}
    for k in _SCALARS:
        values = [f[k] for f in frames]
        if isinstance(values[0], str):  # categorical: one code per channel instead of 10^5 Python strings
            cats = sorted(set(values))
            codes = np.repeat(np.searchsorted(cats, values), sizes)
            out[k] = pd.Categorical.from_codes(codes, cats)
        else:
            out[k] = np.repeat(values, sizes)
    for k in ("binding_energy_eV", "kinetic_energy_eV", "counts", "counts_per_s"):
        out[k] = np.concatenate([f[k] for f in frames])
    if any("transmission" in f for f in frames):
        out["transmission"] = np.concatenate([f.get("transmission", np.full(n, np.nan)) for f, n in zip(frames, sizes)])
    return pd.DataFrame(out)


def _read_block(cur: _Lines, b: int, scan_mode: str, n_exp_vars: int, n_future_block: int):
    path = cur.path
    start_line = cur.i + 1
    block_id = cur.next("block identifier").strip()
    if block_id == "end of experiment":
        raise RawDataError(path, f"header promises more blocks than the file holds (found {b})", cur.i)
    sample = cur.next("sample identifier").strip()
    for what in ("year", "month", "day", "hours", "minutes", "seconds", "GMT offset"):
        cur.int(what)
    comments = [cur.next("block comment") for _ in range(cur.int("number of block comment lines"))]
    technique = cur.next("technique").strip()
    if technique not in SUPPORTED_TECHNIQUES:
        raise RawDataError(
            path, f"unknown technique {quote(technique)} in block {b} (supported: {SUPPORTED_TECHNIQUES})", cur.i
        )
    for _ in range(n_exp_vars):
        cur.float("experimental variable value")
    source = cur.next("analysis source label").strip()
    source_energy = cur.float("analysis source characteristic energy")
    for what in ("source strength", "beam width x", "beam width y", "polar angle of incidence", "azimuth"):
        cur.float(what)
    analyser_mode = cur.next("analyser mode").strip()
    pass_energy = cur.float("pass energy")
    if technique == "AES DIFF":
        cur.float("differential width")
    for what in ("magnification", "work function", "target bias", "analysis width x", "analysis width y"):
        cur.float(what)
    cur.float("take-off polar angle")
    cur.float("take-off azimuth")
    species = cur.next("species label").strip()
    transition = cur.next("transition label").strip()
    cur.int("charge of detected particle")
    x_label = x_start = x_step = None
    if scan_mode == "REGULAR":
        x_label = cur.next("abscissa label").strip()
        cur.next("abscissa units")
        x_start = cur.float("abscissa start")
        x_step = cur.float("abscissa increment")
    n_corr = cur.int("number of corresponding variables")
    corr = []
    for _ in range(n_corr):
        corr.append(cur.next("corresponding variable label").strip())
        cur.next("corresponding variable unit")
    signal_mode = cur.next("signal mode").strip()
    dwell = cur.float("signal collection time")
    scans = cur.int("number of scans")
    cur.float("signal time correction")
    for what in ("sample tilt polar angle", "sample tilt azimuth", "sample rotation"):
        cur.float(what)
    extra = {}
    for _ in range(cur.int("number of additional numerical parameters")):
        label = cur.next("parameter label").strip()
        cur.next("parameter unit")
        extra[label] = cur.float(f"parameter {quote(label)}")
    for _ in range(n_future_block):
        cur.next("future block entry")
    n_values = cur.int("number of ordinate values")
    for _ in range(2 * n_corr):
        cur.float("ordinate minimum/maximum")
    if n_corr == 0 or n_values % n_corr:
        raise RawDataError(path, f"{n_values} ordinate values is not a multiple of {n_corr} variables", cur.i)
    first_value_line = cur.i + 1
    if cur.i + n_values > len(cur.lines):
        got = len(cur.lines) - cur.i
        raise RawDataError(
            path,
            f"block {b} ({quote(block_id)}) promises {n_values} values, file ends after {got} (truncated block)",
            len(cur.lines),
        )
    chunk = cur.lines[cur.i : cur.i + n_values]
    for k, cell in enumerate(chunk):
        if not PLAIN_NUMBER.match(cell.strip()):
            raise RawDataError(
                path, f"non-numeric count {quote(cell.strip())} in block {b} ({quote(block_id)})", first_value_line + k
            )
    values = np.array(chunk, dtype=float)
    if not np.all(np.isfinite(values)):
        k = int(np.argmax(~np.isfinite(values)))
        raise RawDataError(
            path, f"count {quote(chunk[k].strip())} in block {b} overflows a double", first_value_line + k
        )
    if dwell <= 0:
        raise RawDataError(
            path, f"impossible signal collection time {dwell:g} s in block {b} (must be > 0)", start_line
        )
    cur.i += n_values
    table = values.reshape(-1, n_corr)
    n = table.shape[0]
    if scan_mode == "REGULAR":
        with np.errstate(over="ignore", invalid="ignore"):  # an overflowing axis is named below
            x = x_start + x_step * np.arange(n)
        ycols = list(range(n_corr))
    else:
        x_label = corr[0]
        x = table[:, 0]
        ycols = list(range(1, n_corr))
        if not ycols:
            raise RawDataError(path, f"IRREGULAR block {b} has only the energy column, no counts", start_line)
    label = (x_label or "").lower()
    if "kinetic" in label:
        if _value(source_energy) is None:
            raise RawDataError(path, f"block {b} has a kinetic-energy axis but no source energy", start_line)
        with np.errstate(over="ignore", invalid="ignore"):
            ke, be = x, source_energy - x
    elif "binding" in label:
        be = x
        ke = source_energy - x if _value(source_energy) is not None else np.full(n, np.nan)
    else:
        raise RawDataError(
            path,
            f"block {b} has no energy axis (abscissa {quote(x_label)}), expected kinetic or binding energy",
            start_line,
        )
    counts = table[:, ycols[0]]
    ylabel = corr[ycols[0]].lower() if scan_mode == "IRREGULAR" else corr[0].lower()
    rate = "per second" in ylabel or ylabel in ("c/s", "cps", "count rate") or "counts per second" in block_id.lower()
    with np.errstate(over="ignore", invalid="ignore"):
        per_s = counts if rate else counts / (dwell * max(scans, 1))
    for name, values in (("binding energy", be), ("counts per second", per_s)):
        if not np.all(np.isfinite(values)):
            k = int(np.argmax(~np.isfinite(values)))
            raise RawDataError(
                path,
                f"{name} of channel {k} in block {b} overflows a double (axis start/step or dwell time)",
                start_line,
            )
    labels = _block_labels(comments)
    frame = {
        "block": b,
        "block_id": block_id,
        "sample": sample,
        "region": f"{species} {transition}".strip(),
        "site": labels.get("site", np.nan),
        "sputter_time_min": labels.get("sputter_time_min", np.nan),
        "binding_energy_eV": be,
        "kinetic_energy_eV": ke,
        "counts": counts,
        "counts_per_s": per_s,
    }
    for k in ycols[1:]:
        if corr[k].lower().startswith("transmission"):
            frame["transmission"] = table[:, k]
    meta = {
        "block": b,
        "block_id": block_id,
        "sample": sample,
        "region": f"{species} {transition}".strip(),
        "technique": technique,
        "source": source,
        "source_energy_eV": source_energy,
        "analyser_mode": analyser_mode,
        "pass_energy_eV": pass_energy,
        "abscissa": x_label,
        "signal_mode": signal_mode,
        "dwell_s": dwell,
        "scans": scans,
        "n_points": n,
        "parameters": extra,
        "comments": comments,
        "casa": _casa(path, comments, b),
        **labels,
    }
    return meta, frame
