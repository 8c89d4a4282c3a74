"""Mercury intrusion: Washburn, known answers, the AutoPore reader, stand-ins, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from batrepro.analysis.mip import analyse_intrusion, washburn_diameter_um
from batrepro.readers import RawDataError
from batrepro.readers.autopore import read_autopore_txt
from batrepro.simulate import porosimetry
from batrepro.techniques import process_runs
from tests.conftest import schema_settings

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "resources/raw/kim2026/mip"
HG = dict(surface_tension_mN_m=485.0, contact_angle_deg=130.0)


def test_washburn_matches_the_autopore_constant():
    # AutoPore: D = 0.145038 · (−4γ cos θ) / P µm; 485 mN/m, 130°: 180.864 µm psia
    assert washburn_diameter_um(180.8636, **HG) == pytest.approx(1.0, rel=1e-5)
    assert washburn_diameter_um(33000.0, **HG) == pytest.approx(0.00548, rel=1e-3)


def test_one_pore_size_gives_its_volume_porosity_area_and_diameters():
    # all the volume enters at 1 µm: median diameters 1 µm, area 4V/D, porosity V ρ
    p = np.array([1.0, 100.0, 180.0, 181.7, 1000.0, 30000.0])
    v = np.array([0.0, 0.0, 0.0, 0.2, 0.2, 0.2])
    res = analyse_intrusion(p, v, bulk_density_g_mL=1.25, plateau_points=3, **HG)
    assert res.porosity_pct == pytest.approx(25.0)
    d_step = washburn_diameter_um([180.0, 181.7], **HG)
    assert d_step[1] <= res.median_diameter_volume_um <= d_step[0]
    assert res.total_pore_area_m2_g == pytest.approx(4 * 0.2e-6 / 1e-6, rel=0.01)  # 0.8 m² g⁻¹
    assert res.average_diameter_um == pytest.approx(1.0, rel=0.01)


def test_area_median_lies_below_volume_median_for_a_broad_distribution():
    p = np.geomspace(0.5, 33000, 120)
    v = porosimetry.intrusion_curve(p, 0.2, 0.5, 0.9, 485.0, 130.0)
    res = analyse_intrusion(p, v, bulk_density_g_mL=1.2, plateau_points=10, **HG)
    assert res.median_diameter_volume_um == pytest.approx(0.5, rel=0.03)
    assert res.median_diameter_area_um < res.median_diameter_volume_um


PRINTED = {"PI": 23.42, "PAID": 27.63, "PAID-P": 19.75}


def test_stand_ins_recover_the_porosities_within_their_standard_errors_but_not_exactly():
    runs = [
        {"paper": "kim2026", "sample": s, "run": s, "condition": "", "path": str(RAW / f"{s}_MIP.txt")}
        | {"format": "autopore_txt"}
        for s in ("PI", "PAID", "PI-P", "PAID-P")
    ]
    _, metrics, curves, summary = process_runs("mip", "kim2026", runs, schema_settings("mip"))
    for sample, printed in PRINTED.items():
        got, u = metrics[sample]["porosity_pct"], metrics[sample]["porosity_stderr_pct"]
        assert 0 < u < 0.1 and abs(got - printed) <= 0.005 + 2 * u and got != pytest.approx(printed)
    # the paper's text: POSS-crosslinked electrodes have less pore area and larger pores than PI and PAID
    area = {s: metrics[s]["total_pore_area_m2_g"] for s in metrics}
    diam = {s: metrics[s]["median_diameter_volume_um"] for s in metrics}
    assert max(area["PI-P"], area["PAID-P"]) < min(area["PI"], area["PAID"])
    assert min(diam["PI-P"], diam["PAID-P"]) > max(diam["PI"], diam["PAID"])
    rows = summary.set_index(["sample", "quantity"])
    assert rows.loc[("PAID-P", "porosity"), "unit"] == "%"
    assert {"median_pore_diameter_volume", "median_pore_diameter_area", "total_pore_area"} <= set(rows.loc["PI"].index)


def test_stand_ins_regenerate_byte_identically(tmp_path):
    params = yaml.safe_load((REPO / "resources/simulate/porosimetry.yaml").read_text(encoding="utf-8"))
    for path in porosimetry.write_stand_ins(params, tmp_path):
        assert Path(path).read_bytes() == (REPO / Path(path).relative_to(tmp_path)).read_bytes()


def test_reader_takes_the_header_and_stops_at_extrusion(tmp_path):
    text = (RAW / "PI_MIP.txt").read_text(encoding="utf-8")
    extrusion = "20000.000\t0.0090\t0.10000\t-0.09\n1000.000\t0.18\t0.09000\t-0.01\n"
    path = tmp_path / "x.txt"
    path.write_text(text + extrusion, encoding="utf-8")
    raw = read_autopore_txt(path)
    assert raw.header["bulk_density_pressure_psia"] == pytest.approx(0.52)
    assert raw.header["contact_angle_deg"] == 130.0
    assert raw.data["pressure_psia"].is_monotonic_increasing and raw.data["pressure_psia"].iloc[-1] == 33000.0


# --- bad input ----------------------------------------------------------------------------------------------


def test_a_negative_intrusion_volume_names_file_and_line(tmp_path):
    lines = (RAW / "PAID_MIP.txt").read_text(encoding="utf-8").splitlines()
    k = next(i for i, line in enumerate(lines) if line.startswith("Pressure (psia)")) + 5
    cells = lines[k].split("\t")
    cells[2] = "-0.01000"
    lines[k] = "\t".join(cells)
    path = tmp_path / "neg.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RawDataError, match=rf"neg.txt:{k + 1}: negative cumulative intrusion volume -0.01 mL/g"):
        read_autopore_txt(path)


def test_a_file_without_the_intrusion_columns_is_a_one_line_error(tmp_path):
    path = tmp_path / "cols.txt"
    path.write_text(
        "AutoPore V 9620\nBulk Density at 0.52 psia: 1.2 g/mL\nPressure (psia)\tVolume (mL)\n1\t0\n", encoding="utf-8"
    )
    with pytest.raises(RawDataError, match=r"cols.txt:3: missing column 'Cumulative Intrusion \(mL/g\)'"):
        read_autopore_txt(path)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("\t347.8145\t", "\t340.8145\t"), r":12: 'Pore Size Diameter \(µm\)' 340.815 µm disagrees with Washburn"),
        (("0.00056\t-0.00013", "0.00056\t-0.00019"), r":48: 'Incremental Intrusion \(mL/g\)' -0.00019 is not the rise"),
    ],
)
def test_a_redundant_column_that_disagrees_is_a_one_line_error(tmp_path, edit, message):
    """The file's pore diameters (Washburn, from the header's γ and θ) and incremental volumes are redundant with
    its pressures and cumulative volumes; a disagreement beyond the printed rounding is named, not ignored."""
    text = (RAW / "PI_MIP.txt").read_text(encoding="utf-8")
    assert edit[0] in text
    path = tmp_path / "edited.txt"
    path.write_text(text.replace(*edit, 1), encoding="utf-8")
    with pytest.raises(RawDataError, match="edited.txt" + message):
        read_autopore_txt(path)
