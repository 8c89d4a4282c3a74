"""The reproduction audit: the tolerance rule, verdicts, bounds, readings, echoed inputs and regressions."""

from __future__ import annotations

import pandas as pd
import pytest

from batrepro.audit.reproduction import (
    build_audit,
    half_unit,
    judge,
    regressions,
    reported_text,
    standard_uncertainty,
    verdict_counts,
)
from batrepro.report.html import first_screen


def entry(**kw):
    base = {
        "id": "p.f.q.S",
        "paper": "p",
        "figure": "f",
        "technique": "dma",
        "sample": "S",
        "quantity": "q",
        "condition": "",
        "unit": "°C",
        "quote": "...",
    }
    return {**base, **kw}


def summary(rows):
    cols = ["paper", "technique", "sample", "quantity", "condition", "unit", "value", "uncertainty", "n", "method"]
    return pd.DataFrame([{**dict(zip(cols, ["p", "dma", "S", "q", "", "°C", None, None, 1, "m"])), **r} for r in rows])


def test_half_unit_of_the_last_printed_digit():
    assert half_unit(entry(value=408.8, printed="408.8")) == pytest.approx(0.05)
    assert half_unit(entry(value=2820, printed="2820")) == pytest.approx(0.5)
    assert half_unit(entry(value=0.5, printed="0.50")) == pytest.approx(0.005)  # the trailing zero counts
    assert half_unit(entry(value=1.108, printed="+1.108")) == pytest.approx(0.0005)
    assert half_unit(entry(value_min=65, printed=">65"), "value_min") == pytest.approx(0.5)
    assert half_unit(entry(value=0.001)) == pytest.approx(0.0005)  # no printed token: the stored value's digits
    assert half_unit(entry(value_min=0.05, value_max=3.5, printed="0.05–3.5"), "value_max") == pytest.approx(0.05)


def test_u_is_the_standard_error_or_sd_over_root_n():
    assert standard_uncertainty({"uncertainty": 6.0, "n": 4}) == pytest.approx(3.0)
    assert standard_uncertainty({"uncertainty": 0.2, "n": 1}) == pytest.approx(0.2)
    assert standard_uncertainty({"uncertainty": float("nan"), "n": 3}) == 0.0
    assert standard_uncertainty(None) == 0.0


def test_judge_h_plus_2u_bounds_and_a_stated_override():
    e = entry(value=408.8, printed="408.8")
    assert judge(e, 408.84) and not judge(e, 408.86)  # h = 0.05
    assert judge(e, 409.0, u=0.08) and not judge(e, 409.0, u=0.07)  # 0.2 <= 0.05 + 2u
    assert judge(entry(value=69, printed="69"), 68.6) and not judge(entry(value=69, printed="69"), 68.28)
    assert judge(entry(value_min=65), 64.6) and not judge(entry(value_min=65), 64.4)
    assert judge(entry(value_min=1, value_max=2), 1.5) and not judge(entry(value_min=1, value_max=2), 2.6)
    over = entry(value=408.8, tolerance={"abs": 1.0}, tolerance_reason="read off a plot")
    assert judge(over, 409.7) and not judge(over, 409.9)


def test_reported_text_prefers_the_printed_form():
    assert reported_text(entry(value=1.108, printed="+1.108")) == "+1.108"
    assert reported_text(entry(value_min=65)) == ">65"
    assert reported_text(entry(value_min=1368, value_max=1374)) == "1368–1374"


def test_verdicts():
    entries = [
        entry(id="a", value=10.0),
        entry(id="b", quantity="r", value=10.0),
        entry(id="c", quantity="x", value=1.0),
        entry(id="d", quantity="dft", value=-11.2, not_derivable="DFT, no instrument data"),
        entry(id="e", quantity="mass", value=0.5, printed="0.50"),
    ]
    rows = [
        {"value": 10.2, "uncertainty": 0.3, "n": 4},  # u = 0.15: |0.2| <= 0.5 + 0.3
        {"quantity": "r", "value": 12.0},
        {"quantity": "mass", "value": 0.501, "method": "sample_sheet_mass_over_area"},
    ]
    audit = build_audit(entries, summary(rows)).set_index("id")
    assert audit.loc["a", "verdict"] == "reproduced" and audit.loc["a", "reproduced"] == 10.2
    assert audit.loc["a", "tolerance"] == "±0.8 (h 0.5 + 2u 0.3)"
    assert audit.loc["b", "verdict"] == "deviates" and "12 − 10 = +2, outside ±0.5" in audit.loc["b", "note"]
    assert audit.loc["c", "verdict"] == "not yet reproduced"
    assert audit.loc["d", "verdict"] == "not derivable" and "DFT" in audit.loc["d", "note"]
    assert audit.loc["e", "verdict"] == "echoed input" and "agrees" in audit.loc["e", "note"]


def test_a_deviation_names_the_papers_own_arithmetic():
    e = entry(id="ice", quantity="ice", value=72.0, printed="72", unit="%")
    consistency = pd.DataFrame(
        [
            {
                "paper": "p",
                "check": "ice",
                "sample": "S",
                "quantity": "ice",
                "stated": 72.0,
                "recomputed": 73.6,
                "arithmetic": "2550 / 3465 × 100 = 73.6",
                "verdict": "contradiction",
            }
        ]
    )
    row = build_audit([e], summary([{"quantity": "ice", "value": 73.59}]), consistency).iloc[0]
    assert row["verdict"] == "deviates"
    assert "the paper's own numbers give 2550 / 3465 × 100 = 73.6 (consistency: ice, contradiction)" in row["note"]


