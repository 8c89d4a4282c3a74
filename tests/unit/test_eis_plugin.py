"""The EIS plug-in: a paper without a circuit is a one-line error, and the curves travel apart from the metrics."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from batrepro import techniques
from batrepro.analysis.eis.circuits import circuit_impedance
from batrepro.analysis.eis.record import CURVE_COLUMNS, CURVES
from batrepro.outputs import dumps_json, write_csv_table
from batrepro.techniques import CURVES_FLOAT_FORMAT, build_settings, load, process_runs
from tests.unit.test_eis_defaults import eis_settings

CIRCUIT = "R0-Zarc1-Zarc2"
TRUTH = [2.0, 10.0, 1e-4, 0.9, 20.0, 1e-2, 0.8]
F = np.geomspace(1e5, 1e-2, 50)


def _config(papers: dict, models: dict | None = None) -> dict:
    """The ``eis:`` block as the validated config gives it: schema defaults, ``papers`` as stated."""
    return {
        "papers": papers,
        "models": models or {},
        "fit_starts": 8,
        "fit_weights": "modulus",
        "drop_inductive": False,
        "drt": eis_settings("drt"),
        "linkk": eis_settings("linkk"),
    }


def _raw(path: str) -> SimpleNamespace:
    z = circuit_impedance(CIRCUIT, TRUTH, F)
    data = pd.DataFrame({"frequency_Hz": F, "z_real_ohm": z.real, "z_imag_ohm": z.imag})
    return SimpleNamespace(data=data, technique="PEIS", header={}, source=path)


def _run(paper: str = "lab2027") -> dict:
    return {
        "paper": paper,
        "run": "cell1_c01",
        "sample": "cell1",
        "condition": "cycle=1",
        "path": "raw/cell1.mpt",
        "format": "eclab_mpt",
    }


def test_a_paper_with_eis_rows_but_no_circuit_is_a_one_line_error(monkeypatch):
    monkeypatch.setattr(techniques, "read", lambda path, fmt, **kw: _raw(path))
    other = {"kim2026": {"circuit": CIRCUIT, "tau_windows": {"a": [1e-6, 1.0]}}}
    with pytest.raises(ValueError) as err:
        process_runs("eis", "lab2027", [_run()], _config(other))
    message = str(err.value)
    assert message == (
        "run cell1_c01: raw/cell1.mpt: config eis.papers has no circuit for paper 'lab2027' (needed by run cell1_c01)"
    )
    assert "\n" not in message


def test_the_schema_default_of_no_papers_is_the_same_one_line_error(monkeypatch):
    monkeypatch.setattr(techniques, "read", lambda path, fmt, **kw: _raw(path))
    with pytest.raises(ValueError, match=r"^run cell1_c01: .*config eis\.papers has no circuit for paper 'lab2027'"):
        process_runs("eis", "lab2027", [_run()], _config({}))


@pytest.fixture(scope="module")
def analysed():
    plugin = load("eis")
    settings = build_settings(plugin.settings, _config({"lab2027": {"circuit": CIRCUIT, "tau_windows": {}}}), "eis")
    raw = _raw("raw/cell1.mpt")
    table, info = plugin.ingest(raw, _run(), settings)
    metrics = plugin.analyse(table, _run(), settings, info)
    return plugin, metrics, plugin.curves(metrics)


def test_metrics_hold_no_arrays(analysed):
    _, metrics, _ = analysed
    record = json.loads(dumps_json(metrics))
    assert "run" not in record  # the workflow keys metrics by run id; the record does not repeat it (or the path)

    def lists(node):
        if isinstance(node, dict):
            return [x for v in node.values() for x in lists(v)]
        return [node] if isinstance(node, list) else []

    assert all(len(x) < 10 for x in lists(record)), "an array is in the metrics"  # only the few DRT peaks
    assert record["frequency_min_Hz"] == pytest.approx(1e-2) and record["frequency_max_Hz"] == pytest.approx(1e5)


def test_curves_are_a_long_table_of_every_named_curve(analysed):
    _, metrics, curves = analysed
    assert tuple(curves.columns) == CURVE_COLUMNS
    assert list(dict.fromkeys(curves["curve"])) == list(CURVES)
    spectrum = curves[curves["curve"] == "z_imag_ohm"]
    np.testing.assert_allclose(spectrum["x"], F)
    np.testing.assert_allclose(spectrum["y"], circuit_impedance(CIRCUIT, TRUTH, F).imag)
    assert (curves[curves["curve"] == "drt_gamma_ohm"]["x"].diff().dropna() > 0).all()  # τ grid, rising


def test_curves_csv_keeps_the_12_digits_the_json_writer_kept(analysed, tmp_path):
    plugin, _, curves = analysed
    path = tmp_path / "cell1_c01.csv"
    write_csv_table(curves, path, CURVES_FLOAT_FORMAT)
    back = pd.read_csv(path)  # pandas 3 parses each value to exactly the float its text names
    as_json = np.array(json.loads(dumps_json(curves["y"].to_numpy())))
    np.testing.assert_array_equal(back["y"].to_numpy(), as_json)
