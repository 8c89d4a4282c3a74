"""SEM thickness: known answers through the JEOL writer and reader, both measurement paths on the stand-ins,
the swelling arithmetic, the plug-in's summary, and one test per kind of bad input."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import tifffile
import yaml

from batrepro.analysis.sem import RECOVERY_READINGS, Thickness, image_thickness, line_thickness, swelling
from batrepro.readers import RawDataError
from batrepro.readers.imagej import read_imagej_results
from batrepro.readers.jeol_sem import read_jeol_sem
from batrepro.simulate import sem as sim
from batrepro.techniques import build_settings, process_runs
from batrepro.techniques import sem as plugin

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "resources/raw/kim2026/sem"
SCHEMA = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
DEFAULTS = {k: v["default"] for k, v in SCHEMA["properties"]["sem"]["properties"].items()}
PARAMS = yaml.safe_load((REPO / "resources/simulate/kim2026_sem.yaml").read_text(encoding="utf-8"))
ANALYSIS = {k: v for k, v in DEFAULTS.items() if k not in ("max_line_tilt_deg", "scale_tolerance")}


def write_field(tmp_path: Path, thickness_um=9.0, magnification=6000, seed=1, name="X", sidecar=True):
    """A simulated cross-section of known mean thickness, written as a JEOL TIFF (+ sidecar)."""
    img = PARAMS["image"]
    field = sim.Field(name, thickness_um, magnification, 5, img["width_px"], img["height_px"], img["bar_height_px"])
    grey, top, foil = sim.render(field, PARAMS["model"], np.random.default_rng(seed))
    pixels = np.clip(np.rint(grey), 0, 255).astype(np.uint8)
    tiff = tmp_path / f"{name}.tif"
    tiff.write_bytes(sim.tiff_bytes(np.vstack([pixels, sim.data_bar(field, 15.0, 10.0)])))
    if sidecar:
        meta = {**PARAMS["meta"], "time": "10:00:00", "stage": "0 0 10 0 0"}
        tiff.with_suffix(".txt").write_text(sim.sidecar_text(field, meta, tiff.name), encoding="utf-8")
    return tiff, field, (foil - top).mean() * field.pixel_um


def test_known_thickness_is_recovered_through_the_jeol_files_and_the_data_bar_is_cropped(tmp_path):
    path, field, truth = write_field(tmp_path, thickness_um=9.0)
    raw = read_jeol_sem(path)
    assert raw.data.shape == (960, 1280)  # the TIFF has 1024 rows: the 64-row data bar is gone
    assert raw.header["data_bar_rows"] == 64
    assert raw.header["pixel_size_um"] == pytest.approx(5 / field.bar_px)
    assert raw.header["magnification"] == 6000
    th = image_thickness(raw.data.to_numpy(), raw.header["pixel_size_um"], **ANALYSIS)
    assert truth == pytest.approx(9.0, rel=1e-9)
    assert th.mean_um == pytest.approx(truth, rel=0.005)
    assert th.n == 640 and 0 < th.se_um < th.sd_um
    # the edges lie on the drawn interfaces column by column (within 2 px), so the overlay can be trusted
    assert np.median(np.abs(np.diff(th.foil_px))) < 1.0


@pytest.mark.parametrize("thickness_um, magnification", [(6.0, 8000), (20.0, 3000)])
def test_thickness_is_recovered_across_magnifications(tmp_path, thickness_um, magnification):
    path, field, truth = write_field(tmp_path, thickness_um, magnification, seed=7)
    raw = read_jeol_sem(path)
    th = image_thickness(raw.data.to_numpy(), raw.header["pixel_size_um"], **ANALYSIS)
    assert th.mean_um == pytest.approx(truth, rel=0.005)


def _pair(stem):
    raw = read_jeol_sem(RAW / f"{stem}.tif")
    auto = image_thickness(raw.data.to_numpy(), raw.header["pixel_size_um"], **ANALYSIS)
    hand = line_thickness(read_imagej_results(RAW / f"{stem}_imagej.csv").data["length"].to_numpy())
    return auto, hand


@pytest.mark.parametrize("sample", ["PI", "PAID", "PI-P", "PAID-P"])
def test_automatic_edges_and_imagej_lines_agree_within_2_percent_on_the_stand_ins(sample):
    for state in ("pristine", "lithiated", "delithiated"):
        auto, hand = _pair(f"{sample}_{state}")
        assert abs(hand.mean_um / auto.mean_um - 1) < 0.02, (sample, state, auto.mean_um, hand.mean_um)
        assert hand.n == PARAMS["imagej"]["n_lines"]


def test_swelling_arithmetic_and_every_recovery_reading():
    t0, tl, td = (Thickness(v, 0.1, 0.0, 1, "x") for v in (10.0, 23.6, 20.2))
    res = swelling(t0, tl, td)
    assert res["expansion"][0] == pytest.approx(136.0)
    assert res["contraction"][0] == pytest.approx(102.0)
    assert res["recovery:stated_definition"][0] == pytest.approx(100 * 20.2 / 23.6)
    assert res["recovery:recovered_fraction"][0] == pytest.approx(100 * 34 / 136)  # 25 %, the printed value
    assert res["recovery:return_to_initial"][0] == pytest.approx(100 * 10 / 20.2)
    assert {f"recovery:{k}" for k in RECOVERY_READINGS} < set(res)
    assert all(u == 0 for _, u in res.values())  # no standard errors in, none out
    with_se = swelling(Thickness(10.0, 0.1, 0.1, 1, "x"), tl, td)["expansion"][1]
    assert with_se == pytest.approx(100 * 23.6 / 10.0**2 * 0.1, rel=1e-4)


def _runs(sample="PI-P", imagej=True):
    runs = []
    for state in ("pristine", "lithiated", "delithiated"):
        runs.append(
            dict(paper="kim2026", sample=sample, run=f"{sample}_{state}", condition=f"state={state}",
                 path=str(RAW / f"{sample}_{state}.tif"), format="jeol_sem_tif")
        )  # fmt: skip
        if imagej:
            runs.append(
                dict(paper="kim2026", sample=sample, run=f"{sample}_{state}_imagej",
                     condition=f"measurement=imagej;state={state}", path=str(RAW / f"{sample}_{state}_imagej.csv"),
                     format="imagej_results_csv", length_unit="um")
            )  # fmt: skip
    return runs


def test_plugin_summary_carries_every_reading_and_keeps_the_imagej_path_apart():
    tables, metrics, curves, summary = process_runs("sem", "kim2026", _runs(), DEFAULTS)
    rows = summary.set_index(["quantity", "condition"])
    readings = sorted(c for q, c in rows.index if q == "volume_recovery" and c.startswith("reading="))
    assert readings == [f"reading={k}" for k in sorted(RECOVERY_READINGS)]
    assert ("thickness_expansion", "state=lithiated") in rows.index
    assert ("thickness_expansion", "measurement=imagej;state=lithiated") in rows.index
    assert rows.loc[("thickness", "state=pristine"), "n"] == 640
    assert set(curves["PI-P_lithiated"].columns) == {"x_px", "top_px", "foil_px", "thickness_um"}
    auto = rows.loc[("thickness_expansion", "state=lithiated"), "value"]
    hand = rows.loc[("thickness_expansion", "measurement=imagej;state=lithiated"), "value"]
    assert abs(auto - hand) < 3.0


def test_sheet_pixel_size_stands_in_for_a_missing_sidecar_and_must_agree_with_one(tmp_path):
    path, field, truth = write_field(tmp_path, sidecar=False)
    settings = build_settings(plugin.Settings, DEFAULTS, "sem")
    run = dict(paper="p", sample="S", run="S", condition="state=pristine", path=str(path), format="jeol_sem_tif")
    raw = read_jeol_sem(path)
    assert raw.data.shape == (1024, 1280) and "pixel_size_um" not in raw.header  # no sidecar: read whole
    _, info = plugin.ingest(raw, {**run, "pixel_size_um": field.pixel_um}, settings)
    assert info["pixel_size_um"] == field.pixel_um and info["scale_source"] == "sample sheet"
    path2, field2, _ = write_field(tmp_path, name="Y")
    with pytest.raises(RawDataError, match="disagrees with the sheet's pixel_size_um"):
        plugin.ingest(read_jeol_sem(path2), {**run, "pixel_size_um": 2 * field2.pixel_um}, settings)


# ---- bad input: one test per kind, each a one-line error naming the file -------------------------------------


def test_image_without_scale_metadata_or_sheet_pixel_size_is_an_error(tmp_path):
    path, _, _ = write_field(tmp_path, sidecar=False)
    run = dict(paper="p", sample="S", run="S", condition="state=pristine", path=str(path), format="jeol_sem_tif")
    with pytest.raises(ValueError, match=r"run S: .*X\.tif: no scale: no JEOL \.txt sidecar") as err:
        process_runs("sem", "p", [run], DEFAULTS)
    assert "\n" not in str(err.value)


def test_corrupt_tiff_is_an_error(tmp_path):
    path, _, _ = write_field(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[:8] + b"\x00" * 64 + data[72:2000])  # header kept, IFD pointer and strips destroyed
    with pytest.raises(RawDataError, match=r"X\.tif: not a readable TIFF") as err:
        read_jeol_sem(path)
    assert "\n" not in str(err.value)
    text = tmp_path / "Z.tif"
    text.write_text("this is not an image\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="not a readable TIFF"):
        read_jeol_sem(text)


def test_sidecar_contradicting_the_image_size_is_an_error(tmp_path):
    path, _, _ = write_field(tmp_path)
    side = path.with_suffix(".txt")
    side.write_text(side.read_text(encoding="utf-8").replace("$CM_FULL_SIZE 1280 960", "$CM_FULL_SIZE 2560 1920"))
    line = next(i for i, t in enumerate(side.read_text().splitlines(), 1) if t.startswith("$CM_FULL_SIZE"))
    with pytest.raises(RawDataError, match=rf"X\.txt:{line}: \$CM_FULL_SIZE 2560 x 1920 px contradicts the image"):
        read_jeol_sem(path)


def test_imagej_table_with_wrong_columns_is_an_error(tmp_path):
    path = tmp_path / "Results.csv"
    path.write_text(" ,Area,Mean,Min,Max\n1,12.5,101.2,40,200\n", encoding="utf-8")
    with pytest.raises(RawDataError, match=r"Results\.csv:1: .*no 'Length' column"):
        read_imagej_results(path)
    path.write_text(" ,Angle,Length\n1,90.0,abc\n", encoding="utf-8")
    with pytest.raises(RawDataError, match=r"Results\.csv:2: non-numeric value 'abc' in column 'Length'"):
        read_imagej_results(path)


def test_imagej_lengths_in_px_use_the_sheet_pixel_size_and_need_it():
    settings = build_settings(plugin.Settings, DEFAULTS, "sem")
    raw = read_imagej_results(RAW / "PI_pristine_imagej.csv")
    run = {"format": "imagej_results_csv", "length_unit": "px"}
    table, _ = plugin.ingest(raw, {**run, "pixel_size_um": 0.5}, settings)
    assert np.allclose(table["length_um"], 0.5 * raw.data["length"])
    with pytest.raises(RawDataError, match="lengths in px need pixel_size_um"):
        plugin.ingest(raw, run, settings)


def test_imagej_line_far_from_the_foil_normal_is_refused():
    settings = build_settings(plugin.Settings, DEFAULTS, "sem")
    raw = read_imagej_results(RAW / "PI_pristine_imagej.csv")
    raw.data.loc[3, "angle_deg"] = 60.0
    with pytest.raises(RawDataError, match="line 4 is 30.0° from the normal"):
        plugin.ingest(raw, {"format": "imagej_results_csv", "length_unit": "um"}, settings)


def test_an_image_without_a_foil_is_an_error_not_a_number():
    flat = np.random.default_rng(0).normal(100, 3, (960, 1280))
    with pytest.raises(ValueError, match="edges found in only"):
        image_thickness(flat, 0.03, **ANALYSIS)


# ---- stand-ins and purity --------------------------------------------------------------------------------------


def test_stand_ins_regenerate_byte_identically_and_stay_small():
    files = sim.electrode_fields(PARAMS, samples=["PAID-P"])  # each image has its own stream: one sample suffices
    assert len(files) == 9
    for path, content in files.items():
        disk = (REPO / path).read_bytes()
        assert disk == (content if isinstance(content, bytes) else content.encode("utf-8")), path
    assert sum(p.stat().st_size for p in RAW.iterdir()) < 5e6


def test_analysis_never_reads_the_registry_or_the_simulator():
    for module in ("analysis/sem.py", "techniques/sem.py", "readers/jeol_sem.py", "readers/imagej.py"):
        text = (REPO / "workflow/scripts/batrepro" / module).read_text(encoding="utf-8")
        assert not re.search(r"simulate|resources/", text), module


def test_rgb_tiff_is_read_as_luminance_on_the_grey_scale(tmp_path):
    path, _, _ = write_field(tmp_path)
    grey = read_jeol_sem(path).data.to_numpy()
    rgb = tmp_path / "C.tif"
    tifffile.imwrite(rgb, np.repeat(tifffile.imread(path)[..., None], 3, axis=2), photometric="rgb")
    path.with_suffix(".txt").rename(rgb.with_suffix(".txt"))
    assert np.allclose(read_jeol_sem(rgb).data.to_numpy(), grey, atol=0.5)
