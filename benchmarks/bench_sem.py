"""Benchmark of the SEM thickness layer (``.venv/bin/python benchmarks/bench_sem.py``); prints medians, writes
nothing.

Target (issue 11): the thickness of one 1280 x 960 cross-section in <= 0.1 s (median), with the default settings
(config.schema.yaml ``sem:``), on a bundled stand-in image. Also timed: reading the TIFF + JEOL sidecar (tifffile)
beside a bare Pillow decode of the same TIFF, and the analysis at other column steps. No peer tool measures
electrode thickness (``../shared/docs/techniques.md`` §8); ImageJ line measurements are made by hand.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "workflow" / "scripts"))

from batrepro.analysis.sem import image_thickness  # noqa: E402
from batrepro.readers.jeol_sem import read_jeol_sem  # noqa: E402

IMAGE = ROOT / "resources/raw/kim2026/sem/PI_lithiated.tif"


def median_time(fn, repeat=21, clock=time.perf_counter):
    fn()  # warm-up: imports and caches
    out = []
    for _ in range(repeat):
        t = clock()
        fn()
        out.append(clock() - t)
    return statistics.median(out)


def main():
    schema = yaml.safe_load((ROOT / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    defaults = {k: v["default"] for k, v in schema["properties"]["sem"]["properties"].items()}
    settings = {k: v for k, v in defaults.items() if k not in ("max_line_tilt_deg", "scale_tolerance")}
    raw = read_jeol_sem(IMAGE)
    image, px = raw.data.to_numpy(), raw.header["pixel_size_um"]
    print(f"image {image.shape[1]} x {image.shape[0]} px ({IMAGE.name}), pixel {px:.5f} µm")

    t = median_time(lambda: image_thickness(image, px, **settings))
    cpu = median_time(lambda: image_thickness(image, px, **settings), clock=time.process_time)
    th = image_thickness(image, px, **settings)
    verdict = "meets" if t <= 0.1 else "MISSES"
    print(f"thickness, default settings ({th.n} positions): {t * 1e3:.1f} ms  [{verdict} the 100 ms target]")
    # on a shared machine the wall time includes waiting for a core; the process's CPU time does not
    print(f"  same, CPU time of this process: {cpu * 1e3:.1f} ms (load average {os.getloadavg()[0]:.1f})")
    for step in (1, 4):
        s = {**settings, "column_step_px": step}
        ts = median_time(lambda s=s: image_thickness(image, px, **s), repeat=7)
        print(f"thickness, column_step_px={step} ({image_thickness(image, px, **s).n} positions): {ts * 1e3:.1f} ms")

    tr = median_time(lambda: read_jeol_sem(IMAGE), repeat=11)
    print(f"read TIFF + sidecar + crop (tifffile, deflate): {tr * 1e3:.1f} ms")
    from PIL import Image

    tp = median_time(lambda: np.asarray(Image.open(IMAGE)), repeat=11)
    print(f"bare Pillow decode of the same TIFF: {tp * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
