"""Tests for batrepro.registry and the two registries in resources/reported/."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from batrepro.audit.check_kinds import KINDS
from batrepro.audit.registry import SCHEMA, TECHNIQUES, load_document, load_registry, registry_frame

ROOT = Path(__file__).resolve().parents[2]
REPORTED = ROOT / "resources" / "reported"
# the papers' text, in ../shared/seeds beside the checkout (as CI has it)
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
PAPERS = {
    "kim2026": "002_a28d692d8e749161.txt",
    "guan_hrposs": "000_8db055d912f462f7.txt",
}


def _norm(text: str) -> str:
    """The quote normalisation documented in resources/reported/README.md: collapse whitespace."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def registries() -> dict[str, list[dict]]:
    return {paper: load_registry(REPORTED / f"{paper}.yaml") for paper in PAPERS}


def _by_id(entries: list[dict]) -> dict[str, dict]:
    return {e["id"]: e for e in entries}


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_registry_loads_and_validates(registries, paper):
    entries = registries[paper]
    assert len(entries) > 100
    assert {e["paper"] for e in entries} == {paper}
    assert {e["technique"] for e in entries} <= TECHNIQUES
    for e in entries:
        assert ("value" in e) != ("value_min" in e or "value_max" in e)
        assert e["quote"].strip()


def test_ids_unique_across_registries():
    frame = registry_frame([REPORTED / f"{p}.yaml" for p in sorted(PAPERS)])
    assert frame["id"].is_unique
    assert len(frame) == sum(len(load_registry(REPORTED / f"{p}.yaml")) for p in PAPERS)
    assert {"tolerance_rel", "tolerance_abs", "value_min", "value_max"} <= set(frame.columns)


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_every_quote_occurs_in_the_paper(registries, paper):
    seed = SEEDS / PAPERS[paper]
    if not seed.exists():
        if os.environ.get("CI"):
            pytest.fail(f"paper text {seed} is missing in CI")
        pytest.skip(f"paper text {seed} is not available (no ../shared beside the checkout)")
    text = _norm(seed.read_text(encoding="utf-8"))
    missing = [e["id"] for e in registries[paper] if _norm(e["quote"]) not in text]
    assert not missing, f"quotes not found in {seed.name}: {missing[:10]}"


def test_printed_token_agrees_with_value(registries):
    for entries in registries.values():
        for e in entries:
            token = e.get("printed", "")
            if "value" in e and re.fullmatch(r"[+-]?\d+(\.\d+)?", token):
                assert float(token) == pytest.approx(e["value"]), e["id"]


def test_contract_names_other_rules_rely_on(registries):
    kim = _by_id(registries["kim2026"])
    assert kim["kim2026.fig1f.tg.PI"]["value"] == 408.8
    assert not [e["id"] for e in kim.values() if "tolerance" in e and not e.get("tolerance_reason")]
    assert kim["kim2026.fig2b.tensile_strength.PI-P"]["value"] == 279
    assert kim["kim2026.fig2b.elongation_at_break.PAID-P"]["value"] == 1.3
    assert kim["kim2026.fig3a.ice.PAID.cycle1"]["value"] == 72
    assert kim["kim2026.fig3a.discharge_capacity.PAID-P.cycle1_rate0.2C"]["value"] == 2820
    assert kim["kim2026.fig3b.capacity_retention.PI-P.cycle200_rate0.2C"]["value_min"] == 65
    assert kim["kim2026.figS7.capacity_retention.PI.cycle150_rate1C"]["value"] == 7
    assert kim["kim2026.fig3c.discharge_capacity.PAID-P.rate15C"]["value"] == 1074
    assert kim["kim2026.fig4b.thickness_contraction.PI.statedelithiated"]["value"] == 102
    assert kim["kim2026.fig2d.adhesion_force.PI.methodsaicas"]["technique"] == "saicas"
    assert kim["kim2026.figS12.li2co3_fraction.PI-P.regionC1s"]["value"] == 9.37
    guan = registries["guan_hrposs"]
    s2 = [e for e in guan if e["quantity"] == "si_average_valence"]
    s3 = [e for e in guan if e["quantity"] == "atomic_concentration"]
    assert len(s2) == 30 and len(s3) == 140
    assert {e["unit"] for e in s3} == {"at%"}
    g = _by_id(guan)
    assert g["guan_hrposs.tableS2.si_average_valence.HRPOSS-3.sputter_min14"]["printed"] == "+1.108"
    assert g["guan_hrposs.tableS3.atomic_concentration.HRPOSS-6.elementSi_site1_sputter_min0"]["value"] == 21.8
    assert g["guan_hrposs.tableS1.tapping_density.HRPOSS-6"]["unit"] == "cm3 g-1"
    assert g["guan_hrposs.eqS1.eq_s1_mass_volume_exponent.all"]["value"] == 1


