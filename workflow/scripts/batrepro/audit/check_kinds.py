"""Kinds of consistency check: one function each, driven by a check instance from a registry.

A kind takes the :class:`~batrepro.audit.consistency.Index` of one paper's entries and one instance
(a ``checks:`` item of a registry, see resources/reported/README.md) and returns *results*: dicts
with the row fields it knows (``sample``, ``quantity``, ``stated``, ``recomputed``, ``unit``, ``figure``),
``ok`` (the relation holds), optionally ``verdict``, and ``vars`` for the instance's text templates.
The engine renders ``arithmetic`` and ``note`` from those templates. No paper content lives here.
"""

from __future__ import annotations

import math
from collections import defaultdict

from batrepro.vocab import conditions

FARADAY = 96485.33212  # C mol-1; the only constant formulas may use besides their own numbers ("F")


def _sub(ix, c, primary, name):
    """Entry for input ``name`` of ``c`` with the primary entry's technique, sample and condition as defaults."""
    return ix.one(c.get(name), technique=primary["technique"], sample=primary["sample"], base=primary["condition"])


def ratio(ix, c):
    """stated = scale × numerator / denominator, all at the stated entry's key (ICE, any paper)."""
    out = []
    for st in ix.values(c["stated"]):
        num, den = _sub(ix, c, st, "numerator"), _sub(ix, c, st, "denominator")
        if num is None or den is None:
            continue
        r = c.get("scale", 1) * num["value"] / den["value"]
        ok = abs(r - st["value"]) <= ix.half(st) + 1e-9
        vs = {"num": ix.p(num), "den": ix.p(den), "r": r, "stated": ix.p(st), "diff": r - st["value"]}
        vs["precision"] = "whole" if ix.decimals(st) == 0 else "printed"
        out.append(dict(entry=st, recomputed=round(r, 1), ok=ok, vars=vs))
    return out


def formula(ix, c):
    """stated against an expression of other entries, under one or more readings (the first that holds ends)."""
    stated = ix.values(c["stated"])
    inputs = {}
    for st in stated:
        got = {k: _sub(ix, c["inputs"], st, k) for k in c.get("inputs", {})}
        if all(got.values()):
            inputs[st["id"]] = got
    stated = [st for st in stated if st["id"] in inputs]
    readings = c.get("readings") or [c]
    vals = [{st["id"]: _eval(r["expr"], _names(ix, inputs[st["id"]])) for st in stated} for r in readings]
    close = lambda x, st: abs(x - st["value"]) <= ix.half(st) + c.get("tolerance", 1e-9)  # noqa: E731
    good = [sum(close(v[st["id"]], st) for st in stated) for v in vals]
    out = []
    for st in stated:
        names = _names(ix, inputs[st["id"]]) | {"stated": ix.p(st), "n": len(stated)}
        for reading, v, n_ok in zip(readings, vals, good):
            x = v[st["id"]]
            ok = close(x, st)
            terms = {k: _eval(e, names) for k, e in reading.get("terms", {}).items()}
            vs = names | terms | {"value": x, "diff": x - st["value"], "n_ok": n_ok}
            out.append(dict(entry=st, recomputed=round(x, c.get("round", 1)), ok=ok, vars=vs, reading=reading))
            if ok:
                break
    return out


def bound(ix, c):
    """A stated value and its recomputation against a stated bound (``value_min`` / ``value_max``)."""
    out = []
    for b in ix.bounds(c["stated"]):
        st = ix.one(c["stated"], technique=b["technique"], sample=b["sample"], base=b["condition"])
        got = {k: _sub(ix, c["inputs"], b, k) for k in c.get("inputs", {})}
        if st is None or not all(got.values()):
            continue
        x = _eval(c["expr"], _names(ix, got))
        lo, hi = b.get("value_min", -math.inf), b.get("value_max", math.inf)
        ok_st, ok_re = lo < st["value"] < hi, lo < x < hi
        on_edge = st["value"] in (lo, hi)
        verdict = "consistent" if ok_st and ok_re else ("ambiguous" if ok_re or on_edge else "contradiction")
        field = "value_min" if "value_min" in b else "value_max"
        vs = {"stated": ix.p(st), "bound": ix.p(b, field), "value": x}
        note = "" if verdict == "consistent" else f"{b['sample']}'s stated {st['quantity'].split('_')[-1]} "
        if verdict != "consistent":
            note += "equals the bound rather than exceeding it" if on_edge else "is outside the bound"
            note += "" if ok_re else f", and the recomputed {x:.1f} {st['unit']} is below it"
        res = dict(entry=b, stated=b[field], recomputed=round(x, 1), ok=ok_re, verdict=verdict)
        out.append(res | dict(vars=vs, note=note))
    return out


