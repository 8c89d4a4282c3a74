"""Benchmark batrepro.analysis.eis against impedance.py and pyDRTtools (where they are installed).

    .venv/bin/python benchmarks/bench_eis.py [--peers-python /tmp/peers/bin/python]

Peers are never project dependencies: install them into a throwaway venv, e.g.
    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install impedance pyDRTtools cvxopt scikit-learn pandas
pyDRTtools' package __init__ imports its Qt GUI, so the peer script imports ``pyDRTtools.runs``
through a stub parent package. Timings are medians of repeated calls in one process (warm caches;
the DRT kernel table is built once per RBF shape and reported separately as "cold").

The calls state impedance.py's and pyDRTtools' settings (unit fit weights, 2nd-derivative DRT penalty,
Lin-KK without widening), which the library no longer assumes (its settings come from the config schema).

Targets (issue 4): 2-RC + Warburg fit of a 70-frequency spectrum <= 10 ms; DRT of an 81-frequency
spectrum <= 10 ms at fixed lambda and <= 50 ms with GCV; a batch of 1,000 spectra scaling linearly.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))
SHARED = ROOT.parent / "shared" / "data" / "public"

from batrepro.analysis.eis import drt as drt_module  # noqa: E402
from batrepro.analysis.eis.circuits import circuit_impedance  # noqa: E402
from batrepro.analysis.eis.fit import fit_circuit  # noqa: E402
from batrepro.analysis.eis.linkk import lin_kk  # noqa: E402

CIRCUIT = "R0-p(R1,C1)-p(R2-Wo1,C2)"
TRUTH = [0.0165, 0.00868, 3.32, 0.00539, 0.0631, 233.0, 0.22]
GUESS = [0.01, 0.01, 100, 0.01, 0.05, 100, 1]
# the peers' settings, stated (the library takes these from the config schema, which differs)
FIT = {"weights": "unit"}
DRT = {"penalty_order": 2}
LINKK = {"extend_decades": 0.0}


def drt(f, z, lam, **kw):
    return drt_module.drt(f, z, lam, **DRT, **kw)


def spectra():
    f70 = np.geomspace(1e4, 1e-2, 70)
    rng = np.random.default_rng(0)
    z70 = circuit_impedance(CIRCUIT, TRUTH, f70)
    z70 = z70 + 0.002 * np.abs(z70) * (rng.standard_normal(70) + 1j * rng.standard_normal(70))
    import pandas as pd

    d = pd.read_csv(SHARED / "eis" / "pydrttools_1ZARC.csv")
    return f70, z70, d["Freq"].to_numpy(), d["Real"].to_numpy() + 1j * d["Imag"].to_numpy()


def median_ms(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1e3 * float(np.median(times))


PEER_SCRIPT = r"""
import json, os, sys, time, types, importlib.util
import numpy as np
os.environ.setdefault("MPLBACKEND", "Agg")
out = {}
f70, zr, zi = (np.array(v) for v in json.loads(sys.argv[1]))
f81, dr, di = (np.array(v) for v in json.loads(sys.argv[2]))
z70 = zr + 1j * zi
def med(fn, n):
    ts = []
    for _ in range(n):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return 1e3 * float(np.median(ts))
try:
    from impedance.models.circuits import CustomCircuit
    def fit():
        CustomCircuit("R0-p(R1,C1)-p(R2-Wo1,C2)", initial_guess=[.01, .01, 100, .01, .05, 100, 1]).fit(f70, z70)
    out["impedancepy_fit_ms"] = med(fit, 15)
except Exception as err:
    out["impedancepy_error"] = repr(err)
try:
    spec = importlib.util.find_spec("pyDRTtools")
    stub = types.ModuleType("pyDRTtools"); stub.__path__ = list(spec.submodule_search_locations)
    sys.modules["pyDRTtools"] = stub
    from pyDRTtools import runs
    import contextlib, io
    def drt(cv):
        entry = runs.EIS_object(f81, dr, di)
        with contextlib.redirect_stdout(io.StringIO()):
            runs.simple_run(entry, cv_type=cv, reg_param=1e-3)
        return entry
    out["pydrttools_fixed_ms"] = med(lambda: drt("custom"), 7)
    out["pydrttools_gcv_ms"] = med(lambda: drt("GCV"), 5)
