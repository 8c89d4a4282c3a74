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


def _axis(window, step, hv):
    be = np.arange(window[1], window[0] - step / 2, -step)  # high BE first = increasing KE
    return be, hv - be[0], step


def _block(sample, species, transition, be_axis, ke_start, step, counts, **labels):
    comments = [f"{k} = {v:g}" for k, v in labels.items()]
    bid = f"{species} {transition}" + "".join(f" {k}={v:g}" for k, v in labels.items())
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


def write_all(params_path, root=None) -> list[Path]:
    """Regenerate every XPS stand-in file from ``params_path`` (byte-identical for a fixed seed)."""
    P = yaml.safe_load(Path(params_path).read_text(encoding="utf-8"))
    root = Path(root) if root is not None else Path(params_path).resolve().parents[2]
    rng = np.random.default_rng(P["seed"])
    hv, dwell, scans, step = P["source"]["energy_eV"], P["dwell_s"], P["scans"], P["step_eV"]
    written = []
    S = P["si2p"]
    be, ke0, st = _axis(S["window"], step, hv)
    for sample, series in S["valence"].items():
        blocks = []
        for t, v in series.items():
            frac = binomial_fractions(float(v))
            area = S["peak_cps"] * S["fwhm_eV"] * 1.06
            peaks = []
            for k, f in enumerate(frac):
                c = S["si0_2p32_eV"] + S["shifts_eV"][k]
                a32 = 5 * area * f / (1 + S["doublet"][1])
                peaks += [
                    (a32, c, S["fwhm_eV"], S["m"]),
                    (a32 * S["doublet"][1], c + S["doublet"][0], S["fwhm_eV"], S["m"]),
                ]
            counts = spectrum(be, peaks, S["flat_cps"], S["background_step"], rng, dwell, scans)
            blocks.append(_block(sample, "Si", "2p", be, ke0, st, counts, sputter_time_min=float(t)))
        out = root / "resources/raw/guan_hrposs/xps" / f"{sample}_Si2p_depth.vms"
        write_vamas(out, blocks, P["source"]["label"], hv, dwell, scans)
        written.append(out)
    C = P["composition"]
    blocks = []
    for site, series in C["at_percent"].items():
        for t, comp in series.items():
            for el, at in comp.items():
                ln = C["lines"][el]
                b_ax, k0, st = _axis(ln["window"], step, hv)
                area = float(at) * C["rsf"][el] * C["area_per_at_percent"]
                counts = spectrum(
                    b_ax,
                    [(area, ln["center_eV"], ln["fwhm_eV"], C["m"])],
                    C["flat_cps"],
                    C["background_step"],
                    rng,
                    dwell,
                    scans,
                )
                sp, tr = ln["region"].split()
                blocks.append(
                    _block(C["sample"], sp, tr, b_ax, k0, st, counts, site=int(site), sputter_time_min=float(t))
                )
    out = root / "resources/raw/guan_hrposs/xps" / f"{C['sample']}_sites_depth.vms"
    write_vamas(out, blocks, P["source"]["label"], hv, dwell, scans)
    written.append(out)
    E = P["sei"]
    for sample, target in E["samples"].items():
        blocks = []
        for key, region, frac_key, main in (
            ("c1s", ("C", "1s"), "li2co3", "Li2CO3"),
            ("f1s", ("F", "1s"), "lif", "LiF"),
        ):
            R = E[key]
            b_ax, k0, st = _axis(R["window"], step, hv)
            f_main = float(target[frac_key]) / 100.0
            others = [n for n in R["components"] if n != main]
            split = np.asarray(R["other_split"], float)
            fr = {main: f_main, **{n: (1 - f_main) * s / split.sum() for n, s in zip(others, split)}}
            total = E["peak_cps"] * E["fwhm_eV"] * 1.06 * 3
            peaks = [(total * fr[n], c, E["fwhm_eV"], E["m"]) for n, c in R["components"].items()]
            counts = spectrum(b_ax, peaks, E["flat_cps"], E["background_step"], rng, dwell, scans)
            blocks.append(_block(sample, region[0], region[1], b_ax, k0, st, counts))
        out = root / "resources/raw/kim2026/xps" / f"{sample}_C1s_F1s_200cycles.vms"
        write_vamas(out, blocks, P["source"]["label"], hv, dwell, scans)
        written.append(out)
    return written


def main() -> None:  # pragma: no cover - command-line entry
    import sys

    for p in write_all(sys.argv[1] if len(sys.argv) > 1 else "resources/simulate/xps.yaml"):
        print(p)


if __name__ == "__main__":  # pragma: no cover
    main()