def retention(ix, c):
    """Q_n / Q_ref × 100 against a stated retention; the implied reference; stated bounds (any paper)."""
    out = []
    for st in ix.values(c["stated"]) + ix.bounds(c["stated"]):
        q, ref, alt, own = (_sub(ix, c, st, k) for k in ("current", "reference", "alternative", "same_test"))
        if q is None or ref is None:
            continue
        r, cycle = 100 * q["value"] / ref["value"], conditions.parse(ref["condition"]).get("cycle", "1")
        arith = f"{ix.p(q)} / {ix.p(ref)} × 100 = {r:.1f}"
        if alt is not None:
            arith += f" (against {alt['quantity'].split('_')[0]} {ix.p(alt)}: {100 * q['value'] / alt['value']:.1f})"
        if "value" not in st:  # a stated bound ("more than 65 %"), checked where the test's own Q_1 is reported
            if own is not None:
                ok, lo_text = r > st["value_min"], ix.p(st, "value_min")
                a = f"{arith} {'>' if ok else '≤'} {lo_text}"
                note = "stated as 'more than' the value"
                out.append(dict(entry=st, stated=st["value_min"], recomputed=round(r, 1), ok=ok, figure=q["figure"]))
                out[-1].update(check=c["bound_check"], arithmetic=a, note=note)
            continue
        implied = q["value"] / (st["value"] / 100)
        lo, hi = (q["value"] / ((st["value"] + s * ix.half(st)) / 100) for s in (1, -1))
        a_impl = f"{ix.p(q)} / ({ix.p(st)} / 100) = {implied:.1f} (rounding range {lo:.1f}–{hi:.1f})"
        ref_name = f"cycle-{cycle} {ref['quantity'].replace('_', ' ')}"
        row = dict(entry=q, quantity=q["quantity"], recomputed=round(implied, 1), unit=q["unit"], stated=ref["value"])
        row["check"] = c["implied_check"]
        if own is None:  # the test's own initial capacity is not reported: the reference cannot be checked
            inside = "matches" if lo <= ref["value"] <= hi else "does not match"
            note = "the initial capacity of this test is not reported, so the reference cannot be checked; "
            note += f"the implied initial capacity {inside} the {ref_name} ({ix.p(ref)} {ref['unit']}) within rounding"
            a_impl += f"; {ref_name} {ix.p(ref)} gives {r:.1f} %"
            check = c.get("unreferenced_check", c["implied_check"])
            out.append(row | dict(check=check, ok=True, verdict="ambiguous", arithmetic=a_impl, note=note))
            continue
        close = abs(r - st["value"]) <= ix.half(st)
        verdict = "consistent" if close else ("ambiguous" if math.floor(r) == st["value"] else "contradiction")
        note = ix.render(c.get("note", ""), conditions.parse(st["condition"]))
        note += f"; {r:.1f} % truncates to {ix.p(st)} % but rounds to {round(r)} %" if verdict == "ambiguous" else ""
        out.append(dict(entry=st, recomputed=round(r, 1), ok=close, verdict=verdict, arithmetic=arith, note=note))
        if close:
            continue
        refs = [e for e in (ref, alt) if e is not None]
        match = [e for e in refs if lo <= e["value"] <= hi]
        if verdict == "contradiction":
            n = conditions.parse(st["condition"]).get("cycle", "n")
            note = f"no reported cycle-{cycle} capacity gives this retention; reading {ix.p(q)} {q['unit']} as the "
            note += (
                f"'initial capacity' instead would put cycle {n} at {q['value'] * st['value'] / 100:.1f} {q['unit']}"
            )
        else:
            note = f"matches the cycle-{cycle} {ref['quantity'].split('_')[0]} capacity only if the stated retention "
            note += "was truncated"
        a_impl += f"; stated cycle-{cycle} capacities: " + ", ".join(f"{e['quantity']} {ix.p(e)}" for e in refs)
        verdict = "consistent" if match else verdict
        out.append(row | dict(entry=st, ok=bool(match), verdict=verdict, arithmetic=a_impl, note="" if match else note))
    return out


