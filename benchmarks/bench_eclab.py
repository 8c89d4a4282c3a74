"""Benchmark of the EC-Lab reader (``python benchmarks/bench_eclab.py [--rows N] [--peers]``).

1. Generates, in a temporary directory and with a fixed seed, a GCPL .mpt of ``--rows`` rows
   (default 1,000,000) in the real layout: the 81-line header and the 29 columns of the public
   ``gcpl.issue_149.mpt`` (EC-Lab 11.50), with the same number formats per column, once with an
   English locale and once with decimal commas. The data are a simulated half-cell: rest,
   galvanostatic discharge, rest, charge, repeated.
2. Times ``read_mpt`` on both (median of 5; target <= 2 s for 1,000,000 rows).
3. Times galvani's bare ``MPRfile`` parse against ``read_mpr`` on every public .mpr and on two
   larger .mpr files made from the public ``gcpl.issue_149.mpr`` (EC-Lab 11.50 layout) by tiling its
   records, with time shifted so it keeps increasing: 46,000 rows (the size of navani's example
   GCPL file) and 1,000,000 rows. Target: ``read_mpr`` within 2x of the bare parse.

   The two are timed *interleaved* (bare, ours, ours, bare, ...), so that both run in the same cache
   state: timed back to back in separate loops, galvani's parse runs with the caches warm from
   itself alone and is ~30 % faster than it is inside any real program. The separate-loop ratio is
   printed too. For scale, ``pd.DataFrame(mpr.data)`` (the minimal table a galvani user builds, as
   navani does) is timed the same way.
4. With ``--peers``: if ``yadg`` and ``navani`` can be pip-installed into a throwaway venv under
   /tmp (never into the project), times them on the same files in that venv (a 100,000-row cut
   of the generated .mpt stands in for the big one, since those readers parse in Python).

Prints one table of medians. Nothing is written outside the temporary directory.

The code timed is ``batrepro.readers.eclab`` (``mpt.py``, the text path; ``mpr.py``, the galvani binary path)
and the block parse, numeric validation and range checks they share (``readers/_table.py``,
``vocab/columns.py``). ``BATREPRO_SCRIPTS=<dir>`` times the package under another ``workflow/scripts``
directory (e.g. an exported older revision), so before/after medians come from one benchmark script.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, os.environ.get("BATREPRO_SCRIPTS", str(REPO / "workflow" / "scripts")))

from batrepro.readers.eclab import read_mpr, read_mpt  # noqa: E402

PUBLIC = REPO.parent / "shared" / "data" / "public" / "eclab"
TEMPLATE = PUBLIC / "gcpl.issue_149.mpt"
PEER_VENV = Path(os.environ.get("BATREPRO_PEER_VENV", "/tmp/peer-venv"))
SEED = 20261121
_DEC_COMMA = re.compile(r"(\d),(\d)")
_EXP2 = re.compile(r"E([+-])(\d\d)(?!\d)")


def _exp3(cells: list[str]) -> list[str]:
    """EC-Lab prints three exponent digits (``E+001``); C printf prints two."""
    return _EXP2.sub(r"E\g<1>0\2", "\n".join(cells)).split("\n")


# ------------------------------------------------------------------------------------------------
# generator


def _template() -> tuple[list[str], list[str], list[str], list[str]]:
    """Header lines (English, and as in the file: decimal comma), column names, printf formats."""
    lines = TEMPLATE.read_bytes().decode("cp1252").split("\n")
    n = int(lines[1].split(":")[1])
    header = lines[:n]
    names = header[-1].rstrip("\t").split("\t")
    first = lines[n].split("\t")
    fmts = []
    for cell in first:
        if "E" in cell:
            digits = len(cell.split("E")[0].split(",")[1])
            fmts.append(f"%.{digits}E")
        else:
            fmts.append("%d")
    english = [_DEC_COMMA.sub(r"\1.\2", h) if i > 2 else h for i, h in enumerate(header)]
    return english, header, names, fmts


def _cycle_block(rng: np.random.Generator, names: list[str], k: int) -> dict[str, np.ndarray]:
    """One simulated cycle of ``k`` rows: rest, discharge, rest, charge (3.0-4.5 V window)."""
    r = k // 50
    g = (k - 2 * r) // 2
    seg = np.concatenate([np.zeros(r), -np.ones(g), np.zeros(r), np.ones(k - 2 * r - g)])
    i_ma = 0.03 * seg
    mode = np.where(seg == 0, 3, 1)
    ns = np.where(seg == 0, 0, np.where(seg < 0, 2, 1))
    dt = 1.0
    q = np.cumsum(i_ma * dt / 3600.0)
    frac = np.clip((q - q.min()) / max(np.ptp(q), 1e-12), 0, 1)
    ewe = 3.0 + 1.5 * frac + 0.01 * seg + rng.normal(0, 2e-4, k)
    v = {name: np.zeros(k) for name in names}
    v.update(
        {
            "mode": mode,
            "ox/red": (seg > 0).astype(int),
            "Ns": ns,
            "Ns changes": np.r_[0, np.diff(ns) != 0],
            "control changes": np.r_[1, np.diff(mode) != 0],
            "dq/mA.h": i_ma * dt / 3600.0,
            "(Q-Qo)/mA.h": q,
            "control/V/mA": i_ma,
            "Ewe/V": ewe,
            "I Range": np.full(k, 39),
            "Q charge/discharge/mA.h": np.abs(q),
            "half cycle": (seg > 0).astype(int),
            "P/W": ewe * i_ma * 1e-3,
            "<I>/mA": i_ma + rng.normal(0, 1e-6, k) * (seg != 0),
            "Q discharge/mA.h": np.where(seg < 0, -q, 0),
            "Q charge/mA.h": np.where(seg > 0, q - q.min(), 0),
            "control/mA": i_ma,
            "step time/s": np.arange(k) * dt,
        }
    )
    return v


def generate(path: Path, rows: int, *, decimal: str = ".", k: int = 10_000, seed: int = SEED) -> Path:
    """Write a ``rows``-row GCPL .mpt in the real layout (deterministic for a given seed)."""
    header, header_comma, names, fmts = _template()
    rng = np.random.default_rng(seed)
    k = min(k, rows)
    i_time = names.index("time/s")
    i_cyc = names.index("cycle number")
    assert i_cyc == len(names) - 1
    blocks = []
    for _ in range(4):  # four distinct cycles, rotated, so that no two consecutive cycles repeat
        v = _cycle_block(rng, names, k)
        cells = [_exp3([f % x for x in v[name].tolist()]) for f, name in zip(fmts, names)]
        pre = ["\t".join(row) + "\t" for row in zip(*cells[:i_time])]
        mid = ["\t" + "\t".join(row) + "\t" for row in zip(*cells[i_time + 1 : i_cyc])]
        blocks.append((pre, mid))
    t = 30.15 + np.arange(rows) * 1.0 + rng.uniform(0, 1e-3, rows)
    times = _exp3([fmts[i_time] % x for x in t.tolist()])
    cyc_fmt = fmts[i_cyc]
    out = []
    for c0 in range(0, rows, k):
        pre, mid = blocks[(c0 // k) % 4]
        cyc = _exp3([cyc_fmt % (c0 // k + 1)])[0]
        n = min(k, rows - c0)
        out.extend(pre[i] + times[c0 + i] + mid[i] + cyc for i in range(n))
    body = "\n".join(out)
    if decimal == ",":
        body = body.replace(".", ",")
        header = header_comma
    header[1] = f"Nb header lines : {len(header)}" + " " * 26
    path.write_bytes(("\n".join(header) + "\n" + body).encode("cp1252"))
    return path


# ------------------------------------------------------------------------------------------------
# timing


def median_time(fn, reps: int, cpu: list | None = None) -> float:
    """Median wall time of ``reps`` calls; the median process CPU time is appended to ``cpu``."""
    times, cpus = [], []
    for _ in range(reps):
        c = time.process_time()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    if cpu is not None:
        cpu.append(statistics.median(cpus))
    return statistics.median(times)


def galvani_bare(path: Path):
    from galvani import BioLogic

    with open(path, "rb") as fh:
        return BioLogic.MPRfile(fh)


def galvani_dataframe(path: Path):
    import pandas as pd

    return pd.DataFrame(galvani_bare(path).data)


def scale_mpr(src: Path, dst: Path, rows: int) -> Path:
    """Write ``src`` with its data records tiled to ``rows`` rows (time shifted to keep rising).

    Only the data module changes: its record count and its length field; every other byte of the
    file is kept, so galvani reads it through the same code path as the original.
    """
    import struct

    raw = src.read_bytes()
    rec = galvani_bare(src).data
    hdr = raw.index(b"MODULEVMP data  ") + len(b"MODULE")
    v2 = raw[hdr + 35 : hdr + 39] == b"\xff\xff\xff\xff"  # EC-Lab >= 11.50: 'max length' then 'length'
    len_at = hdr + (39 if v2 else 35)
    length = struct.unpack_from("<I", raw, len_at)[0]
    start = hdr + (59 if v2 else 51)  # module header sizes (galvani VMPmodule_hdr_v2 / _v1)
    n = len(rec)
    head = bytearray(raw[start : start + length - n * rec.dtype.itemsize])
    reps = -(-rows // n)
    big = np.tile(rec, reps)[:rows].copy()
    t = rec["time/s"]
    span = float(t[-1] - t[0]) + float(np.median(np.diff(t)))
    big["time/s"] += np.repeat(np.arange(reps) * span, n)[:rows]
    head[0:4] = struct.pack("<I", rows)
    data = bytes(head) + big.tobytes()
    out = bytearray(raw[:start]) + data + raw[start + length :]
    struct.pack_into("<I", out, len_at, len(data))
    dst.write_bytes(bytes(out))
    return dst


def interleaved(fns, reps: int) -> list[float]:
    """Median time of each function, called in turn (order reversed every other round)."""
    times = [[] for _ in fns]
    order = list(range(len(fns)))
    for r in range(reps):
        for i in order if r % 2 == 0 else order[::-1]:
            t = time.perf_counter()
            fns[i]()
            times[i].append(time.perf_counter() - t)
    return [statistics.median(x) for x in times]


_PEER_SCRIPT = r"""
import json, statistics, sys, time, warnings
warnings.filterwarnings("ignore")
files = json.loads(sys.argv[1]); out = {}
def med(fn, reps):
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return statistics.median(ts)
try:
    import yadg.extractors as ye
    for f in files:
        kind = "eclab.mpr" if f.endswith(".mpr") else "eclab.mpt"
        kw = {"locale": "de_DE"} if ("issue_149.mpt" in f or ".de." in f or "_de" in f) else {"locale": "en_GB"}
        try:
            reps = 1 if "bench_" in f else 5
            out["yadg|" + f] = med(lambda: ye.extract(filetype=kind, path=f, encoding="windows-1252", **kw), reps)
        except Exception as e:
            out["yadg|" + f] = "error: " + type(e).__name__ + ": " + str(e)[:80]
