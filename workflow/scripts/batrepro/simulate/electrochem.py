"""Write every EC-Lab stand-in file (cycling, rate, CV, GITT) from resources/simulate/electrochem.yaml."""

from __future__ import annotations

import numpy as np

from . import cv as cv_model
from . import cycling as cyc
from . import gitt as gitt_model
from .eclab_mpt import CV_COLUMNS, GCPL_DIGITS, MptMeta, gcpl_columns, mpt_bytes

ELECTROLYTE = "1 M LiPF6 in EC/EMC 3/7 + 5 wt% FEC"


def path_of(paper: str, technique: str, run: str) -> str:
    return f"resources/raw/{paper}/{technique}/{run}.mpt"


def _gcpl_file(rec: dict, meta: MptMeta, decimal_comma: bool) -> bytes:
    cols = gcpl_columns(rec["time_s"], rec["voltage_V"], rec["current_mA"], rec["ns"], rec["mode"])
    return mpt_bytes(meta, cols, decimal_comma, GCPL_DIGITS)


def _gcpl_parameters(current_mA: float, v_min: float, v_max: float) -> dict:
    return {
        "Ns": ["0", "1", "2"],
        "Set I/C": ["I", "I", "I"],
        "Is": ["0.000", f"{-current_mA:.3f}", f"{current_mA:.3f}"],
        "unit Is": ["mA", "mA", "mA"],
        "EM (V)": ["0.000", f"{v_min:.3f}", f"{v_max:.3f}"],
        "tR (h:m:s)": ["0:10:0.0000", "0:00:0.0000", "0:00:0.0000"],
    }


def kim_cycling(p: dict, seed: int) -> dict[str, bytes]:
    k = p["kim2026"]
    chem = cyc.CHEMISTRIES["si_anode"]
    out = {}
    sc = k["scatter"]
    for n, c in enumerate(k["cycling"]):
        N = c["cycles"]
        rng = np.random.default_rng(seed + 1000 + n)
        fade_k = c["k"] * (1.0 + rng.normal(0.0, sc["fade_k_cv"]))  # cell-to-cell: the fade's shape
        delith = cyc.fade_curve(N, c["delith1"], c["target"], c["target_cycle"], fade_k)
        # the printed cycles (1 and the target) are the paper's own cell: kept; every other cycle scatters
        delith = delith * (
            1.0 + cyc.cycle_scatter(N, sc["capacity_sd"], sc["capacity_phi"], rng, (1, c["target_cycle"]))
        )
        ce = cyc.ce_curve(N, c["delith1"] / c["lith1"], k["ce"]["ce2"], k["ce"]["ce_inf"], k["ce"]["n_ce"])
        lith = delith / ce * (1.0 + rng.normal(0.0, sc["ce_sd"], N))
        lith[0] = c["lith1"]
        points = np.where(np.arange(N) < 2, k["detail_points"], k["points"])
        rec = cyc.cycle_record(
            chem,
            c["mass_mg"],
            lith,
            delith,
            np.full(N, c["rate"]),
            k["c_rate_mAh_g"],
            points,
            seed + n,
            current_noise_rel=sc["current_noise_rel"],
        )
        current = c["rate"] * k["c_rate_mAh_g"] * c["mass_mg"] / 1000.0
        meta = MptMeta(
            "gcpl",
            c["mass_mg"],
            k["area_cm2"],
            "Si (60 %) / Super P / " + c["sample"],
            ELECTROLYTE,
            f"simulated stand-in, {c['sample']} binder, {c['rate']:g} C",
            f"{c['run']}.mpr",
            n + 1,
            28.086,
            _gcpl_parameters(current, 0.005, 1.5),
            (0.0, 5.0),
        )
        out[path_of("kim2026", "cycling", c["run"])] = _gcpl_file(rec, meta, c.get("decimal_comma", False))
    return out