def sum_to(ix, c):
    """Parts that differ only in the condition key ``part_key`` sum to ``total`` within their printed rounding."""
    groups = defaultdict(list)
    for e in ix.values(c["parts"]):
        cond = conditions.parse(e["condition"])
        groups[(e["technique"], e["sample"], conditions.format(cond | {c["part_key"]: None}))].append(e)
        e["_part"] = cond[c["part_key"]]
    out = []
    for (_, _, rest), parts in sorted(groups.items(), key=lambda kv: conditions.sort_key(kv[0][2])):
        total, tol = sum(e["value"] for e in parts), sum(ix.half(e) for e in parts)
        digits = [ix.decimals(e) for e in parts]
        vs = conditions.parse(rest) | {"condition": rest, "tol": tol, "parts": ", ".join(e["_part"] for e in parts)}
        note = ""
        if len(parts) > 1 and digits[-1] > max(digits[:-1]):  # the last part was perhaps the total minus the others
            note = f"; {parts[-1]['_part']} is printed with {digits[-1]} decimals while the other parts have at most "
            note += f"{max(digits[:-1])}, which suggests it was computed as the total minus the others"
        a = " + ".join(ix.p(e) for e in parts) + f" = {total:{c.get('total_format', 'g')}}"
        res = dict(entry=parts[0], stated=c["total"], recomputed=round(total, 4), arithmetic=a, vars=vs)
        out.append(res | dict(ok=abs(total - c["total"]) <= tol + 1e-9, note_extra=note))
    return out


def subset_le(ix, c):
    """part ≤ whole per sample (S_micro ≤ S_BET, Mn ≤ Mw, a test's range inside the stated range)."""
    out = []
    for w in ix.find(c["whole"]):
        p = ix.one(c["part"], sample=w["sample"], exact=False)
        fp, fw = c["part"].get("field", "value"), c["whole"].get("field", "value")
        if p is None or fp not in p or fw not in w:
            continue
        ok = p[fp] <= w[fw]
        vs = {"part": ix.p(p, fp), "whole": ix.p(w, fw), "whole_printed": w.get("printed", "")}
        vs |= {"share": 100 * p[fp] / w[fw], "ratio": w[fw] / p[fp], "le": "≤" if ok else ">", "ge": "≥" if ok else "<"}
        pick = {"part": p[fp], "whole": w[fw], "ratio": round(w[fw] / p[fp], 3), None: None}
        entry = p if c.get("figure_of") != "whole" else w
        out.append(
            dict(entry=entry, ok=ok, vars=vs, stated=pick[c.get("stated")], recomputed=pick[c.get("recomputed")])
        )
    return out


def stoichiometry(ix, c):
    """amount = mass / M for each entry pair sharing sample and condition (M from the instance's table)."""
    out = []
    for n in ix.values(c["amount"]):
        m = _sub(ix, c, n, "mass")
        which = conditions.parse(n["condition"]).get(c["by"])
        if m is None or which not in c["molar_mass"]:
            continue
        M = c["molar_mass"][which]
        r = m["value"] / M
        vs = {"mass": ix.p(m), "M": M, "value": r, c["by"]: which}
        out.append(
            dict(entry=n, recomputed=round(r, 3), ok=abs(r - n["value"]) <= ix.half(n) + ix.half(m) / M, vars=vs)
        )
    return out


