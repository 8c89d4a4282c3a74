"""Bad TRIOS and Bluehill files: each class gives one ValueError line naming the file and the problem,
and the raw file is left byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from batrepro.readers import RawDataError
from batrepro.readers.bluehill import read_bluehill, specimen_geometry
from batrepro.readers.trios import read_trios_dma
from batrepro.simulate.dma import DmaFilm, simulate_ramp, trios_text
from batrepro.simulate.tensile import FilmSpecimen, bluehill_csv, simulate_test


@pytest.fixture(scope="module")
def trios_good() -> str:
    film = DmaFilm("X", 380.0, 3000.0, 2.5e-4, 50.0, 600.0, 0.32)
    return trios_text(film, simulate_ramp(film, seed=1))


@pytest.fixture(scope="module")
def bluehill_good() -> str:
    spec = FilmSpecimen("X", 1, 3500.0, 120.0, 160.0, 8.0)
    return bluehill_csv(spec, simulate_test(spec, seed=1))


def _lines_replace(text: str, index: int, new: str) -> str:
    lines = text.splitlines()
    lines[index] = new
    return "\n".join(lines) + "\n"


def _data_start(text: str, marker: str) -> int:
    lines = text.splitlines()
    return next(i for i, l in enumerate(lines) if l.startswith(marker))


def trios_cases(good: str) -> dict[str, tuple[bytes, str]]:
    lines = good.splitlines()
    head = next(i for i, l in enumerate(lines) if l == "[step]")
    first = head + 4
    row = lines[first + 10].split("\t")
    comma = _lines_replace(good, first + 10, "\t".join([row[0], row[1].replace(".", ",")] + row[2:]))
    nan = _lines_replace(good, first + 10, "\t".join(row[:2] + ["NaN"] + row[3:]))
    text = _lines_replace(good, first + 10, "\t".join(row[:2] + ["n/a"] + row[3:]))
    renamed = good.replace("\tStorage modulus\t", "\tStorage mod.\t")
    drop = lambda l: "\t".join(c for j, c in enumerate(l.split("\t")) if j != 3)  # noqa: E731 (Loss modulus)
    missing = "\n".join(drop(l) if i >= head + 2 else l for i, l in enumerate(lines)) + "\n"
    unit = good.replace("s\t°C\tMPa\tMPa", "s\t°C\tpsi\tMPa", 1)
    value = _lines_replace(good, first + 10, "\t".join(row[:2] + ["-5"] + row[3:]))
    truncated = good[: good.index("\n", len(good) // 2) + 8]
    return {
        "empty": (b"", "file is empty"),
        "truncated": (truncated.encode(), "truncated"),
        "no data section": (good[: good.index("[step]")].encode(), "no [step] section"),
        "renamed column": (renamed.encode(), "missing DMA column"),
        "missing column": (missing.encode(), "missing DMA column"),
        "decimal comma": (comma.encode(), "' in column 'Temperature' uses ','"),
        "non-numeric cell": (text.encode(), "NaN ('n/a') in column 'Storage modulus'"),
        "NaN": (nan.encode(), "NaN ('NaN') in column 'Storage modulus'"),
        "impossible unit": (unit.encode(), "impossible unit 'psi'"),
        "impossible value": (value.encode(), "impossible value -5 in column 'Storage modulus'"),
        "wrong encoding": (good.encode("utf-16"), "NUL bytes"),
        "latin-1 instead of UTF-8": (good.encode("latin-1"), "not valid utf-8"),
    }


def bluehill_cases(good: str) -> dict[str, tuple[bytes, str]]:
    first = _data_start(good, '"(s)"') + 1
    cells = good.splitlines()[first + 20].split(",")
    comma = _lines_replace(good, first + 20, ",".join([cells[0], '"0,41667"', cells[2]]))
    nan = _lines_replace(good, first + 20, ",".join(cells[:2] + ['"NaN"']))
    text = _lines_replace(good, first + 20, ",".join(cells[:2] + ['"---"']))
    renamed = good.replace('"Time","Extension","Load"', '"Time","Elongation","Load"')
    missing = good.replace('"Time","Extension","Load"', '"Time","Extension"')
    unit = good.replace('"(s)","(mm)","(N)"', '"(s)","(mm)","(lbf)"')
    value = _lines_replace(good, first + 20, ",".join(cells[:2] + ['"2.5e7"']))
    geometry = good.replace("Specimen thickness : 0.0300 mm", "Specimen thickness : 30 mm")
    lines = good.splitlines()
    truncated = "\n".join(lines[:-5] + [lines[-5].split(",")[0]]) + "\n"
    return {
        "empty": (b"", "file is empty"),
        "truncated": (truncated.encode(), "truncated file: last row has 1 of 3 fields"),
        "header only": ("\n".join(lines[:first]).encode(), "no data rows"),
        "renamed column": (renamed.encode(), "missing Bluehill column"),
        "missing column": (missing.encode(), "missing Bluehill column"),
        "decimal comma": (comma.encode(), "'0,41667' in column 'Extension' uses ','"),
        "non-numeric cell": (text.encode(), "non-numeric value '---'"),
        "NaN": (nan.encode(), "NaN ('NaN') in column 'Load'"),
        "impossible unit": (unit.encode(), "impossible unit '(lbf)'"),
        "impossible value": (value.encode(), "impossible value 2.5e+07 in column 'Load'"),
        "impossible geometry": (geometry.encode(), "impossible specimen thickness_mm = 30"),
        "wrong encoding": (good.encode("utf-16"), "NUL bytes"),
    }


def _check(tmp_path: Path, name: str, payload: bytes, expected: str, read):
    path = tmp_path / f"{name.replace(' ', '_')}.raw"
    path.write_bytes(payload)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(RawDataError) as err:
        read(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(str(path)), message
    assert expected in message, message
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # raw input untouched


TRIOS_CLASSES = [
    "empty",
    "truncated",
    "no data section",
    "renamed column",
    "missing column",
    "decimal comma",
    "non-numeric cell",
    "NaN",
    "impossible unit",
    "impossible value",
    "wrong encoding",
    "latin-1 instead of UTF-8",
]
BLUEHILL_CLASSES = [
    "empty",
    "truncated",
    "header only",
    "renamed column",
    "missing column",
    "decimal comma",
    "non-numeric cell",
    "NaN",
    "impossible unit",
    "impossible value",
    "impossible geometry",
    "wrong encoding",
]


@pytest.mark.parametrize("case", TRIOS_CLASSES)
def test_trios_bad_input(tmp_path, trios_good, case):
    payload, expected = trios_cases(trios_good)[case]
    _check(tmp_path, case, payload, expected, read_trios_dma)


@pytest.mark.parametrize("case", BLUEHILL_CLASSES)
def test_bluehill_bad_input(tmp_path, bluehill_good, case):
    payload, expected = bluehill_cases(bluehill_good)[case]

    def read(path):
        specimen_geometry(read_bluehill(path).header, {}, path)

    _check(tmp_path, case, payload, expected, read)


def test_oversized_file_is_refused_before_reading(tmp_path, trios_good):
    path = tmp_path / "huge.txt"
    path.write_text(trios_good, encoding="utf-8")
    size = f"{path.stat().st_size:,}"
    with pytest.raises(RawDataError, match=rf"file is {size} bytes, above the limit of 1,000 bytes"):
        read_trios_dma(path, max_bytes=1000)


def test_good_files_parse(tmp_path, trios_good, bluehill_good):
    (tmp_path / "a.txt").write_text(trios_good, encoding="utf-8")
    (tmp_path / "b.csv").write_text(bluehill_good, encoding="utf-8")
    assert len(read_trios_dma(tmp_path / "a.txt").data) > 100
    assert len(read_bluehill(tmp_path / "b.csv").data) > 100
