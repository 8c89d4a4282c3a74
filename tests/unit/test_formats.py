"""The format registry (batrepro.readers.formats): it equals the schemas' format enums, and every entry is
importable and returns a RawTable on a real file."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml

from batrepro.readers import RawTable
from batrepro.readers.formats import FORMATS, read

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "workflow/schemas"
PUBLIC = REPO.parent / "shared" / "data" / "public" / "eclab"


def _enums(node) -> set[str]:
    """Every format enum under a schema node (``$ref`` to formats.schema.yaml resolved)."""
    if isinstance(node, dict):
        if "$ref" in node:
            ref_file, _, pointer = node["$ref"].partition("#")
            target = yaml.safe_load((SCHEMAS / "samples" / ref_file).read_text(encoding="utf-8"))
            for part in pointer.strip("/").split("/"):
                target = target[part]
            return _enums(target)
        if "enum" in node:
            return set(node["enum"])
        return set().union(*(_enums(v) for v in node.values())) if node else set()
    return set()


def test_registry_equals_the_schema_enums():
    """formats.schema.yaml holds the formats several techniques share; a format one technique reads is in its
    sheet schema. Together they are exactly the registry."""
    shared = yaml.safe_load((SCHEMAS / "formats.schema.yaml").read_text(encoding="utf-8"))["$defs"]
    shared_ids = set().union(*(_enums(group) for group in shared.values()))
    assert shared_ids <= set(FORMATS)
    sheet_ids = set()
    for path in sorted((SCHEMAS / "samples").glob("*.schema.yaml")):
        props = yaml.safe_load(path.read_text(encoding="utf-8")).get("properties", {})
        if "format" in props:
            sheet_ids |= _enums(props["format"])
    assert shared_ids | sheet_ids == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_entry_is_importable(fmt):
    module, function = FORMATS[fmt]
    assert callable(getattr(importlib.import_module(f"batrepro.readers.{module}"), function))


def _generic_csv(tmp_path: Path) -> Path:
    """A generic CSV written from a bundled EC-Lab file's canonical columns."""
    table = read(REPO / "resources/raw/kim2026/rate/PI_rate.mpt", "eclab_mpt").data
    out = tmp_path / "run.csv"
    table[["time_s", "voltage_V", "current_mA"]].to_csv(out, index=False)
    return out


def _ftir_csv(tmp_path: Path) -> Path:
    """An FT-IR CSV written from a bundled JCAMP-DX spectrum."""
    table = read(REPO / "resources/raw/kim2026/ftir/PI.jdx", "jcamp_dx").data
    out = tmp_path / "spectrum.csv"
    table.to_csv(out, index=False)
    return out


def _isotherm_csv(tmp_path: Path) -> Path:
    """An isotherm CSV written from a bundled Micromeritics stand-in."""
    table = read(REPO / "resources/raw/guan_hrposs/bet/POSS_N2_77K.xls", "micromeritics_xls").data
    out = tmp_path / "isotherm.csv"
    table.rename(columns={"quantity_adsorbed_cm3_g": "quantity_adsorbed_cm3_g_stp"}).to_csv(out, index=False)
    return out


SAMPLES = {
    "eclab_mpt": (lambda tmp: REPO / "resources/raw/kim2026/rate/PI_rate.mpt", {}, "GCPL"),
    "eclab_mpr": (lambda tmp: PUBLIC / "cv.mpr", {}, "CV"),
    "generic_csv": (_generic_csv, {"kind": "cycling"}, "csv-cycling"),
    "trios_txt": (lambda tmp: REPO / "resources/raw/kim2026/dma/PI_DMA_ramp.txt", {}, "DMA temperature ramp"),
    "bluehill_csv": (lambda tmp: REPO / "resources/raw/kim2026/tensile/PI-P_specimen1.csv", {}, "tensile"),
    "anton_paar_indentation_txt": (
        lambda tmp: REPO / "resources/raw/kim2026/nanoindentation/PI_indent01.txt",
        {},
        "indentation",
    ),
    "saicas_csv": (lambda tmp: REPO / "resources/raw/kim2026/saicas/PI_saicas1.csv", {}, "SAICAS"),
    "jcamp_dx": (lambda tmp: REPO / "resources/raw/kim2026/ftir/PAID-P.jdx", {}, "FT-IR spectrum"),
    "ftir_csv": (_ftir_csv, {}, "FT-IR spectrum"),
    "gaussian_log": (lambda tmp: REPO / "resources/raw/kim2026/dft/PI_unit.log", {}, "Gaussian log"),
    "gpc_csv": (lambda tmp: REPO / "resources/raw/kim2026/gpc/PI_RI.csv", {}, "GPC RI trace"),
    "micromeritics_xls": (
        lambda tmp: REPO / "resources/raw/guan_hrposs/bet/POSS_N2_77K.xls",
        {},
        "Micromeritics N2 isotherm",
    ),
    "isotherm_csv": (_isotherm_csv, {}, "isotherm CSV"),
    "autopore_txt": (lambda tmp: REPO / "resources/raw/kim2026/mip/PI_MIP.txt", {}, "MIP intrusion"),
    "vamas": (lambda tmp: REPO / "resources/raw/kim2026/xps/PI_C1s_F1s_200cycles.vms", {}, "XPS"),
    "jeol_sem_tif": (lambda tmp: REPO / "resources/raw/kim2026/sem/PI_pristine.tif", {}, "SEM image"),
    "imagej_results_csv": (
        lambda tmp: REPO / "resources/raw/kim2026/sem/PI_pristine_imagej.csv",
        {},
        "ImageJ line measurements",
    ),
}


def test_every_format_has_a_sample():
    assert set(SAMPLES) == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_every_entry_returns_a_raw_table(fmt, tmp_path):
    make, options, technique = SAMPLES[fmt]
    path = make(tmp_path)
    if not path.is_file():
        pytest.skip(f"{path} absent")
    raw = read(path, fmt, **options)
    assert isinstance(raw, RawTable)
    assert raw.source == str(path) and len(raw.data) > 0
    assert raw.technique == technique


def test_unknown_format_is_a_one_line_error(tmp_path):
    with pytest.raises(ValueError, match="unknown format 'no_such_format'"):
        read(tmp_path / "x.dat", "no_such_format")
