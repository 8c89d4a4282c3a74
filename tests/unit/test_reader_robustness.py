"""Issue 14, item 1 and 8: every case the adversarial run found, one test each; each failed before its fix.

Tracebacks (IndexError, _csv.Error, OverflowError), silent wrong numbers (a blank line ending a TRIOS ramp, a
duplicated column, swapped E'/E'', a Bluehill file cut inside a quoted cell, an .mpr with zero records, an
unbounded current, '1_000' and non-ASCII digits), unhelpful messages (a 10 MB quote, "truncated" for a trailing
comma, "209.8 MB, above the 210 MB limit") and paths that are not regular files. Plus the TRIOS layouts and the
Bluehill geometry of issue 13 item 4.
"""

from __future__ import annotations

import os
import re
import struct
from pathlib import Path

import numpy as np
import pytest

from batrepro.readers import RawDataError
from batrepro.readers._common import check_file
from batrepro.readers.bluehill import read_bluehill, specimen_geometry
from batrepro.readers.eclab import read_mpr, read_mpt
from batrepro.readers.formats import read
from batrepro.readers.generic_csv import read_generic_csv
from batrepro.readers.trios import read_trios_dma
from batrepro.simulate.dma import DmaFilm, simulate_ramp, trios_text
from batrepro.simulate.tensile import FilmSpecimen, bluehill_csv, simulate_test

REPO = Path(__file__).resolve().parents[2]
ECLAB = REPO.parent / "shared" / "data" / "public" / "eclab"
BUNDLED_MPT = REPO / "resources/raw/kim2026/rate/PI_rate.mpt"
needs_public = pytest.mark.skipif(not ECLAB.is_dir(), reason=f"public EC-Lab files not found at {ECLAB}")


@pytest.fixture(scope="module")
def ramp():
    film = DmaFilm("X", 380.0, 3000.0, 2.5e-4, 50.0, 600.0, 0.32)
    return film, simulate_ramp(film, seed=1)


@pytest.fixture(scope="module")
def trios_good(ramp) -> str:
    return trios_text(*ramp)


@pytest.fixture(scope="module")
def bluehill_good() -> str:
    spec = FilmSpecimen("X", 1, 3500.0, 120.0, 160.0, 8.0)
    return bluehill_csv(spec, simulate_test(spec, seed=1))


def _error(path: Path, reader, *words: str, line: int | None = None) -> str:
    with pytest.raises(RawDataError) as info:
        reader(path)
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith(str(path)), msg
    assert len(msg) < len(str(path)) + 400, msg
    if line is not None:
        assert info.value.line == line, msg
    for w in words:
        assert w in msg, (w, msg)
    return msg


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def _data_line(text: str, marker: str, k: int) -> int:
    """0-based index of the k-th data line after the line that starts with `marker` + 1 (the unit row)."""
    lines = text.splitlines()
    return next(i for i, line in enumerate(lines) if line.startswith(marker)) + 2 + k


# ---------------------------------------------------------------------------------------------------------------
# tracebacks


def _mpr_modules(raw: bytes) -> tuple[bytes, list[dict]]:
    """Split an .mpr into its magic and modules (galvani's header layouts, v1 and v2)."""
    magic, pos, mods = raw[:52], 52, []
    while pos < len(raw):
        assert raw[pos : pos + 6] == b"MODULE"
        v2 = raw[pos + 6 + 35 : pos + 6 + 39] == b"\xff\xff\xff\xff"
        hlen = 6 + (63 if v2 else 51)
        len_at = pos + 6 + (39 if v2 else 35)
        (length,) = struct.unpack("<I", raw[len_at : len_at + 4])
        mods.append(
            {
                "head": bytearray(raw[pos : pos + hlen]),
                "len_at": len_at - pos,
                "data": raw[pos + hlen : pos + hlen + length],
            }
        )
        pos += hlen + length
    return magic, mods


def _mpr_join(magic: bytes, mods: list[dict]) -> bytes:
    out = [magic]
    for m in mods:
        m["head"][m["len_at"] : m["len_at"] + 4] = struct.pack("<I", len(m["data"]))
        out += [bytes(m["head"]), m["data"]]
    return b"".join(out)