def kim_rate(p: dict, seed: int) -> dict[str, bytes]:
    k = p["kim2026"]
    r = k["rate"]
    chem = cyc.CHEMISTRIES["si_anode"]
    rates = np.repeat(np.asarray(r["rates"], float), r["cycles_per_rate"])
    out = {}
    sc = k["scatter"]
    steps = np.repeat(np.arange(len(r["rates"])), r["cycles_per_rate"])
    for n, c in enumerate(r["cells"]):
        rng = np.random.default_rng(seed + 1100 + n)
        # the unreported 0.2 C capacity of this cell is drawn from the population around the chosen value
        q_ref = c["q_ref"] * (1.0 + rng.normal(0.0, sc["cell_capacity_cv"]))
        delith = cyc.rate_capacity(rates, q_ref, c["q_15C"], 15.0, r["exponent"])
        # the cycles of a step differ (cycle_sd); centred per step, so each step's mean is the model's
        # capacity at that rate (the paper's 15 C number is its own cell's step)
        eps = rng.normal(0.0, r["cycle_sd"], len(rates))
        eps -= np.bincount(steps, eps)[steps] / r["cycles_per_rate"]
        delith = delith * (1.0 + eps)
        # CE as in the long tests; no fade within the 40-cycle test (the 15 C values are the targets)
        ce = cyc.ce_curve(len(rates), c["ice"], k["ce"]["ce2"], k["ce"]["ce_inf"], k["ce"]["n_ce"])
        lith = delith / ce * (1.0 + rng.normal(0.0, sc["ce_sd"], len(rates)))
        rec = cyc.cycle_record(
            chem,
            c["mass_mg"],
            lith,
            delith,
            rates,
            k["c_rate_mAh_g"],
            np.full(len(rates), r["points"]),
            seed + 100 + n,
            current_noise_rel=sc["current_noise_rel"],
        )
        meta = MptMeta(
            "gcpl",
            c["mass_mg"],
            k["area_cm2"],
            "Si (60 %) / Super P / " + c["sample"],
            ELECTROLYTE,
            f"simulated stand-in, rate test 0.2-15 C, {c['sample']} binder",
            f"{c['run']}.mpr",
            n + 1,
            28.086,
            {},
            (0.0, 5.0),
        )
        out[path_of("kim2026", "rate", c["run"])] = _gcpl_file(rec, meta, False)
    return out


def _cv_file(rec: dict, meta: MptMeta) -> bytes:
    n = len(rec["time_s"])
    q = np.cumsum(rec["current_mA"] * np.diff(rec["time_s"], prepend=rec["time_s"][0])) / 1000.0  # C
    cols = {
        "mode": np.full(n, 2),
        "ox/red": (rec["current_mA"] > 0).astype(int),
        "error": np.zeros(n, int),
        "control changes": np.zeros(n, int),
        "counter inc.": np.zeros(n, int),
        "time/s": rec["time_s"],
        "control/V": rec["voltage_V"],
        "Ewe/V": rec["voltage_V"],
        "<I>/mA": rec["current_mA"],
        "cycle number": rec["cycle_number"],
        "(Q-Qo)/C": q,
        "P/W": rec["voltage_V"] * rec["current_mA"] / 1000.0,
    }
    assert tuple(cols) == CV_COLUMNS
    return mpt_bytes(meta, cols, False, {"time/s": 10, "<I>/mA": 6})


def _cv_parameters(start: float, lo: float, hi: float, nu: float, cycles: int) -> dict:
    return {
        "Ei (V)": [f"{start:.3f}"],
        "dE/dt": [f"{nu:.3f}"],
        "dE/dt unit": ["mV/s"],
        "E1 (V)": [f"{lo:.3f}"],
        "E2 (V)": [f"{hi:.3f}"],
        "nc cycles": [str(cycles - 1)],
        "Ef (V)": [f"{hi:.3f}"],
    }


