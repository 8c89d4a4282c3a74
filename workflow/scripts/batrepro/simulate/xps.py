"""Forward model of the XPS stand-ins: GL components on a Shirley-type step, Poisson counting noise,
written as ISO 14976 VAMAS files (REGULAR layout, kinetic-energy abscissa) by a small writer of its own.

Calibration (``resources/simulate/xps.yaml``): Si 2p Si0..Si4+ fractions follow a binomial distribution
B(4, v/4), whose mean is the Table S2 average valence v; element areas are at% x RSF (Table S3, per site);
the C 1s Li2CO3 and F 1s LiF fractions are the binder paper's. Counting noise makes the recovered numbers
scatter around these. This module never imports the analysis code.
"""

from __future__ import annotations

from functools import lru_cache
from math import comb
from pathlib import Path

import numpy as np
import yaml

_LN2 = np.log(2.0)


def _gl(x, center, fwhm, m):
    f = m / 100.0
    u = (x - center) / fwhm
    return np.exp(-4 * _LN2 * (1 - f) * u**2) / (1 + 4 * f * u**2)


def _gl_area_norm(fwhm, m):
    return _unit_norm(float(m)) * fwhm


@lru_cache(maxsize=64)
def _unit_norm(m):
    g = np.linspace(-200, 200, 400001)
    return float(np.trapezoid(_gl(g, 0.0, 1.0, m), g))


def line(x, area, center, fwhm, m):
    """A GL(m) product line of integrated ``area``."""
    return area * _gl(x, center, fwhm, m) / _gl_area_norm(fwhm, m)


def spectrum(be, peaks, flat_cps, step_fraction, rng, dwell, scans):
    """Counts on ``be`` for peaks [(area_cps_eV, center, fwhm, m)]: peaks + flat + a step that grows with the
    peak area on the low-BE side (Shirley's model of inelastic loss), with Poisson noise on the counts."""
    order = np.argsort(be)
    x = be[order]
    net = np.zeros_like(x)
    for area, c, w, m in peaks:
        net += line(x, area, c, w, m)
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (net[1:] + net[:-1]) * np.diff(x))])
    step = step_fraction * net.max() * cum / cum[-1]
    rate = net + flat_cps + step
    counts = rng.poisson(rate * dwell * scans).astype(float)
    out = np.empty_like(counts)
    out[order] = counts
    return out


def binomial_fractions(valence: float, n: int = 4) -> np.ndarray:
    p = valence / n
    return np.array([comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)])


def write_vamas(path, blocks, source_label, source_energy, dwell, scans):
    """Write ``blocks`` (dicts: block_id, sample, species, transition, comments, ke_start, ke_step, counts)
    as a NORM/REGULAR VAMAS file."""
    L = [
        "VAMAS Surface Chemical Analysis Standard Data Transfer Format 1988 May 4",
        "batrepro",
        "simulated",
        "batrepro.simulate.xps",
        "stand-in",
        "1",
        "simulated stand-in, not a measurement",
        "NORM",
        "REGULAR",
        "1",
        "0",
        "0",
        "0",
        "0",
        "0",
        str(len(blocks)),
    ]
    for b in blocks:
        L += [b["block_id"], b["sample"], "2026", "1", "1", "0", "0", "0", "0", str(len(b["comments"]))]
        L += b["comments"]
        L += [
            "XPS",
            source_label,
            f"{source_energy:g}",
            "1e+037",
            "1e+037",
            "1e+037",
            "54.5",
            "180",
            "FAT",
            "20",
            "1e+037",
            "4.5",
            "0",
            "1e+037",
            "1e+037",
            "0",
            "0",
            b["species"],
            b["transition"],
            "-1",
            "kinetic energy",
            "eV",
            f"{b['ke_start']:.4f}",
            f"{b['ke_step']:.4f}",
            "1",
            "counts",
            "d",
            "pulse counting",
            f"{dwell:g}",
            str(scans),
            "0",
            "0",
            "0",
            "0",
            "0",
        ]
        c = b["counts"]
        L += [str(c.size), f"{c.min():.0f}", f"{c.max():.0f}"]
        L += [f"{v:.0f}" for v in c]
    L.append("end of experiment")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text("\n".join(L) + "\n", encoding="ascii")


def _axis(window, step, hv, shift=0.0):
    """Nominal BE axis (high BE first = increasing KE) and its KE start; ``shift`` (charging, eV) moves the
    spectrum, not the axis: peaks are drawn at BE + shift."""
    be = np.arange(window[1], window[0] - step / 2, -step)
    return be, hv - be[0], step