@needs_public
def test_mpr_with_an_empty_settings_module(tmp_path):
    magic, mods = _mpr_modules((ECLAB / "peis.mpr").read_bytes())
    for m in mods:
        if m["head"][6:16].strip() == b"VMP Set":
            m["data"] = b""
    path = _write(tmp_path, "empty_set.mpr", _mpr_join(magic, mods))
    _error(path, read_mpr, "empty 'VMP Set' module")  # was IndexError


@needs_public
def test_mpr_with_zero_records(tmp_path):
    magic, mods = _mpr_modules((ECLAB / "peis.mpr").read_bytes())
    data = next(m for m in mods if m["head"][6:16].strip() == b"VMP data")
    version = struct.unpack("<I", bytes(data["head"][data["len_at"] + 4 : data["len_at"] + 8]))[0]
    before = {0: 1007, 2: 405, 3: 406}.get(version, 100)
    data["data"] = b"\x00\x00\x00\x00" + data["data"][4:before]
    path = _write(tmp_path, "zero.mpr", _mpr_join(magic, mods))
    _error(path, read_mpr, "0 records")  # was accepted as an empty table


def test_bluehill_with_cr_only_line_endings(tmp_path, bluehill_good):
    path = _write(tmp_path, "cr.csv", bluehill_good.replace("\n", "\r"))
    _error(path, read_bluehill, "CR-only line endings")  # was _csv.Error


def test_bluehill_cell_above_the_csv_field_limit(tmp_path, bluehill_good):
    lines = bluehill_good.splitlines()
    k = _data_line(bluehill_good, '"Time"', 30)
    lines[k] = '"' + "x" * 140_000 + '",' + lines[k].split(",", 1)[1]
    path = _write(tmp_path, "long.csv", "\n".join(lines) + "\n")
    msg = _error(path, read_bluehill, "non-numeric value 'xxxx", "(140,000 characters)", line=k + 1)  # _csv.Error
    assert len(msg) < len(str(path)) + 200


def test_309_digit_integer(tmp_path):
    csv_path = _write(tmp_path, "big.csv", "time_s,voltage_V,current_mA\n0,3.0,0.1\n" + "9" * 309 + ",3.0,0.1\n")
    _error(csv_path, read_generic_csv, "overflows a double", line=3)  # was OverflowError
    lines = BUNDLED_MPT.read_bytes().split(b"\n")
    n_header = int(re.search(rb"\d+", lines[1]).group())
    cells = lines[n_header + 3].split(b"\t")
    cells[0] = b"9" * 309
    lines[n_header + 3] = b"\t".join(cells)
    mpt_path = _write(tmp_path, "big.mpt", b"\n".join(lines))
    _error(mpt_path, read_mpt, "overflows a double", line=n_header + 4)  # was OverflowError


# ---------------------------------------------------------------------------------------------------------------
# silent wrong numbers


def test_trios_blank_line_inside_the_data_block(tmp_path, trios_good):
    lines = trios_good.splitlines()
    k = _data_line(trios_good, "Step time", 50)
    lines.insert(k, "")
    path = _write(tmp_path, "blank.txt", "\n".join(lines) + "\n")
    _error(path, read_trios_dma, "empty line in the data block", line=k + 1)  # was: 50 rows, Tg 46.55 °C


def test_trios_trailing_blank_lines_are_not_data(tmp_path, trios_good):
    path = _write(tmp_path, "tail.txt", trios_good + "\n\n\r\n")
    assert len(read_trios_dma(path).data) == 941


def test_duplicated_column_names(tmp_path, trios_good, bluehill_good):
    names = "Step time\tTemperature\tStorage modulus\tLoss modulus\tTan(delta)\tFrequency\tOscillation strain"
    dup = trios_good.replace(names, names.replace("Oscillation strain", "Temperature"))
    _error(_write(tmp_path, "dup.txt", dup), read_trios_dma, "duplicate column name(s) ['temperature']")
    dup = bluehill_good.replace('"Time","Extension","Load"', '"Time","Extension","Load","Load"')
    _error(_write(tmp_path, "dup.csv", dup), read_bluehill, "duplicate column name(s) ['load']")


def test_swapped_moduli_contradict_the_files_tan_delta(tmp_path, trios_good):
    swapped = trios_good.replace("Storage modulus", "@").replace("Loss modulus", "Storage modulus")
    path = _write(tmp_path, "swapped.txt", swapped.replace("@", "Loss modulus"))
    _error(
        path,
        read_trios_dma,
        "column 'Tan(delta)' = 0.0",
        "disagrees with 'Loss modulus' / 'Storage modulus'",
        "swapped E'/E''",
    )


