"""Tensile test of a thin polymer film: an elastic–plastic curve up to fracture, as a Bluehill CSV.

Model
-----
True material response σ(ε) = σ_y·tanh(E·ε/σ_y) + H·ε (smooth elastic → plastic transition with
linear hardening), loaded at constant crosshead speed until the strain reaches the fracture strain
ε_b, where the load falls to the noise floor. H is solved so that σ(ε_b) equals the specimen's
strength, so strength and elongation at break are the calibrated inputs. A small seating "toe"
(slack taken up quadratically, as ASTM D882's toe compensation anticipates) precedes the linear
region, and the load cell adds Gaussian noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FilmSpecimen:
    sample: str
    specimen: int
    modulus_MPa: float
    yield_scale_MPa: float
    strength_MPa: float
    elongation_pct: float
    width_mm: float = 10.0
    thickness_mm: float = 0.030
    gauge_length_mm: float = 50.0
    speed_mm_min: float = 5.0
    toe_mm: float = 0.03
    load_noise_N: float = 0.02

    @property
    def hardening_MPa(self) -> float:
        eb = self.elongation_pct / 100
        return (self.strength_MPa - self.yield_scale_MPa * np.tanh(self.modulus_MPa * eb / self.yield_scale_MPa)) / eb


def stress_MPa(spec: FilmSpecimen, strain: np.ndarray) -> np.ndarray:
    return (
        spec.yield_scale_MPa * np.tanh(spec.modulus_MPa * strain / spec.yield_scale_MPa) + spec.hardening_MPa * strain
    )


def simulate_test(spec: FilmSpecimen, *, rate_Hz: float = 10.0, seed: int = 0) -> dict[str, np.ndarray]:
    """Time (s), extension (mm) and load (N) sampled at `rate_Hz` until 1.5 s after the break."""
    if spec.hardening_MPa < 0:
        raise ValueError(f"{spec.sample}#{spec.specimen}: strength below the tanh plateau; lower yield_scale_MPa")
    rng = np.random.default_rng(seed)
    v = spec.speed_mm_min / 60.0
    ext_break = spec.toe_mm + spec.elongation_pct / 100 * spec.gauge_length_mm
    t_break = ext_break / v
    t = np.arange(0.0, t_break + 1.5, 1.0 / rate_Hz)
    ext = v * t
    # seating toe: the effective extension grows quadratically until the slack is taken up
    toe = spec.toe_mm
    eff = np.where(ext < 2 * toe, ext**2 / (4 * toe), ext - toe)
    strain = eff / spec.gauge_length_mm
    area = spec.width_mm * spec.thickness_mm
    load = stress_MPa(spec, strain) * area
    broken = ext > ext_break
    load[broken] = 0.0
    # the last sample before fracture lands exactly on the fracture point (the load frame's break capture)
    k = int(np.argmax(broken)) - 1
    ext[k] = ext_break
    load[k] = spec.strength_MPa * area
    load = load + rng.normal(0.0, spec.load_noise_N, t.size)
    return {"time_s": t, "extension_mm": ext, "load_N": load}


def bluehill_csv(spec: FilmSpecimen, test: dict[str, np.ndarray]) -> str:
    """An Instron Bluehill raw-data CSV: quoted parameter block, name row, unit row, data."""
    q = lambda s: f'"{s}"'  # noqa: E731
    lines = [
        q("Results Table 1"),
        q(f"Sample ID : {spec.sample}"),
        q(f"Specimen number : {spec.specimen}"),
        q("Method : ASTM D882 thin film tension (SIMULATED stand-in, batrepro.simulate.tensile)"),
        q(f"Specimen width : {spec.width_mm:.3f} mm"),
        q(f"Specimen thickness : {spec.thickness_mm:.4f} mm"),
        q(f"Gauge length : {spec.gauge_length_mm:.2f} mm"),
        q(f"Test speed : {spec.speed_mm_min:.2f} mm/min"),
        q("Load cell : 3 kgf"),
        "",
        ",".join(q(c) for c in ("Time", "Extension", "Load")),
        ",".join(q(c) for c in ("(s)", "(mm)", "(N)")),
    ]
    lines += [f'"{t:.2f}","{e:.5f}","{f:.4f}"' for t, e, f in zip(test["time_s"], test["extension_mm"], test["load_N"])]
    return "\n".join(lines) + "\n"