def _block(sample, species, transition, ke_start, step, counts, **labels):
    comments = [f"{k} = {v:g}" for k, v in labels.items()]
    bid = f"{species} {transition}".strip() + "".join(f" {k}={v:g}" for k, v in labels.items())
    return {
        "block_id": bid,
        "sample": sample,
        "species": species,
        "transition": transition,
        "comments": comments,
        "ke_start": ke_start,
        "ke_step": step,
        "counts": counts,
    }


def _region(rng, P, region, window, peaks, shift, flat_cps, step_fraction, sample, **labels):
    """One high-resolution block: ``peaks`` [(area_cps_eV, BE, fwhm, m)] drawn at BE + ``shift``."""
    be, ke0, st = _axis(window, P["step_eV"], P["source"]["energy_eV"])
    shifted = [(a, c + shift, w, m) for a, c, w, m in peaks]
    counts = spectrum(be, shifted, flat_cps, step_fraction, rng, P["dwell_s"], P["scans"])
    species, transition = region.split()
    return _block(sample, species, transition, ke0, st, counts, **labels)


def _charging(rng, spec) -> float:
    """A charging shift (eV) drawn from the stated range (insulating films charge by a few tenths of an eV)."""
    lo, hi = spec
    return float(np.round(rng.uniform(lo, hi), 3))


def _depth_files(rng, P, root):
    S, N, C = P["si2p"], P["n1s"], P["c1s_reference"]
    written = []
    for sample, series in S["valence"].items():
        shift = _charging(rng, P["charging_eV"])
        blocks = []
        times = sorted(series, key=float)
        for t in times:
            frac = binomial_fractions(float(series[t]))
            area = S["peak_cps"] * S["fwhm_eV"] * 1.06
            peaks = []
            for k, f in enumerate(frac):
                c = S["si0_2p32_eV"] + S["shifts_eV"][k]
                a32 = 5 * area * f / (1 + S["doublet"][1])
                peaks += [
                    (a32, c, S["fwhm_eV"], S["m"]),
                    (a32 * S["doublet"][1], c + S["doublet"][0], S["fwhm_eV"], S["m"]),
                ]
            label = {"site": 1, "sputter_time_min": float(t)}
            blocks.append(
                _region(
                    rng, P, "Si 2p", S["window"], peaks, shift, S["flat_cps"], S["background_step"], sample, **label
                )
            )
            nf = N["fractions"][sample]
            x = float(t) / max(float(v) for v in times)
            fr = np.array([nf["surface"][i] + (nf["bulk"][i] - nf["surface"][i]) * x for i in range(3)])
            n_area = N["area_cps_eV"] * (N["surface_scale"] + (1 - N["surface_scale"]) * x)
            n_peaks = [(n_area * f / fr.sum(), c, N["fwhm_eV"], N["m"]) for f, c in zip(fr, N["positions_eV"])]
            blocks.append(
                _region(
                    rng, P, "N 1s", N["window"], n_peaks, shift, N["flat_cps"], N["background_step"], sample, **label
                )
            )
            c_peaks = [
                (C["area_cps_eV"] * f, c, C["fwhm_eV"], C["m"]) for f, c in zip(C["fractions"], C["positions_eV"])
            ]
            blocks.append(
                _region(
                    rng, P, "C 1s", C["window"], c_peaks, shift, C["flat_cps"], C["background_step"], sample, **label
                )
            )
        out = root / "resources/raw/guan_hrposs/xps" / f"{sample}_Si2p_N1s_depth.vms"
        write_vamas(out, blocks, P["source"]["label"], P["source"]["energy_eV"], P["dwell_s"], P["scans"])
        written.append(out)
    return written


def _sites_file(rng, P, root):
    C = P["composition"]
    blocks = []
    for site, series in C["at_percent"].items():
        shift = _charging(rng, P["charging_eV"])
        for t, comp in series.items():
            for el, at in comp.items():
                ln = C["lines"][el]
                area = float(at) * C["rsf"][el] * C["area_per_at_percent"]
                fr = ln.get("fractions", [1.0])
                pos = ln.get("positions_eV", [ln["center_eV"]])
                peaks = [(area * f, c, ln["fwhm_eV"], C["m"]) for f, c in zip(fr, pos)]
                blocks.append(
                    _region(
                        rng,
                        P,
                        ln["region"],
                        ln["window"],
                        peaks,
                        shift,
                        C["flat_cps"],
                        C["background_step"],
                        C["sample"],
                        site=int(site),
                        sputter_time_min=float(t),
                    )
                )
    out = root / "resources/raw/guan_hrposs/xps" / f"{C['sample']}_sites_depth.vms"
    write_vamas(out, blocks, P["source"]["label"], P["source"]["energy_eV"], P["dwell_s"], P["scans"])
    return [out]


