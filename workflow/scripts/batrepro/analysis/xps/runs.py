"""One VAMAS file's worth of XPS analysis, on the reader's long table (pure: tables in, results out).

The table has one row per channel with ``block``, ``region`` (``Si 2p``), ``site``, ``sputter_time_min``,
``binding_energy_eV``, ``counts`` and ``counts_per_s`` (:func:`batrepro.readers.vamas.read_vamas`). Blocks
measured at one spot and sputter time form a *group* (site, time); a group's C 1s block sets its charge
reference. Component models come from config (:func:`model_from_config`); nothing here knows a paper.

- :func:`charge_correct`: every group shifted so the adventitious C 1s maximum sits at the reference energy
  (284.8 eV by default; ISO 19318 practice), groups without a C 1s block left as measured (and listed).
- :func:`fit_blocks`: a region model fitted to every block of its region (Si 2p depth series, C 1s, F 1s).
- :func:`composition`: at% per group from background-subtracted region areas / RSF, with counting errors.
- :func:`curves_table`: counts, background, components, envelope and residual of each fit for the figures.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import quant
from .fit import Component, FitResult, RegionModel, component_curves, fit_region

GROUP = ["site", "sputter_time_min"]


def model_from_config(name: str, spec: dict, background: str, n_avg: int) -> RegionModel:
    """A :class:`RegionModel` from a config ``xps.models.<name>`` block (components as mappings)."""
    comps = []
    for c in spec["components"]:
        comps.append(
            Component(
                name=c["name"],
                position=float(c["position_eV"]),
                fwhm=float(c["fwhm_eV"]),
                shape=c["shape"],
                m=float(c["m"]),
                position_of=c.get("tie"),
                shift=float(c.get("shift_eV", 0.0)),
                position_window=float(c.get("position_window_eV", 1.0)),
                fwhm_group=c.get("fwhm_group"),
                doublet=tuple(c["doublet"]) if c.get("doublet") else None,
                valence=c.get("valence"),
            )
        )
    return RegionModel(spec["region"], tuple(spec["window_eV"]), tuple(comps), background, n_avg)


def _key(d: pd.DataFrame) -> tuple[float, float]:
    return float(d["site"].iloc[0]), float(d["sputter_time_min"].iloc[0])


def groups(table: pd.DataFrame):
    """(site, time) -> sub-table; NaN labels (a file without site/time comments) form one group."""
    filled = table.assign(site=table["site"].fillna(-1), sputter_time_min=table["sputter_time_min"].fillna(-1))
    for key, d in filled.groupby(GROUP, sort=True):
        yield key, table.loc[d.index]


def charge_correct(table: pd.DataFrame, region: str, energy_eV: float, window_eV) -> tuple[pd.DataFrame, list]:
    """The table with ``binding_energy_eV`` charge-corrected per group, and [(site, time, shift or None)]."""
    out = table.copy()
    shifts = []
    for key, d in groups(table):
        ref = d[d["region"] == region]
        if ref.empty:
            shifts.append((*key, None))
            continue
        shift = quant.charge_shift(
            ref["binding_energy_eV"].to_numpy(), ref["counts_per_s"].to_numpy(), energy_eV, tuple(window_eV)
        )
        out.loc[d.index, "binding_energy_eV"] = d["binding_energy_eV"] + shift
        shifts.append((*key, shift))
    return out, shifts


def blocks_of(table: pd.DataFrame, region: str, source: str = "") -> list[pd.DataFrame]:
    """The blocks of one region (a clear error when the file has none)."""
    d = table[table["region"] == region]
    if d.empty:
        have = sorted(table["region"].unique())
        raise ValueError(f"{source}: the component model names region '{region}', which the file lacks (has {have})")
    return [b for _, b in d.groupby("block", sort=True)]


def fit_blocks(table: pd.DataFrame, model: RegionModel, source: str = "") -> list[tuple[int, float, float, FitResult]]:
    """(block, site, time, fit) for every block of the model's region. Counts (not rates) are fitted, so the
    Poisson weights are right; areas are converted to counts per second by the caller when needed."""
    out = []
    for b in blocks_of(table, model.region, source):
        res = fit_region(b["binding_energy_eV"].to_numpy(), b["counts"].to_numpy(), model)
        out.append((int(b["block"].iloc[0]), *_key(b), res))
    return out


def fit_record(block: int, site: float, time: float, res: FitResult) -> dict:
    """JSON-ready summary of one fit."""
    rec = {
        "block": block,
        "region": res.region,
        "site": None if math.isnan(site) else site,
        "sputter_min": None if math.isnan(time) else time,
        "reduced_chi2": res.reduced_chi2,
        "components": {
            n: {"area": float(a), "area_sd": float(s), "position_eV": float(p), "fwhm_eV": float(w)}
            for n, a, s, p, w in zip(res.names, res.areas, res.area_sd, res.positions, res.fwhms)
        },
    }
    rec["fractions_percent"] = {n: list(quant.component_fraction(res, n)) for n in res.names}
    if all(v is not None for v in res.valences):
        rec["average_valence"], rec["average_valence_sd"] = quant.average_valence(res)
    return rec


def composition(table: pd.DataFrame, elements: dict, background: str, n_avg: int, source: str = "") -> dict:
    """(site, time) -> {element: (at%, standard error)} from region areas / RSF (CasaXPS ``Area/(RSF*T*MFP)``
    with T = MFP = 1: an instrument RSF table already holds them). Counting variance: counts / (dwell x scans)^2,
    i.e. counts_per_s^2 / counts."""
    out = {}
    for key, d in groups(table):
        areas, errors = {}, {}
        for el, spec in elements.items():
            b = d[d["region"] == spec["region"]]
            if b.empty:
                have = sorted(d["region"].unique())
                raise ValueError(f"{source}: quantification needs region '{spec['region']}' ({el}), file has {have}")
            cps, counts = b["counts_per_s"].to_numpy(), b["counts"].to_numpy()
            var = np.where(counts > 0, cps**2 / np.maximum(counts, 1), cps)
            areas[el], errors[el] = quant.region_area(
                b["binding_energy_eV"].to_numpy(), cps, spec["window_eV"], background, n_avg, var
            )
        out[tuple(np.nan if k == -1 else k for k in key)] = quant.composition_with_errors(
            areas, errors, {el: spec["rsf"] for el, spec in elements.items()}
        )
    return out


def curves_table(fits: list[tuple[int, float, float, FitResult]], model_of: dict[str, RegionModel]) -> pd.DataFrame:
    """Long table (block, region, site, sputter_min, curve, binding_energy_eV, value) of every fit: the
    counts, background, each component on the background, envelope and residual (counts)."""
    frames = []
    for block, site, time, res in fits:
        model = model_of[res.region]
        comps = component_curves(res.be, model, res.areas, res.positions, res.fwhms)
        series = {
            "counts": res.y,
            "background": res.background,
            "envelope": res.envelope,
            "residual": res.y - res.envelope,
        }
        for name, c in zip(res.names, comps):
            series[f"component:{name}"] = c + res.background
        for curve, v in series.items():
            frames.append(
                pd.DataFrame(
                    {
                        "block": block,
                        "region": res.region,
                        "site": site,
                        "sputter_min": time,
                        "curve": curve,
                        "binding_energy_eV": res.be,
                        "value": v,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def spectra_table(table: pd.DataFrame, region: str) -> pd.DataFrame:
    """The same long layout for unfitted spectra (surveys): curve = ``counts_per_s``."""
    d = table[table["region"] == region]
    return pd.DataFrame(
        {
            "block": d["block"].to_numpy(),
            "region": region,
            "site": d["site"].to_numpy(),
            "sputter_min": d["sputter_time_min"].to_numpy(),
            "curve": "counts_per_s",
            "binding_energy_eV": d["binding_energy_eV"].to_numpy(),
            "value": d["counts_per_s"].to_numpy(),
        }
    )
