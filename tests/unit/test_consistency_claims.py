"""Known answers of the checks added by the audit issue: claims across techniques and sections, words against
numbers, captions against tables (resources/reported/*.yaml, as data)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from batrepro.audit.consistency import consistency_checks
from batrepro.audit.registry import load_documents

REPORTED = Path(__file__).resolve().parents[2] / "resources" / "reported"


@pytest.fixture(scope="module")
def checks() -> pd.DataFrame:
    files = [REPORTED / "generic.checks.yaml", REPORTED / "kim2026.yaml", REPORTED / "guan_hrposs.yaml"]
    return consistency_checks(*load_documents(files))


def verdicts(df: pd.DataFrame, check: str) -> list[tuple[str, str]]:
    sel = df[df["check"] == check]
    return sorted(zip(sel["arithmetic"], sel["verdict"]))


def test_tensile_numbers_do_not_support_paid_p(checks):
    got = verdicts(checks, "cross_technique_claim")
    assert got == [
        ("min(PI-P 11.7, PAID-P 1.3) ≤ max(PI 8.1)", "contradiction"),
        ("min(PI-P 279, PAID-P 144) ≤ max(PI 165)", "contradiction"),
    ]


def test_cv_window_misses_the_bottom_of_the_operating_range(checks):
    assert verdicts(checks, "cross_section_range") == [
        ("CV lower vertex 0.05 V > the cells' lower cut-off 0.005 V", "contradiction")
    ]


def test_words_against_numbers(checks):
    words = dict(verdicts(checks, "word_claim"))
    assert words["min(PI-P 32, PAID-P 26) ≤ max(PI 102, PAID 70)"] == "ambiguous"  # 'improved contraction'
    assert words["19.75 < min(PI 23.42, PAID 27.63)"] == "ambiguous"  # 'moderate porosity'


def test_captions_and_cross_section_findings(checks):
    caption = checks[checks["check"] == "caption_vs_table"].set_index("figure")["verdict"]
    assert caption["tableS2"] == "contradiction" and caption["figS7"] == "consistent"
    assert set(checks[checks["check"] == "cross_section_claim"]["verdict"]) == {"ambiguous"}
    assert checks[checks["check"] == "caption_vs_text"]["verdict"].tolist() == ["ambiguous"]


def test_contradiction_count(checks):
    # guan_hrposs: 6, and Table S3's O/Si against Table S2's valence at five sputter times (issue 10)
    assert checks.groupby("paper")["verdict"].apply(lambda v: int((v == "contradiction").sum())).to_dict() == {
        "guan_hrposs": 11,
        "kim2026": 15,  # 14, and PAID-P's 57 % recovery under the third reading t0/t_delith (issue 11)
    }
