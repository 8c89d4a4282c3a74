"""Time the BET area with the Rouquerol range search per isotherm, side by side with pyGAPS; print medians.

Usage: .venv/bin/python benchmarks/bench_bet.py [--repeats 2000]

Isotherms: the public Micromeritics 3Flex report (../shared/data/public/bet/, 47 adsorption points), the four
stand-in reports of Guan Table S1 (31 points) and pyGAPS's two reference isotherms (its package data, ~100
points). Ours: ``batrepro.analysis.bet.bet_area`` (every contiguous range tested at once). pyGAPS 4.6.1:
``area_BET`` on a PointIsotherm (what a pyGAPS user calls) and ``area_BET_raw`` on arrays (its core). Each call
is timed alone, interleaved with the peer's, and the median over ``--repeats`` calls is printed. ``S_micro u``:
the micropore area's GUM uncertainty (``micropore_area``: readings propagated through both fits, and the 121
t-plot windows of the default family), timed on its own; ``+t,BJH,u`` is everything the plug-in computes.
Target (issue 12): ours <= 0.5 ms per isotherm; pyGAPS's area_BET is about 0.8 ms on this machine.
"""

from __future__ import annotations

import argparse
import logging
import math
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "workflow/scripts"))

from batrepro.analysis.bet import bet_area, bjh_desorption, micropore_area, t_plot  # noqa: E402
from batrepro.readers.micromeritics import read_micromeritics_xls  # noqa: E402

SETTINGS = dict(cross_section_nm2=0.162, min_points=3, xm_tolerance=math.inf)
WINDOWS = dict(shift_A=0.5, step_A=0.1, min_points=4, min_r2=0.995)  # bet.t_window_* schema defaults


def _branches(raw):
    d = raw.data
    a, b = d[d["branch"] == "adsorption"], d[d["branch"] == "desorption"]
    return (
        a["relative_pressure"].to_numpy(),
        a["quantity_adsorbed_cm3_g"].to_numpy(),
        b["relative_pressure"].to_numpy(),
        b["quantity_adsorbed_cm3_g"].to_numpy(),
    )


def isotherms():
    out = {}
    public = REPO.parent / "shared/data/public/bet/micromeritics_Sample_C.xls"
    if public.is_file():
        out["public Sample_C (3Flex)"] = _branches(read_micromeritics_xls(public))
    for path in sorted((REPO / "resources/raw/guan_hrposs/bet").glob("*.xls")):
        out[f"stand-in {path.stem}"] = _branches(read_micromeritics_xls(path))
    return out


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=2000)
    args = ap.parse_args()
    try:
        import pygaps
        import pygaps.parsing as pgp
        from pygaps.characterisation.area_bet import area_BET, area_BET_raw

        logging.getLogger("pygaps").setLevel(logging.ERROR)
    except ImportError:
        pygaps = None
    cases = isotherms()
    peers = {}
    if pygaps is not None:
        for path in sorted((Path(pygaps.__file__).parent / "data/stdiso").glob("*.csv")):
            iso = pgp.isotherm_from_csv(path)
            x, n = iso.pressure(branch="ads"), iso.loading(branch="ads", loading_unit="mmol") * 22.414
            cases[f"pyGAPS {path.stem}"] = (x, n, None, None)
            peers[f"pyGAPS {path.stem}"] = iso
    head = f"{'isotherm':40s} {'pts':>4s} {'ours BET':>9s} {'S_micro u':>9s} {'+t,BJH,u':>10s}"
    print(f"{head} {'pyGAPS':>8s} {'raw':>8s}  (ms, medians)")
    ours_all, theirs_all = [], []
    for name, (x, n, xd, nd) in cases.items():
        ours = median_ms(lambda x=x, n=n: bet_area(x, n, **SETTINGS), args.repeats)

        bet, tp = bet_area(x, n, **SETTINGS), t_plot(x, n, t_range_A=(3.5, 5.0))
        micro = median_ms(
            lambda x=x, n=n, bet=bet, tp=tp: micropore_area(x, n, bet, tp, t_range_A=(3.5, 5.0), **WINDOWS),
            max(args.repeats // 4, 50),
        )

        def full(x=x, n=n, xd=xd, nd=nd):
            bet = bet_area(x, n, **SETTINGS)
            tp = t_plot(x, n, t_range_A=(3.5, 5.0))
            micropore_area(x, n, bet, tp, t_range_A=(3.5, 5.0), **WINDOWS)
            if xd is not None:
                bjh_desorption(xd, nd, diameter_range_nm=(1.7, 300.0))

        all_of_it = median_ms(full, max(args.repeats // 4, 50))
        line = f"{name:40s} {x.size:4d} {ours:9.3f} {micro:9.3f} {all_of_it:10.3f}"
        ours_all.append(ours)
        if pygaps is not None:
            iso = peers.get(name)
            if iso is None:
                iso = pygaps.PointIsotherm(
                    pressure=x, loading=n / 22.414, material="m", adsorbate="nitrogen", temperature=77.3
                )
            theirs = median_ms(lambda iso=iso: area_BET(iso), max(args.repeats // 4, 50))
            raw = median_ms(lambda x=x, n=n: area_BET_raw(x, n / 22414.0, 0.162), args.repeats)
            theirs_all.append(theirs)
            line += f" {theirs:8.3f} {raw:8.3f}"
        print(line)
    print(f"median over isotherms: ours {statistics.median(ours_all):.3f} ms", end="")
    if theirs_all:
        print(f", pyGAPS area_BET {statistics.median(theirs_all):.3f} ms", end="")
    print()


if __name__ == "__main__":
    main()
