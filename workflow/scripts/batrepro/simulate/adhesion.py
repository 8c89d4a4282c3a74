"""Adhesion tests of an electrode coating on Cu foil: 180° peel (Instron Bluehill CSV) and SAICAS (CSV log).

180° peel
    The tape–coating strip is pulled back at constant crosshead speed. The force first rises along the
    compliance of the strip (linear ramp) to a crack-initiation peak ``initiation_factor`` × the steady peel
    force F_p, relaxes to F_p over a few mm, and then peels in stick–slip: a sawtooth of relative amplitude
    ``stick_slip_amplitude`` (slow rise while the front is pinned, fast drop when it jumps) whose period
    scatters ±30 % around ``stick_slip_period_mm``, plus load-cell noise. A symmetric sawtooth averages to F_p.

SAICAS (Daipia Wintes EN-EX)
    Cutting: the blade moves at horizontal speed v_h and vertical speed v_v, so the depth grows linearly until
    it reaches the coating/Cu interface at ``coating_um``; the horizontal force grows with the cut
    cross-section (cutting resistance ∝ depth) up to ``cutting_factor`` × F_p. Peeling: the blade stops
    descending and moves horizontally; the horizontal force relaxes (exponentially, over ``settle_um``) to the
    peel force F_p, with stick–slip fluctuation and noise; the vertical force falls to a small residual.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def sawtooth(x: np.ndarray, period: float, rng: np.random.Generator) -> np.ndarray:
    """Zero-mean sawtooth in [−1, 1] (slow rise, sudden drop) with periods scattered ±30 %."""
    n = int(np.ceil((x[-1] - x[0]) / (0.7 * period))) + 2
    edges = x[0] + np.concatenate([[0.0], np.cumsum(period * rng.uniform(0.7, 1.3, n))]) - rng.uniform(0, period)
    k = np.searchsorted(edges, x, side="right") - 1
    phase = (x - edges[k]) / (edges[k + 1] - edges[k])
    return 2.0 * phase - 1.0


@dataclass(frozen=True)
class PeelSpecimen:
    sample: str
    peel_force_N: float
    width_mm: float = 20.0
    speed_mm_min: float = 100.0
    rate_Hz: float = 20.0
    ramp_mm: float = 2.0
    initiation_factor: float = 1.25
    relax_mm: float = 2.0
    stick_slip_amplitude: float = 0.12
    stick_slip_period_mm: float = 1.5
    noise_N: float = 0.02
    total_mm: float = 90.0


def simulate_peel(spec: PeelSpecimen, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    v = spec.speed_mm_min / 60.0
    t = np.arange(0.0, spec.total_mm / v, 1.0 / spec.rate_Hz)
    x = v * t
    fp = spec.peel_force_N
    peak = spec.initiation_factor * fp
    after = np.clip(x - spec.ramp_mm, 0.0, None)
    steady = fp * (1.0 + spec.stick_slip_amplitude * sawtooth(x, spec.stick_slip_period_mm, rng))
    relax = np.exp(-after / spec.relax_mm)
    force = np.where(x < spec.ramp_mm, peak * x / spec.ramp_mm, peak * relax + steady * (1.0 - relax))
    force = force + rng.normal(0.0, spec.noise_N, t.size)
    return {"time_s": t, "extension_mm": x, "load_N": force}


def peel_csv(spec: PeelSpecimen, test: dict[str, np.ndarray]) -> str:
    """An Instron Bluehill raw-data CSV (the layout readers/bluehill.py reads)."""
    q = lambda s: f'"{s}"'  # noqa: E731
    lines = [
        q("Results Table 1"),
        q(f"Sample ID : {spec.sample}"),
        q("Method : 180 deg peel, ASTM D903 (SIMULATED stand-in, batrepro.simulate.adhesion)"),
        q(f"Specimen width : {spec.width_mm:.2f} mm"),
        q(f"Test speed : {spec.speed_mm_min:.1f} mm/min"),
        q("Load cell : 3 kgf"),
        "",
        ",".join(q(c) for c in ("Time", "Extension", "Load")),
        ",".join(q(c) for c in ("(s)", "(mm)", "(N)")),
    ]
    lines += [f'"{t:.3f}","{e:.4f}","{f:.4f}"' for t, e, f in zip(test["time_s"], test["extension_mm"], test["load_N"])]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class SaicasCut:
    sample: str
    peel_force_N: float
    coating_um: float = 20.0
    horizontal_speed_um_s: float = 2.0
    vertical_speed_um_s: float = 0.2
    peel_length_um: float = 500.0
    rate_Hz: float = 2.0
    cutting_factor: float = 1.6
    settle_um: float = 20.0
    vertical_force_N: float = 0.05
    fluctuation: float = 0.05
    stick_slip_period_um: float = 15.0
    noise_N: float = 0.002
    depth_noise_um: float = 0.01


def simulate_saicas(spec: SaicasCut, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    t_cut = spec.coating_um / spec.vertical_speed_um_s
    t_end = t_cut + spec.peel_length_um / spec.horizontal_speed_um_s
    t = np.arange(0.0, t_end + 1e-9, 1.0 / spec.rate_Hz)
    x = spec.horizontal_speed_um_s * t
    depth = np.minimum(spec.vertical_speed_um_s * t, spec.coating_um)
    x_cut = spec.horizontal_speed_um_s * t_cut
    fp = spec.peel_force_N
    cutting = spec.cutting_factor * fp * depth / spec.coating_um
    relax = np.exp(-np.clip(x - x_cut, 0.0, None) / (spec.settle_um / 3.0))
    peeling = fp * (1.0 + spec.fluctuation * sawtooth(x, spec.stick_slip_period_um, rng))
    fh = np.where(t <= t_cut, cutting, spec.cutting_factor * fp * relax + peeling * (1.0 - relax))
    fv_cut = 2.0 * spec.vertical_force_N + 0.4 * fp * depth / spec.coating_um
    fv = np.where(t <= t_cut, fv_cut, spec.vertical_force_N + (fv_cut.max() - spec.vertical_force_N) * relax)
    return {
        "time_s": t,
        "horizontal_displacement_um": x,
        "vertical_displacement_um": depth + rng.normal(0.0, spec.depth_noise_um, t.size),
        "horizontal_force_N": fh + rng.normal(0.0, spec.noise_N, t.size),
        "vertical_force_N": fv + rng.normal(0.0, spec.noise_N, t.size),
    }


def saicas_text(spec: SaicasCut, log: dict[str, np.ndarray]) -> str:
    """The SAICAS CSV log the reader accepts (readers/saicas.py)."""
    lines = [
        "SAICAS EN-EX data log (SIMULATED stand-in, batrepro.simulate.adhesion)",
        "Instrument,SAICAS EN-EX (Daipia Wintes)",
        f"Sample,{spec.sample}",
        "Blade,diamond 1.0 mm wide",
        "Mode,constant velocity cutting then constant depth peeling",
        f"Horizontal velocity [um/s],{spec.horizontal_speed_um_s:.2f}",
        f"Vertical velocity [um/s],{spec.vertical_speed_um_s:.2f}",
        "",
        "Time [s],Horizontal displacement [um],Vertical displacement [um],Horizontal force [N],Vertical force [N]",
    ]
    cols = zip(
        log["time_s"],
        log["horizontal_displacement_um"],
        log["vertical_displacement_um"],
        log["horizontal_force_N"],
        log["vertical_force_N"],
    )
    lines += [f"{t:.2f},{x:.3f},{d:.3f},{fh:.5f},{fv:.5f}" for t, x, d, fh, fv in cols]
    return "\n".join(lines) + "\n"
