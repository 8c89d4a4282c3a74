"""The XPS tables of both papers from VAMAS files: Si 2p average valence (HRPOSS Table S2), at% per site
and sputter time with mean +- SD across sites (Table S3), and the C 1s Li2CO3 / F 1s LiF fractions (binder
paper Table S3 / Fig. S12). Component models are plain data (to be declared in config); no reported value
is used here."""

from __future__ import annotations

from batrepro.readers.vamas import read_vamas

from . import quant
from .fit import Component, RegionModel, fit_region

#: Si 2p: Si0..Si4+ with chemical shifts relative to Si0 2p3/2 (Himpsel et al., Phys. Rev. B 38 (1988) 6084),
#: 2p1/2 partner at +0.61 eV with half the 2p3/2 area, one shared FWHM.
SI2P = RegionModel(
    "Si 2p",
    (96.0, 108.0),
    tuple(
        Component(
            f"Si{n}+",
            99.4 + s,
            1.2,
            "gl",
            30.0,
            position_of=None if n == 0 else "Si0+",
            shift=s,
            position_window=0.4,
            fwhm_group="si",
            doublet=(0.61, 0.5),
            valence=float(n),
        )
        for n, s in enumerate((0.0, 0.95, 1.75, 2.48, 3.9))
    ),
)

C1S_SEI = RegionModel(
    "C 1s",
    (280.0, 295.0),
    tuple(
        Component(
            name,
            pos,
            1.3,
            "gl",
            30.0,
            position_of=None if name == "C-C" else "C-C",
            shift=pos - 284.8,
            position_window=0.5,
            fwhm_group="c",
        )
        for name, pos in (("C-C", 284.8), ("C-O", 286.5), ("C=O", 288.1), ("Li2CO3", 289.9))
    ),
)

F1S_SEI = RegionModel(
    "F 1s",
    (680.0, 693.0),
    (
        Component("LiF", 684.9, 1.3, "gl", 30.0, position_window=0.5, fwhm_group="f"),
        Component("LixPFy", 686.9, 1.3, "gl", 30.0, position_window=0.5, fwhm_group="f"),
    ),
)

#: Element -> (region, BE window) and sensitivity factors (Scofield-based Al Ka RSFs, C 1s = 1).
ELEMENT_WINDOWS = {
    "Si": ("Si 2p", (96.0, 108.0)),
    "N": ("N 1s", (392.0, 404.0)),
    "C": ("C 1s", (279.0, 291.0)),
    "O": ("O 1s", (526.0, 538.0)),
}
RSF = {"Si": 0.817, "N": 1.8, "C": 1.0, "O": 2.93}


def _blocks(raw, region):
    d = raw.data[raw.data["region"] == region]
    if d.empty:
        raise ValueError(f"{raw.source}: the component model names region '{region}', which the file does not have")
    return d.groupby("block", sort=True)


def valence_series(path, model: RegionModel = SI2P) -> dict[float, tuple[float, float]]:
    """Average Si valence (and SD) per sputter time from a depth-series file."""
    raw = read_vamas(path)
    out = {}
    for _, d in _blocks(raw, model.region):
        res = fit_region(d["binding_energy_eV"].to_numpy(), d["counts"].to_numpy(), model)
        out[float(d["sputter_time_min"].iloc[0])] = quant.average_valence(res)
    return out


def composition_table(path, windows=ELEMENT_WINDOWS, rsf=RSF) -> dict[tuple[int, float], dict[str, float]]:
    """at% of each element per (site, sputter time) from Shirley-subtracted core-level areas and RSFs."""
    raw = read_vamas(path)
    areas: dict[tuple[int, float], dict[str, float]] = {}
    by_region = {region: el for el, (region, _) in windows.items()}
    for _, d in raw.data.groupby("block", sort=True):
        el = by_region.get(d["region"].iloc[0])
        if el is None:
            continue
        key = (int(d["site"].iloc[0]), float(d["sputter_time_min"].iloc[0]))
        a = quant.region_area(d["binding_energy_eV"].to_numpy(), d["counts_per_s"].to_numpy(), windows[el][1])
        areas.setdefault(key, {})[el] = a
    out = {}
    for key, a in areas.items():
        comp = quant.composition(a, rsf)
        out[key] = dict(zip(comp.elements, comp.at_percent))
    return out


def component_fraction(path, model: RegionModel, component: str) -> tuple[float, float]:
    """Area fraction (%) of ``component`` in ``model``'s region, with its SD."""
    raw = read_vamas(path)
    (_, d), *_ = list(_blocks(raw, model.region))
    res = fit_region(d["binding_energy_eV"].to_numpy(), d["counts"].to_numpy(), model)
    i = res.names.index(component)
    tot = res.areas.sum()
    return float(100 * res.areas[i] / tot), float(100 * res.area_sd[i] / tot)


def summary_rows(guan_dir, kim_dir) -> list:
    """All XPS summary rows of both papers from the stand-in (or real) VAMAS files."""
    from pathlib import Path

    rows = []
    method = "VAMAS; Shirley; GL(30) Si0-Si4+ doublets, tied FWHM; sum(n A_n)/sum(A_n)"
    for f in sorted(Path(guan_dir).glob("*_Si2p_depth.vms")):
        sample = f.name.split("_")[0]
        vals = {t: v for t, (v, _) in valence_series(f).items()}
        rows += quant.valence_rows("guan_hrposs", sample, vals, method)
    for f in sorted(Path(guan_dir).glob("*_sites_depth.vms")):
        sample = f.name.split("_")[0]
        rows += quant.composition_rows(
            "guan_hrposs", sample, composition_table(f), "VAMAS; Shirley areas / RSF; 100 at%"
        )
    for f in sorted(Path(kim_dir).glob("*_C1s_F1s_*.vms")):
        sample = f.name.split("_")[0]
        for model, comp, q in ((C1S_SEI, "Li2CO3", "li2co3_fraction"), (F1S_SEI, "LiF", "lif_fraction")):
            v, sd = component_fraction(f, model, comp)
            rows.append(
                quant.fraction_row(
                    "kim2026", sample, q, model.region, v, sd, f"VAMAS; Shirley; GL(30) {comp} area fraction"
                )
            )
    return rows