def order(ix, c):
    """A claimed order: a chain over samples, two groups (min of one above max of the other) or equal rankings."""
    key = abs if c.get("key") == "abs" else (lambda x: x)
    if "rankings" in c:
        ranks = {}
        for label, spec in c["rankings"].items():
            got = [ix.one(spec, sample=s) for s in c["samples"]]
            if not all(got):
                return []
            ranks[label] = [e["sample"] for e in sorted(got, key=lambda e: e["value"])]
        a = "; ".join(f"{label} ranking {' < '.join(r)}" for label, r in ranks.items())
        first = ix.one(next(iter(c["rankings"].values())), sample=c["samples"][0])
        return [dict(entry=first, samples=c["samples"], ok=len({tuple(r) for r in ranks.values()}) == 1, arithmetic=a)]
    if "groups" in c:
        g = [[ix.one(c["of"], sample=s) for s in grp] for grp in c["groups"]]
        if not all(all(x) for x in g):
            return []
        gt = c.get("relation", ">") == ">"
        f1, f2 = (min, max) if gt else (max, min)
        v1, v2 = f1(e["value"] for e in g[0]), f2(e["value"] for e in g[1])
        ok = v1 > v2 if gt else v1 < v2
        rel = (">" if ok else "≤") if gt else ("<" if ok else "≥")
        fmt = lambda f, es: f"{f.__name__}(" + ", ".join(f"{e['sample']} {ix.p(e)}" for e in es) + ")"  # noqa: E731
        samples = sorted({e["sample"] for grp in g for e in grp}, key=c.get("sample_order", []).index)
        return [dict(entry=g[0][0], samples=samples, ok=ok, arithmetic=f"{fmt(f1, g[0])} {rel} {fmt(f2, g[1])}")]
    got = [ix.one(c["of"], sample=s) for s in c["samples"]]
    if not all(got):
        return []
    rel = c.get("relation", "<")
    holds = lambda vs: all((a < b) if rel == "<" else (a > b) for a, b in zip(vs, vs[1:]))  # noqa: E731
    ok = holds([key(e["value"]) for e in got])
    vs = {"signed_chain": " > ".join(ix.p(e) for e in got)}
    if "recompute" in c:  # the order must hold for the stated and for the recomputed values
        rec = [ratio(ix, c["recompute"] | {"stated": c["of"] | {"sample": e["sample"]}}) for e in got]
        if not all(rec):
            return []
        rv = [r[0]["vars"]["r"] for r in rec]
        ok = ok and holds(rv)
        pairs = " vs ".join(f"{e['sample']} {ix.p(e)}" for e in reversed(got))
        a = f"stated {pairs}; recomputed " + " vs ".join(f"{e['sample']} {x:.1f}" for e, x in zip(got[::-1], rv[::-1]))
    else:
        show = (lambda e: f"|E| {key(e['value']):.2f}") if "key" in c else ix.p
        a = f" {rel} ".join(f"{e['sample']} {show(e)}" for e in got) + (" holds" if ok else " does not hold")
    return [dict(entry=got[0], samples=c["samples"], ok=ok, arithmetic=a, vars=vs)]


def extreme(ix, c):
    """'X has the highest ...': the claimed sample is the maximum (ambiguous when only some are printed)."""
    got = [e for e in (ix.one(c["of"], sample=s) for s in c["samples"]) if e]
    if len(got) < 2 or c["claimed"] not in {e["sample"] for e in got}:
        return []
    best = max(got, key=lambda e: e["value"])
    ok = best["sample"] == c["claimed"]
    if len(got) == len(c["samples"]):
        return [dict(entry=got[0], samples=c["samples"], ok=ok, arithmetic=f"max = {best['sample']} {ix.p(best)}")]
    a = "printed: " + ", ".join(f"{e['sample']} {ix.p(e)}" for e in got) + f"; max = {best['sample']}"
    return [dict(entry=got[0], samples=[e["sample"] for e in got], ok=ok, verdict="ambiguous", arithmetic=a)]