except Exception as err:
    out["pydrttools_error"] = repr(err)
print(json.dumps(out))
"""


def run_peers(python, f70, z70, f81, z81):
    if not python or not Path(python).exists():
        return {}
    args = [
        json.dumps([f70.tolist(), z70.real.tolist(), z70.imag.tolist()]),
        json.dumps([f81.tolist(), z81.real.tolist(), z81.imag.tolist()]),
    ]
    res = subprocess.run([python, "-c", PEER_SCRIPT, *args], capture_output=True, text=True, timeout=900)
    try:
        return json.loads(res.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"peer_error": res.stderr[-500:]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--peers-python", default="/tmp/peers/bin/python")
    ap.add_argument("--batch", type=int, default=1000)
    args = ap.parse_args()
    f70, z70, f81, z81 = spectra()

    drt_module._kernel_table.cache_clear()
    t = time.perf_counter()
    drt(f81, z81, lam=1e-3, inductance=True)
    cold = 1e3 * (time.perf_counter() - t)
    ours = {
        "fit_2rc_warburg_70f_ms": median_ms(lambda: fit_circuit(f70, z70, CIRCUIT, GUESS, **FIT), 31),
        "fit_2rc_warburg_70f_auto_guess_ms": median_ms(lambda: fit_circuit(f70, z70, CIRCUIT, **FIT), 31),
        "linkk_70f_ms": median_ms(lambda: lin_kk(f70, z70, **LINKK), 31),
        "drt_81f_fixed_ms": median_ms(lambda: drt(f81, z81, lam=1e-3, inductance=True), 51),
        "drt_81f_gcv_ms": median_ms(lambda: drt(f81, z81, lam="gcv", inductance=True), 31),
        "drt_81f_first_call_with_kernel_table_ms": cold,
    }
    # batch: fit + DRT (fixed λ) per spectrum, noise drawn per spectrum; time vs batch size
    rng = np.random.default_rng(1)
    batch = {}
    for n in sorted({max(args.batch // 10, 1), max(args.batch // 3, 1), args.batch}):
        zs = [z70 * (1 + 0.002 * rng.standard_normal(70)) for _ in range(n)]
        t = time.perf_counter()
        for z in zs:
            fit_circuit(f70, z, CIRCUIT, GUESS, **FIT)
            drt(f70, z, lam=1e-3)
        batch[n] = time.perf_counter() - t
    peers = run_peers(args.peers_python, f70, z70, f81, z81)

    print("batrepro.analysis.eis (median per call)")
    for k, v in ours.items():
        print(f"  {k:45s} {v:9.2f} ms")
    print("batch of spectra (fit + DRT each): n, total s, ms per spectrum")
    for n, s in batch.items():
        print(f"  {n:6d} {s:8.2f} s {1e3 * s / n:8.2f} ms")
    if peers:
        print("peers (median per call)")
        for k, v in peers.items():
            print(f"  {k:45s} {v:9.2f} ms" if isinstance(v, float) else f"  {k}: {v}")
        pairs = [
            ("impedancepy_fit_ms", "fit_2rc_warburg_70f_ms"),
            ("pydrttools_fixed_ms", "drt_81f_fixed_ms"),
            ("pydrttools_gcv_ms", "drt_81f_gcv_ms"),
        ]
        print("speed-up (peer / ours)")
        for p, o in pairs:
            if p in peers:
                print(f"  {p:30s} {peers[p] / ours[o]:7.1f} x")
    targets = [("fit_2rc_warburg_70f_ms", 10), ("drt_81f_fixed_ms", 10), ("drt_81f_gcv_ms", 50)]
    print("targets:", ", ".join(f"{k} {'met' if ours[k] <= lim else 'MISSED'} (<= {lim} ms)" for k, lim in targets))


if __name__ == "__main__":
    main()
