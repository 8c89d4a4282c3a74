"""N₂ isotherms at 77 K (BET + t-plot + Kelvin condensation) written as Micromeritics report .xls stand-ins.

Model (cm³ STP g⁻¹ against x = p/p⁰)
------------------------------------
    n(x) = V_μ · Kx / (1 + Kx)                      micropores, filled at low pressure (Langmuir, K ≫ 1)
         + S_ext / 15.47 · t_HJ(x)                   multilayer on the external surface (Harkins–Jura t, Å)
         + V_meso · F(x)                             capillary condensation in cylindrical mesopores

F is the liquid fraction of a log-normal mesopore-size distribution (by volume): pores are full on adsorption
when D ≤ 2(r_K/2 + t) (cylindrical meniscus, Cohan), on desorption when D ≤ 2(r_K + t) (hemispherical meniscus),
r_K = 0.9553 nm / ln(1/x), and an empty pore keeps a film of thickness t on its wall (the geometry BJH inverts):
the H1/H3-type hysteresis loop of a type IV isotherm.
The calibration (brentq, twice): the external-area parameter is solved so that the t-plot of the noise-free
isotherm at the logged pressures gives the specimen's S_ext = S_BET − S_micro, then V_μ so that its ISO 9277
analysis gives the specimen's S_BET. As for a real isotherm, the BET and t-plot areas are what the standard
analyses give, not model parameters; the simulator uses batrepro.analysis.bet for that (the reverse import,
analysis -> simulate, never happens).

Scatter (sizes and sources in resources/raw/README.md): each stand-in is the paper's own specimen, so its true
S_BET and S_micro are the printed ones; what scatters is the measurement: the logged quantity adsorbed carries
``noise_rel`` relative + ``noise_abs`` absolute Gaussian noise, the relative pressure ``pressure_noise_rel``
(transducer accuracy). The analysis therefore recovers the printed values within its own standard errors,
not exactly. Seeds are fixed per sample.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from scipy.optimize import brentq

from ..analysis.bet import KELVIN_N2_NM, N2_LIQUID_PER_STP, bet_area, harkins_jura_thickness, t_plot

STP_PER_AREA_T = 1 / (N2_LIQUID_PER_STP * 1e4)  # cm³ STP g⁻¹ per (m² g⁻¹ · Å)


def mesopore_fraction(x, median_nm: float, sigma_ln: float, branch: str):
    """Fraction of the mesopore volume holding liquid at x on the given branch: full pores (D at most the
    critical diameter) plus the adsorbed film (thickness t) left on the walls of the empty ones, the geometry
    BJH assumes (1 − (1 − 2t/D)² of an empty cylinder's volume)."""
    x = np.atleast_1d(np.asarray(x, float))
    d = np.geomspace(median_nm * np.exp(-5 * sigma_ln), median_nm * np.exp(5 * sigma_ln), 801)
    w = np.exp(-0.5 * (np.log(d / median_nm) / sigma_ln) ** 2)
    w /= w.sum()
    t_nm = harkins_jura_thickness(x)[:, None] / 10
    rk = KELVIN_N2_NM / np.log(1 / x)[:, None]
    d_crit = 2 * ((rk / 2 if branch == "adsorption" else rk) + t_nm)
    film = 1 - np.clip(1 - 2 * t_nm / d[None, :], 0, 1) ** 2
    return np.where(d[None, :] <= d_crit, 1.0, film) @ w


def mesopore_area(v_meso, median_nm: float, sigma_ln: float) -> float:
    """Wall area (m² g⁻¹) of the mesopores, 4V/D over the distribution (v_meso in cm³ STP g⁻¹)."""
    mean_inverse_d = np.exp(sigma_ln**2 / 2) / median_nm  # E[1/D] of the log-normal, nm⁻¹
    return 4 * v_meso * N2_LIQUID_PER_STP * 1e3 * mean_inverse_d  # cm³ g⁻¹ / nm = 1e3 m² g⁻¹


def isotherm(x, branch, *, v_micro, k_langmuir, s_ext, v_meso, median_nm, sigma_ln):
    """Quantity adsorbed (cm³ STP g⁻¹); ``s_ext`` is the t-plot (external + mesopore wall) area."""
    x = np.asarray(x, float)
    outer = s_ext - mesopore_area(v_meso, median_nm, sigma_ln)
    if outer < 0:
        raise ValueError(f"mesopore walls ({s_ext - outer:.3g} m2/g) exceed the external area {s_ext:.3g} m2/g")
    return (
        v_micro * k_langmuir * x / (1 + k_langmuir * x)
        + outer * STP_PER_AREA_T * harkins_jura_thickness(x)
        + v_meso * mesopore_fraction(x, median_nm, sigma_ln, branch)
    )


def calibrate(x_ads, s_bet, s_ext, p: dict, bet_settings: dict, t_range_A) -> tuple[float, float]:
    """(V_μ, S_ext parameter) such that the t-plot and the BET analysis of the noise-free adsorption branch give
    the specimen's S_ext and S_BET (the film on the mesopore walls is not quite linear in t, so the parameter
    differs slightly from the t-plot's answer)."""

    def miss_ext(area):
        n = isotherm(x_ads, "adsorption", v_micro=0.0, s_ext=area, **p)
        return t_plot(x_ads, n, t_range_A=t_range_A).external_area_m2_g - s_ext

    wall = mesopore_area(p["v_meso"], p["median_nm"], p["sigma_ln"])
    area = brentq(miss_ext, wall, 2 * s_ext + wall, xtol=1e-10)

    def miss_bet(v_micro):
        n = isotherm(x_ads, "adsorption", v_micro=v_micro, s_ext=area, **p)
        return bet_area(x_ads, n, **bet_settings).area_m2_g - s_bet

    return brentq(miss_bet, 0.0, s_bet / 4.35, xtol=1e-10), area


def simulate_sample(spec: dict, common: dict, seed: int):
    """(x, n, branch) of one specimen's logged isotherm, and its drawn truth."""
    rng = np.random.default_rng(seed)
    s_bet = spec["s_bet_m2_g"]
    s_ext = s_bet - spec["s_micro_m2_g"]
    p = dict(
        k_langmuir=common["k_langmuir"],
        v_meso=spec["mesopore_volume_cm3_g"] / N2_LIQUID_PER_STP,
        median_nm=spec["mesopore_median_nm"],
        sigma_ln=spec["mesopore_sigma_ln"],
    )
    x_ads = np.array(common["adsorption_pressures"], float)
    x_des = np.array(common["desorption_pressures"], float)
    v_micro, s_ext = calibrate(x_ads, s_bet, s_ext, p, common["bet"], tuple(common["t_range_A"]))
    x = np.concatenate((x_ads, x_des))
    branch = np.array(["adsorption"] * x_ads.size + ["desorption"] * x_des.size)
    n = np.concatenate(
        [isotherm(x_ads, "adsorption", v_micro=v_micro, s_ext=s_ext, **p)]
        + [isotherm(x_des, "desorption", v_micro=v_micro, s_ext=s_ext, **p)]
    )
    n = n * (1 + rng.normal(0, common["noise_rel"], n.size)) + rng.normal(0, common["noise_abs"], n.size)
    x_logged = x * (1 + rng.normal(0, common["pressure_noise_rel"], x.size))
    truth = {"s_bet": s_bet, "s_ext": s_ext, "v_micro": v_micro}
    return x_logged, n, branch, truth


def report_xls(sample: str, mass_g: float, x, n, p0_mmHg: float) -> bytes:
    """The isotherm in the Micromeritics report .xls layout (readers/micromeritics.py documents it)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sh = book.add_sheet("Sheet1")
    for r in range(0, 100):
        for c in (4, 9):
            sh.write(r, c, "|")
    sh.write(1, 0, "3Flex 5.02")
    sh.write(1, 1, "3500")
    sh.write(1, 2, "Page 1")
    sh.write(2, 1, "Port 1")
    rows = [
        (5, "Sample:", f"{sample} (simulated stand-in)"),
        (6, "Operator:", "batrepro"),
        (7, "Submitter:", "batrepro"),
        (8, "File:", f"{sample}.SMP"),
        (11, "Analysis adsorptive:", "N2"),
        (12, "Analysis bath temp.:", "77.300 K"),
        (14, "Sample mass:", f"{mass_g:.4f} g"),
    ]
    for r, label, value in rows:
        sh.write(r, 0, label)
        sh.write(r, 1, value)
    sh.write(21, 0, "Note: simulated stand-in written by batrepro.simulate.sorption (not a measurement)")
    sh.write(26, 0, "Summary Report")
    sh.write(26, 5, "Isotherm Tabular Report")
    sh.write(28, 5, "Relative Pressure (p/p°)")
    sh.write(28, 6, "Quantity Adsorbed (cm³/g STP)")
    sh.write(28, 7, "Saturation Pressure (mmHg)")
    sh.write(29, 7, round(p0_mmHg, 6))
    for k, (xi, ni) in enumerate(zip(x, n)):
        sh.write(30 + k, 5, float(f"{xi:.9f}"))
        sh.write(30 + k, 6, float(f"{ni:.6f}"))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def write_stand_ins(params: dict, root: str | Path = ".") -> list[str]:
    """Write every sample's .xls under ``params['directory']``; returns the paths."""
    common = params["common"]
    written = []
    for k, (sample, spec) in enumerate(sorted(params["samples"].items())):
        x, n, _, _ = simulate_sample(spec, common, params["seed"] + k)
        path = Path(root) / params["directory"] / f"{sample}_N2_77K.xls"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(report_xls(sample, spec["sample_mass_g"], x, n, common["p0_mmHg"]))
        written.append(str(path))
    return written
