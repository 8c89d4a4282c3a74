"""The reproduction audit: verdicts, tolerances, bounds, readings and regressions."""

from __future__ import annotations

import pandas as pd
import pytest

from batrepro.audit.reproduction import build_audit, judge, regressions, reported_text, verdict_counts


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


def test_judge_absolute_relative_and_bounds():
    assert judge(entry(value=408.8, tolerance={"abs": 1.0}), 409.7, 0.05)
    assert not judge(entry(value=408.8, tolerance={"abs": 1.0}), 409.9, 0.05)
    assert judge(entry(value=100.0), 104.9, 0.05) and not judge(entry(value=100.0), 105.1, 0.05)
    assert judge(entry(value_min=65), 65.0, 0.05) and not judge(entry(value_min=65), 64.9, 0.05)
    assert judge(entry(value_min=1, value_max=2), 1.5, 0.05) and not judge(entry(value_min=1, value_max=2), 2.1, 0.05)


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
    ]
    audit = build_audit(entries, summary([{"value": 10.2}, {"quantity": "r", "value": 12.0}]), 0.05).set_index("id")
    assert audit.loc["a", "verdict"] == "reproduced" and audit.loc["a", "reproduced"] == 10.2
    assert audit.loc["b", "verdict"] == "deviates"
    assert audit.loc["c", "verdict"] == "not yet reproduced"
    assert audit.loc["d", "verdict"] == "not derivable" and "DFT" in audit.loc["d", "note"]


def test_every_reading_is_judged_and_the_note_says_which_matches():
    e = entry(
        id="ret", quantity="capacity_retention", condition="cycle=200", value=66.0, unit="%", tolerance={"abs": 1}
    )
    rows = [
        {"quantity": "capacity_retention", "condition": "cycle=200", "value": 48.0},
        {"quantity": "capacity_retention", "condition": "cycle=200;reference=cycle2", "value": 66.3},
        {"quantity": "capacity_retention", "condition": "cycle=200;rate=1C", "value": 66.0},
    ]  # not a reading
    row = build_audit([e], summary(rows), 0.05).iloc[0]
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
    e = entry(id="ice", value=72.0, not_derivable="contradicts 2550/3465")
    row = build_audit([e], summary([{"value": 73.6}]), 0.05).iloc[0]
    assert row["verdict"] == "not derivable" and row["reproduced"] == pytest.approx(73.6)


def test_counts_and_regressions():
    audit = build_audit(
        [entry(id="a", value=10.0), entry(id="b", quantity="r", value=1.0)], summary([{"value": 10.0}]), 0.05
    )
    counts = verdict_counts(audit).set_index("paper")
    assert counts.loc["p", "reproduced"] == 1 and counts.loc["p", "not yet reproduced"] == 1
    assert regressions(["a"], audit) == []
    assert regressions(["a", "b"], audit) == ["b: now 'not yet reproduced'"]


def test_a_reported_span_is_judged_at_both_ends():
    e = entry(id="span", quantity="temperature_range", value_min=30, value_max=500, tolerance={"abs": 5})
    good = [
        {"quantity": "temperature_range", "condition": "bound=min", "value": 29.9},
        {"quantity": "temperature_range", "condition": "bound=max", "value": 500.1},
    ]
    row = build_audit([e], summary(good), 0.05).iloc[0]
    assert row["verdict"] == "reproduced" and "29.9–500.1" in row["note"]
    bad = [dict(good[0]), {**good[1], "value": 450.0}]
    assert build_audit([e], summary(bad), 0.05).iloc[0]["verdict"] == "deviates"
    # one end alone is not a span
    assert build_audit([e], summary(good[:1]), 0.05).iloc[0]["verdict"] == "not yet reproduced"
