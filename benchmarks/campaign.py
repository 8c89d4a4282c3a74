"""A synthetic campaign of N coin cells (cycling + EIS + GITT each), in a copy of the repository.

Usage: .venv/bin/python benchmarks/campaign.py N DEST

Every cell gets its own raw files (hard links to the bundled stand-ins of one Kim et al. anode, so 1,000 cells
cost no disk), its own rows in three sample sheets under `campaign/samples/`, and the copy's `config/config.yaml` is
replaced by the campaign's: one paper, `campaign`, and no figures. (Written over config/config.yaml rather than
passed as `--configfile ... --replace-workflow-config`, because Snakemake 9.27 does not hand
`--replace-workflow-config` on to cluster jobs: a SLURM job would merge the two configurations.) It is what a
lab's campaign looks like to the workflow: many runs per technique, each a file of its own.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "results", "logs", ".snakemake", "__pycache__", ".pytest_cache", ".hypothesis", "benchmarks"
)
#: the bundled files each synthetic cell is a copy of: (technique, sheet row of config/samples/<technique>.tsv)
TEMPLATE = {"cycling": "PAID-P_0.2C", "eis": None, "gitt": "HRPOSS-6_gitt"}


def _template_row(technique: str) -> tuple[list[str], list[str]]:
    lines = [
        line for line in (REPO / f"config/samples/{technique}.tsv").read_text().splitlines() if not line.startswith("#")
    ]
    header, rows = lines[0].split("\t"), [line.split("\t") for line in lines[1:] if line.strip()]
    want = TEMPLATE[technique]
    row = next(r for r in rows if want is None or r[header.index("run")] == want)
    return header, row


def make_campaign(dest: Path, n: int) -> Path:
    """A copy of the repository at ``dest`` with an N-cell campaign; returns ``dest``."""
    shutil.copytree(REPO, dest, ignore=IGNORE, symlinks=True)
    config = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))
    (dest / "campaign/samples").mkdir(parents=True)
    for technique in TEMPLATE:
        header, row = _template_row(technique)
        source = dest / row[header.index("path")]
        lines = ["\t".join(header)]
        for k in range(1, n + 1):
            cell = f"cell{k:04d}"
            path = Path("campaign/raw") / technique / f"{cell}{source.suffix}"
            (dest / path).parent.mkdir(parents=True, exist_ok=True)
            os.link(source, dest / path)
            values = dict(zip(header, row)) | {"paper": "campaign", "sample": cell, "run": cell, "path": str(path)}
            lines.append("\t".join(values[h] for h in header))
        (dest / f"campaign/samples/{technique}.tsv").write_text("\n".join(lines) + "\n")
    registry = dest / "campaign/registry.yaml"
    registry.write_text("paper: campaign\nvalues: []\n")
    config["samples"] = {t: f"campaign/samples/{t}.tsv" for t in TEMPLATE}
    config["papers"] = {
        "campaign": {"title": f"A campaign of {n} cells", "doi": "", "registry": str(registry.relative_to(dest))}
    }
    eis_paper = next(iter(config["eis"]["papers"].values()))
    config["eis"]["papers"] = {"campaign": eis_paper}
    config["figures"], config["tables"], config["composites"] = {}, {}, {}
    (dest / "config/config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return dest


if __name__ == "__main__":
    make_campaign(Path(sys.argv[2]), int(sys.argv[1]))
    print(f"{sys.argv[2]}: {sys.argv[1]} cells; run snakemake there as usual")