def test_bluehill_file_ending_inside_a_quoted_cell(tmp_path, bluehill_good):
    cut = bluehill_good.rstrip("\n")[:-4]  # '..."46.45"' -> '..."46.'
    n = len(bluehill_good.rstrip("\n").splitlines())
    _error(_write(tmp_path, "cut.csv", cut), read_bluehill, "ends inside a quoted cell", line=n)


def test_bluehill_stray_quote_mid_file(tmp_path, bluehill_good):
    lines = bluehill_good.splitlines()
    k = _data_line(bluehill_good, '"Time"', 40)
    lines[k] = lines[k].replace('","', ',"', 1)
    _error(_write(tmp_path, "stray.csv", "\n".join(lines) + "\n"), read_bluehill, "unbalanced quote", line=k + 1)


def test_current_has_a_physical_range(tmp_path):
    path = _write(tmp_path, "i.csv", "time_s,voltage_V,current_mA\n0,3.0,0.1\n1,3.0,-1e308\n")
    _error(path, read_generic_csv, "impossible value -1e+308 in column 'current_mA'", line=3)


@pytest.mark.parametrize("cell", ["1_000", "\u0665", "\uff11", "0x10", "1e5_0"])
def test_only_plain_ascii_decimal_numbers_parse(tmp_path, cell):
    path = _write(tmp_path, "n.csv", f"time_s,voltage_V,current_mA\n0,3.0,0.1\n{cell},3.0,0.1\n")
    _error(path, read_generic_csv, "non-numeric value", line=3)
    lines = BUNDLED_MPT.read_bytes().split(b"\n")
    n_header = int(re.search(rb"\d+", lines[1]).group())
    cells = lines[n_header + 3].split(b"\t")
    cells[1] = cell.encode("cp1252", "replace") if cell.isascii() else cell.encode("utf-8")
    lines[n_header + 3] = b"\t".join(cells)
    if cell.isascii():
        _error(_write(tmp_path, "n.mpt", b"\n".join(lines)), read_mpt, "non-numeric value", line=n_header + 4)


# ---------------------------------------------------------------------------------------------------------------
# messages


def test_a_10_MB_cell_gives_a_short_message(tmp_path):
    path = _write(tmp_path, "huge.csv", "time_s,voltage_V,current_mA\n0,3.0,0.1\n" + "a" * 10_000_000 + ",3.0,0.1\n")
    msg = _error(path, read_generic_csv, "(10,000,000 characters)", line=3)
    assert len(msg) < len(str(path)) + 200


def test_trailing_comma_on_the_header_row_is_not_truncation(tmp_path, bluehill_good):
    text = bluehill_good.replace('"Time","Extension","Load"', '"Time","Extension","Load",')
    assert len(read_bluehill(_write(tmp_path, "comma.csv", text)).data) == 499  # was "file is truncated"


def test_sizes_in_one_stated_unit(tmp_path):
    path = _write(tmp_path, "s.csv", "x" * 2049)
    with pytest.raises(RawDataError, match=r"file is 2,049 bytes, above the limit of 2,048 bytes"):
        check_file(path, 2048)


# ---------------------------------------------------------------------------------------------------------------
# paths (item 8)


def test_a_path_must_be_a_regular_file(tmp_path, trios_good):
    _error(tmp_path, read_trios_dma, "path is a directory")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    _error(fifo, read_trios_dma, "not a regular file")  # reading it would block for ever
    _error(fifo.with_suffix(".mpr"), read_mpr, "does not exist")
    os.mkfifo(tmp_path / "pipe.mpr")
    _error(tmp_path / "pipe.mpr", read_mpr, "not a regular file")
    outside = _write(tmp_path, "ramp.txt", trios_good)  # tmp_path lies outside the repository: fine
    link = tmp_path / "link.txt"
    link.symlink_to(outside)
    assert len(read("" + str(link), "trios_txt").data) == 941


# ---------------------------------------------------------------------------------------------------------------
# issue 13 item 4: TRIOS layouts, Bluehill geometry


@pytest.mark.parametrize("layout", ["lims_points", "plain"])
def test_trios_layouts_give_the_same_table(tmp_path, ramp, trios_good, layout):
    ref = read_trios_dma(_write(tmp_path, "lims.txt", trios_good))
    raw = read_trios_dma(_write(tmp_path, f"{layout}.txt", trios_text(*ramp, layout=layout)))
    assert raw.header["layout"] == layout and ref.header["layout"] == "lims"
    assert raw.data.equals(ref.data)