def _write(tmp_path: Path, entries: list[dict]) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump({"paper": "p", "values": entries}, allow_unicode=True), encoding="utf-8")
    return path


def _entry(**over) -> dict:
    base = {
        "id": "p.fig1.x.A",
        "paper": "p",
        "figure": "fig1",
        "technique": "dma",
        "sample": "A",
        "quantity": "x",
        "condition": "",
        "value": 1.0,
        "unit": "",
        "quote": "x is 1",
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not ...}


@pytest.mark.parametrize(
    "entries, message",
    [
        ([_entry(quote=...)], "'quote' is a required property"),
        ([_entry(), _entry()], "duplicate id"),
        ([_entry(technique="raman")], "unknown technique"),
        ([_entry(value_min=0.5)], "exactly one of"),
        ([_entry(value=...)], "exactly one of"),
        ([_entry(condition="z=1;a=2")], "not canonical"),
        ([_entry(value="12")], "value: '12' is not of type 'number'"),
        ([_entry(tolerance={"pct": 5}, tolerance_reason="x")], "tolerance"),
        ([_entry(tolerance={"abs": 5})], "'tolerance_reason' is a dependency of 'tolerance'"),
        ([_entry(quote="  ")], "quote is empty"),
        ([_entry(paper="q")], "differs from the file's paper"),
        ([_entry(duplicate_of="p.nowhere")], "duplicate_of"),
    ],
)
def test_broken_registry_names_file_and_entry(tmp_path, entries, message):
    path = _write(tmp_path, entries)
    with pytest.raises(ValueError) as err:
        load_registry(path)
    assert str(path) in str(err.value)
    assert "p.fig1.x.A" in str(err.value)
    assert message in str(err.value)


def _quotes(item: dict) -> list[str]:
    quotes = item.get("quote", [])
    return [part for q in ([quotes] if isinstance(quotes, str) else quotes) for part in q.split(" ... ")]


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_check_and_finding_quotes_occur_in_the_paper(paper):
    seed = SEEDS / PAPERS[paper]
    if not seed.exists():
        pytest.skip(f"paper text {seed} is not available")
    text = _norm(seed.read_text(encoding="utf-8"))
    doc = load_document(REPORTED / f"{paper}.yaml")
    missing = [c["id"] for c in doc["checks"] + doc["findings"] for q in _quotes(c) if _norm(q) not in text]
    assert not missing, missing


def test_schema_lists_the_techniques_and_kinds():
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    assert set(schema["$defs"]["entry"]["properties"]["technique"]["enum"]) == TECHNIQUES
    assert set(schema["$defs"]["check"]["properties"]["kind"]["enum"]) == set(KINDS)


def test_broken_check_names_file_and_id(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump({"checks": [{"id": "zz.c1", "kind": "nosuch", "check": "x"}]}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"c\.yaml: check zz\.c1: kind: unknown check kind"):
        load_document(path)


def test_not_a_registry(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="list.yaml"):
        load_registry(path)


def test_id_in_two_files(tmp_path):
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    pa, pb = _write(a, [_entry()]), _write(b, [_entry()])
    with pytest.raises(ValueError, match="also in"):
        registry_frame([pa, pb])
