"""VAMAS reader: the three public files and one test per bad-input class."""

from __future__ import annotations

import numpy as np
import pytest

from batrepro.readers._common import RawDataError
from batrepro.readers.vamas import read_vamas


def test_regular_and_irregular_agree(public_data):
    reg = read_vamas(public_data / "xps/regular.vms")
    irr = read_vamas(public_data / "xps/irregular.vms")
    assert reg.header["scan_mode"] == "REGULAR" and irr.header["scan_mode"] == "IRREGULAR"
    a, b = reg.data, irr.data
    assert len(a) == len(b) == 1351
    assert a["binding_energy_eV"].iloc[0] == pytest.approx(1350.0) and a["binding_energy_eV"].iloc[-1] == pytest.approx(
        0.0, abs=1e-9
    )
    np.testing.assert_allclose(a["binding_energy_eV"], b["binding_energy_eV"], atol=1e-6)
    # regular stores counts per 0.1 s dwell; irregular stores counts per second: same rate
    assert reg.header["blocks"][0]["dwell_s"] == 0.1
    np.testing.assert_allclose(a["counts_per_s"], b["counts_per_s"], rtol=1e-4)


def test_feo_kinetic_axis_and_casa_components(public_data):
    r = read_vamas(public_data / "xps/FeO_analyzed.vms")
    d = r.data
    blk = r.header["blocks"][0]
    assert blk["source_energy_eV"] == pytest.approx(1486.61) and blk["region"] == "Fe 2p"
    assert d["kinetic_energy_eV"].iloc[0] == pytest.approx(736.61)
    assert d["binding_energy_eV"].iloc[0] == pytest.approx(1486.61 - 736.61)
    assert "transmission" in d and d["transmission"].iloc[0] == pytest.approx(2.77354)
    casa = blk["casa"]
    assert casa["regions"][0]["background"] == "U 3 Tougaard"
    assert [c["lineshape"] for c in casa["components"]] == ["LF(0.54,10,80,100,6)", "SGL(30)"] * 2
    assert casa["components"][0]["position"]["value"] == pytest.approx(777.56313)


def _write(tmp_path, text):
    p = tmp_path / "bad.vms"
    p.write_text(text)
    return p


def _lines(repo):
    """A small real-layout VAMAS file of the repository (a stand-in: NORM, REGULAR, two blocks), so the
    bad-input tests run in any clone."""
    return (repo / "resources/raw/kim2026/xps/PI_C1s_F1s_200cycles.vms").read_text().splitlines()


def test_block_count_mismatch(repo, tmp_path):
    lines = _lines(repo)
    at = lines.index("REGULAR") + 7  # number of blocks
    assert lines[at] == "2"
    lines[at] = "3"
    with pytest.raises(RawDataError, match="more blocks than the file holds") as err:
        read_vamas(_write(tmp_path, "\n".join(lines)))
    assert "\n" not in str(err.value) and "bad.vms:" in str(err.value)
    lines[at] = "1"
    with pytest.raises(RawDataError, match="1 blocks but more data follows"):
        read_vamas(_write(tmp_path, "\n".join(lines)))


def test_truncated_block(repo, tmp_path):
    lines = _lines(repo)[:-100]
    with pytest.raises(RawDataError, match="truncated block") as err:
        read_vamas(_write(tmp_path, "\n".join(lines)))
    assert "\n" not in str(err.value) and "bad.vms:" in str(err.value)


def test_non_numeric_counts(repo, tmp_path):
    lines = _lines(repo)
    at = len(lines) - 50
    lines[at] = "12a4"
    with pytest.raises(RawDataError, match="non-numeric count '12a4'") as err:
        read_vamas(_write(tmp_path, "\n".join(lines)))
    assert err.value.line == at + 1 and "\n" not in str(err.value)


def test_missing_energy_axis(repo, tmp_path):
    lines = _lines(repo)
    lines[lines.index("kinetic energy")] = "time"
    with pytest.raises(RawDataError, match="no energy axis") as err:
        read_vamas(_write(tmp_path, "\n".join(lines)))
    assert "\n" not in str(err.value)


def test_unknown_technique(repo, tmp_path):
    lines = _lines(repo)
    lines[lines.index("XPS")] = "SIMS"
    with pytest.raises(RawDataError, match="unknown technique 'SIMS'") as err:
        read_vamas(_write(tmp_path, "\n".join(lines)))
    assert "\n" not in str(err.value)


def test_unsupported_experiment_mode(repo, tmp_path):
    lines = _lines(repo)
    lines[lines.index("NORM")] = "MAPDP"
    with pytest.raises(RawDataError, match="unsupported experiment mode 'MAPDP'") as err:
        read_vamas(_write(tmp_path, "\n".join(lines)))
    assert "\n" not in str(err.value)


def test_not_vamas(tmp_path):
    with pytest.raises(RawDataError, match="not a VAMAS file"):
        read_vamas(_write(tmp_path, "hello\n"))
