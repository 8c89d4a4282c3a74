"""The HTML report in a real browser: headless Chromium loads it, every figure renders, a screenshot is taken."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml
from matplotlib import image

from .conftest import REPO

pytestmark = pytest.mark.slow

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
    "--virtual-time-budget=10000",
    "--hide-scrollbars",
]


@pytest.fixture(scope="module")
def chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("headless Chromium not installed (apt-get install chromium)")
    return exe


def test_report_renders_every_figure_in_chromium(full_run, chromium, tmp_path):
    page = full_run / "results/report.html"
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    loaded = re.search(r'data-figures-loaded="(\d+)"', dom)
    total = re.search(r'data-figures-total="(\d+)"', dom)
    assert loaded and total, dom[:2000]
    config = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))
    declared = sum(len(v) for v in config["figures"].values()) + sum(len(v) for v in config["composites"].values())
    assert int(total.group(1)) == declared
    assert loaded.group(1) == total.group(1)

    shot = tmp_path / "report.png"
    subprocess.run(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--window-size=1280,2400",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    pixels = image.imread(shot)
    assert pixels.shape[0] >= 2000 and pixels.shape[1] >= 1200
    # a rendered page has ink on it: dark pixels (text, axes) and many distinct colours (figures)
    gray = pixels[..., :3].mean(axis=2)
    assert (gray < 0.5).mean() > 0.005
    assert len({tuple(p) for p in (pixels[::7, ::7, :3] * 255).astype(int).reshape(-1, 3)}) > 50
    shutil.copy(shot, full_run / "results_screenshot.png")  # left in the tmp copy for inspection
