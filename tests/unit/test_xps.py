"""XPS analysis: known answers, simulator round trips, CasaXPS validation, bad component models."""

from __future__ import annotations

import numpy as np
import pytest

from batrepro.analysis.xps import background, lineshapes, quant, runs
from batrepro.analysis.xps.fit import Component, RegionModel, fit_region
from batrepro.readers.vamas import read_vamas
from batrepro.simulate import xps as sim
from tests.conftest import schema_settings

BE = np.linspace(95.0, 109.0, 281)


@pytest.mark.parametrize("shape,args", [("gl", (30.0,)), ("sgl", (30.0,)), ("pseudo_voigt", (0.4,)), ("gaussian", ())])
def test_lineshape_area_and_fwhm(shape, args):
    x = np.linspace(-80, 80, 320001)
    y = lineshapes.SHAPES[shape](x, 7.0, 0.0, 1.5, *args)
    assert np.trapezoid(y, x) == pytest.approx(7.0, rel=5e-3)  # Lorentzian tails beyond +-80 eV are missing
    half = x[y >= y.max() / 2]
    # the GL product form's true FWHM is a little below its width parameter (CasaXPS manual); the others are exact
    assert half[-1] - half[0] == pytest.approx(1.5, abs=1e-3 if shape != "gl" else 0.1)


def test_shirley_known_step():
    """A Gaussian on a Shirley step: the background's end points are the data's, the step is proportional
    to the integrated peak (the definition), so the subtracted area is the Gaussian's."""
    peak = lineshapes.gaussian(BE, 100.0, 102.0, 1.2)
    cum = np.cumsum(peak) * (BE[1] - BE[0])
    y = 50 + peak + 20 * cum / cum[-1]
    bg = background.shirley(BE, y)
    assert bg[0] == pytest.approx(y[0]) and bg[-1] == pytest.approx(y[-1])
    assert np.trapezoid(y - bg, BE) == pytest.approx(100.0, rel=0.01)
    assert background.linear(BE, y)[[0, -1]] == pytest.approx(y[[0, -1]])


def test_tougaard_meets_high_be_end():
    peak = lineshapes.gaussian(BE, 100.0, 100.0, 1.2)
    y = 10 + peak + 0.05 * np.cumsum(peak)
    for kind in ("U2", "U3"):
        bg = background.tougaard(BE, y, C=1643.0 if kind == "U2" else 551.0, D=436.0, kind=kind)
        assert bg[-1] == pytest.approx(y[-1]) and bg[0] == pytest.approx(y[0])
        assert np.all(np.diff(bg) >= -1e-9)  # loss background only grows towards higher BE


def _model(name):
    s = schema_settings("xps")
    return runs.model_from_config(name, s["models"][name], s["background"], s["background_endpoints"])


def test_fit_recovers_known_valence_exactly_without_noise():
    frac = sim.binomial_fractions(1.3)
    peaks = []
    for k, f in enumerate(frac):
        c = 99.4 + (0.0, 0.95, 1.75, 2.48, 3.9)[k]
        peaks += [(1e4 * f / 1.5, c, 1.15, 30.0), (1e4 * f / 3.0, c + 0.61, 1.15, 30.0)]
    y = 100 + sum(sim.line(BE, *p) for p in peaks)
    res = fit_region(BE, y, _model("si2p"))
    v, sd = quant.average_valence(res)
    assert v == pytest.approx(1.3, abs=0.01)
    assert res.fwhms[0] == pytest.approx(1.15, abs=0.02) and len(set(np.round(res.fwhms, 9))) == 1


def test_regeneration_is_byte_identical_and_noisy(tmp_path, repo):
    """The simulator rewrites the committed stand-ins byte for byte; they carry counting noise and a charging
    shift, so the analysis recovers the calibration within its standard error, never exactly."""
    written = sim.write_all(repo / "resources/simulate/xps.yaml", root=tmp_path)
    assert len(written) == 9
    for f in written:
        assert f.read_bytes() == (repo / f.relative_to(tmp_path)).read_bytes()
    data = read_vamas(tmp_path / "resources/raw/guan_hrposs/xps/HRPOSS-6_Si2p_N1s_depth.vms").data
    data, shifts = runs.charge_correct(data, "C 1s", 284.8, (280.0, 292.0))
    assert all(0.15 < -s[2] < 0.95 for s in shifts)  # the simulated charging (0.2-0.9 eV) is found and removed
    fits = runs.fit_blocks(data, _model("si2p"))
    v, sd = quant.average_valence(fits[0][3])
    assert v != 1.5 and abs(v - 1.5) < 4 * sd + 0.005 and 0 < sd < 0.05
    comp = runs.composition(
        read_vamas(tmp_path / "resources/raw/guan_hrposs/xps/HRPOSS-6_sites_depth.vms").data,
        schema_settings("xps")["quantification"],
        "shirley",
        3,
    )
    si, u = comp[(1.0, 0.0)]["Si"]
    assert sum(v for v, _ in comp[(1.0, 0.0)].values()) == pytest.approx(100.0)
    assert si != 21.8 and abs(si - 21.8) < 4 * u + 0.05 and 0.02 < u < 0.5


