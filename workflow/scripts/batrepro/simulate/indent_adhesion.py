"""Write the nanoindentation, 180° peel and SAICAS stand-in files of a paper from its parameter file."""

from __future__ import annotations

import numpy as np

from .adhesion import PeelSpecimen, SaicasCut, peel_csv, saicas_text, simulate_peel, simulate_saicas
from .nanoindentation import Indent, anton_paar_text, simulate_indent


def _scatter(rng: np.random.Generator, mean: float, cv: float) -> float:
    """One specimen's value drawn from a normal population with this mean and coefficient of variation."""
    return float(mean * (1.0 + cv * rng.standard_normal()))


def indentation_files(params: dict) -> dict[str, str]:
    rng = np.random.default_rng(params["seed"])
    m_mean, m_sd = params["exponent"]
    out = {}
    for e in params["electrodes"]:
        for k in range(1, params["indents"] + 1):
            spec = Indent(
                sample=e["sample"],
                indent=k,
                reduced_modulus_GPa=_scatter(rng, e["reduced_modulus_GPa"], params["cv"]),
                hardness_GPa=_scatter(rng, e["hardness_GPa"], params["cv"]),
                max_force_mN=e["max_force_mN"],
                unload_exponent=float(m_mean + m_sd * rng.standard_normal()),
            )
            curve = simulate_indent(spec, seed=int(rng.integers(2**31)))
            out[params["path"].format(sample=e["sample"], indent=k)] = anton_paar_text(spec, curve)
    return out


def peel_files(params: dict) -> dict[str, str]:
    rng = np.random.default_rng(params["seed"])
    out = {}
    for e in params["electrodes"]:
        for k in range(1, params["specimens"] + 1):
            spec = PeelSpecimen(e["sample"], _scatter(rng, e["peel_force_N"], params["cv"]), **params["specimen"])
            test = simulate_peel(spec, seed=int(rng.integers(2**31)))
            out[params["path"].format(sample=e["sample"], specimen=k)] = peel_csv(spec, test)
    return out


def saicas_files(params: dict) -> dict[str, str]:
    rng = np.random.default_rng(params["seed"])
    out = {}
    for e in params["electrodes"]:
        for k in range(1, params["specimens"] + 1):
            spec = SaicasCut(e["sample"], _scatter(rng, e["peel_force_N"], params["cv"]), **params["cut"])
            log = simulate_saicas(spec, seed=int(rng.integers(2**31)))
            out[params["path"].format(sample=e["sample"], specimen=k)] = saicas_text(spec, log)
    return out


def all_files(params: dict) -> dict[str, str]:
    """{path: text} of every stand-in file of the parameter file."""
    return {
        **indentation_files(params["nanoindentation"]),
        **peel_files(params["peel"]),
        **saicas_files(params["saicas"]),
    }