def cv_files(p: dict, seed: int) -> dict[str, bytes]:
    out = {}
    for paper in ("kim2026", "guan_hrposs"):
        c = p[paper]["cv"]
        lo, hi = c["window_V"]
        rng = np.random.default_rng(seed + 1200 + (paper == "guan_hrposs"))
        for n, cell in enumerate(c["cells"]):
            if paper == "kim2026" and cell["kind"] == "binder":
                model = cv_model.binder_only(p[paper]["area_cm2"], cell["scale"])
                mass = None
            else:  # an unreported cell: its capacity is drawn from the population around the chosen value
                capacity = cell["capacity"] * (1.0 + rng.normal(0.0, p[paper]["scatter"]["cell_capacity_cv"]))
                make = cv_model.si_anode if paper == "kim2026" else cv_model.sioc_anode
                model = make(cell["mass_mg"], capacity)
                mass = cell["mass_mg"]
            rec = cv_model.simulate_cv(
                model,
                c["start_V"],
                lo,
                hi,
                c["scan_mV_s"],
                c["cycles"],
                c["step_mV"],
                noise_mA=c["noise_mA"],
                seed=seed + 200 + n,
            )
            meta = MptMeta(
                "cv",
                mass,
                p[paper]["area_cm2"],
                cell["sample"],
                ELECTROLYTE,
                f"simulated stand-in, CV {lo:g}-{hi:g} V",
                f"{cell['run']}.mpr",
                n + 1,
                0.001,
                _cv_parameters(c["start_V"], lo, hi, c["scan_mV_s"], c["cycles"]),
                (0.0, 10.0),
            )
            out[path_of(paper, "cv", cell["run"])] = _cv_file(rec, meta)
    return out


def guan_cycling(p: dict, seed: int) -> dict[str, bytes]:
    g = p["guan_hrposs"]
    out = {}
    c = g["cycling"]
    chem = cyc.CHEMISTRIES["sioc_anode"]
    N = c["cycles"]
    ce_model = {"ce2": 0.96, "ce_inf": 0.997, "n_ce": 5.0}
    sc = g["scatter"]
    for n, cell in enumerate(c["cells"]):
        rng = np.random.default_rng(seed + 1300 + n)
        # nothing is printed for these cells: each is drawn from the population around the chosen values
        q1 = cell["delith1"] * (1.0 + rng.normal(0.0, sc["cell_capacity_cv"]))
        delith = cyc.fade_curve(N, q1, cell["target"] * q1 / cell["delith1"], N, cell["k"])
        delith = delith * (1.0 + cyc.cycle_scatter(N, sc["capacity_sd"], sc["capacity_phi"], rng))
        ce = cyc.ce_curve(N, cell["delith1"] / cell["lith1"], **ce_model)
        lith = delith / ce * (1.0 + rng.normal(0.0, sc["ce_sd"], N))
        lith[0] = delith[0] / ce[0]
        points = np.where(np.arange(N) < 2, c["detail_points"], c["points"])
        c_ref = 1000.0  # the model's C-rate is current density / (1000 mA g-1)
        rec = cyc.cycle_record(
            chem,
            cell["mass_mg"],
            lith,
            delith,
            np.full(N, c["current_mA_g"] / c_ref),
            c_ref,
            points,
            seed + 300 + n,
            current_noise_rel=sc["current_noise_rel"],
        )
        current = c["current_mA_g"] * cell["mass_mg"] / 1000.0
        meta = MptMeta(
            "gcpl",
            cell["mass_mg"],
            g["area_cm2"],
            f"HRPOSS ({cell['sample']})",
            ELECTROLYTE,
            "simulated stand-in, 0.5 A g-1",
            f"{cell['run']}.mpr",
            n + 1,
            62.0,
            _gcpl_parameters(current, 0.01, 3.0),
            (0.0, 5.0),
        )
        out[path_of("guan_hrposs", "cycling", cell["run"])] = _gcpl_file(rec, meta, cell.get("decimal_comma", False))
    f = g["full_cells"]
    chem = cyc.CHEMISTRIES["ncm622_full"]
    for n, cell in enumerate(f["cells"]):
        N = f["cycles"]
        rng = np.random.default_rng(seed + 1400 + n)
        dis = cyc.fade_curve(N, cell["discharge1"], cell["target"], N, cell["k"])
        dis = dis * (1.0 + cyc.cycle_scatter(N, sc["capacity_sd"], sc["capacity_phi"], rng))
        ce = cyc.ce_curve(N, cell["discharge1"] / cell["charge1"], 0.985, 0.998, 5.0)
        rec = cyc.cycle_record(
            chem,
            cell["mass_mg"],
            dis / ce,
            dis,
            np.full(N, f["rate"]),
            f["c_rate_mAh_g"],
            np.full(N, f["points"]),
            seed + 400 + n,
            current_noise_rel=sc["current_noise_rel"],
        )
        meta = MptMeta(
            "gcpl",
            cell["mass_mg"],
            g["area_cm2"],
            cell["sample"],
            ELECTROLYTE,
            "simulated stand-in, full cell, capacity per NCM622 mass",
            f"{cell['run']}.mpr",
            n + 5,
            96.9,
            {},
            (0.0, 5.0),
        )
        out[path_of("guan_hrposs", "cycling", cell["run"])] = _gcpl_file(rec, meta, False)
    return out


