"""Property-based fuzzing of every reader (issue 14, item 2): mutants of real public and bundled files.

For each format, at least :data:`MUTANTS` mutants per run (hypothesis, derandomised by the ``ci`` profile in
``tests/conftest.py``) are made from the seed files by 1-3 of: truncation, bit flips, byte insertion and deletion,
a wrong encoding, delimiter and decimal swaps, huge and special numbers, emptied and duplicated lines and blocks,
lying header counts, long lines. Each mutant must end in

* a table: a :class:`RawTable` whose float columns are finite and whose canonical columns lie in their ranges, or
* the one-line error: :class:`RawDataError` / ``ValueError`` whose message is one line naming the file,

never another exception, and each within :data:`CPU_S` of CPU time (``time.process_time``, per mutant) and
:data:`MEM_BYTES` of address space (``RLIMIT_AS`` is lowered to the current size plus that for the whole run, so
an allocation beyond it fails the mutant with MemoryError). These are resource bounds asserted by the harness,
not a timing test. Per-format counts (mutants, errors, accepted) are printed at the end (``pytest -s``).
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from batrepro.readers import RawDataError, RawTable
from batrepro.readers.formats import FORMATS, read
from batrepro.simulate.dma import DmaFilm, simulate_ramp, trios_text
from batrepro.vocab import columns as vcolumns

REPO = Path(__file__).resolve().parents[2]
PUBLIC = REPO.parent / "shared" / "data" / "public"
RAW = REPO / "resources" / "raw"
MUTANTS = int(os.environ.get("FUZZ_MUTANTS", "200"))  # a deeper search: FUZZ_MUTANTS=5000
CPU_S = 2.0
MEM_BYTES = 500 * 1024**2
COUNTS: dict[str, Counter] = {}
#: VAMAS columns where NaN means "not stated by the file" (a block without a site label, a binding-energy file
#: without the source energy); every other float column of every reader must be finite
OPTIONAL_NAN = {"site", "sputter_time_min", "kinetic_energy_eV", "transmission"}

SPECIAL_NUMBERS = [
    b"1e309",
    b"-1e308",
    b"9" * 309,
    b"nan",
    b"-inf",
    b"1_000",
    "\u0663".encode(),
    b"0x1F",
    b"1e-400",
    b"",
    b"  ",
    b"1,5",
    b"--1",
    b"1e",
    b"4.5e+3.2",
]


def _public(*names: str) -> list[Path]:
    return [PUBLIC / n for n in names if (PUBLIC / n).is_file()]


def _generic_csv_seeds(tmp: Path) -> list[Path]:
    """Generic CSVs derived from a bundled .mpt (cycling) and the public impedance.py spectrum (EIS)."""
    from batrepro.readers.eclab import read_mpt

    out = []
    table = read_mpt(RAW / "kim2026/cycling/PI_1C.mpt").data[["time_s", "voltage_V", "current_mA", "cycle_number"]]
    cyc = tmp / "cycling.csv"
    table.iloc[:400].to_csv(cyc, index=False, float_format="%.6g")
    out.append(cyc)
    spectrum = PUBLIC / "eis/impedancepy_exampleData.csv"
    if spectrum.is_file():
        eis = tmp / "eis.csv"
        eis.write_bytes(b"frequency_Hz,z_real_ohm,z_imag_ohm\n" + spectrum.read_bytes())
        out.append(eis)
    return out


def _trios_seeds(tmp: Path) -> list[Path]:
    film = DmaFilm("F", 380.0, 3000.0, 2.5e-4, 50.0, 600.0, 0.32)
    ramp = simulate_ramp(film, seed=2, dt_s=30.0)
    out = sorted((RAW / "kim2026/dma").glob("*.txt"))[:1]
    for layout in ("lims_points", "plain"):
        p = tmp / f"{layout}.txt"
        p.write_text(trios_text(film, ramp, layout=layout), encoding="utf-8")
        out.append(p)
    return out


def _derived_seeds(tmp: Path) -> dict[str, Path]:
    """The two documented CSV layouts no sheet uses yet, written from bundled files (FT-IR, isotherm)."""
    ftir = tmp / "spectrum.csv"
    read(RAW / "kim2026/ftir/PI.jdx", "jcamp_dx").data.to_csv(ftir, index=False)
    iso = tmp / "isotherm.csv"
    table = read(RAW / "guan_hrposs/bet/POSS_N2_77K.xls", "micromeritics_xls").data
    table = table[["relative_pressure", "quantity_adsorbed_cm3_g", "branch"]]
    table.rename(columns={"quantity_adsorbed_cm3_g": "quantity_adsorbed_cm3_g_stp"}).to_csv(iso, index=False)
    return {"ftir_csv": ftir, "isotherm_csv": iso}


def _bundled(folder: str, pattern: str, n: int = 2) -> list[Path]:
    return sorted((RAW / folder).glob(pattern))[:n]


#: format -> seed files, each with its reader options
def _seeds(tmp: Path) -> dict[str, list[tuple[Path, dict]]]:
    mpt = _public(
        "eclab/peis.mpt",
        "eclab/gcpl.issue_149.mpt",
        "eclab/mb.issue_95.de.mpt",
        "eclab/impedancepy_exampleDataBioLogic.mpt",
    )
    mpt += [RAW / "kim2026/eis/PI_c01.mpt", RAW / "kim2026/cv/PI_binder.mpt"]
    csv = _generic_csv_seeds(tmp)
    derived = _derived_seeds(tmp)
    return {
        "eclab_mpt": [(f, {}) for f in mpt],
        # GCPL records without I are read with required=() so that mutants reach the record parse
        "eclab_mpr": [
            (f, {"required": ()})
            for f in _public("eclab/peis.mpr", "eclab/gcpl.issue_149.mpr", "eclab/mb.issue_95.mpr")
        ],
        "generic_csv": [(f, {"kind": "eis" if f.stem == "eis" else "cycling"}) for f in csv],
        "trios_txt": [(f, {}) for f in _trios_seeds(tmp)],
        "bluehill_csv": [(f, {}) for f in _bundled("kim2026/tensile", "*.csv")],
        "vamas": [
            (f, {})
            for f in _public("xps/regular.vms", "xps/irregular.vms")
            + [RAW / "guan_hrposs/xps/HRPOSS-3_Si2p_N1s_depth.vms"]
        ],
        "anton_paar_indentation_txt": [(f, {}) for f in _bundled("kim2026/nanoindentation", "*.txt")],
        "autopore_txt": [(f, {}) for f in _bundled("kim2026/mip", "*.txt")],
        "gaussian_log": [(f, {}) for f in _bundled("kim2026/dft", "*_unit.log")],
        "gpc_csv": [(f, {}) for f in _bundled("kim2026/gpc", "*_RI.csv")],
        "imagej_results_csv": [(f, {}) for f in _bundled("kim2026/sem", "*_imagej.csv")],
        # an AFFN file first (the regression cases edit its numbers), then one in SQZ/DIF/DUP compression
        "jcamp_dx": [(RAW / f"kim2026/ftir/{name}.jdx", {}) for name in ("PAID", "PAID-P")],
        "ftir_csv": [(derived["ftir_csv"], {})],
        # the sidecar (.txt of the same basename) is copied beside each mutant; see _write_mutant
        "jeol_sem_tif": [(f, {}) for f in _bundled("kim2026/sem", "*.tif")],
        "micromeritics_xls": [(f, {}) for f in _public("bet/micromeritics_Sample_C.xls")]
        + [(f, {}) for f in _bundled("guan_hrposs/bet", "*.xls", 1)],
        "isotherm_csv": [(derived["isotherm_csv"], {})],
        "saicas_csv": [(f, {}) for f in _bundled("kim2026/saicas", "*.csv")],
    }


def _read(path: Path, fmt: str, options: dict) -> RawTable:
    return read(path, fmt, **options)


# ---------------------------------------------------------------------------------------------------------------
# mutations: each takes the bytes and hypothesis' `data` and returns new bytes


_LAST_INT = re.compile(rb"(?<![0-9.eE+-])([0-9]{1,9})\s*$")


def _pos(data, n: int) -> int:
    return data.draw(st.integers(0, max(n - 1, 0)))


def _lines(b: bytes) -> list[bytes]:
    return b.split(b"\n")


def truncate(b, data):
    return b[: _pos(data, len(b))]


def bit_flip(b, data):
    i = _pos(data, len(b))
    return b[:i] + bytes([b[i] ^ (1 << data.draw(st.integers(0, 7)))]) + b[i + 1 :] if b else b


def insert_bytes(b, data):
    i = _pos(data, len(b) + 1)
    return b[:i] + data.draw(st.binary(min_size=1, max_size=8)) + b[i:]


def delete_bytes(b, data):
    i = _pos(data, len(b))
    return b[:i] + b[i + data.draw(st.integers(1, 64)) :]


def wrong_encoding(b, data):
    text = b.decode("latin-1")
    enc = data.draw(st.sampled_from(["utf-16", "utf-8", "cp1252-as-utf8", "utf-8-sig"]))
    if enc == "cp1252-as-utf8":
        return text.encode("utf-8")
    return b.decode("utf-8", "replace").encode(enc)


def delimiter_swap(b, data):
    a, c = data.draw(st.sampled_from([(b"\t", b","), (b",", b";"), (b",", b"\t"), (b"\t", b" "), (b"\n", b"\r")]))
    return b.replace(a, c)


def decimal_swap(b, data):
    lines = _lines(b)
    i = _pos(data, len(lines))
    start = data.draw(st.sampled_from([i, len(lines) // 2]))
    return b"\n".join(lines[:start] + [ln.replace(b".", b",") for ln in lines[start:]])


def special_number(b, data):
    """Replace one number of one line by a huge, special or malformed one."""
    lines = _lines(b)
    i = _pos(data, len(lines))
    for sep in (b"\t", b",", b" "):
        cells = lines[i].split(sep)
        if len(cells) > 1:
            j = _pos(data, len(cells))
            quoted = cells[j].startswith(b'"')
            new = data.draw(st.sampled_from(SPECIAL_NUMBERS))
            cells[j] = b'"' + new + b'"' if quoted else new
            lines[i] = sep.join(cells)
            return b"\n".join(lines)
    lines[i] = data.draw(st.sampled_from(SPECIAL_NUMBERS))
    return b"\n".join(lines)


def empty_line(b, data):
    lines = _lines(b)
    i = _pos(data, len(lines))
    if data.draw(st.booleans()):
        lines.insert(i, b"")
    else:
        lines[i] = b""
    return b"\n".join(lines)


def duplicate_lines(b, data):
    lines = _lines(b)
    i = _pos(data, len(lines))
    k = data.draw(st.integers(1, 40))
    return b"\n".join(lines[: i + k] + lines[i : i + k] + lines[i + k :])


def delete_lines(b, data):
    lines = _lines(b)
    i = _pos(data, len(lines))
    return b"\n".join(lines[:i] + lines[i + data.draw(st.integers(1, 40)) :])


def lying_count(b, data):
    """Change an integer that a header states (line counts, point counts, block counts) by a small or huge amount."""
    lines = _lines(b)
    idx = [i for i, ln in enumerate(lines[:400]) if _LAST_INT.search(ln)]
    if not idx:
        return b
    i = data.draw(st.sampled_from(idx))
    delta = data.draw(st.sampled_from([-2, -1, 1, 2, 10**6, 10**12]))
    m = _LAST_INT.search(lines[i])
    lines[i] = lines[i][: m.start(1)] + str(max(int(m.group(1)) + delta, 0)).encode() + lines[i][m.end(1) :]
    return b"\n".join(lines)


def long_line(b, data):
    lines = _lines(b)
    i = _pos(data, len(lines))
    filler = data.draw(st.sampled_from([b"1", b"x", b"\t", b",", b'"']))
    lines.insert(i, filler * data.draw(st.sampled_from([70_000, 140_000])))
    return b"\n".join(lines)


MUTATIONS = [
    truncate,
    bit_flip,
    insert_bytes,
    delete_bytes,
    wrong_encoding,
    delimiter_swap,
    decimal_swap,
    special_number,
    empty_line,
    duplicate_lines,
    delete_lines,
    lying_count,
    long_line,
]


# ---------------------------------------------------------------------------------------------------------------
# the harness


@contextlib.contextmanager
def address_space_limit(extra: int):
    """Lower RLIMIT_AS to the current address space plus ``extra`` bytes for the block."""
    size = next(int(ln.split()[1]) * 1024 for ln in open("/proc/self/status") if ln.startswith("VmSize:"))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    new = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (new, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _check_table(table: RawTable) -> None:
    assert isinstance(table, RawTable)
    df = table.data
    assert len(df) > 0
    for name in df.columns:
        values = df[name].to_numpy()
        if values.dtype.kind == "f" and name not in OPTIONAL_NAN:
            assert np.isfinite(values).all(), name
        if name in vcolumns.COLUMNS and values.dtype.kind in "fi":
            col = vcolumns.COLUMNS[name]
            assert values.min() >= col.lo and values.max() <= col.hi, (name, values.min(), values.max())


def _outcome(path: Path, fmt: str, options: dict) -> tuple[str, float]:
    """Read one mutant under the resource bounds: 'errors' or 'accepted', and the CPU seconds it took."""
    t0 = time.process_time()
    try:
        with address_space_limit(MEM_BYTES):
            result = _read(path, fmt, options)
    except ValueError as err:  # RawDataError is a ValueError
        msg = str(err)
        assert "\n" not in msg, msg
        named = [p for p in (str(path), str(path.with_suffix(".txt"))) if p in msg]  # a JEOL sidecar's own error
        assert named, msg
        assert len(msg) <= len(named[0]) + 700, msg[:300]
        outcome = "errors"
    else:
        _check_table(result)
        outcome = "accepted"
    cpu = time.process_time() - t0
    assert cpu < CPU_S, f"{cpu:.2f} s of CPU for one mutant"
    return outcome, cpu


@pytest.fixture(scope="module")
def seeds():
    with tempfile.TemporaryDirectory(prefix="fuzz-seeds-") as tmp:
        yield _seeds(Path(tmp)), Path(tmp)


def test_every_format_has_seeds():
    """A new reader format is fuzzed as soon as it is registered: the seed table must name it."""
    with tempfile.TemporaryDirectory() as tmp:
        assert set(_seeds(Path(tmp))) == set(FORMATS)


def _write_mutant(tmp: Path, payload: bytes, suffix: str, sidecar: bytes | None) -> Path:
    """The mutant file, and beside it the JEOL sidecar (.txt of the same basename) when the seed has one."""
    path = tmp / f"mutant{suffix}"
    path.write_bytes(payload)
    if sidecar is not None:
        path.with_suffix(".txt").write_bytes(sidecar)
    return path


def _require_seeds(table: dict, fmt: str) -> None:
    """Seeds of a format may be missing only on a user's clone without ../shared (a skip); in CI it is a failure."""
    if not table[fmt]:
        if os.environ.get("CI"):
            pytest.fail(f"no seed files for {fmt}: ../shared/data/public is missing in CI")
        pytest.skip(f"no seed files for {fmt} (public files absent)")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_mutant_gives_a_table_or_the_one_line_error(fmt, seeds):
    table, tmp = seeds
    _require_seeds(table, fmt)
    originals = [
        (f.read_bytes(), f.suffix, options, f.with_suffix(".txt").read_bytes() if fmt == "jeol_sem_tif" else None)
        for f, options in table[fmt]
    ]
    for payload, suffix, options, sidecar in originals:  # every seed itself is a good file
        _check_table(_read(_write_mutant(tmp, payload, suffix, sidecar), fmt, options))
    counts = COUNTS.setdefault(fmt, Counter())
    worst = [0.0]

    @settings(
        max_examples=MUTANTS,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def mutant(data):
        payload, suffix, options, sidecar = data.draw(st.sampled_from(originals))
        on_sidecar = sidecar is not None and data.draw(st.booleans())
        for op in data.draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3)):
            if on_sidecar:
                sidecar = op(sidecar, data)
            else:
                payload = op(payload, data)
        path = _write_mutant(tmp, payload, suffix, sidecar)
        outcome, cpu = _outcome(path, fmt, options)
        worst[0] = max(worst[0], cpu)
        counts[outcome] += 1
        counts["mutants"] += 1

    mutant()
    assert counts["mutants"] >= MUTANTS, counts
    print(
        f"\nfuzz {fmt}: {counts['mutants']} mutants, {counts['errors']} errors, {counts['accepted']} accepted; "
        f"max CPU per mutant {worst[0]:.3f} s"
    )


