"""Tests for batrepro.audit.consistency and check_kinds: the real registries, and per-kind synthetic papers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from batrepro.audit.check_kinds import KINDS
from batrepro.audit.consistency import COLUMNS, VERDICTS, consistency_checks
from batrepro.audit.registry import load_documents

REPORTED = Path(__file__).resolve().parents[2] / "resources" / "reported"
GENERIC = REPORTED / "generic.checks.yaml"


@pytest.fixture(scope="module")
def checks() -> pd.DataFrame:
    return consistency_checks(*load_documents([GENERIC, REPORTED / "kim2026.yaml", REPORTED / "guan_hrposs.yaml"]))


@pytest.fixture(scope="module")
def generic() -> list[dict]:
    return load_documents([GENERIC])[1]


def _one(df: pd.DataFrame, **fields) -> pd.Series:
    sel = df
    for k, v in fields.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (fields, sel)
    return sel.iloc[0]


def _e(eid, technique, sample, quantity, value, condition="", unit="", paper="zz1999", **kw):
    entry = {"id": eid, "paper": paper, "figure": "figX", "technique": technique, "sample": sample}
    entry |= {"quantity": quantity, "condition": condition, "unit": unit, "quote": "synthetic"}
    entry |= {"value": value, "printed": str(value)} if value is not None else {}
    return entry | kw


def test_table_shape(checks):
    assert list(checks.columns) == COLUMNS
    assert set(checks["verdict"]) <= set(VERDICTS)
    assert (checks["arithmetic"].str.len() > 0).all()
    # 111 + 12 (issue 9: papers read again) + 5 O/Si rows (issue 10) + the indentation-load finding and the third
    # volume-recovery reading (issue 11)
    assert len(checks) == 130


def test_known_answers(checks):
    row = _one(checks, check="ice", sample="PAID")
    assert (row["stated"], row["recomputed"], row["verdict"]) == (72, 73.6, "contradiction")
    assert row["arithmetic"] == "2550 / 3465 × 100 = 73.6"
    assert _one(checks, check="retention_implied_initial_capacity", sample="PI")["recomputed"] == pytest.approx(614.8)
    assert _one(checks, check="volume_recovery_recovered_fraction", sample="PAID-P")["verdict"] == "contradiction"
    # PAID-P's 57 % matches none of the three readings; the third is t0 / t_delith = 1 / 1.26
    third = _one(checks, check="volume_recovery_return_to_initial", sample="PAID-P")
    assert (third["recomputed"], third["verdict"]) == (79.4, "contradiction")
    assert checks[checks["check"] == "volume_recovery_return_to_initial"]["sample"].tolist() == ["PAID-P"]
    assert len(checks[checks["check"] == "sum_to_100"]) == 36
    o_si = _one(checks, check="o_si_vs_valence", sample="HRPOSS-6", stated=1.5)
    assert (o_si["recomputed"], o_si["verdict"]) == (4.06, "contradiction")  # 2 x O/Si of Table S3 at 0 min
    assert _one(checks, check="eq_s1_exponent")["verdict"] == "contradiction"
    assert (checks[checks["check"] == "unit"]["verdict"] == "contradiction").all()
    rate = _one(checks, check="order_claim", figure="fig3c")
    assert rate["arithmetic"] == "PI 21 < PAID 702 < PI-P 915 < PAID-P 1074 holds"


def test_generic_checks_run_for_any_paper(generic):
    entries = [
        _e("a", "cycling", "X1", "lithiation_capacity", 3000, "cycle=1", "mAh g-1"),
        _e("b", "cycling", "X1", "delithiation_capacity", 2400, "cycle=1", "mAh g-1"),
        _e("c", "cycling", "X1", "ice", 81, "cycle=1", "%"),
        _e("d", "cycling", "X1", "discharge_capacity", 1200, "cycle=50;rate=1C", "mAh g-1"),
        _e("d1", "cycling", "X1", "discharge_capacity", 2400, "cycle=1;rate=1C", "mAh g-1"),
        _e("e", "cycling", "X1", "capacity_retention", 50, "cycle=50;rate=1C", "%"),
        _e("f", "bet", "X1", "bet_surface_area", 5.0, "", "m2 g-1"),
        _e("g", "bet", "X1", "micropore_surface_area", 6.0, "", "m2 g-1"),
        _e("h", "xps", "X1", "atomic_concentration", 30.0, "element=C", "at%"),
        _e("i", "xps", "X1", "atomic_concentration", 70.0, "element=O", "at%"),
    ]
    df = consistency_checks(entries, generic)
    assert set(df["paper"]) == {"zz1999"}
    assert _one(df, check="ice")["verdict"] == "contradiction"
    assert _one(df, check="capacity_retention")["verdict"] == "consistent"
    assert _one(df, check="s_micro_le_s_bet")["verdict"] == "contradiction"
    assert _one(df, check="sum_to_100")["verdict"] == "consistent"


def _run(kind_entries, **check):
    return consistency_checks(kind_entries, [{"id": "zz.c", "check": "c", "paper": "zz1999"} | check])


def test_kind_order_and_extreme():
    es = [_e(s, "dma", s, "tg", v) for s, v in (("A", 1), ("B", 2), ("C", 3))]
    spec = {"quantity": "tg"}
    assert _run(es, kind="order", of=spec, samples=["A", "B", "C"])["verdict"].tolist() == ["consistent"]
    assert _run(es, kind="order", of=spec, samples=["C", "A"])["verdict"].tolist() == ["contradiction"]
    groups = _run(es, kind="order", of=spec, groups=[["C"], ["A", "B"]], sample_order=["A", "B", "C"])
    assert groups["arithmetic"].tolist() == ["min(C 3) > max(A 1, B 2)"]
    assert _run(es, kind="extreme", of=spec, samples=["A", "B", "C"], claimed="B")["verdict"][0] == "contradiction"


def test_kind_formula_bound_stoichiometry():
    es = [_e("s", "dma", "A", "q", 10.0), _e("i", "dma", "A", "p", 5.0)]
    df = _run(
        es,
        kind="formula",
        stated={"quantity": "q"},
        inputs={"p": {"quantity": "p"}},
        expr="2 * p",
        arithmetic="2 × {p} = {value:.1f}",
    )
    assert df["arithmetic"][0] == "2 × 5.0 = 10.0" and df["verdict"][0] == "consistent"
    # a formula with a constant per condition value (amount = mass / M); the mass's rounding widens the tolerance
    es = []
    for m, mass in (("Q", 100), ("R", 97), ("S", 100)):
        es += [_e(f"n{m}", "experimental", "A", "amount", 2.0, f"m={m}", "mmol", printed="2.00")]
        es += [_e(f"m{m}", "experimental", "A", "mass", mass, f"m={m}", "mg")]
    stoich = dict(stated={"quantity": "amount"}, inputs={"m": {"quantity": "mass"}}, by="m", expr="m / M", round=3)
    stoich |= dict(constants={"M": {"Q": 50.0, "R": 48.8}}, arithmetic="{m} mg / {M:.2f} g mol-1 = {value:.3f} mmol")
    df = _run(es, kind="formula", **stoich)  # no M for S: skipped
    assert df["arithmetic"].tolist() == ["100 mg / 50.00 g mol-1 = 2.000 mmol", "97 mg / 48.80 g mol-1 = 1.988 mmol"]
    assert df["verdict"].tolist() == ["consistent", "contradiction"]  # 1.988 is outside 2.00 ± 0.005
    # with the mass's rounding (97 ± 0.5 mg, ± 0.010 mmol) propagated, 1.988 is within 2.00 ± 0.015
    assert _run(es, kind="formula", tolerance="m_h / M", **stoich)["verdict"].tolist() == ["consistent"] * 2
    es = [_e("v", "sem", "A", "r", 57), _e("b", "sem", "A", "r", None, value_min=57), _e("x", "sem", "A", "y", 50)]
    df = _run(es, kind="bound", stated={"quantity": "r"}, inputs={"y": {"quantity": "y"}}, expr="y", arithmetic="-")
    assert df["verdict"][0] == "ambiguous"  # stated on the bound, recomputed below it


ICE = {"inputs": {"num": {"quantity": "delith"}, "den": {"quantity": "lith"}}, "expr": "100 * num / den"}


def _ice(sample, lith, delith, ice):
    cells = [("lith", lith, "mAh g-1"), ("delith", delith, "mAh g-1"), ("ice", ice, "%")]
    return [_e(f"{sample}.{q}", "cycling", sample, q, v, "cycle=1", u, printed=str(v)) for q, v, u in cells]


def test_kind_formula_as_ratio():
    """A ratio (ICE) is a formula ``100 * num / den``, compared within the stated value's printed rounding."""
    texts = {"arithmetic": "{num} / {den} × 100 = {value:.1f}", "note_failed": "off by {diff:.1f} ({precision})"}
    df = _run(
        _ice("A", 3465, 2550, 72) + _ice("B", 3465, 2550, 73.6),
        kind="formula",
        stated={"quantity": "ice"},
        **ICE | texts,
    )
    rows = df[["sample", "stated", "recomputed", "arithmetic", "verdict", "note"]].values.tolist()
    assert rows == [
        ["A", 72.0, 73.6, "2550 / 3465 × 100 = 73.6", "contradiction", "off by 1.6 (whole)"],
        ["B", 73.6, 73.6, "2550 / 3465 × 100 = 73.6", "consistent", ""],
    ]
    df = _run(_ice("C", 3465, 2550, 73.5), kind="formula", stated={"quantity": "ice"}, **ICE | texts)
    assert (df["verdict"][0], df["note"][0]) == ("contradiction", "off by 0.1 (printed)")  # 73.59 vs 73.5 ± 0.05