def test_area_error_matches_monte_carlo():
    """The propagated region-area error (Shirley Jacobian included) is the scatter of repeated noisy spectra."""
    rng = np.random.default_rng(3)
    be = np.arange(108, 96 - 0.025, -0.05)
    areas, errors = [], []
    for _ in range(120):
        counts = sim.spectrum(be, [(40000, 102.3, 1.8, 30)], 500, 0.3, rng, 0.1, 20)
        cps = counts / 2
        a, u = quant.region_area(be, cps, (96, 108), "shirley", 3, cps**2 / np.maximum(counts, 1))
        areas.append(a)
        errors.append(u)
    assert np.std(areas, ddof=1) / np.mean(errors) == pytest.approx(1.0, abs=0.2)


def test_summary_rows_match_registry_names(repo):
    import pandas as pd

    from batrepro.techniques import process_runs

    sheet = pd.read_csv(repo / "config/samples/xps.tsv", sep="\t", dtype=str, keep_default_na=False)
    sheet["path"] = [str(repo / p) for p in sheet["path"]]
    got, n = set(), 0
    for paper in ("guan_hrposs", "kim2026"):
        rows = sheet[sheet["paper"] == paper].to_dict("records")
        df = process_runs("xps", paper, rows, schema_settings("xps"))[3]
        got |= set(zip(df["sample"], df["quantity"], df["condition"]))
        n += len(df)
    assert ("HRPOSS-6", "si_average_valence", "sputter_min=14") in got
    assert ("HRPOSS-6", "atomic_concentration", "element=N;site=3;sputter_min=28") in got
    assert ("HRPOSS-6", "atomic_concentration", "element=N;sputter_min=28") in got  # mean +- SD across sites
    assert ("PAID-P", "lif_fraction", "region=F1s") in got and ("PI", "li2co3_fraction", "region=C1s") in got
    assert ("HRPOSS-6", "site_count", "") in got and ("HRPOSS-6", "sputter_interval", "") in got
    assert n == 30 + 140 + 28 + 8 + 2


def test_charge_shift_and_composition():
    be = np.linspace(280, 292, 241)
    y = lineshapes.gaussian(be, 1.0, 285.3, 1.2)
    assert quant.charge_shift(be, y) == pytest.approx(-0.5, abs=0.01)
    comp = quant.composition({"C": 2.0, "O": 2.93}, {"C": 1.0, "O": 2.93})
    np.testing.assert_allclose(comp.at_percent, [200 / 3, 100 / 3])


CASA_RAW = np.array([63400.62, 29867.34, 42839.74, 15954.51])
CASA_BE = np.array([709.03, 715.73, 722.18, 730.22])
CASA_CORR = np.array([1430.56, 671.00, 958.37, 355.03])
CASA_AT = np.array([41.89, 19.65, 28.06, 10.40])


def test_casaxps_quantification_from_its_raw_areas(public_data):
    """CasaXPS's Area/(RSF*T*MFP) and %At from its raw areas, with T read from the file's own transmission
    column at each component (RSF 16.42 and MFP exponent 0 from the stored region/components)."""
    r = read_vamas(public_data / "xps/FeO_analyzed.vms")
    blk = r.header["blocks"][0]
    rsf = blk["casa"]["components"][0]["rsf"]
    mfp = np.asarray(r.data["kinetic_energy_eV"].mean()) ** blk["parameters"]["MFP Exponent"]
    t = quant.transmission_at(CASA_BE, r.data["binding_energy_eV"], r.data["transmission"])
    corr = CASA_RAW / (rsf * t * mfp)
    np.testing.assert_allclose(corr, CASA_CORR, rtol=2e-5)
    np.testing.assert_allclose(100 * corr / corr.sum(), CASA_AT, atol=0.01)