except Exception as e:
    out["yadg"] = "unavailable: " + str(e)[:80]
try:
    from navani import echem
    for f in files:
        try:
            reps = 1 if "bench_" in f else 5
            out["navani|" + f] = med(lambda: echem.echem_file_loader(f), reps)
        except Exception as e:
            out["navani|" + f] = "error: " + type(e).__name__ + ": " + str(e)[:80]
except Exception as e:
    out["navani"] = "unavailable: " + str(e)[:80]
print(json.dumps(out))
"""


def peers(files: list[Path]) -> dict:
    """Time yadg and navani in a throwaway venv under /tmp; {} if they cannot be installed."""
    py = PEER_VENV / "bin" / "python"
    if not py.exists():
        r = subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], capture_output=True)
        if r.returncode:
            return {"peers": "venv failed"}
    r = subprocess.run([str(py), "-c", "import yadg, navani"], capture_output=True)
    if r.returncode:
        r = subprocess.run([str(py), "-m", "pip", "install", "-q", "yadg", "navani"], capture_output=True, text=True)
        if r.returncode:
            return {"peers": "pip install failed: " + r.stderr.strip().splitlines()[-1][:100] if r.stderr else ""}
    r = subprocess.run(
        [str(py), "-c", _PEER_SCRIPT, json.dumps([str(f) for f in files])], capture_output=True, text=True, timeout=3600
    )
    if r.returncode:
        return {"peers": "run failed: " + r.stderr.strip()[-200:]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--mpr-reps", type=int, default=1000, help="repetitions per .mpr (fewer for big files)")
    ap.add_argument("--peers", action="store_true", help="also time yadg and navani (pip, throwaway venv)")
    args = ap.parse_args(argv)
    if not TEMPLATE.is_file():
        print(f"public EC-Lab files not found at {PUBLIC}", file=sys.stderr)
        return 1
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench_eclab_") as tmp:
        tmp = Path(tmp)
        gen = {}
        for dec, name in ((".", "bench_en.mpt"), (",", "bench_de.mpt")):
            t = time.perf_counter()
            gen[dec] = generate(tmp / name, args.rows, decimal=dec)
            print(
                f"generated {name}: {gen[dec].stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t:.1f} s",
                file=sys.stderr,
            )
        for dec, p in gen.items():
            d = read_mpt(p)
            assert len(d.data) == args.rows and d.header["decimal_separator"] == dec
            cpu: list[float] = []
            med = median_time(partial(read_mpt, p), args.reps, cpu)
            size = p.stat().st_size / 1e6
            rows.append(
                (
                    f"read_mpt {p.name} ({args.rows:,} rows, {size:.0f} MB, decimal '{dec}')",
                    f"{med:.3f} s",
                    f"{size / med:.0f} MB/s, CPU {cpu[0]:.2f} s (2 threads); "
                    f"target <= 2 s: {'OK' if med <= 2 else 'MISSED'}",
                )
            )
        mprs = sorted(PUBLIC.glob("*.mpr"))
        gcpl = PUBLIC / "gcpl.issue_149.mpr"
        for rows_ in (46_000, 1_000_000):
            mprs.append(scale_mpr(gcpl, tmp / f"gcpl_{rows_}.mpr", rows_))
        for mpr in mprs:
            n = len(galvani_bare(mpr).data)
            reps = max(7, min(args.mpr_reps, int(args.mpr_reps * 5000 / max(n, 1))))
            for _ in range(3):  # warm-up: imports, page cache, plan cache
                galvani_bare(mpr), read_mpr(mpr, required=()), galvani_dataframe(mpr)
            bare, ours, frame = interleaved(
                [partial(galvani_bare, mpr), partial(read_mpr, mpr, required=()), partial(galvani_dataframe, mpr)], reps
            )
            sep_bare = median_time(partial(galvani_bare, mpr), reps)
            sep_ours = median_time(partial(read_mpr, mpr, required=()), reps)
            ratio = ours / bare
            name = mpr.name if mpr.parent == PUBLIC else f"{mpr.name} (tiled)"
            rows.append(
                (
                    f"galvani MPRfile vs read_mpr {name} ({n:,} rows)",
                    f"{bare * 1e3:.2f} / {ours * 1e3:.2f} ms",
                    f"ratio {ratio:.2f}; target <= 2: {'OK' if ratio <= 2 else 'MISSED'}; "
                    f"separate loops {sep_ours / sep_bare:.2f}; pd.DataFrame(mpr.data) {frame / bare:.2f}",
                )
            )
        for mpt in sorted(PUBLIC.glob("*.mpt")):
            med = median_time(partial(read_mpt, mpt), 50)
            rows.append((f"read_mpt {mpt.name}", f"{med * 1e3:.2f} ms", ""))
        if args.peers:
            small = tmp / "bench_en_100k.mpt"
            generate(small, min(args.rows, 100_000))
            files = sorted(PUBLIC.glob("*.mp[rt]")) + [small]
            res = peers(files)
            ours = median_time(lambda: read_mpt(small), args.reps)
            rows.append((f"read_mpt {small.name}", f"{ours * 1e3:.1f} ms", "(peer comparison file)"))
            for key, val in sorted(res.items()):
                lib, _, f = key.partition("|")
                label = f"{lib} {Path(f).name}" if f else lib
                rows.append((label, f"{val * 1e3:.1f} ms" if isinstance(val, float) else str(val), "peer"))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows.append((f"(1-min load average at the end: {load:.2f} on {os.cpu_count()} CPUs)", "", ""))
    w = max(len(r[0]) for r in rows)
    print(f"{'benchmark (median)':<{w}}  {'time':>20}  note")
    for a, b, c in rows:
        print(f"{a:<{w}}  {b:>20}  {c}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
