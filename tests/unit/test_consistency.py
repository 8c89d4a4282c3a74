"""Tests for batrepro.consistency: known answers on the real registries, and a clean synthetic registry."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from batrepro.audit.consistency import COLUMNS, VERDICTS, consistency_checks
from batrepro.audit.registry import load_registry

REPORTED = Path(__file__).resolve().parents[2] / "resources" / "reported"


@pytest.fixture(scope="module")
def checks() -> pd.DataFrame:
    entries = load_registry(REPORTED / "kim2026.yaml") + load_registry(REPORTED / "guan_hrposs.yaml")
    return consistency_checks(entries)


def _one(df: pd.DataFrame, **fields) -> pd.Series:
    sel = df
    for k, v in fields.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (fields, sel)
    return sel.iloc[0]


def test_table_shape(checks):
    assert list(checks.columns) == COLUMNS
    assert set(checks["verdict"]) <= set(VERDICTS)
    assert (checks["arithmetic"].str.len() > 0).all()
    assert set(checks["paper"]) == {"kim2026", "guan_hrposs"}


def test_ice_paid(checks):
    row = _one(checks, check="ice", sample="PAID")
    assert row["recomputed"] == pytest.approx(73.6, abs=0.05)
    assert row["stated"] == 72
    assert row["verdict"] == "contradiction"
    assert row["arithmetic"] == "2550 / 3465 × 100 = 73.6"
    assert _one(checks, check="ice", sample="PAID-P")["verdict"] == "consistent"


def test_pi_retention_implies_615(checks):
    row = _one(checks, check="retention_implied_initial_capacity", sample="PI")
    assert row["recomputed"] == pytest.approx(615, abs=0.5)
    assert row["verdict"] == "contradiction"
    assert "2108" in row["arithmetic"] and "3537" in row["arithmetic"]
    bound = _one(checks, check="capacity_retention_bound", sample="PAID-P")
    assert bound["recomputed"] == pytest.approx(66.7, abs=0.05)
    assert bound["verdict"] == "consistent"


def test_volume_recovery_readings(checks):
    stated_def = _one(checks, check="volume_recovery_stated_definition", sample="PI")
    assert stated_def["recomputed"] == pytest.approx(85.6, abs=0.05)
    assert stated_def["verdict"] == "contradiction"
    expected = {"PI": 25.0, "PAID": 30.0, "PI-P": 58.4, "PAID-P": 53.6}
    for sample, value in expected.items():
        row = _one(checks, check="volume_recovery_recovered_fraction", sample=sample)
        assert row["recomputed"] == pytest.approx(value, abs=0.05)
        assert row["verdict"] == ("contradiction" if sample == "PAID-P" else "consistent")
    assert "3 of 4" in row["note"]


def test_table_s3_rows(checks):
    sums = checks[(checks["paper"] == "guan_hrposs") & (checks["check"] == "sum_to_100")]
    assert len(sums) == 35
    first = sums.iloc[0]
    assert first["arithmetic"] == "21.8 + 1.32 + 30.6 + 46.28 = 100.00"
    assert first["verdict"] == "consistent"


def test_guan_flags(checks):
    assert _one(checks, check="eq_s1_exponent")["verdict"] == "contradiction"
    assert "cm s-1" in _one(checks, check="eq_s1_exponent")["arithmetic"]
    assert _one(checks, check="precision")["sample"] == "HRPOSS-3"
    units = checks[checks["check"] == "unit"]
    assert len(units) == 3 and (units["verdict"] == "contradiction").all()
    assert _one(checks, check="caption_labels", paper="guan_hrposs")["verdict"] == "contradiction"
    assert (checks[checks["check"] == "s_micro_le_s_bet"]["verdict"] == "consistent").all()


def test_gpc_and_orders(checks):
    pdi = checks[checks["check"] == "gpc_mw_ge_mn"].set_index("sample")["recomputed"]
    assert pdi["PI"] == pytest.approx(1.19, abs=0.005)
    assert pdi["PAID"] == pytest.approx(2.92, abs=0.005)
    rate = _one(checks, check="order_claim", figure="fig3c")
    assert rate["arithmetic"] == "PI 21 < PAID 702 < PI-P 915 < PAID-P 1074 holds"
    assert rate["verdict"] == "consistent"


def _e(eid, technique, sample, quantity, value, condition="", unit="", figure="figX", paper="kim2026", **kw):
    entry = {
        "id": eid,
        "paper": paper,
        "figure": figure,
        "technique": technique,
        "sample": sample,
        "quantity": quantity,
        "condition": condition,
        "value": value,
        "printed": str(value),
        "unit": unit,
        "quote": "synthetic",
    }
    entry.update(kw)
    return entry


def test_synthetic_registry_without_contradictions():
    entries = [
        _e("k1", "cycling", "PI", "lithiation_capacity", 3000, "cycle=1", "mAh g-1"),
        _e("k2", "cycling", "PI", "delithiation_capacity", 2400, "cycle=1", "mAh g-1"),
        _e("k3", "cycling", "PI", "ice", 80, "cycle=1", "%"),
        _e("k4", "cycling", "PI", "discharge_capacity", 1200, "cycle=200;rate=0.2C", "mAh g-1"),
        _e("k5", "cycling", "PI", "capacity_retention", 50, "cycle=200;rate=0.2C", "%"),
        _e("k6", "sem", "PI", "thickness_expansion", 100, "state=lithiated", "%"),
        _e("k7", "sem", "PI", "thickness_contraction", 50, "state=delithiated", "%"),
        _e("k8", "sem", "PI", "volume_recovery", 75, "", "%"),
        _e(
            "g1",
            "xps",
            "HRPOSS-6",
            "atomic_concentration",
            30.0,
            "element=Si;site=1;sputter_min=0",
            "at%",
            paper="guan_hrposs",
        ),
        _e(
            "g2",
            "xps",
            "HRPOSS-6",
            "atomic_concentration",
            70.0,
            "element=O;site=1;sputter_min=0",
            "at%",
            paper="guan_hrposs",
        ),
        _e("g3", "bet", "HRPOSS-6", "bet_surface_area", 5.0, "", "m2 g-1", paper="guan_hrposs"),
        _e("g4", "bet", "HRPOSS-6", "micropore_surface_area", 1.0, "", "m2 g-1", paper="guan_hrposs"),
        _e("g5", "gitt", "all", "eq_s1_mass_volume_exponent", 2, paper="guan_hrposs"),
    ]
    df = consistency_checks(entries)
    assert len(df) > 0
    assert not (df["verdict"] == "contradiction").any(), df[df["verdict"] == "contradiction"].to_dict("records")
    ice = _one(df, check="ice")
    assert ice["verdict"] == "consistent" and ice["recomputed"] == 80.0


def test_values_are_looked_up_not_hardcoded():
    entries = [
        _e("a", "cycling", "PAID", "lithiation_capacity", 3465, "cycle=1", "mAh g-1"),
        _e("b", "cycling", "PAID", "delithiation_capacity", 2550, "cycle=1", "mAh g-1"),
        _e("c", "cycling", "PAID", "ice", 73.6, "cycle=1", "%"),
    ]
    assert _one(consistency_checks(entries), check="ice")["verdict"] == "consistent"


def test_duplicates_are_ignored_and_empty_input():
    assert consistency_checks([]).empty
    dup = _e("d", "cycling", "PAID", "ice", 10, "cycle=1", "%", duplicate_of="c")
    assert consistency_checks([dup]).empty
