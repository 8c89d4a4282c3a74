"""XPS (ISO 14976 VAMAS files): charge referencing, component fits, average Si valence, RSF quantification,
depth profiles across sites, SEI component fractions and surveys.

A sheet row's ``analysis`` says what its file is for: ``fits`` (fit the config models named in ``models`` to
every block of their regions: Si 2p / N 1s depth series, C 1s / F 1s of cycled anodes), ``composition`` (at% per
site and sputter time from region areas and RSFs) or ``survey`` (wide scans, quantified the same way). The
component models, energy reference, background and RSF table are config (``xps:`` in config.schema.yaml).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..vocab import conditions
from ..vocab import summary as vsummary
from . import Technique

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Config ``xps:`` (workflow/schemas/config.schema.yaml holds the defaults)."""

    charge_reference: dict[str, Any]
    background: str
    background_endpoints: int
    models: dict[str, Any]
    valence_model: str
    fractions: dict[str, Any]
    quantification: dict[str, Any]
    survey_region: str


class RunMetrics(dict):
    """A run's metrics (the JSON) with its curves table beside them (an attribute the JSON writer never sees)."""

    def __init__(self, metrics: dict, curves):
        super().__init__(metrics)
        self.curves = curves


def ingest(raw, run, settings):
    table = raw.data
    if table.empty:
        raise ValueError(f"{raw.source}: no spectra")
    return table, {"blocks": len(raw.header["blocks"]), "instrument": raw.header.get("instrument", "")}


def _models(settings, names, source):
    from ..analysis.xps.runs import model_from_config

    unknown = [n for n in names if n not in settings.models]
    if unknown:
        raise ValueError(
            f"{source}: sheet names models {unknown} that config xps.models lacks {sorted(settings.models)}"
        )
    return {
        n: model_from_config(n, settings.models[n], settings.background, settings.background_endpoints) for n in names
    }


def analyse(table, run, settings, info):
    from ..analysis.xps import runs

    ref = settings.charge_reference
    table, shifts = runs.charge_correct(table, ref["region"], ref["energy_eV"], ref["window_eV"])
    m = {
        **info,
        "analysis": run["analysis"],
        "charge_reference": f"{ref['region']} maximum at {ref['energy_eV']} eV",
        "charge_shifts_eV": [{"site": _num(s), "sputter_min": _num(t), "shift_eV": v} for s, t, v in shifts],
        "background": f"{settings.background} (end points averaged over {settings.background_endpoints})",
    }
    kind, source = run["analysis"], run["path"]
    if kind == "fits":
        models = _models(settings, str(run["models"]).split(), source)
        fits = [f for model in models.values() for f in runs.fit_blocks(table, model, source)]
        m["fits"] = [runs.fit_record(*f) for f in fits]
        curves = runs.curves_table(fits, {mod.region: mod for mod in models.values()})
        logger.info("%s: %d fits, max reduced chi2 %.2f", run["run"], len(fits), max(f[3].reduced_chi2 for f in fits))
        return RunMetrics(m, curves)
    if kind == "composition":
        comp = runs.composition(
            table, settings.quantification, settings.background, settings.background_endpoints, source
        )
        m["composition"] = _composition_records(comp)
        return RunMetrics(m, pd.DataFrame(columns=["block", "region", "site", "sputter_min", "curve"]))
    if kind == "survey":
        survey = table[table["region"] == settings.survey_region]
        if survey.empty:
            raise ValueError(f"{source}: no '{settings.survey_region}' blocks for a survey run")
        elements = {el: {**spec, "region": settings.survey_region} for el, spec in settings.quantification.items()}
        comp = runs.composition(survey, elements, settings.background, settings.background_endpoints, source)
        m["composition"] = _composition_records(comp)
        return RunMetrics(m, runs.spectra_table(table, settings.survey_region))
    raise ValueError(f"{source}: unknown xps analysis {kind!r} (fits, composition or survey)")


def _num(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) or x == -1 else float(x)


def _composition_records(comp: dict) -> list[dict]:
    return [
        {
            "site": _num(s),
            "sputter_min": _num(t),
            "at_percent": {el: v for el, (v, _) in c.items()},
            "at_percent_se": {el: u for el, (_, u) in c.items()},
        }
        for (s, t), c in sorted(comp.items())
    ]


def curves(metrics):
    return metrics.curves


def summarise(paper, runs, metrics, settings):
    from ..analysis.xps import quant

    rows = []
    model_region = {n: s["region"] for n, s in settings.models.items()}
    for run in runs:
        m, sample = metrics[run["run"]], run["sample"]
        if m["analysis"] == "fits":
            vals = {
                f["sputter_min"]: (f["average_valence"], f["average_valence_sd"])
                for f in m["fits"]
                if f["region"] == model_region[settings.valence_model] and "average_valence" in f
            }
            if vals and None not in vals:
                method = f"VAMAS; {m['background']}; model {settings.valence_model}; sum(n A_n)/sum(A_n)"
                rows += quant.valence_rows(paper, sample, vals, method)
            rows += _fraction_rows(paper, sample, m, settings, model_region)
        elif m["analysis"] == "composition":
            table = {
                (r["site"], r["sputter_min"]): {
                    el: (r["at_percent"][el], r["at_percent_se"][el]) for el in r["at_percent"]
                }
                for r in m["composition"]
            }
            rows += quant.composition_rows(paper, sample, table, f"VAMAS; {m['background']} areas / RSF; 100 at%")
            sites = sorted({r["site"] for r in m["composition"]})
            rows.append(vsummary.row(paper, "xps", sample, "site_count", "", "", len(sites), "distinct sites in file"))
        elif m["analysis"] == "survey":
            times = sorted({r["sputter_min"] for r in m["composition"] if r["sputter_min"] is not None})
            if len(times) > 1:
                step = float(np.median(np.diff(times)))
                rows.append(
                    vsummary.row(
                        paper, "xps", sample, "sputter_interval", "", "min", step, "median step of survey times"
                    )
                )
    return vsummary.frame([r.as_dict() for r in rows])