def test_casaxps_u3_tougaard_with_its_stored_parameters_meets_the_data(public_data):
    """Tougaard's three-parameter universal cross-section K(T) = B T / ((C - T^2)^2 + D T^2) (Surf. Interface
    Anal. 25 (1997) 137) with the B, C, D CasaXPS stored for FeO_analyzed.vms (B = 335.45 eV^2, polymer-class
    C = 551 eV^2, D = 436 eV^2): CasaXPS chose B so the background meets the data at the high-BE end of its
    region (averaged over the region's 2-eV averaging width); our U3 background with that B does too, to 0.5 %."""
    r = read_vamas(public_data / "xps/FeO_analyzed.vms")
    blk = r.header["blocks"][0]
    reg = blk["casa"]["regions"][0]
    assert reg["background"] == "U 3 Tougaard"
    B, C, D, _ = reg["background_parameters"]
    hv = blk["source_energy_eV"]
    be, y = r.data["binding_energy_eV"].to_numpy(), r.data["counts"].to_numpy()
    sel = (be >= hv - reg["end"]) & (be <= hv - reg["start"])
    x, yy = be[sel], y[sel]
    n = round(reg["average_width"] / abs(np.diff(x).mean()))  # CasaXPS averages the end points over 2 eV
    bg = background.tougaard(x, yy, B=B, C=C, D=D, kind="U3", fit_B=False, n_avg=n)
    hi = np.argsort(x)[-n:]
    assert bg[hi[-1]] == pytest.approx(yy[hi].mean(), rel=0.005)
    free = background.tougaard(x, yy, C=C, D=D, kind="U3", fit_B=True)
    assert free[hi[-1]] == pytest.approx(yy[hi[-1]])  # fitting B meets the end point by construction


def _fe2p_net_area(r):
    """Net area (counts/s x eV) of FeO_analyzed.vms's Fe 2p region above CasaXPS's stored U 3 Tougaard background."""
    blk = r.header["blocks"][0]
    hv, reg = blk["source_energy_eV"], blk["casa"]["regions"][0]
    B, C, D, _ = reg["background_parameters"]
    be, y = r.data["binding_energy_eV"].to_numpy(), r.data["counts_per_s"].to_numpy()
    sel = (be >= hv - reg["end"]) & (be <= hv - reg["start"])
    x, yy = be[sel], y[sel]
    n = round(reg["average_width"] / abs(np.diff(x).mean()))
    bg = background.tougaard(x, yy, B=B, C=C, D=D, kind="U3", fit_B=False, n_avg=n)
    o = np.argsort(x)
    return float(np.trapezoid((yy - bg)[o], x[o]))


def test_casaxps_results_are_not_the_fit_stored_in_the_file(public_data):
    """FeO_analyzed_results.csv was exported from another fit state than the one FeO_analyzed.vms stores (the
    pynxtools-xps test copy of the file stores the same CASA comp lines): positions differ by up to 0.33 eV, the
    SGL(30) FWHM by 0.11 eV, areas by up to 17 %. Line-shape free check: the stored components' full areas sum to
    3 % above the net area under the stored U 3 Tougaard background (their tails reach past the 49-eV region), as a
    fit of these data must; the CSV's raw areas sum to 5.6 % below it, so no refit that matches the data under that
    background can give all four within 2 %. The stored state's own %At miss the CSV's by up to 3.5 at%."""
    r = read_vamas(public_data / "xps/FeO_analyzed.vms")
    blk = r.header["blocks"][0]
    comps = blk["casa"]["components"]
    stored = np.array([c["area"]["value"] for c in comps])
    be = blk["source_energy_eV"] - np.array([c["position"]["value"] for c in comps])
    net = _fe2p_net_area(r)
    assert 1.0 < stored.sum() / net < 1.05  # CasaXPS's areas are in counts/s x eV (counts / (2 s dwell x 1 scan))
    assert CASA_RAW.sum() * 1.02 < net
    assert np.abs(be - CASA_BE).max() > 0.25
    t = quant.transmission_at(be, r.data["binding_energy_eV"], r.data["transmission"])
    corr = stored / t
    assert np.abs(100 * corr / corr.sum() - CASA_AT).max() > 3.0


