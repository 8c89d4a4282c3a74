"""Issue 14 item 3 / issue 13 item 4: an error names the run and the file at every stage, so one bad file among
a technique's batch of runs is identifiable from the Snakemake output alone."""

from __future__ import annotations

import dataclasses

import pytest

from batrepro import techniques
from batrepro.simulate.dma import DmaFilm, simulate_ramp, trios_text
from batrepro.techniques import dma as dma_plugin
from batrepro.techniques import process_runs
from tests.conftest import schema_settings


@pytest.fixture()
def runs(tmp_path):
    out = []
    for k, tg in enumerate((370.0, 380.0, 390.0)):
        film = DmaFilm(f"F{k}", tg, 3000.0, 2.5e-4, 50.0, 600.0, 0.32)
        path = tmp_path / f"F{k}.txt"
        path.write_text(trios_text(film, simulate_ramp(film, seed=k)), encoding="utf-8")
        out.append(
            {
                "paper": "p",
                "sample": f"F{k}",
                "run": f"F{k}_r1",
                "condition": "",
                "path": str(path),
                "format": "trios_txt",
            }
        )
    return out


def test_a_bad_file_among_good_ones_is_named_with_its_run(runs):
    lines = open(runs[1]["path"], encoding="utf-8").read().splitlines()
    lines.insert(lines.index("[step]") + 60, "")  # a blank line inside the data block
    open(runs[1]["path"], "w", encoding="utf-8").write("\n".join(lines) + "\n")
    with pytest.raises(ValueError) as info:
        process_runs("dma", "p", runs, schema_settings("dma"))
    msg = str(info.value)
    assert msg.startswith(f"run F1_r1: {runs[1]['path']}:"), msg
    assert "empty line in the data block" in msg and "\n" not in msg


def test_an_unexpected_exception_keeps_its_traceback_and_names_run_and_file(runs, monkeypatch):
    real = dma_plugin.TECHNIQUE.analyse

    def analyse(table, run, settings, info):
        if run["run"] == "F2_r1":
            raise ZeroDivisionError("a bug in the analysis")
        return real(table, run, settings, info)

    patched = dataclasses.replace(dma_plugin.TECHNIQUE, analyse=analyse)
    monkeypatch.setattr(techniques, "load", lambda name: patched)
    with pytest.raises(ZeroDivisionError) as info:
        process_runs("dma", "p", runs, schema_settings("dma"))
    assert info.value.__notes__ == [f"while processing run F2_r1 ({runs[2]['path']}) of dma for p"]
