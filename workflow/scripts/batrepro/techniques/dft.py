"""DFT binding energies from Gaussian logs (Kim et al. Fig. 2e–f).

Sheet rows are logs; a binding energy needs three of them, all with one ``sample`` and ``condition`` and the
``role`` ``AB`` (the complex or adduct), ``A`` and ``B`` (the fragments; a homodimer lists its monomer log as
both). The summary has ``binding_energy`` (kcal mol-1) per sample and condition, and where the complex log has
a counterpoise step, the BSSE-corrected value as another reading (``reading=counterpoise``), so that the audit
says which one the paper printed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from ..vocab import summary as vsummary
from . import Technique

logger = logging.getLogger(__name__)

ROLES = ("AB", "A", "B")


@dataclass(frozen=True)
class Settings:
    """Config ``dft:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    max_imaginary_cm1: float


def ingest(raw, run, settings):
    return raw.data, {"job_steps": raw.header["job_steps"]}


def analyse(table, run, settings, info):
    from ..analysis.dft import log_energy

    result = log_energy(table, info["job_steps"], settings.max_imaginary_cm1)
    logger.info("%s: E = %.10f Hartree (%s)", run["run"], result["energy_hartree"], result["method"])
    return {**result, "role": run["role"]}


def _pairs(runs, metrics):
    """(sample, condition) -> {role: metrics}; a missing or repeated role is an error naming the runs."""
    groups: dict[tuple[str, str], dict[str, dict]] = {}
    for r in runs:
        key = (r["sample"], r.get("condition", "") or "")
        roles = groups.setdefault(key, {})
        if r["role"] in roles:
            raise ValueError(f"dft sheet: two runs with role {r['role']} for sample {key[0]} [{key[1]}]")
        roles[r["role"]] = {**metrics[r["run"]], "run": r["run"]}
    for key, roles in groups.items():
        missing = [x for x in ROLES if x not in roles]
        if missing:
            raise ValueError(f"dft sheet: sample {key[0]} [{key[1]}] has no run with role {missing}")
    return groups


def binding_energies(runs, metrics) -> pd.DataFrame:
    from ..analysis.dft import binding_energy

    rows = []
    for (sample, condition), roles in sorted(_pairs(runs, metrics).items()):
        e = binding_energy(roles["AB"], roles["A"], roles["B"])
        rows.append(
            {
                "sample": sample,
                "condition": condition,
                "complex": roles["AB"]["run"],
                "fragment_a": roles["A"]["run"],
                "fragment_b": roles["B"]["run"],
                "e_ab_hartree": roles["AB"]["energy_hartree"],
                "e_a_hartree": roles["A"]["energy_hartree"],
                "e_b_hartree": roles["B"]["energy_hartree"],
                **e,
            }
        )
    return pd.DataFrame(rows)


def summarise(paper, runs, metrics, settings):
    rows = []
    for r in binding_energies(runs, metrics).to_dict("records"):
        rows.append(
            vsummary.row(
                paper, "dft", r["sample"], "binding_energy", r["condition"], "kcal mol-1",
                r["binding_energy_kcal_mol"], "e_ab_minus_fragments", r["uncertainty_kcal_mol"], 3,
            )
        )  # fmt: skip
        if r["binding_energy_cp_kcal_mol"] == r["binding_energy_cp_kcal_mol"]:
            condition = ";".join(sorted(filter(None, [r["condition"], "reading=counterpoise"])))
            rows.append(
                vsummary.row(
                    paper, "dft", r["sample"], "binding_energy", condition, "kcal mol-1",
                    r["binding_energy_cp_kcal_mol"], "counterpoise_boys_bernardi", r["uncertainty_kcal_mol"], 3,
                )
            )  # fmt: skip
    return vsummary.frame(rows)


def energies_table(spec, runs, metrics, summary):
    """Per binding energy: the three logs, their final SCF energies, E_bind and the counterpoise value."""
    df = binding_energies(runs, metrics)
    order = {s: i for i, s in enumerate(spec["samples"])}
    df = df[df["sample"].isin(order)].sort_values("sample", key=lambda s: s.map(order), kind="stable")
    return df.reset_index(drop=True)


TECHNIQUE = Technique(
    "dft",
    ingest,
    analyse,
    summarise,
    Settings,
    formats=("gaussian_log",),
    tables={"dft_energies": energies_table},
    float_format="%.12g",
)
