"""Kinds of consistency check: one function each, driven by a check instance from a registry.

A kind takes the :class:`~batrepro.audit.consistency.Index` of one paper's entries and one instance
(a ``checks:`` item of a registry, see resources/reported/README.md) and yields *results*: dicts
with the row fields it knows (``sample``, ``quantity``, ``stated``, ``recomputed``, ``unit``, ``figure``),
``ok`` (the relation holds), optionally ``verdict``, ``arithmetic`` and ``note``, and ``vars`` for the
instance's text templates, from which the engine renders the rest. No paper content lives here.
"""

from __future__ import annotations

import ast
import math
import operator
from collections import Counter, defaultdict

from batrepro.vocab import conditions

FARADAY = 96485.33212  # C mol-1; the only constant formulas may use besides their own numbers ("F")
OPS = {"<": operator.lt, ">": operator.gt}


def _names(ix, specs, at):
    """Names of the inputs ``specs`` looked up from ``at``: ``<name>`` printed, ``<name>_v`` the value,
    ``<name>_h`` half a unit of its last printed digit (None when an input is missing)."""
    got = {k: ix.one(s, at=at) for k, s in specs.items()}
    if not all(got.values()):
        return None
    names = {k: ix.p(e) for k, e in got.items()} | {f"{k}_v": e["value"] for k, e in got.items()} | {"F": FARADAY}
    return names | {f"{k}_h": ix.half(e) for k, e in got.items()}


def _eval(expr, names):
    """An arithmetic expression over ``<name>_v`` values (written without ``_v``) and ``<name>_h`` half-units."""
    tree = ast.parse(str(expr), mode="eval")
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Load, ast.operator, ast.unaryop)
    if not all(isinstance(n, allowed) for n in ast.walk(tree)):
        raise ValueError(f"expression {expr!r}: only numbers, names and + - * / ** are allowed")
    env = {k.removesuffix("_v"): v for k, v in names.items() if k.endswith(("_v", "_h"))} | {"F": FARADAY}
    return eval(compile(tree, "<check>", "eval"), {"__builtins__": {}}, env)  # noqa: S307 - checked above


def formula(ix, c):
    """stated against an expression of other entries (``inputs``, ``expr``; a ratio such as ICE is
    ``100 * num / den``), under one or more ``readings`` (the first that holds ends). ``constants`` are tables
    keyed by the stated entry's value of the condition key ``by`` (a molar mass per monomer: ``mass / M``);
    ``tolerance`` (a number or an expression, e.g. an input's rounding ``mass_h / M``) is added to the stated
    value's printed rounding; ``terms`` are more expressions for the texts; ``{n_ok}`` of ``{n}`` agree."""
    got = []
    for st in ix.values(c["stated"]):
        names, which = _names(ix, c.get("inputs", {}), st), conditions.parse(st["condition"]).get(c.get("by"))
        consts = {k: table.get(which) for k, table in c.get("constants", {}).items()}
        if names is not None and None not in consts.values():
            got.append((st, names | consts | {f"{k}_v": v for k, v in consts.items()}))
    readings, tol = c.get("readings") or [c], c.get("tolerance", 1e-9)
    values = [[_eval(r["expr"], ns) for _, ns in got] for r in readings]
    oks = [[abs(x - st["value"]) <= ix.half(st) + _eval(tol, ns) for x, (st, ns) in zip(xs, got)] for xs in values]
    for i, (st, names) in enumerate(got):
        for reading, xs, ok in zip(readings, values, oks):
            x, vs = xs[i], names | {"stated": ix.p(st), "n": len(got), "n_ok": sum(ok)}
            vs |= {"value": x, "diff": x - st["value"], "precision": "whole" if ix.decimals(st) == 0 else "printed"}
            vs |= {k: _eval(e, names) for k, e in reading.get("terms", {}).items()}
            yield dict(entry=st, recomputed=round(x, c.get("round", 1)), ok=ok[i], vars=vs, reading=reading)
            if ok[i]:
                break


