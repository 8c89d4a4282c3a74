"""Mercury intrusion curves (Washburn) of electrode coatings, written as AutoPore text-export stand-ins.

Model: the coating's pore volume V = φ / ρ_bulk (mL g⁻¹) is spread over a log-normal pore-size distribution
(volume-weighted median D50, width σ_ln). At pressure P mercury fills every pore wider than the Washburn
diameter D(P) = −4γ cos θ / P, so the cumulative intrusion is V · (1 − Φ(ln(D(P)/D50)/σ_ln)). The pressure
table follows an AutoPore V 9620 run (0.5 psia filling, log-spaced low- and high-pressure points to
33 000 psia).

Scatter (sources in resources/raw/README.md): a stand-in whose porosity the paper prints is the paper's own
electrode and keeps that porosity; one it does not print (PI-P) is drawn from a population around the chosen
value (relative SD ``specimen_rel_sd``). Each logged cumulative volume carries the instrument's volume noise
(``volume_noise_mL`` over the sample mass); the bulk density's calibration error is shared by every number
of a penetrometer and is not drawn. Seeds are fixed per sample.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy.special import ndtr

from ..analysis.mip import washburn_diameter_um


def intrusion_curve(pressure_psia, volume_mL_g, d50_um, sigma_ln, gamma, theta):
    d = washburn_diameter_um(pressure_psia, gamma, theta)
    return volume_mL_g * (1 - ndtr(np.log(d / d50_um) / sigma_ln))


def simulate_sample(spec: dict, common: dict, seed: int):
    rng = np.random.default_rng(seed)
    porosity = spec["porosity_pct"]
    if not spec["printed"]:
        porosity *= 1 + rng.normal(0, common["specimen_rel_sd"])
    rho = spec["bulk_density_g_mL"]
    volume = porosity / 100 / rho
    p = np.geomspace(common["pressure_min_psia"], common["pressure_max_psia"], common["points"])
    v = intrusion_curve(
        p, volume, spec["d50_um"], spec["sigma_ln"], common["surface_tension_mN_m"], common["contact_angle_deg"]
    )
    v = v - v[0] + rng.normal(0, common["volume_noise_mL"] / spec["sample_mass_g"], p.size)
    v[0] = 0.0
    v = np.maximum(v, 0.0)
    return p, v, rho, {"porosity": porosity}


def autopore_text(sample: str, spec: dict, common: dict, p, v, rho) -> str:
    """The AutoPore text export (layout in readers/autopore.py)."""
    gamma, theta = common["surface_tension_mN_m"], common["contact_angle_deg"]
    d = washburn_diameter_um(p, gamma, theta)
    lines = [
        "AutoPore V 9620 Version 2.03.00",
        f"Sample: {sample} electrode (simulated stand-in written by batrepro.simulate.porosimetry)",
        "Operator: batrepro",
        f"Sample Mass: {spec['sample_mass_g']:.4f} g",
        "Penetrometer: 07-0914 (3 Bulb, 0.412 Stem), Solid",
        f"Hg Surface Tension: {gamma:.3f} dynes/cm",
        f"Hg Contact Angle: {theta:.3f} degrees",
        f"Bulk Density at {p[0]:.2f} psia: {rho:.4f} g/mL",
        "",
        "Intrusion Data",
        "\t".join(
            [
                "Pressure (psia)",
                "Pore Size Diameter (µm)",
                "Cumulative Intrusion (mL/g)",
                "Incremental Intrusion (mL/g)",
            ]
        ),
    ]
    inc = np.diff(v, prepend=v[0])
    lines += [f"{pi:.3f}\t{di:.4f}\t{vi:.5f}\t{ii:.5f}" for pi, di, vi, ii in zip(p, d, v, inc)]
    return "\n".join(lines) + "\n"


def write_stand_ins(params: dict, root: str | Path = ".") -> list[str]:
    common = params["common"]
    written = []
    for k, (sample, spec) in enumerate(sorted(params["samples"].items())):
        p, v, rho, _ = simulate_sample(spec, common, params["seed"] + k)
        path = Path(root) / params["directory"] / f"{sample}_MIP.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(autopore_text(sample, spec, common, p, v, rho), encoding="utf-8")
        written.append(str(path))
    return written
