"""Benchmark of the chemistry readers (``.venv/bin/python benchmarks/bench_chem.py [--repeat N]``).

1. Gaussian 16 logs: ``read_gaussian_log`` (+ the per-log analysis) against cclib 1.8.1's ``ccread`` on the
   bundled stand-in logs (0.1–0.44 MB; the largest, a 67-atom opt + freq log, is the target case), timed
   interleaved (ours, cclib, cclib, ours, ...) so both run in the same cache state. Target: one log ≤ 20 ms.
2. JCAMP-DX: ``read_jcamp`` on the AFFN and the DIFDUP-compressed stand-in spectra (1868 points) against the
   ``jcamp`` package (1.3.2), which reads these two correctly (it fails on other DUP forms, see
   tests/unit/test_ftir.py), and the whole FT-IR analysis of one spectrum.
3. GPC: reading a 1701-point RI trace and the slice analysis with the calibration fit.

Prints medians; writes nothing. cclib and jcamp are optional (skipped when not importable).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "workflow" / "scripts"))

from batrepro.analysis.dft import log_energy  # noqa: E402
from batrepro.analysis.ftir import analyse_spectrum  # noqa: E402
from batrepro.analysis.gpc import fit_calibration, slice_averages  # noqa: E402
from batrepro.readers.gaussian import read_gaussian_log  # noqa: E402
from batrepro.readers.gpc import read_gpc_calibration, read_gpc_trace  # noqa: E402
from batrepro.readers.jcamp import read_jcamp  # noqa: E402

RAW = REPO / "resources/raw/kim2026"
BANDS = {
    "imide_co_asymmetric": {"window": [1760, 1790]},
    "imide_co_symmetric": {"window": [1700, 1740]},
    "imide_cnc_symmetric": {"window": [1355, 1390]},
    "ch_stretch": {"window": [2840, 2960]},
    "siosi_stretch": {"window": [1000, 1130]},
}


def ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1e3:7.2f} ms"


def timed(f, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        out.append(time.perf_counter() - t)
    return out


def interleaved(a, b, repeat: int) -> tuple[list[float], list[float]]:
    ta, tb = [], []
    for i in range(repeat):
        for f, sink in ((a, ta), (b, tb)) if i % 2 == 0 else ((b, tb), (a, ta)):
            t = time.perf_counter()
            f()
            sink.append(time.perf_counter() - t)
    return ta, tb


def ours_gaussian(path):
    raw = read_gaussian_log(path)
    return log_energy(raw.data, raw.header["job_steps"], 0.0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=21)
    n = ap.parse_args().repeat
    try:
        import cclib
    except ImportError:
        cclib = None
    try:
        import jcamp
    except ImportError:
        jcamp = None

    print("Gaussian 16 logs: read_gaussian_log + log_energy vs cclib.io.ccread (interleaved medians)")
    for path in sorted((RAW / "dft").glob("*.log"), key=lambda p: p.stat().st_size):
        size = f"{path.stat().st_size / 1e6:.2f} MB"
        if cclib is None:
            print(f"  {path.name:16s} {size}  batrepro {ms(timed(lambda p=path: ours_gaussian(p), n))}")
            continue
        ours, theirs = interleaved(
            lambda p=path: ours_gaussian(p), lambda p=path: cclib.io.ccread(str(p), loglevel=logging.ERROR), n
        )
        ratio = statistics.median(theirs) / statistics.median(ours)
        print(f"  {path.name:16s} {size}  batrepro {ms(ours)}   cclib {ms(theirs)}   ({ratio:.1f}x)")

    print("JCAMP-DX spectra (1868 points): read_jcamp vs jcamp.jcamp_readfile")
    reader = None if jcamp is None else (getattr(jcamp, "jcamp_readfile", None) or jcamp.readfile)
    for name in ("PI.jdx", "PAID-P.jdx"):
        path = RAW / "ftir" / name
        kind = "DIFDUP" if name == "PAID-P.jdx" else "AFFN"
        if jcamp is None:
            print(f"  {name:12s} {kind:6s}  batrepro {ms(timed(lambda p=path: read_jcamp(p), n))}")
            continue
        ours, theirs = interleaved(lambda p=path: read_jcamp(p), lambda p=path, r=reader: r(str(p)), n)
        print(f"  {name:12s} {kind:6s}  batrepro {ms(ours)}   jcamp {ms(theirs)}")
    data = read_jcamp(RAW / "ftir/PI-P.jdx").data
    x, y = data["wavenumber_per_cm"].to_numpy(), data["transmittance_pct"].to_numpy()

    def ftir():
        analyse_spectrum(x, y, "transmittance_pct", baseline_lam=1e6, peak_prominence=0.02, refine_half_width=3,
                         bands=BANDS, sample="PI-P")  # fmt: skip

    print(f"  FT-IR analysis of one spectrum (arPLS, peaks, bands): {ms(timed(ftir, n))}")

    trace_path, cal_path = RAW / "gpc/PI_RI.csv", RAW / "gpc/PS_calibration.csv"

    def gpc():
        t, c = read_gpc_trace(trace_path).data, read_gpc_calibration(cal_path).data
        cal = fit_calibration(c["peak_molar_mass_g_mol"], c["elution_volume_mL"], 3)
        slice_averages(t["elution_volume_mL"].to_numpy(), t["ri_signal_mV"].to_numpy(), cal,
                       baseline_fraction=0.05, limit_fraction=0.005, limit_smoothing_points=21)  # fmt: skip

    print(f"GPC: read trace + calibration, fit, slice averages: {ms(timed(gpc, n))}")


if __name__ == "__main__":
    main()
