"""BET / t-plot / BJH: the public Micromeritics report, pyGAPS side by side, known answers, stand-ins, bad input."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from batrepro.analysis.bet import (
    area_per_stp,
    bet_area,
    bjh_desorption,
    harkins_jura_thickness,
    micropore_area,
    micropore_reading_stderr,
    t_plot,
    t_window_family,
    t_window_sd,
)
from batrepro.readers import RawDataError
from batrepro.readers.micromeritics import read_isotherm_csv, read_micromeritics_xls
from batrepro.simulate import sorption
from batrepro.techniques import process_runs
from tests.conftest import schema_settings

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "resources/raw/guan_hrposs/bet"
AUTO = dict(cross_section_nm2=0.162, min_points=3, xm_tolerance=math.inf)
WINDOWS = dict(shift_A=0.5, step_A=0.1, min_points=4, min_r2=0.995)  # the schema defaults (bet.t_window_*)


def branch(raw, name="adsorption"):
    d = raw.data[raw.data["branch"] == name]
    return d["relative_pressure"].to_numpy(), d["quantity_adsorbed_cm3_g"].to_numpy()


@pytest.fixture(scope="module")
def sample_c(public_data):
    return read_micromeritics_xls(public_data / "bet/micromeritics_Sample_C.xls")


def test_public_micromeritics_report_gives_the_instrument_bet_and_tplot_areas(sample_c):
    assert sample_c.header["reported_bet_area_m2_g"] == pytest.approx(594.9649)
    assert sample_c.header["adsorptive"] == "N2" and sample_c.header["bath_temperature_K"] == pytest.approx(77.3)
    x, n = branch(sample_c)
    assert x.size == 47 and (sample_c.data["branch"] == "desorption").sum() == 19
    bet = bet_area(x, n, **AUTO)
    assert bet.area_m2_g == pytest.approx(594.96, rel=0.01)  # the instrument's BET area, within 1 %
    assert bet.c_constant > 0 and bet.p_min <= bet.monolayer_pressure <= bet.p_max
    tp = t_plot(x, n, t_range_A=(3.5, 5.0))
    assert bet.area_m2_g - tp.external_area_m2_g == pytest.approx(532.916, rel=0.01)  # t-plot micropore area
    assert tp.micropore_volume_cm3_g == pytest.approx(0.203617, rel=0.01)


def _pygaps_reference_isotherms():
    pygaps = pytest.importorskip("pygaps")
    import pygaps.parsing as pgp

    logging.getLogger("pygaps").setLevel(logging.ERROR)
    folder = Path(pygaps.__file__).parent / "data/stdiso"
    return [pgp.isotherm_from_csv(p) for p in sorted(folder.glob("*.csv"))]


def test_bet_agrees_with_pygaps_on_its_reference_isotherms_and_the_public_report(sample_c):
    isotherms = _pygaps_reference_isotherms()
    from pygaps.characterisation.area_bet import area_BET, area_BET_raw

    assert len(isotherms) == 2  # Cabot BP280 carbon black, LiChrospher Si-1000 silica (pyGAPS package data)
    for iso in isotherms:
        x = iso.pressure(branch="ads")
        n = iso.loading(branch="ads", loading_unit="mmol") * 22.414  # cm³ STP g⁻¹
        theirs = area_BET(iso)
        ours = bet_area(x, n, **AUTO)
        # each picks its own range (pyGAPS: from 10 % of the n(1-x) maximum; ours: the most points meeting the
        # Rouquerol criteria, which keeps the lowest-pressure points); the areas agree within 5 %
        assert ours.area_m2_g == pytest.approx(theirs["area"], rel=0.05)
        # over our range, pyGAPS's arithmetic gives our area
        limits = (ours.p_min, np.nextafter(ours.p_max, 1.0))
        same = area_BET_raw(x, n / 22414.0, 0.162, p_limits=limits)
        assert same[7] - same[6] + 1 == ours.n_points and same[0] == pytest.approx(ours.area_m2_g, rel=1e-6)
    x, n = branch(sample_c)
    raw_area = area_BET_raw(x, n / 22414.0, 0.162)[0]  # mol g⁻¹; pyGAPS picks p/p0 4.9e-3 to 2.9e-2: 597.5
    assert bet_area(x, n, **AUTO).area_m2_g == pytest.approx(raw_area, rel=0.01)


def test_a_pure_bet_isotherm_gives_its_monolayer_exactly():
    x = np.linspace(0.02, 0.3, 15)
    nm, c = 3.0, 120.0
    n = nm * c * x / ((1 - x) * (1 - x + c * x))
    res = bet_area(x, n, **AUTO)
    assert res.area_m2_g == pytest.approx(nm * area_per_stp(0.162), rel=1e-9)
    assert res.c_constant == pytest.approx(c, rel=1e-6) and res.area_stderr_m2_g < 1e-6
    assert area_per_stp(0.162) == pytest.approx(4.3525, abs=1e-3)


def test_t_plot_of_a_film_on_a_known_surface_gives_that_surface():
    x = np.linspace(0.05, 0.6, 20)
    n = 2.0 + 12.0 / 15.468 * harkins_jura_thickness(x)  # 12 m² g⁻¹ external, 2 cm³ STP g⁻¹ micropores
    res = t_plot(x, n, t_range_A=(3.5, 5.0))
    assert res.external_area_m2_g == pytest.approx(12.0, rel=1e-3)
    assert res.micropore_volume_cm3_g == pytest.approx(2.0 * 0.0015468, rel=1e-6)


def test_the_window_family_is_each_end_shifted_on_a_grid():
    family = t_window_family((3.5, 5.0), shift_A=0.5, step_A=0.1)
    assert len(family) == 121 and (3.5, 5.0) in family
    assert min(lo for lo, _ in family) == pytest.approx(3.0) and max(hi for _, hi in family) == pytest.approx(5.5)
    assert t_window_family((3.5, 5.0), shift_A=0.0, step_A=0.1) == [(3.5, 5.0)]


def test_window_sd_is_zero_for_a_film_exactly_linear_in_t_over_the_whole_family():
    x = np.linspace(0.01, 0.6, 120)  # every window of the family holds >= 4 points
    n = 2.0 + 12.0 / 15.468 * harkins_jura_thickness(x)
    sd, spread, windows = t_window_sd(x, n, t_range_A=(3.5, 5.0), **WINDOWS, reading_sd=0.0)
    assert windows == 121  # the whole family was fitted, and every window gives the same external area
    assert sd == pytest.approx(0.0, abs=1e-9) and spread == pytest.approx(0.0, abs=1e-9)


def test_window_sd_takes_out_the_share_of_the_readings_scatter():
    """On a film exactly linear in t, noisy readings alone spread the windows' areas; that share is in the Type A
    component already, and removing its expectation leaves little (the floor at 0 keeps some): fails without."""
    x = np.linspace(0.01, 0.6, 60)
    n0 = 2.0 + 12.0 / 15.468 * harkins_jura_thickness(x)
    rng = np.random.default_rng(1)
    corrected, observed = [], []
    for _ in range(200):
        n = n0 + rng.normal(0, 0.01, x.size)
        sd, spread, _ = t_window_sd(x, n, t_range_A=(3.5, 5.0), **(WINDOWS | {"min_r2": 0.0}), reading_sd=0.01)
        corrected.append(sd)
        observed.append(spread)
    assert np.mean(observed) > 0.05  # m² g⁻¹: the windows do scatter
    assert np.mean(np.square(corrected)) < 0.35 * np.mean(np.square(observed))


def test_window_sd_is_positive_when_the_t_plot_curves():
    x = np.linspace(0.01, 0.6, 120)
    t = harkins_jura_thickness(x)
    n = 2.0 + 12.0 / 15.468 * t + 0.05 * (t - 4.0) ** 2  # slope changes with the window: S_ext depends on it
    sd, spread, windows = t_window_sd(x, n, t_range_A=(3.5, 5.0), **WINDOWS, reading_sd=0.0)
    assert windows > 100 and sd == spread
    # the prefix-sum fit of the whole family is the t-plot of each window
    one_by_one = [t_plot(x, n, t_range_A=w) for w in t_window_family((3.5, 5.0), shift_A=0.5, step_A=0.1)]
    kept = [r.external_area_m2_g for r in one_by_one if r.n_points >= 4 and r.r2 >= WINDOWS["min_r2"]]
    assert len(kept) == windows and sd == pytest.approx(np.std(kept), rel=1e-9)
    slopes = [t_plot(x, n, t_range_A=w).external_area_m2_g for w in [(3.0, 4.5), (4.0, 5.5)]]
    assert sd > 0.1 * abs(slopes[1] - slopes[0]) > 0
    # and it enters S_micro's combined u in quadrature (the curvature also leaves t-plot residuals, read as reading
    # scatter, whose share is taken out of the window spread)
    bet = bet_area(x[x <= 0.2], n[x <= 0.2], **AUTO)
    micro = micropore_area(x, n, bet, t_plot(x, n, t_range_A=(3.5, 5.0)), t_range_A=(3.5, 5.0), **WINDOWS)
    assert micro.window_spread_m2_g == pytest.approx(sd) and 0 < micro.window_sd_m2_g < sd
    assert micro.area_stderr_m2_g == pytest.approx(math.hypot(micro.reading_stderr_m2_g, micro.window_sd_m2_g))


def test_micropore_stderr_with_the_covariance_matches_monte_carlo():
    """S_BET and S_ext fitted to the same readings (here every point is shared) are correlated: the propagated
    u matches the Monte-Carlo SD of S_BET - S_ext within 10 %, the sum as if independent overstates it."""
    x = np.linspace(0.04, 0.12, 9)  # Harkins-Jura t 3.13-3.83 Å: the BET range and the t-window coincide
    n0 = 0.5 * 5000 * x / (1 + 5000 * x) + 20.0 / 15.468 * harkins_jura_thickness(x)
    rng = np.random.default_rng(20261206)
    micro, u, u_indep = [], [], []
    for _ in range(300):
        n = n0 + rng.normal(0, 0.003, x.size)
        bet = bet_area(x, n, cross_section_nm2=0.162, min_points=x.size, xm_tolerance=math.inf)
        micro.append(bet.area_m2_g - t_plot(x, n, t_range_A=(3.1, 3.9)).external_area_m2_g)
        a, b, _, shared = micropore_reading_stderr(x, n, bet, t_range_A=(3.1, 3.9))
        u.append(a)
        u_indep.append(b)
    sd = np.std(micro, ddof=1)
    assert shared == 9
    assert np.sqrt(np.mean(np.square(u))) == pytest.approx(sd, rel=0.10)
    assert np.sqrt(np.mean(np.square(u_indep))) > 1.15 * sd


def test_micropore_stderr_of_disjoint_ranges_is_the_independent_sum():
    x = np.linspace(0.01, 0.6, 40)
    n = 0.5 * 5000 * x / (1 + 5000 * x) + 20.0 / 15.468 * harkins_jura_thickness(x)
    n = n + np.random.default_rng(3).normal(0, 0.003, x.size)
    bet = bet_area(x[x < 0.06], n[x < 0.06], **AUTO)
    u, u_indep, _, shared = micropore_reading_stderr(x, n, bet, t_range_A=(3.5, 5.0))
    assert shared == 0 and u == pytest.approx(u_indep, rel=1e-12)


def test_bjh_recovers_the_mesopore_size_of_a_simulated_type_iv_isotherm():
    # mesopores only (no external film, which BJH would count as pore volume): mode and volume come back
    for median in (5.0, 12.0, 30.0):
        p = dict(k_langmuir=5000.0, v_meso=40.0, median_nm=median, sigma_ln=0.2)
        x = np.concatenate(([0.995], np.linspace(0.99, 0.3, 70)))
        walls = sorption.mesopore_area(40.0, median, 0.2)
        n = sorption.isotherm(x, "desorption", v_micro=1.0, s_ext=walls, **p)
        res = bjh_desorption(x, n, diameter_range_nm=(1.7, 300.0))
        assert res.diameter_nm[np.argmax(res.dv_dlogd_cm3_g)] == pytest.approx(median, rel=0.06)
        assert res.cumulative_volume_cm3_g[-1] == pytest.approx(40.0 * 0.0015468, rel=0.01)


STAND_INS = {"POSS": (13.22, 2.87), "HRPOSS-1.5": (10.09, 2.72), "HRPOSS-3": (11.85, 3.02), "HRPOSS-6": (5.06, 0.45)}


@pytest.mark.parametrize("sample", sorted(STAND_INS))
def test_stand_ins_recover_table_s1_within_their_standard_errors_but_not_exactly(sample):
    raw = read_micromeritics_xls(RAW / f"{sample}_N2_77K.xls")
    assert "simulated stand-in" in raw.header["sample"]
    x, n = branch(raw)
    bet = bet_area(x, n, **AUTO)
    tp = t_plot(x, n, t_range_A=(3.5, 5.0))
    micro = micropore_area(x, n, bet, tp, t_range_A=(3.5, 5.0), **WINDOWS)
    s_bet, s_micro = STAND_INS[sample]
    # the audit's rule |x - r| <= h + 2u (h = 0.005, half the printed digit); S_micro's u is the GUM combination
    # of the readings' scatter (the BET range and the t-window share points) and the thickness-window spread
    assert abs(bet.area_m2_g - s_bet) <= 0.005 + 2 * bet.area_stderr_m2_g and bet.area_m2_g != pytest.approx(s_bet)
    assert micro.area_m2_g == pytest.approx(bet.area_m2_g - tp.external_area_m2_g)
    assert micro.shared_points >= 3 and micro.window_spread_m2_g > 0 and micro.windows > 100
    assert abs(micro.area_m2_g - s_micro) <= 0.005 + 2 * micro.area_stderr_m2_g
    assert micro.area_m2_g != pytest.approx(s_micro)


def test_stand_ins_regenerate_byte_identically(tmp_path):
    params = yaml.safe_load((REPO / "resources/simulate/sorption.yaml").read_text(encoding="utf-8"))
    for path in sorption.write_stand_ins(params, tmp_path):
        assert Path(path).read_bytes() == (REPO / Path(path).relative_to(tmp_path)).read_bytes()


def test_plugin_summarises_bet_micropore_area_and_the_sheet_tap_density():
    runs = [
        {"paper": "guan_hrposs", "sample": s, "run": s, "condition": "", "format": "micromeritics_xls"}
        | {"path": str(RAW / f"{s}_N2_77K.xls")}
        for s in ("POSS", "HRPOSS-6")
    ]
    runs[1] |= {"tapped_mass_g": 4.0218, "tapped_volume_cm3": 5.0}
    tables, metrics, curves, summary = process_runs("bet", "guan_hrposs", runs, schema_settings("bet"))
    rows = summary.set_index(["sample", "quantity"])
    tap = rows.loc[("HRPOSS-6", "tapping_density")]
    assert tap["value"] == pytest.approx(4.0218 / 5.0) and tap["unit"] == "g cm-3"
    assert tap["method"].startswith("sample_sheet")
    assert ("POSS", "tapping_density") not in rows.index  # Table S1 prints '-'
    assert rows.loc[("POSS", "bet_surface_area"), "uncertainty"] > 0
    assert set(curves["POSS"].columns) == {"diameter_nm", "dv_dlogd_cm3_g", "cumulative_volume_cm3_g"}


def test_csv_and_xls_of_one_isotherm_give_the_same_area(tmp_path):
    raw = read_micromeritics_xls(RAW / "HRPOSS-3_N2_77K.xls")
    out = tmp_path / "iso.csv"
    lines = ["# HRPOSS-3 copied from the .xls", "relative_pressure,quantity_adsorbed_cm3_g_stp,branch"]
    lines += [f"{r.relative_pressure!r},{r.quantity_adsorbed_cm3_g!r},{r.branch}" for r in raw.data.itertuples()]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    csv = read_isotherm_csv(out)
    assert bet_area(*branch(csv), **AUTO).area_m2_g == bet_area(*branch(raw), **AUTO).area_m2_g


# --- bad input: one test per class ----------------------------------------------------------------------------


def test_an_isotherm_with_no_point_in_the_bet_range_is_a_one_line_error():
    x = np.array([0.4, 0.6, 0.8, 0.9])  # n(1 - x) falls from the first point on
    n = np.array([10.0, 12.0, 13.0, 13.5])
    with pytest.raises(ValueError, match=r"^iso.csv: no BET range: 1 point\(s\) below the maximum of n\(1-p/p0\)"):
        bet_area(x, n, **AUTO, source="iso.csv")


def test_pressures_not_monotonic_name_the_file_and_row(tmp_path):
    path = tmp_path / "iso.csv"
    path.write_text(
        "relative_pressure,quantity_adsorbed_cm3_g_stp,branch\n0.05,1,adsorption\n0.10,2,adsorption\n"
        "0.08,2.5,adsorption\n0.2,3,adsorption\n",
        encoding="utf-8",
    )
    with pytest.raises(RawDataError, match=r"iso.csv:4: relative pressure not monotonic in the adsorption branch"):
        read_isotherm_csv(path)


def test_wrong_columns_are_a_one_line_error(tmp_path):
    path = tmp_path / "iso.csv"
    path.write_text("p,n\n0.1,1\n", encoding="utf-8")
    with pytest.raises(RawDataError, match=r"iso.csv:1: columns \['p', 'n'\], expected"):
        read_isotherm_csv(path)


def test_a_broken_xls_is_a_one_line_error(tmp_path):
    path = tmp_path / "broken.xls"
    path.write_bytes((RAW / "POSS_N2_77K.xls").read_bytes()[:3000])
    with pytest.raises(RawDataError, match=r"broken.xls: not a readable Excel .xls workbook") as err:
        read_micromeritics_xls(path)
    assert "\n" not in str(err.value)


def test_an_empty_row_inside_the_xls_table_is_an_error_not_a_shorter_isotherm(tmp_path, monkeypatch):
    """The reader stopped at the first empty row, so the points after it were silently lost."""
    import xlwt

    blank_at = 35  # sheet row of the sixth point (the stand-in layout writes points from row 30)
    write = xlwt.Worksheet.write
    monkeypatch.setattr(xlwt.Worksheet, "write", lambda sh, r, c, *a: None if r == blank_at else write(sh, r, c, *a))
    x = np.linspace(0.05, 0.95, 12)
    path = tmp_path / "gap.xls"
    path.write_bytes(sorption.report_xls("S", 0.1, x, 20 * x, 760.0))
    with pytest.raises(RawDataError, match=r"gap.xls:36: empty row inside the tabular report"):
        read_micromeritics_xls(path)


def test_a_workbook_without_a_worksheet_is_a_one_line_error(tmp_path):
    """A bit flip in the stand-in's workbook globals left no sheet: xlrd raised IndexError (found by the fuzz)."""
    payload = bytearray((RAW / "HRPOSS-1.5_N2_77K.xls").read_bytes())
    payload[1419] ^= 1
    path = tmp_path / "nosheet.xls"
    path.write_bytes(payload)
    with pytest.raises(RawDataError, match=r"nosheet.xls: the workbook has no worksheet"):
        read_micromeritics_xls(path)


def test_the_analysis_never_reads_the_registry_or_the_simulators():
    """BET/MIP analysis, plug-ins and readers import no simulator and name no registry or parameter file."""
    import ast

    package = REPO / "workflow/scripts/batrepro"
    modules = ["analysis/bet.py", "analysis/mip.py", "techniques/bet.py", "techniques/mip.py"]
    for path in (package / m for m in [*modules, "readers/micromeritics.py", "readers/autopore.py"]):
        text = path.read_text(encoding="utf-8")
        assert "resources/reported" not in text and "resources/simulate" not in text, path
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom):
                assert "simulate" not in (node.module or ""), f"{path} imports {node.module}"
            elif isinstance(node, ast.Import):
                assert not any("simulate" in a.name for a in node.names), path