@pytest.mark.xfail(
    strict=True,
    reason="blocked: CasaXPS's LF(0.54,10,80,100,6) is not defined in any source found (casaxps.com line_shapes.htm "
    "and QuantificationUsingAsymmetricLine.htm, harwellxps.guru 'LA and LF lineshapes', xpsfitting.com 'Line-shape "
    "definitions', NXxps, pynxtools-xps, KherveFitting, open CasaXPS reconstructions): they give the LA kernel "
    "(L^alpha / L^beta either side of the position, convolved with a Gaussian) but not how the integer m (0-499) sets "
    "the Gaussian width, the form of LF's tail damping w, nor LF's fifth argument; and the CSV is from another fit "
    "state than the stored components (test above), so the 2 % / 0.5 at% criterion is unattainable from this file",
)
def test_casaxps_fit_reproduces_raw_areas(public_data):
    """Refit of the stored components (LF replaced by SGL(30), the only stand-in available) on the counts/s ordinate
    CasaXPS's areas are in. With Shirley it gets 0.63, 1.00, 0.64 and 1.30 times CasaXPS's raw areas; with the
    stored U 3 Tougaard background (B, C, D fixed) 0.60, 1.68, 1.12 and 1.84 times."""
    r = read_vamas(public_data / "xps/FeO_analyzed.vms")
    blk = r.header["blocks"][0]
    hv = blk["source_energy_eV"]
    reg = blk["casa"]["regions"][0]
    comps = tuple(
        Component(
            f"c{i}",
            hv - c["position"]["value"],
            c["mfwhm"]["value"],
            "sgl",
            30.0,
            position_window=1.0,
            fwhm_bounds=(c["mfwhm"]["lo"], c["mfwhm"]["hi"] + 1e-6),
        )
        for i, c in enumerate(blk["casa"]["components"])
    )
    model = RegionModel("Fe 2p", (hv - reg["end"], hv - reg["start"]), comps, background="shirley", n_avg=1)
    res = fit_region(r.data["binding_energy_eV"], r.data["counts_per_s"], model)
    np.testing.assert_allclose(res.areas, CASA_RAW, rtol=0.02)


def test_component_model_naming_a_missing_region(repo):
    data = read_vamas(repo / "resources/raw/kim2026/xps/PI_C1s_F1s_200cycles.vms").data
    with pytest.raises(ValueError, match=r"PI.vms: the component model names region 'Si 2p', which the file lacks"):
        runs.fit_blocks(data, _model("si2p"), "PI.vms")


def test_unknown_model_and_analysis_are_one_line_errors(repo):
    from batrepro.techniques import process_runs

    run = {
        "paper": "kim2026",
        "sample": "PI",
        "run": "PI_SEI",
        "condition": "",
        "path": str(repo / "resources/raw/kim2026/xps/PI_C1s_F1s_200cycles.vms"),
        "format": "vamas",
        "analysis": "fits",
        "models": "o1s",
    }
    with pytest.raises(ValueError, match=r"run PI_SEI: .*sheet names models \['o1s'\] that config xps.models lacks"):
        process_runs("xps", "kim2026", [run], schema_settings("xps"))
    with pytest.raises(ValueError, match="unknown xps analysis 'mapping'"):
        process_runs("xps", "kim2026", [{**run, "analysis": "mapping"}], schema_settings("xps"))


def test_tie_to_unknown_component():
    bad = RegionModel("Si 2p", (96, 108), (Component("a", 99.4, position_of="nope"),))
    with pytest.raises(ValueError, match="unknown component nope"):
        fit_region(BE, np.ones_like(BE) * 10, bad)


def test_xps_analysis_is_pure(repo):
    """analysis/xps imports no reader, simulator or snakemake, does no file I/O and never names the registry or
    the simulator's parameters: every number comes from the spectra it is given."""
    import ast

    banned_modules = ("batrepro.simulate", "batrepro.readers", "snakemake", "batrepro.outputs")
    banned_calls = {"open", "read_text", "read_csv", "read_vamas", "safe_load", "write_text"}
    for path in sorted((repo / "workflow/scripts/batrepro/analysis/xps").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = ("batrepro." if node.level >= 3 else "") + (node.module or "")
                assert not target.startswith(banned_modules), f"{path.name} imports {target}"
                assert node.level < 3 or not (node.module or "").startswith(("simulate", "readers")), path.name
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith(banned_modules) for a in node.names), path.name
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                assert name not in banned_calls, f"{path.name} calls {name}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert "resources/" not in node.value, f"{path.name} names {node.value}"