def bound(ix, c):
    """A stated value and its recomputation against a stated bound (``value_min`` / ``value_max``)."""
    for b in (e for e in ix.find(c["stated"]) if "value" not in e):
        st, names = ix.one(c["stated"], at=b), _names(ix, c.get("inputs", {}), b)
        if st is None or names is None:
            continue
        x = _eval(c["expr"], names)
        lo, hi = b.get("value_min", -math.inf), b.get("value_max", math.inf)
        ok_st, ok_re, on_edge = lo < st["value"] < hi, lo < x < hi, st["value"] in (lo, hi)
        verdict = "consistent" if ok_st and ok_re else ("ambiguous" if ok_re or on_edge else "contradiction")
        field = "value_min" if "value_min" in b else "value_max"
        note = f"{b['sample']}'s stated {st['quantity'].split('_')[-1]} "
        note += "equals the bound rather than exceeding it" if on_edge else "is outside the bound"
        note += "" if ok_re else f", and the recomputed {x:.1f} {st['unit']} is below it"
        res = dict(entry=b, stated=b[field], recomputed=round(x, 1), ok=ok_re, verdict=verdict)
        res["note"] = "" if verdict == "consistent" else note
        yield res | dict(vars={"stated": ix.p(st), "bound": ix.p(b, field), "value": x})


def retention(ix, c):
    """Q_n / Q_ref × 100 against a stated retention (any paper). Where they differ, the reference the stated
    retention implies (Q_n / retention, with its rounding range) is compared with the reported cycle-1 capacities;
    where the test's own Q_1 is not reported only that implied reference is shown (ambiguous); a stated bound
    ('more than 65 %') is checked where the test's own Q_1 is reported."""
    for st in sorted(ix.find(c["stated"]), key=lambda e: "value" not in e):  # the values, then the bounds
        q, ref, alt, own = (ix.one(c.get(k), at=st) for k in ("current", "reference", "alternative", "same_test"))
        if q is None or ref is None or ("value" not in st and own is None):
            continue
        r, cycle = 100 * q["value"] / ref["value"], conditions.parse(ref["condition"]).get("cycle", "1")
        arith = f"{ix.p(q)} / {ix.p(ref)} × 100 = {r:.1f}"
        if alt is not None:
            arith += f" (against {alt['quantity'].split('_')[0]} {ix.p(alt)}: {100 * q['value'] / alt['value']:.1f})"
        if "value" not in st:
            ok = r > st["value_min"]
            res = dict(entry=st, stated=st["value_min"], recomputed=round(r, 1), ok=ok, figure=q["figure"])
            a = f"{arith} {'>' if ok else '≤'} {ix.p(st, 'value_min')}"
            yield res | dict(check=c["bound_check"], arithmetic=a, note="stated as 'more than' the value")
            continue
        implied = q["value"] / (st["value"] / 100)
        lo, hi = (q["value"] / ((st["value"] + s * ix.half(st)) / 100) for s in (1, -1))
        a_impl = f"{ix.p(q)} / ({ix.p(st)} / 100) = {implied:.1f} (rounding range {lo:.1f}–{hi:.1f})"
        row = dict(entry=q, quantity=q["quantity"], recomputed=round(implied, 1), unit=q["unit"], stated=ref["value"])
        if own is None:  # the test's own initial capacity is not reported: the reference cannot be checked
            ref_name = f"cycle-{cycle} {ref['quantity'].replace('_', ' ')}"
            inside = "matches" if lo <= ref["value"] <= hi else "does not match"
            note = "the initial capacity of this test is not reported, so the reference cannot be checked; "
            note += f"the implied initial capacity {inside} the {ref_name} ({ix.p(ref)} {ref['unit']}) within rounding"
            a_impl += f"; {ref_name} {ix.p(ref)} gives {r:.1f} %"
            check = c.get("unreferenced_check", c["implied_check"])
            yield row | dict(check=check, ok=True, verdict="ambiguous", note=note, arithmetic=a_impl)
            continue
        close = abs(r - st["value"]) <= ix.half(st)
        verdict = "consistent" if close else ("ambiguous" if math.floor(r) == st["value"] else "contradiction")
        note = c.get("note", "").format(**conditions.parse(st["condition"]))
        note += f"; {r:.1f} % truncates to {ix.p(st)} % but rounds to {round(r)} %" if verdict == "ambiguous" else ""
        yield dict(entry=st, recomputed=round(r, 1), ok=close, verdict=verdict, arithmetic=arith, note=note)
        if close:
            continue
        refs = [e for e in (ref, alt) if e is not None]
        match = [e for e in refs if lo <= e["value"] <= hi]
        n = conditions.parse(st["condition"]).get("cycle", "n")
        note = f"no reported cycle-{cycle} capacity gives this retention; reading {ix.p(q)} {q['unit']} as the "
        note += f"'initial capacity' instead would put cycle {n} at {q['value'] * st['value'] / 100:.1f} {q['unit']}"
        if verdict == "ambiguous":
            note = f"matches the cycle-{cycle} {ref['quantity'].split('_')[0]} capacity only if the stated retention "
            note += "was truncated"
        a_impl += f"; stated cycle-{cycle} capacities: " + ", ".join(f"{e['quantity']} {ix.p(e)}" for e in refs)
        res = dict(entry=st, ok=bool(match), verdict="consistent" if match else verdict, note="" if match else note)
        yield row | res | dict(check=c["implied_check"], arithmetic=a_impl)