def _trios_step_time(b: bytes) -> bytes:
    lines = b.split(b"\n")
    k = lines.index(b"[step]") + 4 + 10
    lines[k] = b"-1e308" + lines[k][lines[k].index(b"\t") :]
    return b"\n".join(lines)


def _wide_first_row(b: bytes) -> bytes:
    head, _, body = b.partition(b"\n")
    return head + b"\n" + b"," * 140_000 + b"\n" + body * 3  # 1,200 rows x 140,001 cells: > 1 GB before the fix


def _vamas_tiny_dwell(b: bytes) -> bytes:
    lines = b.split(b"\n")
    k = next(i for i, line in enumerate(lines) if line.strip() == b"pulse counting") + 1
    lines[k] = b"1e-320"
    return b"\n".join(lines)


def _vamas_long_digits(b: bytes) -> bytes:
    lines = b.split(b"\n")
    lines.insert(52, b"1" * 70_000 + b"x")
    return b"\n".join(lines)


def _line_replace(old: bytes, new: bytes):
    return lambda b: b.replace(old, new, 1)


def _blank_line_inside_data(marker: bytes, after: int):
    """A blank line ``after`` lines below the line starting with ``marker`` (inside the data block)."""

    def mutate(b: bytes) -> bytes:
        lines = b.split(b"\n")
        k = next(i for i, line in enumerate(lines) if line.startswith(marker)) + after
        return b"\n".join(lines[:k] + [b""] + lines[k:])

    return mutate


