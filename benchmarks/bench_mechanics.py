"""Benchmark of the electrode-mechanics analyses (``.venv/bin/python benchmarks/bench_mechanics.py``); prints
medians, writes nothing.

Targets (issue 11): Oliver–Pharr on 100 indents in <= 0.2 s; the peel and SAICAS averages of a 100,000-point
log in <= 50 ms each. Side by side, when importable: the `micromechanics` package (PyPI 1.3.5, MIT), which is
not a project dependency (it pulls opencv-python, scikit-image, h5py and lmfit). Install it into a throwaway
folder and point PYTHONPATH at it, e.g.::

    .venv/bin/pip install --no-deps --target /tmp/mm micromechanics==1.3.5 lmfit==1.3.4 asteval==1.0.10 \\
        uncertainties==3.2.3 dill==0.4.1 h5py==3.16.0 scikit-image==0.26.0 imageio==2.38.2 \\
        tifffile==2026.3.3 lazy-loader==0.6 networkx==3.6.1 opencv-python==5.1.0.95
    PYTHONPATH=/tmp/mm .venv/bin/python benchmarks/bench_mechanics.py

micromechanics then analyses the same 100 curves (its `stiffnessFromUnloading` power-law fit over the same
force range, S at h_max, and `OliverPharrMethod` with the same ideal Berkovich area function), and the script
prints both timings and the largest relative difference of E_r and H between the two implementations.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))

from batrepro.analysis.adhesion import peel_force, saicas_force  # noqa: E402
from batrepro.analysis.nanoindentation import analyse_indent  # noqa: E402
from batrepro.simulate.adhesion import PeelSpecimen, SaicasCut, simulate_peel, simulate_saicas  # noqa: E402
from batrepro.simulate.nanoindentation import Indent, simulate_indent  # noqa: E402

INDENT = {"fit_range": (0.5, 0.98), "min_fit_points": 10, "epsilon": 0.75, "beta": 1.0, "area_coefficients": (24.5,)}


def median_time(fn, repeat=7, clock=time.perf_counter):
    out = []
    for _ in range(repeat):
        t = clock()
        fn()
        out.append(clock() - t)
    return statistics.median(out)


def indents(n=100):
    """n curves of the four electrodes' populations (the stand-in model, 350 points each)."""
    rng = np.random.default_rng(11)
    pops = [(0.983, 0.022, 9.218), (1.58, 0.034, 12.694), (2.872, 0.089, 9.01), (3.093, 0.090, 9.38)]
    curves = []
    for k in range(n):
        er, hard, p = pops[k % 4]
        spec = Indent("x", k, er * (1 + 0.06 * rng.standard_normal()), hard * (1 + 0.06 * rng.standard_normal()), p)
        curves.append(simulate_indent(spec, seed=k))
    return curves


def ours(curves):
    return [analyse_indent(c["depth_nm"], c["force_mN"], **INDENT) for c in curves]


def micromechanics_setup():
    try:
        with redirect_stdout(io.StringIO()):
            from micromechanics.indentation import Indentation, Tip
            from micromechanics.indentation.definitions import Method

            ind = Indentation(tip=Tip(shape="iso"))  # opens its bundled Example.xls; replaced below
    except Exception as err:  # noqa: BLE001 - any import or start-up failure means "peer absent"
        return None, f"micromechanics not importable ({type(err).__name__}: {err}); set PYTHONPATH (see docstring)"
    ind.tip.areaPrefactors = [24.5]
    ind.tip.shape = "iso"
    ind.method = Method.ISO
    ind.model["unloadPMin"], ind.model["unloadPMax"] = INDENT["fit_range"]
    ind.model["evaluateSAtMax"] = True
    ind.model["beta"] = INDENT["epsilon"]  # micromechanics' "beta" is the ε of h_c = h - ε P/S
    ind.output["verbose"] = 0
    return ind, ""


def theirs(ind, curves):
    """micromechanics on the same curves: units mN and µm; S in mN/µm, E_r in GPa, A in µm²."""
    out = []
    for c in curves:
        h, p = c["depth_nm"] / 1000.0, c["force_mN"]
        i_u = int(np.argmax(h))
        ind.iLHU = [[0, i_u, i_u, len(h) - 1]]
        stiffness, *_ = ind.stiffnessFromUnloading(p, h)
        s = np.array(stiffness)
        er, area, _ = ind.OliverPharrMethod(s, np.array([p[i_u]]), np.array([h[i_u]]))
        out.append((float(er[0]), float(p[i_u] / area[0])))
    return out


def main():
    curves = indents()
    t_ours = median_time(lambda: ours(curves))
    cpu = median_time(lambda: ours(curves), clock=time.process_time)
    print(
        f"Oliver–Pharr, 100 indents (350 points each): batrepro {t_ours * 1e3:.1f} ms wall, {cpu * 1e3:.1f} ms CPU"
        " (target <= 200 ms)"
    )
    ind, why = micromechanics_setup()
    if ind is None:
        print(f"  micromechanics side by side skipped: {why}")
    else:
        with redirect_stdout(io.StringIO()):
            t_mm = median_time(lambda: theirs(ind, curves), repeat=3)
            mm = theirs(ind, curves)
        mine = ours(curves)
        d_er = max(abs(a.reduced_modulus_GPa / b[0] - 1) for a, b in zip(mine, mm))
        d_h = max(abs(a.hardness_GPa / b[1] - 1) for a, b in zip(mine, mm))
        print(f"  micromechanics 1.3.5 on the same curves: {t_mm * 1e3:.1f} ms ({t_mm / t_ours:.1f}x)")
        print(f"  largest relative difference, E_r: {d_er:.2e}, H: {d_h:.2e}")

    spec = PeelSpecimen("x", 4.2, rate_Hz=100_000 / (90.0 / (100.0 / 60.0)))
    peel = simulate_peel(spec, seed=1)
    n = peel["extension_mm"].size
    kw = {"crack_fraction": 0.8, "window_offset_mm": 20.0, "window_length_mm": 60.0, "batches": 10}
    t_peel = median_time(lambda: peel_force(peel["extension_mm"], peel["load_N"], **kw), repeat=15)
    print(f"180° peel average, {n:,} points: {t_peel * 1e3:.2f} ms (target <= 50 ms)")

    cut = SaicasCut("x", 0.25)
    duration = cut.coating_um / cut.vertical_speed_um_s + cut.peel_length_um / cut.horizontal_speed_um_s
    log = simulate_saicas(SaicasCut("x", 0.25, rate_Hz=100_000 / duration), seed=1)
    n = log["horizontal_displacement_um"].size
    kw = {"tail_fraction": 0.1, "depth_tolerance_um": 0.2, "settle_um": 30.0, "min_peel_um": 100.0, "batches": 10}
    args = [log[k] for k in ("horizontal_displacement_um", "vertical_displacement_um")]
    args += [log["horizontal_force_N"], log["vertical_force_N"]]
    t_saicas = median_time(lambda: saicas_force(*args, **kw), repeat=15)
    print(f"SAICAS constant-depth average, {n:,} points: {t_saicas * 1e3:.2f} ms (target <= 50 ms)")


if __name__ == "__main__":
    main()
