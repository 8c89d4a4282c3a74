"""DFT binding energies from Gaussian logs: E_bind = E_AB − (E_A + E_B) (Kim et al., Eq. 1).

Per log (:func:`log_energy`): the final SCF energy is the last full-system ``SCF Done`` of the optimisation
step (the energy at the stationary point); the optimisation must have converged (``-- Stationary point
found``); where a frequency step is present, no imaginary mode may remain above ``max_imaginary_cm1`` and its
SCF energy must equal the optimised one (the frequencies belong to that geometry). A counterpoise step
(Boys & Bernardi, Mol. Phys. 19, 553 (1970); Gaussian ``Counterpoise=2``) gives the BSSE-corrected
complex energy E_AB^CP = E_AB + BSSE.

Per pair (:func:`binding_energy`): E_bind = (E_AB − E_A − E_B)·627.509474 kcal mol⁻¹ (CODATA Hartree), and,
where the complex log has a counterpoise step, E_bind^CP = (E_AB^CP − E_A − E_B)·627.509474 with relaxed
monomers. Standard uncertainty: each energy is known to within the last Berny step's predicted energy change
(the optimisation stops before the exact minimum), so u = 627.509474·√(Σ ΔE_pred²).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: 1 Hartree in kcal mol⁻¹ (CODATA 2018: 4.3597447222071e-18 J × N_A / 4184 J kcal⁻¹)
HARTREE_KCAL_MOL = 627.509474
#: the SCF energies of the optimisation's last point and of the frequency step agree to this (Hartree)
SAME_GEOMETRY_HARTREE = 1e-6


def log_energy(scf: pd.DataFrame, steps: list[dict], max_imaginary_cm1: float) -> dict:
    """The final energy and checks of one log (``scf``: the reader's table, ``steps``: its job steps)."""
    opt = [k for k, s in enumerate(steps) if s["optimisation"]]
    full = scf[scf["counterpoise_fragment"] == 0]
    if opt:
        k = opt[-1]
        if not steps[k]["converged"]:
            raise ValueError(f"the optimisation (job step {k + 1}) did not converge ('Optimization stopped')")
        in_opt = full[full["job_step"] == k + 1]
        energy = float(in_opt["scf_energy_hartree"].iloc[-1])
        predicted = abs(steps[k]["predicted_change_hartree"] or 0.0)
    else:
        energy, predicted = float(full["scf_energy_hartree"].iloc[-1]), 0.0
    freq_steps = [k for k, s in enumerate(steps) if s["frequencies_cm-1"]]
    out = {
        "energy_hartree": energy,
        "energy_uncertainty_hartree": predicted,
        "optimised": bool(opt),
        "frequency_job": bool(freq_steps),
        "n_imaginary": 0,
        "lowest_frequency_cm1": math.nan,
        "counterpoise_energy_hartree": math.nan,
        "bsse_hartree": math.nan,
        "method": steps[opt[-1] if opt else -1]["method"],
        "route": steps[0]["route"],
    }
    if freq_steps:
        k = freq_steps[-1]
        freqs = np.asarray(steps[k]["frequencies_cm-1"], float)
        imaginary = freqs[freqs < -abs(max_imaginary_cm1)]
        if imaginary.size:
            raise ValueError(
                f"{imaginary.size} imaginary frequenc{'y' if imaginary.size == 1 else 'ies'} "
                f"({', '.join(f'{abs(v):.1f}i' for v in imaginary[:3])} cm-1) in job step {k + 1}: not a minimum"
            )
        e_freq = full[full["job_step"] == k + 1]["scf_energy_hartree"]
        if len(e_freq) and abs(float(e_freq.iloc[-1]) - energy) > SAME_GEOMETRY_HARTREE:
            raise ValueError(
                f"the frequency step's SCF energy {float(e_freq.iloc[-1]):.10f} differs from the optimised "
                f"{energy:.10f} Hartree: the frequencies are not of the optimised geometry"
            )
        out.update(n_imaginary=int((freqs < 0).sum()), lowest_frequency_cm1=float(freqs.min()))
    cp = [s for s in steps if s["counterpoise_energy_hartree"] is not None]
    if cp:
        out["counterpoise_energy_hartree"] = float(cp[-1]["counterpoise_energy_hartree"])
        out["bsse_hartree"] = float(cp[-1]["bsse_hartree"]) if cp[-1]["bsse_hartree"] is not None else math.nan
    return out


def binding_energy(ab: dict, a: dict, b: dict) -> dict:
    """E_bind (kcal mol⁻¹) of complex ``ab`` from fragments ``a`` and ``b`` (each :func:`log_energy`)."""
    e = (ab["energy_hartree"] - a["energy_hartree"] - b["energy_hartree"]) * HARTREE_KCAL_MOL
    u = HARTREE_KCAL_MOL * math.sqrt(sum(x["energy_uncertainty_hartree"] ** 2 for x in (ab, a, b)))
    cp, bsse = (_number(ab.get(k)) for k in ("counterpoise_energy_hartree", "bsse_hartree"))
    e_cp = (cp - a["energy_hartree"] - b["energy_hartree"]) * HARTREE_KCAL_MOL
    return {
        "binding_energy_kcal_mol": e,
        "uncertainty_kcal_mol": u,
        "binding_energy_cp_kcal_mol": e_cp,
        "bsse_kcal_mol": bsse * HARTREE_KCAL_MOL,
    }


def _number(x) -> float:
    """A metric read back from JSON (NaN is written as null)."""
    return math.nan if x is None else float(x)
