"""Load-controlled Berkovich indentation of a composite electrode, written as an Anton Paar-like text export.

Model (one indent, force P in mN, depth h in nm)
-----------------------------------------------
The indent's reduced modulus E_r, hardness H and maximum force P_max fix the contact at the end of the hold through
the Oliver–Pharr relations that a Berkovich contact obeys: A = P_max/H, h_c = √(A/24.5), S = 2 E_r √A/√π,
h_max = h_c + 0.75 P_max/S. The curve is then:

* loading at a constant force rate, P = P_max (h/h_load)² (Kick's law of a self-similar sharp indenter);
* a hold at P_max during which the depth creeps logarithmically from h_load to h_max (viscoplastic binder);
* unloading at the same rate along P = α (h − h_f)^m, with m drawn per indent (1.3–1.6 for polymers and
  composites) and h_f = h_max − m P_max/S, so that dP/dh at h_max is S.

Load-cell and depth-sensor noise are Gaussian. Everything else an analysis needs comes from the file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GPA_PER_MN_NM2 = 1e6


@dataclass(frozen=True)
class Indent:
    sample: str
    indent: int
    reduced_modulus_GPa: float
    hardness_GPa: float
    max_force_mN: float
    unload_exponent: float = 1.5
    load_time_s: float = 30.0
    hold_time_s: float = 10.0
    unload_time_s: float = 30.0
    creep_fraction: float = 0.02
    rate_Hz: float = 5.0
    force_noise_mN: float = 0.002
    depth_noise_nm: float = 0.5

    def contact(self) -> dict[str, float]:
        er, hard = self.reduced_modulus_GPa / GPA_PER_MN_NM2, self.hardness_GPa / GPA_PER_MN_NM2
        area = self.max_force_mN / hard
        hc = np.sqrt(area / 24.5)
        stiffness = 2.0 * er * np.sqrt(area) / np.sqrt(np.pi)
        h_max = hc + 0.75 * self.max_force_mN / stiffness
        h_f = h_max - self.unload_exponent * self.max_force_mN / stiffness
        if h_f <= 0:
            raise ValueError(f"{self.sample}#{self.indent}: h_f = {h_f:g} nm; H/E_r too large for m")
        return {"area_nm2": area, "hc_nm": hc, "stiffness_mN_nm": stiffness, "h_max_nm": h_max, "h_f_nm": h_f}


def simulate_indent(spec: Indent, seed: int) -> dict[str, np.ndarray]:
    """Time (s), force (mN) and depth (nm) of one load–hold–unload cycle."""
    rng = np.random.default_rng(seed)
    c = spec.contact()
    p_max, h_max, h_f, m = spec.max_force_mN, c["h_max_nm"], c["h_f_nm"], spec.unload_exponent
    dt = 1.0 / spec.rate_Hz
    t1 = np.arange(0.0, spec.load_time_s, dt)
    t2 = np.arange(spec.load_time_s, spec.load_time_s + spec.hold_time_s, dt)
    t3 = np.arange(
        spec.load_time_s + spec.hold_time_s, spec.load_time_s + spec.hold_time_s + spec.unload_time_s + dt / 2, dt
    )
    h_load = h_max / (1.0 + spec.creep_fraction)
    p1 = p_max * t1 / spec.load_time_s
    h1 = h_load * np.sqrt(p1 / p_max)
    tau = spec.hold_time_s / 20.0
    s = (t2 - spec.load_time_s) / spec.hold_time_s
    creep = np.log1p(s * spec.hold_time_s / tau) / np.log1p(spec.hold_time_s / tau)
    p2 = np.full_like(t2, p_max)
    h2 = h_load + (h_max - h_load) * creep
    p3 = p_max * (1.0 - (t3 - t3[0]) / spec.unload_time_s)
    p3 = np.clip(p3, 0.0, None)
    h3 = h_f + (h_max - h_f) * (p3 / p_max) ** (1.0 / m)
    h3[0] = h_max
    t = np.concatenate([t1, t2, t3])
    p = np.concatenate([p1, p2, p3]) + rng.normal(0.0, spec.force_noise_mN, t.size)
    h = np.concatenate([h1, h2, h3]) + rng.normal(0.0, spec.depth_noise_nm, t.size)
    return {"time_s": t, "force_mN": p, "depth_nm": h}


def anton_paar_text(spec: Indent, curve: dict[str, np.ndarray]) -> str:
    """The Anton Paar-like export the reader accepts (readers/anton_paar.py): header, blank line, columns."""
    rate = spec.max_force_mN / spec.load_time_s * 60.0
    lines = [
        "Anton Paar Indentation - ASCII export (SIMULATED stand-in, batrepro.simulate.nanoindentation)",
        "Instrument: Step500 NHT3",
        f"Sample: {spec.sample}",
        f"Measurement: {spec.sample} indent {spec.indent}",
        "Indenter type: Berkovich",
        "Control: force",
        f"Max load [mN]: {spec.max_force_mN:.3f}",
        f"Loading rate [mN/min]: {rate:.3f}",
        f"Unloading rate [mN/min]: {rate:.3f}",
        f"Pause [s]: {spec.hold_time_s:.1f}",
        f"Acquisition rate [Hz]: {spec.rate_Hz:.1f}",
        "",
        "Time [s]\tFn [mN]\tPd [nm]",
    ]
    lines += [f"{t:.3f}\t{p:.5f}\t{h:.2f}" for t, p, h in zip(curve["time_s"], curve["force_mN"], curve["depth_nm"])]
    return "\n".join(lines) + "\n"