def sum_to(ix, c):
    """Parts that differ only in the condition key ``part_key`` sum to ``total`` within their printed rounding."""
    groups = defaultdict(list)
    for e in ix.values(c["parts"]):
        cond = conditions.parse(e["condition"])
        groups[(e["technique"], e["sample"], conditions.format(cond | {c["part_key"]: None}))].append(e)
        e["_part"] = cond[c["part_key"]]
    for (_, _, rest), parts in sorted(groups.items(), key=lambda kv: conditions.sort_key(kv[0][2])):
        total, tol = sum(e["value"] for e in parts), sum(ix.half(e) for e in parts)
        vs = conditions.parse(rest) | {"condition": rest, "tol": tol, "parts": ", ".join(e["_part"] for e in parts)}
        a = " + ".join(ix.p(e) for e in parts) + f" = {total:{c.get('total_format', 'g')}}"
        res = dict(entry=parts[0], stated=c["total"], recomputed=round(total, 4), arithmetic=a, vars=vs)
        yield res | dict(ok=abs(total - c["total"]) <= tol + 1e-9)


def subset_le(ix, c):
    """part ≤ whole per sample (S_micro ≤ S_BET, Mn ≤ Mw, a test's range inside the stated range)."""
    for w in ix.find(c["whole"]):
        p = next(iter(ix.find(c["part"], sample=w["sample"])), None)
        fp, fw = c["part"].get("field", "value"), c["whole"].get("field", "value")
        if p is None or fp not in p or fw not in w:
            continue
        ok = p[fp] <= w[fw]
        vs = {"part": ix.p(p, fp), "whole": ix.p(w, fw), "whole_printed": w.get("printed", "")}
        vs |= {"share": 100 * p[fp] / w[fw], "ratio": w[fw] / p[fp], "le": "≤" if ok else ">", "ge": "≥" if ok else "<"}
        pick = {"part": p[fp], "whole": w[fw], "ratio": round(w[fw] / p[fp], 3), None: None}
        yield dict(entry=p, ok=ok, vars=vs, stated=pick[c.get("stated")], recomputed=pick[c.get("recomputed")])