def test_every_reading_is_judged_and_the_note_says_which_matches():
    e = entry(id="ret", quantity="capacity_retention", condition="cycle=200", value=66.0, unit="%")
    rows = [
        {"quantity": "capacity_retention", "condition": "cycle=200", "value": 48.0},
        {"quantity": "capacity_retention", "condition": "cycle=200;reference=cycle2", "value": 66.3},
        {"quantity": "capacity_retention", "condition": "cycle=200;rate=1C", "value": 66.0},
    ]  # not a reading
    row = build_audit([e], summary(rows)).iloc[0]
    assert row["verdict"] == "reproduced"
    assert row["note"].startswith("the reading reference=cycle2 matches")
    assert "rate=1C" not in row["note"]


def test_a_bound_beside_a_printed_value_counts_only_under_a_reading_that_reproduces_the_value():
    # "58 and 57 %" ... "exceeding 57 %": a reading of 79 % passes the bound but not the printed 57
    printed = entry(id="v", quantity="volume_recovery", value=57.0, unit="%", tolerance={"abs": 2})
    bound = entry(id="b", quantity="volume_recovery", value_min=57.0, unit="%")
    rows = [
        {"quantity": "volume_recovery", "condition": "reading=fraction", "value": 54.5},
        {"quantity": "volume_recovery", "condition": "reading=ratio", "value": 79.4},
    ]
    audit = build_audit([printed, bound], summary(rows), 0.05).set_index("id")
    assert audit.loc["v", "verdict"] == "deviates"
    assert audit.loc["b", "verdict"] == "deviates"
    assert "also reproduces the printed 57" in audit.loc["b", "note"]
    rows[0]["value"] = 57.5  # the same reading reproduces both: the bound holds under it
    audit = build_audit([printed, bound], summary(rows), 0.05).set_index("id")
    assert audit.loc["b", "verdict"] == "reproduced"
    assert audit.loc["b", "note"].startswith("the reading reading=fraction")


def test_not_derivable_still_shows_the_recomputed_value():
    e = entry(id="lit", value=72.0, not_derivable="literature value")
    row = build_audit([e], summary([{"value": 73.6}])).iloc[0]
    assert row["verdict"] == "not derivable" and row["reproduced"] == pytest.approx(73.6)


def test_counts_regressions_and_the_first_screen():
    audit = build_audit(
        [entry(id="a", value=10.0), entry(id="b", quantity="r", value=1.0), entry(id="c", quantity="s", value=5.0)],
        summary([{"value": 10.0}, {"quantity": "s", "value": 7.0}]),
    )
    counts = verdict_counts(audit).set_index("paper")
    assert counts.loc["p", "reproduced"] == 1 and counts.loc["p", "not yet reproduced"] == 1
    assert counts.loc["p", "deviates"] == 1 and counts.loc["p", "echoed input"] == 0
    assert verdict_counts(audit, ("paper", "technique")).set_index("technique").loc["dma", "deviates"] == 1
    assert regressions(["a"], audit) == []
    assert regressions(["a", "b", "c", "z"], audit) == [
        "b: now 'not yet reproduced'",
        "c: now 'deviates' (reported 5, recomputed 7)",
        "z: now 'missing'",
    ]
    con = pd.DataFrame([{"paper": "p", "check": "ice", "verdict": "contradiction", "arithmetic": "1/2"}])
    html = "".join(first_screen(audit, con))
    assert "Deviations (1)" in html and "Contradictions within the papers (1)" in html and "echoed input" in html


def test_a_reported_span_is_judged_at_both_ends():
    e = entry(id="span", quantity="temperature_range", value_min=30, value_max=500, printed="30–500")
    good = [
        {"quantity": "temperature_range", "condition": "bound=min", "value": 30.2},
        {"quantity": "temperature_range", "condition": "bound=max", "value": 500.4},
    ]
    row = build_audit([e], summary(good)).iloc[0]
    assert row["verdict"] == "reproduced" and "30.2–500.4" in row["note"]
    bad = [dict(good[0]), {**good[1], "value": 501.0}]
    assert build_audit([e], summary(bad)).iloc[0]["verdict"] == "deviates"
    # one end alone is not a span
    assert build_audit([e], summary(good[:1])).iloc[0]["verdict"] == "not yet reproduced"


def test_a_deviation_finds_the_papers_arithmetic_in_a_row_of_the_same_figure():
    e = entry(id="ret", figure="figS7", quantity="capacity_retention", condition="cycle=150", value=48.0, printed="48")
    consistency = pd.DataFrame(
        [
            {
                "paper": "p",
                "check": "retention_1c_implied_initial_capacity",
                "figure": "figS7",
                "sample": "S",
                "quantity": "discharge_capacity",
                "stated": 2550.0,
                "recomputed": 2393.8,
                "arithmetic": "1149 / (48 / 100) = 2393.8",
                "note": "claim: x; cycle-1 delithiation capacity 2550 gives 45.1 %",
                "verdict": "ambiguous",
            }
        ]
    )
    rows = [{"quantity": "capacity_retention", "condition": "cycle=150", "value": 45.06}]
    row = build_audit([e], summary(rows), consistency).iloc[0]
    assert row["verdict"] == "deviates"
    assert "the paper's own numbers give cycle-1 delithiation capacity 2550 gives 45.1 %" in row["note"]