def guan_gitt(p: dict, seed: int) -> dict[str, bytes]:
    g = p["guan_hrposs"]["gitt"]
    out = {}
    for n, cell in enumerate(g["cells"]):
        model = gitt_model.GittCell(
            cell["mass_mg"],
            cell["molar_mass_g_mol"],
            cell["molar_volume_cm3_mol"],
            cell["area_cm2"],
            cell["x_max"],
            cell["r_ohm"],
        )
        rec = gitt_model.simulate_gitt(
            model,
            g["theta_start"],
            g["n_titrations"],
            g["dtheta"],
            g["pulse_s"],
            g["rest_s"],
            g["pulse_points"],
            g["rest_points"],
            noise_V=2e-5,
            seed=seed + 500 + n,
        )
        meta = MptMeta(
            "gitt",
            cell["mass_mg"],
            cell["area_cm2"],
            "HRPOSS-6",
            ELECTROLYTE,
            "simulated stand-in, GITT 60 s pulses / 4 h rests",
            f"{cell['run']}.mpr",
            n + 1,
            cell["molar_mass_g_mol"],
            {},
            (0.0, 5.0),
        )
        out[path_of("guan_hrposs", "gitt", cell["run"])] = _gcpl_file(rec, meta, cell.get("decimal_comma", False))
    return out


def all_files(params: dict) -> dict[str, bytes]:
    seed = int(params["seed"])
    files = {}
    for make in (kim_cycling, kim_rate, cv_files, guan_cycling, guan_gitt):
        files.update(make(params, seed))
    return dict(sorted(files.items()))


def output_paths(params: dict) -> list[str]:
    """Every path all_files writes, without simulating (for the rule's output list)."""
    out = [path_of("kim2026", "cycling", c["run"]) for c in params["kim2026"]["cycling"]]
    out += [path_of("kim2026", "rate", c["run"]) for c in params["kim2026"]["rate"]["cells"]]
    for paper in ("kim2026", "guan_hrposs"):
        out += [path_of(paper, "cv", c["run"]) for c in params[paper]["cv"]["cells"]]
    g = params["guan_hrposs"]
    out += [path_of("guan_hrposs", "cycling", c["run"]) for c in g["cycling"]["cells"] + g["full_cells"]["cells"]]
    out += [path_of("guan_hrposs", "gitt", c["run"]) for c in g["gitt"]["cells"]]
    return sorted(out)
