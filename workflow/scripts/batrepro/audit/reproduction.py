"""The reproduction audit: each reported number beside the recomputed one, with a verdict.

Verdicts
--------
``reproduced``          the recomputed value lies inside the reported number's interval (below)
``deviates``            it was recomputed and lies outside; the note says by how much, and where the
                        paper's own other numbers give the recomputed value, which consistency row says so
``echoed input``        the "recomputed" value is an input the workflow was given, echoed back from the
                        sample sheet or a file header (method in :data:`ECHO_METHODS`): a check that the
                        sheet or header agrees with the paper, counted apart, not a reproduction
``not yet reproduced``  nothing in the workflow recomputes this number yet
``not derivable``       the number cannot come from raw instrument curves (the reason is given)

Tolerance (config/README.md, "The tolerance rule")
--------------------------------------------------
A reported number r printed with its last digit in place d is reproduced by x when
``|x - r| <= h + 2u``: h = half a unit of that digit (the rounding the print allows, ``0.05`` for
``408.8``, ``0.5`` for ``2820``) and u the standard uncertainty of x from its summary row:
``uncertainty / sqrt(n)`` when ``n > 1`` (the row averages n replicates and ``uncertainty`` is their SD),
else ``uncertainty`` (the method's standard error), 0 when the row gives none. Bounds (``more than 65``)
and spans widen the same way at each printed end. The rule needs nothing per technique; a registry entry
may replace it by ``tolerance: {abs|rel: x}`` only with a ``tolerance_reason``.

Recomputed values come only from the technique summaries (long format, workflow/README.md);
they are joined to the registry on (paper, technique, sample, quantity, condition).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

AUDIT_COLUMNS = [
    "paper",
    "figure",
    "technique",
    "sample",
    "quantity",
    "condition",
    "unit",
    "reported",
    "reproduced",
    "tolerance",
    "verdict",
    "id",
    "uncertainty",
    "method",
    "note",
]
VERDICTS = ("reproduced", "deviates", "echoed input", "not yet reproduced", "not derivable")
KEY = ["paper", "technique", "sample", "quantity", "condition"]

#: summary methods that return an input (sheet column, file-header field, logged set point), not a measurement
ECHO_METHODS = frozenset({"sample_sheet", "sample_sheet_mass_over_area", "file_header", "logged_setpoint"})

_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def reported_text(entry: dict) -> str:
    """The reported value as the paper prints it (the registry's `printed`), else formatted."""
    if entry.get("printed"):
        return str(entry["printed"])
    if entry.get("value") is not None:
        return _fmt(entry["value"])
    lo, hi = entry.get("value_min"), entry.get("value_max")
    if lo is not None and hi is not None:
        return f"{_fmt(lo)}–{_fmt(hi)}"
    if lo is not None:
        return f">{_fmt(lo)}"
    if hi is not None:
        return f"<{_fmt(hi)}"
    return ""


def _decimals(token: str) -> int:
    """Places after the decimal point of a printed number (negative for an exponent: ``3e5`` → -5)."""
    mant, _, exp = token.lower().partition("e")
    places = len(mant.replace(",", ".").split(".")[1]) if re.search(r"[.,]", mant) else 0
    return places - (int(exp) if exp else 0)


def half_unit(entry: dict, field: str = "value") -> float:
    """h: half a unit of the last printed digit of ``entry[field]``.

    The digit comes from the registry's ``printed`` token that carries this number (``'0.50'`` keeps its
    trailing zero); where the print gives another unit or no token (``1 MHz`` stored as 1e6), from the
    shortest decimal form of the stored value.
    """
    x = float(entry[field])
    for m in _NUMBER.finditer(str(entry.get("printed") or "")):
        token = m.group(0)
        if math.isclose(abs(float(token.replace(",", "."))), abs(x), rel_tol=1e-12):
            return 0.5 * 10.0 ** (-_decimals(token))
    text = np.format_float_positional(abs(x), trim="-")
    return 0.5 * 10.0 ** (-(len(text.split(".")[1]) if "." in text else 0))


def standard_uncertainty(row: dict | None) -> float:
    """u of a summary row: SD/√n over n > 1 replicates, else the method's standard error, else 0."""
    if row is None:
        return 0.0
    unc = row.get("uncertainty")
    if unc is None or not math.isfinite(float(unc)):
        return 0.0
    n = row.get("n")
    n = int(n) if n is not None and n == n else 1
    return float(unc) / math.sqrt(n) if n > 1 else float(unc)


def allowed(entry: dict, field: str = "value", u: float = 0.0) -> float:
    """Half-width of the interval around ``entry[field]``: h + 2u, or the entry's stated override."""
    tol = entry.get("tolerance") or {}
    if "abs" in tol:
        return float(tol["abs"])
    if "rel" in tol:
        return abs(float(entry[field])) * float(tol["rel"])
    return half_unit(entry, field) + 2.0 * u


def tolerance_text(entry: dict, u: float = 0.0) -> str:
    """The interval as the audit table shows it: ``±0.55 (h 0.05 + 2u 0.5)``, or the override."""
    tol = entry.get("tolerance") or {}
    if tol:
        return (
            f"±{_fmt(tol['abs'])} {entry.get('unit', '')}".rstrip() if "abs" in tol else f"±{_fmt(tol['rel'] * 100)} %"
        ) + " (stated)"
    fields = [f for f in ("value", "value_min", "value_max") if entry.get(f) is not None]
    h = max(half_unit(entry, f) for f in fields)
    return f"±{_fmt(h + 2 * u)} (h {_fmt(h)} + 2u {_fmt(2 * u)})" if u > 0 else f"±{_fmt(h)} (h)"


def judge(entry: dict, value: float, u: float = 0.0) -> bool:
    """True when ``value`` (standard uncertainty u) lies inside the entry's interval or bounds."""
    if entry.get("value") is not None:
        return abs(value - float(entry["value"])) <= allowed(entry, "value", u) + 1e-12
    ok = True
    if entry.get("value_min") is not None:
        ok &= value >= float(entry["value_min"]) - allowed(entry, "value_min", u) - 1e-12
    if entry.get("value_max") is not None:
        ok &= value <= float(entry["value_max"]) + allowed(entry, "value_max", u) + 1e-12
    return bool(ok)


def _pairs(condition: str) -> set[str]:
    return {c for c in (condition or "").split(";") if c}


def span(entry_condition: str, rows: list[dict]) -> tuple[dict, dict] | None:
    """A recomputed span (a test's temperature range, voltage window): the two summary rows whose
    condition is the entry's plus `bound=min` and `bound=max`."""
    base = _pairs(entry_condition)
    ends = {}
    for r in rows:
        extra = _pairs(r["condition"]) - base
        if base < _pairs(r["condition"]) and extra in ({"bound=min"}, {"bound=max"}):
            ends[next(iter(extra))] = r
    if len(ends) == 2:
        return ends["bound=min"], ends["bound=max"]
    return None


def judge_span(entry: dict, lo: dict, hi: dict) -> bool:
    """Both ends of a recomputed span lie inside the intervals of the reported ends."""
    low = {**entry, "value": entry["value_min"]}
    high = {**entry, "value": entry["value_max"]}
    low.pop("value_min"), high.pop("value_max")
    return judge(low, float(lo["value"]), standard_uncertainty(lo)) and judge(
        high, float(hi["value"]), standard_uncertainty(hi)
    )


#: condition keys that mark another reading of an ambiguous number (workflow/README.md)
READING_KEYS = ("reference", "reading")


def readings(entry_condition: str, rows: list[dict]) -> list[dict]:
    """Summary rows that are other readings of the same number: the entry's condition plus one
    `reference=` or `reading=` pair (e.g. `reference=cycle2_delithiation` where the paper leaves the
    reference cycle undefined)."""
    base = _pairs(entry_condition)
    out = []
    for r in rows:
        extra = _pairs(r["condition"]) - base
        if base < _pairs(r["condition"]) and len(extra) == 1 and next(iter(extra)).split("=")[0] in READING_KEYS:
            out.append(r)
    return out


def _finite(r: dict) -> bool:
    return r.get("value") is not None and math.isfinite(float(r["value"]))


def _shows(text: str, x: float) -> str:
    """The ';'-separated clause of ``text`` that prints a number equal to x at that number's own precision."""
    for clause in str(text).split(";"):
        for m in _NUMBER.finditer(clause):
            token = m.group(0)
            if "," not in token and abs(float(token) - x) <= 0.5 * 10.0 ** (-_decimals(token)) + 1e-9:
                return clause.strip()
    return ""


def paper_arithmetic(entry: dict, x: float, consistency: pd.DataFrame | None) -> str:
    """Where the paper's own numbers give the recomputed x: the consistency row(s) that say so, as
    '<arithmetic> (consistency: <check>, <verdict>)'. First the rows that test this very number (same sample,
    quantity and stated value) and land nearer x than the printed value; else a row of the same figure and
    sample whose arithmetic or note prints x (e.g. a retention recomputed there from the paper's capacities)."""
    if consistency is None or consistency.empty or entry.get("value") is None:
        return ""
    r = float(entry["value"])
    same = consistency[(consistency["paper"] == entry["paper"]) & (consistency["sample"] == entry["sample"])]
    hits = same[(same["quantity"] == entry["quantity"]) & np.isclose(pd.to_numeric(same["stated"], errors="coerce"), r)]
    out = []
    for c in hits.itertuples(index=False):
        rec = float(c.recomputed) if c.recomputed == c.recomputed else math.nan
        if math.isfinite(rec) and abs(rec - x) < abs(r - x):
            out.append(f"the paper's own numbers give {c.arithmetic} (consistency: {c.check}, {c.verdict})")
    if not out and abs(r - x) > half_unit(entry):
        for c in same[same["figure"] == entry.get("figure")].itertuples(index=False):
            clause = _shows(c.arithmetic, x) or _shows(c.note, x)
            if clause:
                out.append(
                    f"the paper's own numbers give {clause} (consistency: {c.check}: {c.arithmetic}, {c.verdict})"
                )
    return "; ".join(dict.fromkeys(out))


def _deviation_note(entry: dict, x: float, u: float, consistency: pd.DataFrame | None) -> str:
    r = float(entry["value"])
    note = f"{_fmt(x)} − {reported_text(entry)} = {x - r:+.3g}, outside ±{_fmt(allowed(entry, 'value', u))}"
    own = paper_arithmetic(entry, x, consistency)
    return f"{note}; {own}" if own else note


def _entry_key(e: dict) -> tuple:
    return (e["paper"], e["technique"], e["sample"], e["quantity"], e.get("condition", "") or "")


def build_audit(entries: list[dict], summaries: pd.DataFrame, consistency: pd.DataFrame | None = None) -> pd.DataFrame:
    """One audit row per registry entry (entries marked ``duplicate_of`` are skipped).

    Where the summary holds several readings of an ambiguous number, every reading is judged; the
    verdict is `reproduced` when one of them matches, and the note names each reading and its value.
    A reported span (`value_min`–`value_max`) recomputed as `bound=min`/`bound=max` rows is judged at
    both ends; the span is given in the note (`reproduced` stays empty: it is one number per row).
    A `not derivable` entry still shows the recomputed value when there is one. ``consistency`` (the
    consistency audit's table) lets a `deviates` note name the paper's own arithmetic.
    """
    summaries = summaries.copy()
    summaries["condition"] = summaries["condition"].fillna("").astype(str)
    records = summaries.to_dict("records")
    lookup = {tuple(row[k] for k in KEY): row for row in records}
    by_quantity: dict[tuple, list[dict]] = {}
    for row in records:
        by_quantity.setdefault(tuple(row[k] for k in KEY[:4]), []).append(row)
    # a bound stated beside a printed value of the same number ("58 and 57 %" ... "exceeding 57 %") is judged
    # only under readings that also reproduce that printed value: any reading large enough would pass it
    printed = {_entry_key(e): e for e in entries if e.get("value") is not None and not e.get("duplicate_of")}
    rows = []
    for e in entries:
        if e.get("duplicate_of"):
            continue
        key = (e["paper"], e["technique"], e["sample"], e["quantity"], e.get("condition", "") or "")
        match = lookup.get(key)
        found = match is not None and _finite(match)
        u = standard_uncertainty(match) if found else 0.0
        row = {
            "paper": e["paper"],
            "figure": e.get("figure", ""),
            "technique": e["technique"],
            "sample": e["sample"],
            "quantity": e["quantity"],
            "condition": key[4],
            "unit": e.get("unit", ""),
            "reported": reported_text(e),
            "reproduced": np.nan,
            "tolerance": tolerance_text(e, u),
            "id": e["id"],
            "uncertainty": np.nan,
            "method": "",
            "note": "",
        }
        if found:
            unc = match.get("uncertainty")
            row.update(
                reproduced=float(match["value"]),
                method=match.get("method", ""),
                uncertainty=float(unc) if unc is not None and unc == unc else np.nan,
            )
        alternatives = [r for r in readings(key[4], by_quantity.get(key[:4], [])) if _finite(r)]
        ends = None
        if not found and e.get("value_min") is not None and e.get("value_max") is not None:
            ends = span(key[4], by_quantity.get(key[:4], []))
        if e.get("not_derivable"):
            row["verdict"] = "not derivable"
            row["note"] = str(e["not_derivable"])
        elif found and row["method"] in ECHO_METHODS:
            agrees = "agrees with" if judge(e, row["reproduced"], u) else "differs from"
            row["verdict"] = "echoed input"
            row["note"] = f"an input ({row['method']}), not a measurement; the workflow's input {agrees} the paper"
        elif ends is not None:
            lo, hi = float(ends[0]["value"]), float(ends[1]["value"])
            row["verdict"] = "reproduced" if judge_span(e, *ends) else "deviates"
            row["method"] = ends[0].get("method", "")
            row["note"] = f"recomputed span {lo:.4g}–{hi:.4g} (both ends judged)"
        elif not found and not alternatives:
            row["verdict"] = "not yet reproduced"
        else:
            primary_ok = found and judge(e, row["reproduced"], u)
            matching = [r for r in alternatives if judge(e, float(r["value"]), standard_uncertainty(r))]
            sibling = printed.get(_entry_key(e)) if e.get("value") is None else None
            unconfirmed = []
            if sibling is not None:
                unconfirmed = [r for r in matching if not judge(sibling, float(r["value"]), standard_uncertainty(r))]
                matching = [r for r in matching if r not in unconfirmed]
            row["verdict"] = "reproduced" if primary_ok or matching else "deviates"
            notes = []
            if alternatives:
                listed = "; ".join(
                    f"{sorted(_pairs(r['condition']) - _pairs(key[4]))[0]}: {float(r['value']):.4g}"
                    for r in sorted(alternatives, key=lambda r: r["condition"])
                )
                if primary_ok:
                    verdict = "the default reading matches"
                elif matching:
                    chosen = sorted(_pairs(matching[0]["condition"]) - _pairs(key[4]))[0]
                    verdict = f"the reading {chosen} matches"
                    if not found:
                        row.update(reproduced=float(matching[0]["value"]), method=matching[0].get("method", ""))
                else:
                    verdict = "no reading matches"
                    if unconfirmed:
                        verdict += (
                            " (a bound counts only under a reading that also reproduces the printed "
                            f"{_fmt(sibling['value'])})"
                        )
                notes.append(f"{verdict}; other readings: {listed}")
            if row["verdict"] == "deviates" and found and e.get("value") is not None:
                notes.insert(0, _deviation_note(e, row["reproduced"], u, consistency))
            row["note"] = "; ".join(notes)
        if e.get("tolerance_reason"):
            row["note"] = "; ".join(p for p in (row["note"], f"tolerance: {e['tolerance_reason']}") if p)
        rows.append(row)
    audit = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    return audit.sort_values(["paper", "technique", "figure", "sample", "quantity", "condition", "id"], kind="stable")


def verdict_counts(audit: pd.DataFrame, by: tuple[str, ...] = ("paper",)) -> pd.DataFrame:
    """Number of rows per verdict (columns in :data:`VERDICTS` order), grouped by ``by``."""
    counts = audit.groupby(list(by))["verdict"].value_counts().unstack(fill_value=0)
    for v in VERDICTS:
        if v not in counts:
            counts[v] = 0
    return counts[list(VERDICTS)].reset_index().rename_axis(columns=None)


def regressions(expected_reproduced: list[str], audit: pd.DataFrame) -> list[str]:
    """Ids that were `reproduced` in the expected list but are not now: new verdict, reported and recomputed."""
    now = {r["id"]: r for r in audit.to_dict("records")}
    out = []
    for i in expected_reproduced:
        r = now.get(i)
        if r is None:
            out.append(f"{i}: now 'missing'")
        elif r["verdict"] != "reproduced":
            x = r.get("reproduced")
            shown = "" if x is None or x != x else f" (reported {r['reported']}, recomputed {_fmt(float(x))})"
            out.append(f"{i}: now '{r['verdict']}'{shown}")
    return out