def _jcamp_y(b: bytes) -> bytes:
    lines = b.split(b"\n")
    k = next(i for i, line in enumerate(lines) if line.startswith(b"##XYDATA")) + 1
    cells = lines[k].split(b" ")
    cells[1] = b"9" * 309
    lines[k] = b" ".join(cells)
    return b"\n".join(lines)


def _long_cell(b: bytes) -> bytes:
    lines = b.split(b"\n")
    return b"\n".join([lines[0], b"1" * 140_000, *lines[1:]])


#: mutants deeper searches (FUZZ_MUTANTS=1000-2000, HYPOTHESIS_PROFILE=explore) found, kept as fixed cases
REGRESSIONS = {
    # a cell over the csv module's 131,072-character limit raised _csv.Error (found when all 17 formats were fuzzed)
    "ImageJ 140,000-character cell": ("imagej_results_csv", ".csv", _long_cell),
    "SAICAS 140,000-character cell": ("saicas_csv", ".csv", _long_cell),
    # an Angle of 1e308 was accepted (ImageJ reports -180..180)
    "ImageJ Angle 1e308": (
        "imagej_results_csv",
        ".csv",
        lambda b: re.sub(rb"(\n1,(?:[^,\n]*,){5})[^,\n]*", rb"\g<1>1e308", b, count=1),
    ),
    # 'G3687.3670.27' (two decimal points in a SQZ value): float() raised a ValueError that named no file
    "JCAMP-DX SQZ value with two points": (
        "jcamp_dx",
        ".jdx",
        lambda b: b.replace(b"\n3982.65G06452", b"\n3982.65G06.45.2", 1),
    ),
    # 'Bulk Density `t 0.52 psia' (a bit flip): a bare float() of the text after 'at' raised a ValueError
    # that named no file
    "AutoPore bulk-density pressure unreadable": (
        "autopore_txt",
        ".txt",
        _line_replace(b"Bulk Density at 0.52 psia", b"Bulk Density `t 0.52 psia"),
    ),
    # a column row whose first cell merely contains 'Pressure (psia)' (a deleted tab): list.index raised ValueError
    "AutoPore pressure column renamed": (
        "autopore_txt",
        ".txt",
        _line_replace(b"Pressure (psia)\t", b"Pressure (psia)x\t"),
    ),
    # a blank line inside the intrusion table ended it there: the rest of the curve was silently dropped
    "AutoPore blank line inside the data": ("autopore_txt", ".txt", _blank_line_inside_data(b"Pressure (psia)", 20)),
    # a Y of 309 nines overflowed to inf and was accepted
    "JCAMP-DX Y value 1e309": ("jcamp_dx", ".jdx", _jcamp_y),
    # ##NPOINTS=1 divided by zero; a DUP count of 10^9 expanded a billion points
    "JCAMP-DX NPOINTS=1": ("jcamp_dx", ".jdx", lambda b: re.sub(rb"##NPOINTS=\d+", b"##NPOINTS=1", b)),
    "JCAMP-DX DUP count 10^9": (
        "jcamp_dx",
        ".jdx",
        lambda b: re.sub(rb"(##XYDATA=[^\n]*\n\S+ \S+)", rb"\1 S99999999", b),
    ),
    # 140,000 empty names: the duplicate-name check was quadratic (3.6 s of CPU)
    "header of empty names": ("generic_csv", ".csv", lambda b: b"," * 140_000 + b"\n" + b),
    # a first data row of 140,000 fields made every row that wide (1.9 s of CPU on 400 rows; gigabytes on more)
    "first data row of 140,000 fields": ("generic_csv", ".csv", lambda b: _wide_first_row(b)),
    # a dwell time of 1e-320 s gave infinite counts per second (found at 2,000 mutants per format)
    "VAMAS dwell 1e-320 s": ("vamas", ".vms", _vamas_tiny_dwell),
    # a 70,001-character number-like line: the number pattern backtracked quadratically (18 s of CPU)
    "VAMAS 70,000-digit value": ("vamas", ".vms", _vamas_long_digits),
    # a step time of -1e308 was accepted: TRIOS did not range-check time and strain
    "TRIOS step time -1e308": ("trios_txt", ".txt", _trios_step_time),
}


