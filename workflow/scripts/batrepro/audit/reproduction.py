"""The reproduction audit: each reported number beside the recomputed one, with a verdict.

Verdicts
--------
``reproduced``          the recomputed value lies within the tolerance of the reported one
                        (or inside a reported range / bound)
``deviates``            it was recomputed and lies outside
``not yet reproduced``  nothing in the workflow recomputes this number yet
``not derivable``       the number cannot come from raw instrument curves (the reason is given)

Recomputed values come only from the technique summaries (long format, workflow/README.md);
they are joined to the registry on (paper, technique, sample, quantity, condition).
"""

from __future__ import annotations

import math

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
VERDICTS = ("reproduced", "deviates", "not yet reproduced", "not derivable")
KEY = ["paper", "technique", "sample", "quantity", "condition"]


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


def tolerance_of(entry: dict, default_rel: float) -> tuple[str, float | None, float | None]:
    """(text, absolute, relative) tolerance of an entry. A bound or range without a stated tolerance is
    judged strictly; a single value gets the default relative tolerance."""
    tol = entry.get("tolerance") or {}
    if "abs" in tol:
        return f"±{_fmt(tol['abs'])} {entry.get('unit', '')}".rstrip(), float(tol["abs"]), None
    if "rel" in tol or entry.get("value") is not None:
        rel = float(tol.get("rel", default_rel))
        return f"±{_fmt(rel * 100)} %", None, rel
    return "bound", 0.0, None


def judge(entry: dict, value: float, default_rel: float) -> bool:
    """True when `value` reproduces the entry within its tolerance (or lies inside its bounds)."""
    _, tol_abs, tol_rel = tolerance_of(entry, default_rel)
    if entry.get("value") is not None:
        ref = float(entry["value"])
        allowed = tol_abs if tol_abs is not None else abs(ref) * tol_rel
        return abs(value - ref) <= allowed + 1e-12
    lo, hi = entry.get("value_min"), entry.get("value_max")
    slack_lo = tol_abs if tol_abs is not None else abs(lo or 0.0) * tol_rel
    slack_hi = tol_abs if tol_abs is not None else abs(hi or 0.0) * tol_rel
    ok = True
    if lo is not None:
        ok &= value >= float(lo) - slack_lo
    if hi is not None:
        ok &= value <= float(hi) + slack_hi
    return bool(ok)


def _pairs(condition: str) -> set[str]:
    return {c for c in (condition or "").split(";") if c}


def span(entry_condition: str, rows: list[dict]) -> tuple[float, float] | None:
    """A recomputed span (a test's temperature range, voltage window): the two summary rows whose
    condition is the entry's plus `bound=min` and `bound=max`."""
    base = _pairs(entry_condition)
    ends = {}
    for r in rows:
        extra = _pairs(r["condition"]) - base
        if base < _pairs(r["condition"]) and extra in ({"bound=min"}, {"bound=max"}):
            ends[next(iter(extra))] = float(r["value"])
    if len(ends) == 2:
        return ends["bound=min"], ends["bound=max"]
    return None


def judge_span(entry: dict, lo: float, hi: float, default_rel: float) -> bool:
    """Both ends of a recomputed span match the reported ends."""
    return judge({**entry, "value": entry["value_min"]}, lo, default_rel) and judge(
        {**entry, "value": entry["value_max"]}, hi, default_rel
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


def _key(e: dict) -> tuple:
    return (e["paper"], e["technique"], e["sample"], e["quantity"], e.get("condition", "") or "")


def build_audit(entries: list[dict], summaries: pd.DataFrame, default_rel: float = 0.05) -> pd.DataFrame:
    """One audit row per registry entry.

    Where the summary holds several readings of an ambiguous number, every reading is judged; the
    verdict is `reproduced` when one of them matches, and the note names each reading and its value.
    A reported span (`value_min`–`value_max`) recomputed as `bound=min`/`bound=max` rows is judged at
    both ends; the span is given in the note (`reproduced` stays empty: it is one number per row).
    A `not derivable` entry still shows the recomputed value when there is one.
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
    printed = {_key(e): e for e in entries if e.get("value") is not None and not e.get("duplicate_of")}
    rows = []
    for e in entries:
        if e.get("duplicate_of"):
            continue
        key = (e["paper"], e["technique"], e["sample"], e["quantity"], e.get("condition", "") or "")
        tol_text, _, _ = tolerance_of(e, default_rel)
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
            "tolerance": tol_text,
            "id": e["id"],
            "uncertainty": np.nan,
            "method": "",
            "note": "",
        }
        match = lookup.get(key)
        found = match is not None and match["value"] is not None and math.isfinite(float(match["value"]))
        if found:
            unc = match.get("uncertainty")
            row.update(
                reproduced=float(match["value"]),
                method=match.get("method", ""),
                uncertainty=float(unc) if unc is not None and unc == unc else np.nan,
            )
        alternatives = [
            r
            for r in readings(key[4], by_quantity.get(key[:4], []))
            if r["value"] is not None and math.isfinite(float(r["value"]))
        ]
        ends = None
        if not found and e.get("value_min") is not None and e.get("value_max") is not None:
            ends = span(key[4], by_quantity.get(key[:4], []))
        if e.get("not_derivable"):
            row["verdict"] = "not derivable"
            row["note"] = str(e["not_derivable"])
        elif ends is not None:
            row["verdict"] = "reproduced" if judge_span(e, *ends, default_rel) else "deviates"
            row["note"] = f"recomputed span {ends[0]:.4g}–{ends[1]:.4g} (both ends judged)"
        elif not found and not alternatives:
            row["verdict"] = "not yet reproduced"
        else:
            primary_ok = found and judge(e, row["reproduced"], default_rel)
            matching = [r for r in alternatives if judge(e, float(r["value"]), default_rel)]
            sibling = printed.get(key) if e.get("value") is None else None
            unconfirmed = []
            if sibling is not None:
                unconfirmed = [r for r in matching if not judge(sibling, float(r["value"]), default_rel)]
                matching = [r for r in matching if r not in unconfirmed]
            row["verdict"] = "reproduced" if primary_ok or matching else "deviates"
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
                row["note"] = f"{verdict}; other readings: {listed}"
        rows.append(row)
    audit = pd.DataFrame(rows, columns=AUDIT_COLUMNS)
    return audit.sort_values(["paper", "technique", "figure", "sample", "quantity", "condition", "id"], kind="stable")


def verdict_counts(audit: pd.DataFrame) -> pd.DataFrame:
    counts = audit.groupby(["paper", "verdict"]).size().unstack(fill_value=0)
    for v in VERDICTS:
        if v not in counts:
            counts[v] = 0
    return counts[list(VERDICTS)].reset_index()


def regressions(expected_reproduced: list[str], audit: pd.DataFrame) -> list[str]:
    """Ids that were `reproduced` in the expected list but are not now, each with its new verdict."""
    now = dict(zip(audit["id"], audit["verdict"]))
    return [f"{i}: now '{now.get(i, 'missing')}'" for i in expected_reproduced if now.get(i) != "reproduced"]