def test_kind_order_recompute():
    """With ``recompute`` (a formula) the claimed order must also hold for the recomputed values."""
    es = _ice("A", 3537, 2108, 60) + _ice("B", 3878, 2248, 69)  # recomputed 59.6 and 58.0: the order flips
    df = _run(es, kind="order", of={"quantity": "ice"}, samples=["A", "B"], recompute=ICE)
    assert df["arithmetic"].tolist() == ["stated B 69 vs A 60; recomputed B 58.0 vs A 59.6"]
    assert df["verdict"].tolist() == ["contradiction"]
    es = _ice("A", 3537, 2108, 60) + _ice("B", 3878, 2648, 69)
    assert (
        _run(es, kind="order", of={"quantity": "ice"}, samples=["A", "B"], recompute=ICE)["verdict"][0] == "consistent"
    )


def test_kind_precision_series_unit():
    es = [_e(f"c{i}", "xps", "A", "v", 1.25, f"t={i}", printed="1.25") for i in range(4)]
    es += [_e("odd", "xps", "A", "v", 1.125, "t=5", printed="1.125"), _e("st", "xps", "A", "step", 2, "", "min")]
    es += [_e("n", "xps", "A", "n", 5, "", "")]
    texts = {"arithmetic": "{printed}: {decimals} vs {mode} ({n_mode} of {n})", "note": "{condition} {value:.{mode}f}"}
    df = _run(es, kind="precision", of={"quantity": "v"}, **texts)
    assert df[["sample", "arithmetic", "note", "verdict"]].values.tolist() == [
        ["A", "1.125: 3 vs 2 (4 of 5)", "t=5 1.12", "ambiguous"]
    ]
    texts = dict(arithmetic="times {times} {unit}", note_failed="off: {off}", failed_verdict="ambiguous")
    texts["when"] = [{"if": "missing", "note": "missing: {missing}"}]
    df = _run(es, kind="series", step={"quantity": "step"}, series={"quantity": "v"}, key="t", **texts)
    assert df[["verdict", "arithmetic", "note"]].values.tolist() == [
        ["ambiguous", "times [0, 1, 2, 3, 5] min", "off: [1, 3, 5]; missing: [4]"]
    ]
    df = _run(es, kind="series", count={"quantity": "step"}, series={"quantity": "v"}, key="t", arithmetic="{count}")
    assert (df["verdict"][0], df["stated"][0], df["recomputed"][0]) == ("contradiction", 2, 5)
    df = _run(es, kind="series", count={"quantity": "n"}, series={"quantity": "v"}, key="t", arithmetic="{values}")
    assert (df["verdict"][0], df["arithmetic"][0]) == ("consistent", "['0', '1', '2', '3', '5']")
    es = [_e("d", "bet", "A", "density", 0.5, "", "cm3 g-1")]
    df = _run(es, kind="unit_dimension", of={"quantity": "density"}, expected="g cm-3", inverse=["cm3 g-1"])
    assert df["verdict"][0] == "contradiction"