def _edit(mutate, original: bytes) -> bytes | None:
    """The edited bytes, or None when the edit does not apply to this seed or leaves it unchanged."""
    try:
        payload = mutate(original)
    except (ValueError, IndexError, StopIteration):
        return None
    return payload if payload != original else None


@pytest.mark.parametrize("case", sorted(REGRESSIONS))
def test_regressions_found_by_deeper_search(case, seeds, tmp_path):
    """Each case edits the first seed of its format that it changes (the edit must change one)."""
    fmt, suffix, mutate = REGRESSIONS[case]
    edits = [(_edit(mutate, f.read_bytes()), options) for f, options in seeds[0][fmt]]
    payload, options = next(((p, o) for p, o in edits if p is not None), (None, None))
    assert payload is not None, f"{case}: the edit changes none of the {fmt} seeds"
    path = tmp_path / f"regression{suffix}"
    path.write_bytes(payload)
    assert _outcome(path, fmt, options)[0] == "errors"


def test_raw_data_error_is_a_value_error():
    assert issubclass(RawDataError, ValueError)


_CELL = re.compile(rb"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
TEXT_FORMATS = sorted(set(FORMATS) - {"eclab_mpr", "jeol_sem_tif", "micromeritics_xls", "gaussian_log"})


def _numeric_line(line: bytes) -> bool:
    """A data line: one number alone (VAMAS), or at least two numbers making most of its cells."""
    cells = [c for c in re.split(rb"[\t,;]+|\s{2,}| (?=[0-9+-])", line.strip()) if c]
    numbers = sum(bool(_CELL.fullmatch(c.strip().strip(b'"'))) for c in cells)
    return numbers == len(cells) == 1 or (numbers >= 2 and 2 * numbers >= len(cells))


def _blank_in_longest_numeric_run(b: bytes) -> bytes:
    """A blank line in the middle of the file's longest run of data lines (its data block)."""
    lines = b.split(b"\n")
    best, start = (0, 0), None
    for i, line in enumerate([*lines, b"x"]):
        if _numeric_line(line):
            start = i if start is None else start
        elif start is not None:
            best, start = max(best, (i - start, start)), None
    length, first = best
    assert length >= 4, "no data block"
    k = first + length // 2
    return b"\n".join(lines[:k] + [b""] + lines[k:])


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_a_blank_line_inside_the_data_block_is_an_error_never_a_shorter_table(fmt, seeds, tmp_path):
    """Issue 14, item 1, for every text format: a blank line in the middle of the data block must not end the
    data there (a TRIOS ramp lost its second half that way). The reader may refuse the file (the one-line error)
    or read past the blank line to the same table; it may not return a shorter one."""
    table, _ = seeds
    _require_seeds(table, fmt)
    for source, options in table[fmt]:
        original = source.read_bytes()
        if fmt == "jcamp_dx" and not any(_numeric_line(ln) for ln in original.split(b"\n")[25:40]):
            continue  # a compressed JCAMP-DX file has no all-numeric lines; the AFFN seed covers the format
        path = tmp_path / f"blank{source.suffix}"
        path.write_bytes(_blank_in_longest_numeric_run(original))
        outcome, _ = _outcome(path, fmt, options)
        if outcome == "accepted":
            pd.testing.assert_frame_equal(_read(path, fmt, options).data, _read(source, fmt, options).data)
