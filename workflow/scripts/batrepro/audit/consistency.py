"""Internal-consistency audit: recompute what the papers derive from their own numbers.

The checks are data. A registry (``resources/reported/<paper>.yaml``) lists its ``checks:`` (each with
a ``kind`` from :data:`batrepro.audit.check_kinds.KINDS`, its inputs as entry key patterns, the claim and
its quote, a figure and text templates) and its ``findings:`` (editorial problems with a stated verdict
and arithmetic). Checks without a paper (``resources/reported/generic.checks.yaml``) apply to every paper
that has the quantities they name; a paper's check with ``replaces: <id>`` takes a generic check's place
for that paper. :func:`consistency_checks` returns one row per result with a verdict: ``consistent`` (the
recomputed number agrees with the stated one within the rounding of the printed values), ``contradiction``
(it does not, or a unit/label/equation is demonstrably wrong) or ``ambiguous`` (the wording admits several
readings, or the reference is not reported; the note says which).

A check whose inputs are missing is skipped, and a finding whose ``requires`` ids are missing is left
out, so the function works on any subset of a registry. Entries marked ``duplicate_of`` are ignored.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from batrepro.audit.check_kinds import KINDS
from batrepro.vocab import conditions

COLUMNS = "paper check figure sample quantity stated recomputed unit arithmetic verdict note".split()
"""Columns of the table :func:`consistency_checks` returns."""

VERDICTS = ("consistent", "contradiction", "ambiguous")
KEY_FIELDS = ("technique", "sample", "quantity")


class Index:
    """One paper's entries, looked up by key patterns (``technique``, ``sample``, ``quantity``, ``condition``).

    A pattern's ``condition`` is a string (exact), a mapping (keys merged into ``base``, the condition
    of the entry the lookup starts from; without a base, ``'*'`` matches any value) or absent (``base``).
    """

    def __init__(self, entries: Iterable[Mapping[str, Any]]):
        self.entries = [dict(e) for e in entries if not e.get("duplicate_of")]

    def find(self, spec: Mapping[str, Any], base: str | None = None, **defaults: str) -> list[dict]:
        want = {k: spec.get(k, defaults.get(k)) for k in KEY_FIELDS} | {"condition": spec.get("condition", base)}
        pattern = want.pop("condition") if isinstance(want["condition"], Mapping) else None
        if pattern is not None and base is not None:  # merged into the base condition; a null value removes a key
            want["condition"], pattern = conditions.format({**conditions.parse(base), **pattern}), None
        hits = [e for e in self.entries if all(v is None or e[k] == v for k, v in want.items())]
        if pattern is None:
            return hits
        parsed = ((e, conditions.parse(e["condition"])) for e in hits)
        return [e for e, h in parsed if set(h) == set(pattern) and all(v in ("*", h[k]) for k, v in pattern.items())]

    def values(self, spec: Mapping[str, Any], **kw: Any) -> list[dict]:
        return [e for e in self.find(spec, **kw) if "value" in e]

    def one(self, spec: Mapping[str, Any] | None, at: Mapping[str, Any] | None = None, **kw: Any) -> dict | None:
        """The first entry matching ``spec`` that has a ``value`` (None if there is none); ``at``: an entry whose
        technique, sample and condition are the defaults of the pattern (the lookup starts from it)."""
        kw |= {} if at is None else dict(technique=at["technique"], sample=at["sample"], base=at["condition"])
        got = [] if spec is None else self.values(spec, **kw)
        return got[0] if got else None

    @staticmethod
    def p(e: Mapping[str, Any], field: str = "value") -> str:
        """A reported number as printed (falls back to the stored value)."""
        if field == "value" and e.get("printed") and re.fullmatch(r"[+-]?\d+(\.\d+)?", str(e["printed"])):
            return str(e["printed"]).lstrip("+")
        x = e[field]
        return f"{x:g}" if isinstance(x, float) else str(x)

    def decimals(self, e: Mapping[str, Any]) -> int:
        token = self.p(e)
        return len(token.split(".")[1]) if "." in token else 0

    def half(self, e: Mapping[str, Any]) -> float:
        """Half a unit in the last printed place: the rounding uncertainty of a printed number."""
        return 0.5 * 10 ** (-self.decimals(e))


def _row(paper: str, c: Mapping[str, Any], res: dict) -> dict:
    e, t = res["entry"], {**c, **res.get("reading", {})}
    vs = {**conditions.parse(e["condition"]), "sample": e["sample"], **res.get("vars", {})}
    verdict = res.get("verdict") or ("consistent" if res["ok"] else c.get("failed_verdict", "contradiction"))
    if "note" in res:
        parts = [res["note"]]
    else:
        parts = [f"claim: {c['claim']}" if c.get("claim") else "", t.get("note", "").format(**vs)]
        parts += [t.get("note_failed", "").format(**vs) if verdict != "consistent" else ""]
        parts += [w["note"].format(**vs) for w in c.get("when", []) if eval(w["if"], {"__builtins__": {}}, vs)]  # noqa: S307
    stated = res["stated"] if "stated" in res else (None if "samples" in res else e.get("value"))
    return {
        "paper": paper,
        "check": res.get("check") or t["check"],
        "figure": res.get("figure") or c.get("figure") or e["figure"],
        "sample": ",".join(res["samples"]) if "samples" in res else e["sample"],
        "quantity": res.get("quantity") or c.get("quantity") or e["quantity"],
        "stated": math.nan if stated is None else float(stated),
        "recomputed": math.nan if res.get("recomputed") is None else float(res["recomputed"]),
        "unit": res["unit"] if "unit" in res else c.get("unit", e["unit"]),
        "arithmetic": res.get("arithmetic") or t["arithmetic"].format(**vs),
        "verdict": verdict,
        "note": "; ".join(p for p in parts if p),
    }


def consistency_checks(
    entries: list[dict], checks: Iterable[Mapping[str, Any]] = (), findings: Iterable[Mapping[str, Any]] = ()
) -> pd.DataFrame:
    """Run the check instances and findings over the registry entries of one or more papers.

    ``checks`` and ``findings`` come from :func:`batrepro.audit.registry.load_documents` (a ``paper``
    field ties an instance to its paper; generic checks have none). Returns a DataFrame with the
    columns :data:`COLUMNS`: one row per result, ``stated`` and ``recomputed`` as floats (NaN where a
    check compares an order or a label), ``arithmetic`` spelling out the numbers and operations, and
    ``verdict`` in :data:`VERDICTS`.
    """
    checks, findings = list(checks), list(findings)
    papers = list(dict.fromkeys(e["paper"] for e in entries if not e.get("duplicate_of")))
    rows = []
    for paper in papers:
        ix = Index(e for e in entries if e["paper"] == paper)
        own = [c for c in checks if c.get("paper") == paper]
        replaced = {c["replaces"]: c for c in own if c.get("replaces")}
        generic = [replaced.get(c["id"], c) for c in checks if c.get("paper") is None]
        for c in generic + [c for c in own if not c.get("replaces")]:
            rows += [_row(paper, c, res) for res in KINDS[c["kind"]](ix, c)]
        ids = {e["id"] for e in ix.entries}
        for f in (f for f in findings if f.get("paper") == paper and set(f.get("requires", [])) <= ids):
            row = {k: f.get(k, "") for k in COLUMNS} | {"paper": paper}
            rows.append(row | {k: math.nan if f.get(k) is None else float(f[k]) for k in ("stated", "recomputed")})
    assert all(r["verdict"] in VERDICTS for r in rows), {r["verdict"] for r in rows}
    return pd.DataFrame(rows, columns=COLUMNS)
