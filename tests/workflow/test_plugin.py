"""Adding a technique: a throwaway "hello" technique with its own reader and summary, in a copy of the
repository, touching only its reader, its plug-in, its sheet schema, its sheet and config (5 files)."""

from __future__ import annotations

import subprocess

import pandas as pd
import pytest
import yaml

from .conftest import SMALL, copy_repo, snakemake

pytestmark = pytest.mark.slow

READER = '''"""A made-up text format: a line 'HELLO <unit>' and then one number per line."""

from ._common import RawDataError, RawTable, read_text

FORMATS = {"hello_txt": "read_hello"}


def read_hello(path):
    lines = read_text(path).splitlines()
    if not lines or not lines[0].startswith("HELLO "):
        raise RawDataError(path, "not a hello file (first line must be 'HELLO <unit>')", 1)
    import pandas as pd

    values = [float(v) for v in lines[1:]]
    return RawTable(pd.DataFrame({"signal": values}), "hello", {"unit": lines[0].split()[1]}, str(path))
'''

PLUGIN = '''"""The hello technique: the mean of a signal."""

from dataclasses import dataclass

from ..vocab import summary as vsummary
from . import Technique


@dataclass(frozen=True)
class Settings:
    pass


def ingest(raw, run, settings):
    return raw.data, {"unit": raw.header["unit"]}


def analyse(table, run, settings, info):
    return {"mean": float(table["signal"].mean()), "unit": info["unit"], "sample": run["sample"]}


def summarise(paper, runs, metrics, settings):
    rows = [vsummary.row(paper, "hello", m["sample"], "signal_mean", "", m["unit"], m["mean"], "mean")
            for m in (metrics[r["run"]] for r in runs)]
    return vsummary.frame(rows)


TECHNIQUE = Technique("hello", ingest, analyse, summarise, Settings, formats=("hello_txt",))
'''

SCHEMA = """$schema: "https://json-schema.org/draft/2020-12/schema"
description: hello sample sheet.
allOf: [{$ref: "common.schema.yaml"}]
type: object
properties:
  format: {enum: [hello_txt], description: "hello_txt: the made-up hello format."}
"""


def _changed_files(work):
    proc = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=work, capture_output=True, text=True, check=True
    )
    return sorted(line[3:] for line in proc.stdout.splitlines() if not line[3:].startswith("raw_hello/"))


def test_a_new_technique_needs_five_files(tmp_path):
    work = copy_repo(tmp_path / "repo")
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    subprocess.run(["git", "add", "-A"], cwd=work, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"], cwd=work, check=True)

    (work / "raw_hello").mkdir()
    (work / "raw_hello/a.txt").write_text("HELLO mV\n1\n2\n3\n")
    (work / "workflow/scripts/batrepro/readers/hello.py").write_text(READER)
    (work / "workflow/scripts/batrepro/techniques/hello.py").write_text(PLUGIN)
    (work / "workflow/schemas/samples/hello.schema.yaml").write_text(SCHEMA)
    (work / ".test/config/samples/hello.tsv").write_text(
        "paper\tsample\trun\tcondition\tpath\tformat\nkim2026\tPI\thello_a\t\traw_hello/a.txt\thello_txt\n"
    )
    config_path = work / ".test/config/config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["samples"]["hello"] = ".test/config/samples/hello.tsv"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")

    assert _changed_files(work) == [
        ".test/config/config.yaml",
        ".test/config/samples/hello.tsv",
        "workflow/schemas/samples/hello.schema.yaml",
        "workflow/scripts/batrepro/readers/hello.py",
        "workflow/scripts/batrepro/techniques/hello.py",
    ]
    snakemake(work, "--cores", "2", *SMALL, "results/kim2026/metrics/hello/summary.csv")
    summary = pd.read_csv(work / "results/kim2026/metrics/hello/summary.csv")
    assert summary.loc[0, "quantity"] == "signal_mean" and summary.loc[0, "value"] == 2.0
    assert summary.loc[0, "unit"] == "mV"
    # the new technique's job declares its own reader and plug-in as code inputs
    proc = snakemake(
        work, "--cores", "2", *SMALL, "--dry-run", "--forceall", "results/kim2026/metrics/hello/summary.csv"
    )
    assert "process_hello_kim2026" in proc.stdout