def test_trios_lying_number_of_points(tmp_path, ramp):
    text = trios_text(*ramp, layout="lims_points").replace("Number of points\t941", "Number of points\t950")
    _error(_write(tmp_path, "n.txt", text), read_trios_dma, "'Number of points' says 950 rows, the data block has 941")


def test_trios_skips_steps_without_the_dma_columns(tmp_path, trios_good):
    conditioning = "[step]\nConditioning - 1\nStep time\tAxial force\ns\tN\n0.0\t0.1\n1.0\t0.1\n"
    text = trios_good.replace("[step]\n", conditioning + "[step]\n", 1)
    assert len(read_trios_dma(_write(tmp_path, "two.txt", text)).data) == 941


def test_bluehill_geometry_in_name_value_unit_cells(tmp_path, bluehill_good):
    text = bluehill_good.replace('"Specimen width : 10.000 mm"', '"Width","10.000","mm"')
    text = text.replace('"Specimen thickness : 0.0300 mm"', '"Thickness (mm)","0.0300"')
    params = read_bluehill(_write(tmp_path, "bu.csv", text)).header
    assert specimen_geometry(params, {}, "f") == {"width_mm": 10.0, "thickness_mm": 0.03, "gauge_length_mm": 50.0}
    with pytest.raises(RawDataError, match="width_mm: the sample sheet says 12.7, the file's parameter lines say 10"):
        specimen_geometry(params, {"width_mm": 12.7}, "f")
    assert specimen_geometry(params, {"width_mm": np.nan}, "f")["width_mm"] == 10.0


def test_number_pattern_fails_in_linear_time():
    """'[0-9]+\\.?[0-9]*' backtracked quadratically on a long digit run that does not end as a number (18 s of CPU
    on 70,000 digits, found by the fuzz search); the pattern is now unambiguous."""
    from batrepro.readers._common import PLAIN_NUMBER

    assert PLAIN_NUMBER.match("-1.5e+3") and PLAIN_NUMBER.match(".5") and PLAIN_NUMBER.match("5.")
    assert not PLAIN_NUMBER.match("1" * 20_000 + "x")  # the CPU bound is asserted by the fuzz regression case


@needs_public
def test_mpt_header_numbers_are_ascii(tmp_path):
    lines = (ECLAB / "peis.mpt").read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b"70", "\u0667\u0660".encode("cp1252", "replace"))
    _error(_write(tmp_path, "h.mpt", b"\n".join(lines)), read_mpt, "expected 'Nb header lines : N'", line=2)


def test_an_overlong_casaxps_line_is_refused(tmp_path):
    from batrepro.readers.vamas import read_vamas

    text = (REPO / "resources/raw/guan_hrposs/xps/HRPOSS-3_Si2p_N1s_depth.vms").read_text(encoding="latin-1")
    lines = text.splitlines()
    k = next(i for i, line in enumerate(lines) if line.startswith(("site", "sputter_time_min")))
    lines[k - 1] = str(int(lines[k - 1]) + 1)  # one more block comment line
    lines.insert(k, "CASA comp " + "(*" * 3000)
    _error(_write(tmp_path, "c.vms", "\n".join(lines) + "\n"), read_vamas, "CasaXPS comment line of 6,010 characters")


def test_bad_line_text_is_found_across_megabyte_chunks():
    """The line quoted by a data-block error is located a megabyte at a time: the same line as splitting the
    block, on blocks of 0-5 MB with lines ending on both sides of chunk boundaries, CRLF and no final newline."""
    import random

    from batrepro.readers._table import _line_text

    rng = random.Random(20261206)
    for _ in range(60):
        lines = [b"x" * rng.randint(0, 1500) if rng.random() < 0.9 else b"" for _ in range(rng.randint(0, 3500))]
        eol = b"\r\n" if rng.random() < 0.5 else b"\n"
        block = eol.join(lines) + (eol if rng.random() < 0.7 else b"")
        data = b"header\n" + block
        split = block.split(b"\n")
        for index in {0, len(lines) // 2, max(len(lines) - 1, 0), rng.randint(0, len(lines) + 2)}:
            want = split[index].decode().rstrip("\r") if index < len(split) else None
            assert _line_text(data, 7, index) == want, index