def _fraction_rows(paper, sample, m, settings, model_region):
    rows = []
    for quantity, spec in sorted(settings.fractions.items()):
        region = model_region[spec["model"]]
        fits = [f for f in m["fits"] if f["region"] == region]
        if not fits:
            continue
        if len(fits) > 1:
            raise ValueError(f"{sample}: {len(fits)} '{region}' blocks; a fraction needs exactly one")
        fractions = fits[0]["fractions_percent"]
        if spec["component"] not in fractions:
            raise ValueError(f"config xps.fractions.{quantity}: model {spec['model']} has no {spec['component']}")
        frac, sd = fractions[spec["component"]]
        rows.append(
            vsummary.row(
                paper,
                "xps",
                sample,
                quantity,
                conditions.format({"region": region.replace(" ", "")}),
                "%",
                frac,
                f"VAMAS; {m['background']}; model {spec['model']}; {spec['component']} area / region area",
                sd,
            )
        )
    return rows


# -- tables ------------------------------------------------------------------------------------------------


def _rows(summary, quantity, samples):
    d = summary[(summary["quantity"] == quantity) & (summary["sample"].isin(samples))].copy()
    parsed = d["condition"].map(conditions.parse)
    return d.assign(**{k: parsed.map(lambda c, k=k: c.get(k)) for k in ("site", "sputter_min", "element", "region")})


def valence_table(spec, runs, metrics, summary):
    """HRPOSS ESI Table S2: average Si valence against sputter time, one column per sample (± fit SE)."""
    d = _rows(summary, "si_average_valence", spec["samples"])
    d["t"] = d["sputter_min"].astype(float)
    out = pd.DataFrame({"sputter_min": sorted(d["t"].unique())})
    for s in spec["samples"]:
        ds = d[d["sample"] == s].set_index("t")
        out[s] = out["sputter_min"].map(ds["value"])
        out[f"{s} SE"] = out["sputter_min"].map(ds["uncertainty"])
    return out


def composition_table(spec, runs, metrics, summary):
    """HRPOSS ESI Table S3: at% of each element per site and sputter time (counting SE beside each)."""
    d = _rows(summary, "atomic_concentration", spec["samples"])
    d = d[d["site"].notna()]
    return _pivot(d, ["sample", "site", "sputter_min"], "uncertainty", " SE")


def composition_mean_table(spec, runs, metrics, summary):
    """Table S3 as mean ± SD across the sites, per sputter time."""
    d = _rows(summary, "atomic_concentration", spec["samples"])
    d = d[d["site"].isna()]
    return _pivot(d, ["sample", "sputter_min"], "uncertainty", " SD")


def _pivot(d, index, err, suffix):
    d = d.assign(sputter_min=d["sputter_min"].astype(float))
    if "site" in index:
        d = d.assign(site=d["site"].astype(int))
    value = d.pivot_table(index=index, columns="element", values="value", aggfunc="first")
    unc = d.pivot_table(index=index, columns="element", values=err, aggfunc="first")
    order = [e for e in ("Si", "N", "C", "O", "F", "Li") if e in value.columns] + sorted(
        set(value.columns) - {"Si", "N", "C", "O", "F", "Li"}
    )
    out = pd.concat([value[order], unc[order].add_suffix(suffix)], axis=1)
    out = out[[c for e in order for c in (e, e + suffix)]]
    return out.reset_index().sort_values(index).reset_index(drop=True)


def fractions_table(spec, runs, metrics, summary):
    """Binder paper Table S3 / Fig. S12: component fractions of C 1s and F 1s per anode (± fit SD)."""
    d = summary[(summary["technique"] == "xps") & summary["unit"].eq("%") & summary["sample"].isin(spec["samples"])]
    out = pd.DataFrame({"sample": spec["samples"]})
    for q in sorted(d["quantity"].unique()):
        dq = d[d["quantity"] == q].set_index("sample")
        out[q] = out["sample"].map(dq["value"])
        out[f"{q} SD"] = out["sample"].map(dq["uncertainty"])
    return out


TECHNIQUE = Technique(
    "xps",
    ingest,
    analyse,
    summarise,
    Settings,
    formats=("vamas",),
    tables={
        "xps_valence": valence_table,
        "xps_composition": composition_table,
        "xps_composition_mean": composition_mean_table,
        "xps_fractions": fractions_table,
    },
    curves=curves,
    float_format="%.8g",
)
