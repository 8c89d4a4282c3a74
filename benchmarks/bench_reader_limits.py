"""Memory and time of every reader on a file at (or near) its size limit, valid and with an error near the end.

Issue 14 item 4: parsing a file at the limit must stay within the job's declared ``mem_mb`` (the technique jobs
declare 2,000 MB) and the error path must cost no more than the parse. Each measurement runs in a fresh
process: wall time, CPU time and peak RSS (``ru_maxrss``, the whole process: interpreter, imports and parse),
median of ``--reps`` runs. Files are generated in a temporary folder and deleted.

    .venv/bin/python benchmarks/bench_reader_limits.py             # every format at its limit
    .venv/bin/python benchmarks/bench_reader_limits.py --scale 0.25 --formats trios_txt bluehill_csv
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "workflow/scripts"))
sys.path.insert(0, str(REPO / "benchmarks"))

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[3])
from batrepro.readers.formats import read
from batrepro.readers.vamas import read_vamas
import pandas, numpy, galvani  # imported by every job that reads these formats
fmt = sys.argv[2]
t0, c0 = time.perf_counter(), time.process_time()
try:
    if fmt == "vamas":  # not yet a sheet format (issue 10 wires it in)
        table = read_vamas(sys.argv[1])
    else:  # a GCPL .mpr without I is read with required=() (another branch derives I)
        table = read(sys.argv[1], fmt, **({"required": ()} if fmt == "eclab_mpr" else {}))
    rows, outcome = len(table.data), "table"
except ValueError as err:
    rows, outcome = 0, str(err)[-120:]
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
# VmHWM: this process's peak RSS (ru_maxrss would carry the forking parent's size across exec)
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024
print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": peak, "rows": rows, "outcome": outcome}))
"""


def _write_lines(path: Path, head: str, row, n: int, chunk: int = 200_000, size: int | None = None) -> None:
    """Write `head` and rows 0..n-1, then (with `size`) cut the file at the last line end within `size` bytes."""
    n = int(n * 1.15) if size else n
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(head)
        for i0 in range(0, n, chunk):
            fh.write("".join(row(i) for i in range(i0, min(n, i0 + chunk))))
            if size and fh.tell() > size:
                break
    if size and path.stat().st_size > size:
        with open(path, "r+b") as fh:
            fh.seek(size - 65536)
            tail = fh.read(65536)
            fh.truncate(size - 65536 + tail.rfind(b"\n") + 1)


def make_trios(path: Path, size: int) -> None:
    from batrepro.simulate.dma import DmaFilm, simulate_ramp, trios_text

    film = DmaFilm("F", 380.0, 3000.0, 2.5e-4, 50.0, 600.0, 0.32)
    text = trios_text(film, simulate_ramp(film, seed=1))
    head, _, body = text.partition("s\t°C\tMPa\tMPa\t\tHz\t%\n")
    rows = body.splitlines()
    per = len(body.encode()) / len(rows)
    n = int((size - len(head) - 40) / (per + 2))

    def row(i):  # the ramp tiled, step time kept rising
        cells = rows[i % len(rows)].split("\t", 1)
        return f"{i * 6.0:.1f}\t{cells[1]}\n"

    _write_lines(path, head + "s\t°C\tMPa\tMPa\t\tHz\t%\n", row, n, size=size)


def make_bluehill(path: Path, size: int) -> None:
    head = '"Results Table 1"\n"Specimen width : 10.000 mm"\n\n"Time","Extension","Load"\n"(s)","(mm)","(N)"\n'
    n = int((size - len(head)) / 36)
    _write_lines(
        path, head, lambda i: f'"{i * 0.001:.3f}","{i * 1e-5:.5f}","{10 + (i % 1000) * 0.01:.4f}"\n', n, size=size
    )


def make_generic(path: Path, size: int) -> None:
    head = "time_s,voltage_V,current_mA,cycle_number\n"
    n = int((size - len(head)) / 31)
    _write_lines(
        path, head, lambda i: f"{i * 0.5:.1f},{3.0 + (i % 997) * 1e-4:.6f},{0.15:.6f},{1 + i // 10_000}\n", n, size=size
    )


def make_mpt(path: Path, size: int) -> None:
    from bench_eclab import generate

    generate(path, rows=int(size * 0.98 / 434), decimal=".")