def unit_dimension(ix, c):
    """The printed unit has the quantity's dimension; a unit equal to the inverse of ``expected`` is flagged."""
    out = []
    for e in ix.values(c["of"]):
        inverted = e["unit"].replace(" ", "") in {u.replace(" ", "") for u in c["inverse"]}
        a = f"printed {ix.p(e)} {e['unit']}"
        a += f" ⇔ 1 / {ix.p(e)} = {1 / e['value']:.2f} {c['expected']}" if inverted else ""
        out.append(dict(entry=e, ok=not inverted, arithmetic=a, recomputed=None, unit=e["unit"]))
    return out


def precision(ix, c):
    """Cells of one quantity printed with another number of decimals than most of them (ambiguous)."""
    cells = ix.values(c["of"])
    counts = defaultdict(int)
    for e in cells:
        counts[ix.decimals(e)] += 1
    mode = max(counts, key=lambda d: (counts[d], -d), default=0)
    out = []
    for e in (e for e in cells if ix.decimals(e) != mode):
        a = f"printed {e.get('printed', ix.p(e))} has {ix.decimals(e)} decimals; "
        a += f"{counts[mode]} of {len(cells)} cells have {mode}"
        note = f"{e['condition']}: it is unclear whether {ix.p(e)} or a {mode}-decimal value "
        note += f"({e['value']:.{mode}f}) is meant"
        res = dict(entry=e, recomputed=round(e["value"], mode), ok=False, verdict="ambiguous")
        out.append(res | dict(arithmetic=a, note=note))
    return out


def interval(ix, c):
    """The values of a condition key over a series are multiples of a stated step (missing multiples noted)."""
    step = ix.one(c["step"])
    times = sorted({int(conditions.parse(e["condition"])[c["key"]]) for e in ix.find(c["series"])})
    if step is None or not times:
        return []
    s = int(step["value"])
    off = [t for t in times if t % s]
    missing = [t for t in range(0, max(times) + 1, s) if t not in times]
    note = f"; times {off} are not multiples of {ix.p(step)} {step['unit']} " if off else ""
    note += f"(a different {c['key'].split('_')[0]} series may have been used)" if off else ""
    note += f"; multiples of {ix.p(step)} {step['unit']} not listed: {missing}" if missing else ""
    a = f"{c['key'].split('_')[0]} times {times} {step['unit']}"
    res = dict(entry=step, ok=not off, verdict="ambiguous" if off else "consistent", recomputed=None, arithmetic=a)
    return [res | dict(note_extra=note, vars={"step": ix.p(step)})]


def count(ix, c):
    """The number of distinct values of a condition key over a series equals a stated count."""
    n = ix.one(c["stated"])
    found = sorted({conditions.parse(e["condition"])[c["key"]] for e in ix.find(c["series"])})
    if n is None or not found:
        return []
    vs = {"values": found, "count": len(found)}
    return [dict(entry=n, recomputed=len(found), ok=len(found) == n["value"], vars=vs)]


def _names(ix, got):
    return {k: ix.p(e) for k, e in got.items()} | {f"{k}_v": e["value"] for k, e in got.items()} | {"F": FARADAY}


def _eval(expr, names):
    """An arithmetic expression over ``<name>_v`` values (names in the expression are written without ``_v``)."""
    import ast

    tree = ast.parse(str(expr), mode="eval")
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Load, ast.operator, ast.unaryop)
    if not all(isinstance(n, allowed) for n in ast.walk(tree)):
        raise ValueError(f"expression {expr!r}: only numbers, names and + - * / ** are allowed")
    env = {k[:-2]: v for k, v in names.items() if k.endswith("_v")} | {"F": FARADAY}
    return eval(compile(tree, "<check>", "eval"), {"__builtins__": {}}, env)  # noqa: S307 - checked above


KINDS = {
    f.__name__: f
    for f in (ratio, formula, bound, retention, sum_to, subset_le, stoichiometry, order, extreme)
    + (unit_dimension, precision, interval, count)
}
"""kind name -> function(index, instance) -> results."""