def _survey_file(rng, P, root):
    """Wide scans at the caption's 4-min steps; the composition at each time is the site mean of Table S3,
    linearly interpolated where Table S3 has no row (20, 24, 32 min)."""
    V, C = P["survey"], P["composition"]
    hv, step = P["source"]["energy_eV"], V["step_eV"]
    be = np.arange(V["window"][1], V["window"][0] - step / 2, -step)
    x = be[::-1]
    table_times = sorted(float(t) for t in C["at_percent"][1])
    mean = {
        el: [np.mean([float(C["at_percent"][s][int(t)][el]) for s in C["at_percent"]]) for t in table_times]
        for el in C["rsf"]
    }
    shift = _charging(rng, P["charging_eV"])
    blocks = []
    for t in np.arange(0, V["last_min"] + 0.1, V["interval_min"]):
        rate = V["secondary_cps"] * (1 + x / V["secondary_scale_eV"])
        for ln in V["lines"]:
            at = np.interp(t, table_times, mean[ln["element"]]) if ln["element"] in mean else ln["at_percent"]
            if ln["element"] == "Ar" and t == 0:
                continue
            area = at * ln["rsf"] * V["area_per_at_percent"]
            c = ln["be_eV"] + shift
            rate = rate + line(x, area, c, ln["fwhm_eV"], V["m"])
            d = np.clip(x - c, 0, None)
            rate = rate + V["loss_fraction"] * area / ln["fwhm_eV"] * (1 - np.exp(-d / 3.0)) * np.exp(
                -d / V["loss_decay_eV"]
            )
        counts = rng.poisson(rate[::-1] * V["dwell_s"] * V["scans"]).astype(float)
        blocks.append(_block(C["sample"], "Survey", "", hv - be[0], step, counts, site=1, sputter_time_min=float(t)))
    out = root / "resources/raw/guan_hrposs/xps" / f"{C['sample']}_survey_depth.vms"
    write_vamas(out, blocks, P["source"]["label"], hv, V["dwell_s"], V["scans"])
    return [out]


def _sei_files(rng, P, root):
    E = P["sei"]
    written = []
    for sample, target in E["samples"].items():
        shift = _charging(rng, P["charging_eV"])
        blocks = []
        for key, region, frac_key, main in (("c1s", "C 1s", "li2co3", "Li2CO3"), ("f1s", "F 1s", "lif", "LiF")):
            R = E[key]
            f_main = float(target[frac_key]) / 100.0
            others = [n for n in R["components"] if n != main]
            split = np.asarray(R["other_split"], float)
            fr = {main: f_main, **{n: (1 - f_main) * s / split.sum() for n, s in zip(others, split)}}
            total = E["peak_cps"] * E["fwhm_eV"] * 1.06 * 3
            peaks = [(total * fr[n], c, E["fwhm_eV"], E["m"]) for n, c in R["components"].items()]
            blocks.append(
                _region(rng, P, region, R["window"], peaks, shift, E["flat_cps"], E["background_step"], sample)
            )
        out = root / "resources/raw/kim2026/xps" / f"{sample}_C1s_F1s_200cycles.vms"
        write_vamas(out, blocks, P["source"]["label"], P["source"]["energy_eV"], P["dwell_s"], P["scans"])
        written.append(out)
    return written


def write_all(params_path, root=None) -> list[Path]:
    """Regenerate every XPS stand-in file from ``params_path`` (byte-identical for a fixed seed)."""
    P = yaml.safe_load(Path(params_path).read_text(encoding="utf-8"))
    root = Path(root) if root is not None else Path(params_path).resolve().parents[2]
    rng = np.random.default_rng(P["seed"])
    return (
        _depth_files(rng, P, root) + _sites_file(rng, P, root) + _survey_file(rng, P, root) + _sei_files(rng, P, root)
    )


def main() -> None:  # pragma: no cover - command-line entry
    import sys

    for p in write_all(sys.argv[1] if len(sys.argv) > 1 else "resources/simulate/xps.yaml"):
        print(p)


if __name__ == "__main__":  # pragma: no cover
    main()