def make_mpr(path: Path, size: int) -> None:
    from bench_eclab import scale_mpr

    src = REPO.parent / "shared/data/public/eclab/gcpl.issue_149.mpr"
    scale_mpr(src, path, rows=int(size * 0.99 / 53))


def make_vamas(path: Path, size: int) -> None:
    """Depth-profile blocks of 2,000 channels (the forward model's writer) until the file reaches `size`."""
    from batrepro.simulate.xps import write_vamas

    rng = np.random.default_rng(0)
    n_blocks = max(1, int(size / (2000 * 6.2)))
    blocks = [
        {
            "block_id": f"Si 2p cycle={b}",
            "sample": "S",
            "species": "Si",
            "transition": "2p",
            "comments": [f"sputter_time_min = {b}"],
            "ke_start": 1380.0,
            "ke_step": 0.01,
            "counts": rng.integers(10_000, 99_999, 2000),
        }
        for b in range(n_blocks)
    ]
    write_vamas(path, blocks, "Al", 1486.6, 0.1, 1)


def _limits() -> dict[str, tuple[int, str, callable]]:
    from batrepro.readers._common import DEFAULT_MAX_BYTES
    from batrepro.readers.bluehill import BLUEHILL_MAX_BYTES
    from batrepro.readers.eclab.mpr import MPR_MAX_BYTES
    from batrepro.readers.eclab.mpt import MPT_MAX_BYTES
    from batrepro.readers.trios import TRIOS_MAX_BYTES
    from batrepro.readers.vamas import VAMAS_MAX_BYTES

    return {
        "trios_txt": (TRIOS_MAX_BYTES, ".txt", make_trios),
        "bluehill_csv": (BLUEHILL_MAX_BYTES, ".csv", make_bluehill),
        "generic_csv": (DEFAULT_MAX_BYTES, ".csv", make_generic),
        "eclab_mpt": (MPT_MAX_BYTES, ".mpt", make_mpt),
        "eclab_mpr": (MPR_MAX_BYTES, ".mpr", make_mpr),
        "vamas": (VAMAS_MAX_BYTES, ".vms", make_vamas),
    }


def with_blank_line(src: Path, dst: Path) -> None:
    """The same file with an empty line 1,000 lines before its end (text formats)."""
    data = src.read_bytes()
    cut = len(data)
    for _ in range(1000):
        cut = data.rfind(b"\n", 0, cut - 1)
    dst.write_bytes(data[: cut + 1] + b"\n" + data[cut + 1 :])


def measure(path: Path, fmt: str, reps: int) -> dict:
    runs = []
    for _ in range(reps):
        cmd = [sys.executable, "-c", CHILD, str(path), fmt, str(REPO / "workflow/scripts")]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        runs.append(json.loads(out))
    med = {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu", "peak_mb")}
    return {**med, "rows": runs[0]["rows"], "outcome": runs[0]["outcome"]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--formats", nargs="*", default=None)
    ap.add_argument("--scale", type=float, default=1.0, help="file size as a fraction of the limit")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args(argv)
    limits = _limits()
    for fmt in args.formats or list(limits):
        limit, suffix, make = limits[fmt]
        with tempfile.TemporaryDirectory(prefix="limits-") as tmp:
            good = Path(tmp) / f"good{suffix}"
            make(good, int(limit * args.scale) - 4096)
            size = good.stat().st_size
            ok = measure(good, fmt, args.reps)
            line = (
                f"{fmt:13s} {size / 2**20:8.1f} MiB (limit {limit / 2**20:.0f} MiB): parse {ok['wall']:.2f} s wall, "
                f"{ok['cpu']:.2f} s CPU, peak RSS {ok['peak_mb']:.0f} MB, {ok['rows']:,} rows"
                + ("" if ok["outcome"] == "table" else f" ({ok['outcome'][-60:]!r})")
            )
            if fmt != "eclab_mpr":
                bad = Path(tmp) / f"bad{suffix}"
                with_blank_line(good, bad)
                good.unlink()
                err = measure(bad, fmt, args.reps)
                line += (
                    f" | blank line near the end: {err['wall']:.2f} s wall, {err['cpu']:.2f} s CPU, "
                    f"peak RSS {err['peak_mb']:.0f} MB -> {err['outcome'][-60:]!r}"
                )
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