NOPE = {"x": {"quantity": "nope"}}


@pytest.mark.parametrize(
    "check",
    [
        dict(kind="formula", stated={"quantity": "tg"}, inputs=NOPE, expr="x"),
        dict(kind="bound", stated={"quantity": "tg"}, inputs=NOPE, expr="x"),
        dict(kind="subset_le", part={"quantity": "nope"}, whole={"quantity": "tg"}),
        dict(kind="order", of={"quantity": "tg"}, samples=["A", "Z"]),
        dict(kind="order", of={"quantity": "tg"}, groups=[["A"], ["Z"]], sample_order=["A", "Z"]),
        dict(kind="order", rankings={"x": {"quantity": "tg"}}, samples=["A", "Z"]),
        dict(kind="order", of={"quantity": "tg"}, samples=["A", "B"], recompute={"inputs": NOPE, "expr": "x"}),
        dict(kind="extreme", of={"quantity": "tg"}, samples=["A", "Z"], claimed="A"),
        dict(kind="series", count={"quantity": "nope"}, series={"quantity": "tg"}, key="t"),
    ],
    ids=lambda c: c["kind"],
)
def test_a_check_without_its_inputs_gives_no_row(check):
    es = [_e("a", "dma", "A", "tg", 1, "t=1"), _e("b", "dma", "B", "tg", 2, "t=1")]
    es += [_e("a_min", "dma", "A", "tg", None, "t=1", value_min=0)]
    assert _run(es, arithmetic="-", **check).empty


def test_formula_expressions_are_arithmetic_only():
    es = [_e("s", "dma", "A", "q", 1.0)]
    with pytest.raises(ValueError, match="only numbers, names and"):
        _run(es, kind="formula", stated={"quantity": "q"}, expr="__import__('os').getcwd()", arithmetic="-")


def test_every_kind_is_tested():
    tested = {"retention", "sum_to", "subset_le", "order", "extreme", "formula", "bound"}
    assert set(KINDS) == tested | {"precision", "series", "unit_dimension"}


def test_findings_need_their_entries_and_duplicates_are_ignored():
    finding = {
        "id": "f",
        "paper": "zz1999",
        "check": "label",
        "figure": "fig1",
        "sample": "A",
        "quantity": "",
        "unit": "",
        "arithmetic": "x",
        "verdict": "ambiguous",
        "note": "",
        "requires": ["a"],
    }
    assert len(consistency_checks([_e("a", "dma", "A", "tg", 1)], [], [finding])) == 1
    assert consistency_checks([_e("b", "dma", "A", "tg", 1)], [], [finding]).empty
    assert consistency_checks([]).empty