def order(ix, c):
    """A claimed order of samples: a chain (``relation`` between neighbours; ``key: abs`` compares magnitudes;
    with ``recompute``, a formula, it must hold for the recomputed values too), two ``groups`` (the min of the
    first above the max of the second, or with ``relation: '<'`` the max below the min) or equal ``rankings``
    of the samples by several quantities."""
    if "rankings" in c:
        got = {label: [ix.one(spec, sample=s) for s in c["samples"]] for label, spec in c["rankings"].items()}
        if not all(all(g) for g in got.values()):
            return []
        ranks = {label: [e["sample"] for e in sorted(g, key=lambda e: e["value"])] for label, g in got.items()}
        a = "; ".join(f"{label} ranking {' < '.join(r)}" for label, r in ranks.items())
        first = next(iter(got.values()))[0]
        return [dict(entry=first, samples=c["samples"], ok=len({tuple(r) for r in ranks.values()}) == 1, arithmetic=a)]
    g = [[ix.one(c["of"], sample=s) for s in grp] for grp in c.get("groups") or [c["samples"]]]
    if not all(all(x) for x in g):
        return []
    if "groups" in c:
        rel = c.get("relation", ">")
        f1, f2 = (min, max) if rel == ">" else (max, min)
        ok = OPS[rel](f1(e["value"] for e in g[0]), f2(e["value"] for e in g[1]))
        fmt = lambda f, es: f"{f.__name__}(" + ", ".join(f"{e['sample']} {ix.p(e)}" for e in es) + ")"  # noqa: E731
        samples = sorted({e["sample"] for grp in g for e in grp}, key=c["sample_order"].index)
        a = f"{fmt(f1, g[0])} {rel if ok else {'<': '≥', '>': '≤'}[rel]} {fmt(f2, g[1])}"
        return [dict(entry=g[0][0], samples=samples, ok=ok, arithmetic=a)]
    got, rel, key = g[0], c.get("relation", "<"), abs if c.get("key") == "abs" else (lambda x: x)
    holds = lambda vs: all(map(OPS[rel], vs, vs[1:]))  # noqa: E731
    ok = holds([key(e["value"]) for e in got])
    if "recompute" in c:  # the order must hold for the stated and for the recomputed values
        names = [_names(ix, c["recompute"]["inputs"], e) for e in got]
        if None in names:
            return []
        rv = [_eval(c["recompute"]["expr"], ns) for ns in names]
        ok = ok and holds(rv)
        pairs = " vs ".join(f"{e['sample']} {ix.p(e)}" for e in reversed(got))
        a = f"stated {pairs}; recomputed " + " vs ".join(f"{e['sample']} {x:.1f}" for e, x in zip(got[::-1], rv[::-1]))
    else:
        show = (lambda e: f"|E| {key(e['value']):.2f}") if "key" in c else ix.p
        a = f" {rel} ".join(f"{e['sample']} {show(e)}" for e in got) + (" holds" if ok else " does not hold")
    vs = {"signed_chain": " > ".join(ix.p(e) for e in got)}
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
    for e in ix.values(c["of"]):
        inverted = e["unit"].replace(" ", "") in {u.replace(" ", "") for u in c["inverse"]}
        a = f"printed {ix.p(e)} {e['unit']}"
        a += f" ⇔ 1 / {ix.p(e)} = {1 / e['value']:.2f} {c['expected']}" if inverted else ""
        yield dict(entry=e, ok=not inverted, arithmetic=a, recomputed=None, unit=e["unit"])


def precision(ix, c):
    """Cells of one quantity printed with another number of decimals than most of them (ambiguous); the texts
    get the cell's ``printed`` token and ``decimals``, the most common number ``mode`` and its count ``n_mode``."""
    cells = ix.values(c["of"])
    counts = Counter(ix.decimals(e) for e in cells)
    mode = max(counts, key=lambda d: (counts[d], -d), default=0)
    for e in (e for e in cells if ix.decimals(e) != mode):
        vs = {"printed": e.get("printed", ix.p(e)), "decimals": ix.decimals(e), "stated": ix.p(e), "value": e["value"]}
        vs |= {"mode": mode, "n_mode": counts[mode], "n": len(cells), "condition": e["condition"]}
        yield dict(entry=e, recomputed=round(e["value"], mode), ok=False, verdict="ambiguous", vars=vs)


def series(ix, c):
    """The values of the condition ``key`` over a ``series`` of entries: as many distinct ones as a stated
    ``count``, or multiples of a stated ``step`` (the texts get the sorted ``times``, those ``off`` the step and
    the multiples ``missing``)."""
    ref = ix.one(c.get("count") or c["step"])
    found = sorted({conditions.parse(e["condition"])[c["key"]] for e in ix.find(c["series"])})
    if ref is None or not found:
        return []
    if "count" in c:
        n = len(found)
        return [dict(entry=ref, recomputed=n, ok=n == ref["value"], vars={"values": found, "count": n})]
    times, s = sorted(map(int, found)), int(ref["value"])
    vs = {"step": ix.p(ref), "unit": ref["unit"], "times": times, "off": [t for t in times if t % s]}
    vs["missing"] = [t for t in range(0, max(times) + 1, s) if t not in times]
    return [dict(entry=ref, ok=not vs["off"], vars=vs)]


KINDS = {f.__name__: f for f in (formula, bound, retention, sum_to, subset_le, order, extreme)}
KINDS |= {f.__name__: f for f in (unit_dimension, precision, series)}
"""kind name -> function(index, instance) -> results."""
