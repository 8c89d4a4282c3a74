"""TA Instruments TRIOS text exports of DMA 850 temperature ramps: both "Export to LIMS" variants and plain text.

Layouts accepted (techniques.md §6), all UTF-8, tab-separated:

``lims`` (the real DHR export in 3mcloud/hermes-rheo)
    ``key<TAB>value`` header lines and INI-like sections (``[File Parameters]``, ``[Geometry Parameters]``,
    ...), then one ``[step]`` section per procedure segment: the step-name line, a column-name row, a unit row
    and numeric rows.
``lims_points`` (the variant rheojax documents)
    the same header; in each ``[step]``: ``Step name<TAB>...``, ``Number of points<TAB>N``,
    ``Variables<TAB>name<TAB>name...``, a unit row whose first cell is empty, then ``Data point<TAB>v<TAB>v...``
    rows. ``N`` must equal the number of rows.
``plain`` (TRIOS "Export to text" of one step: no ``[step]`` section)
    optional ``key<TAB>value`` header lines, then a column-name row naming Temperature and both moduli, a unit
    row and numeric rows. (No public plain-text DMA file was found; this is the LIMS step block without its
    section marker, which is what the exports of one step we could find look like.)

The first ``[step]`` whose columns include temperature and both moduli is read. Inside a data block every row
is data: a blank line, a short row or a duplicated column name is an error (a blank line used to end the block
silently, dropping the rest of the ramp). Where the file carries ``Tan(delta)`` beside both moduli the redundant
quantity is checked, tan δ = E″/E′, so swapped E′/E″ columns are named instead of analysed. The data block is
parsed by ``pandas.read_csv`` from a memory map (:mod:`._table`), so a file at the size limit costs about what
its numbers cost.
"""

from __future__ import annotations

import mmap
import os

import numpy as np
import pandas as pd

from ..vocab import columns as vcolumns
from . import _table
from ._common import RawDataError, RawTable, check_file, duplicates, parse_number, quote, quote_names, require_columns

#: A DMA 850 logs about one point a second: a 24 h ramp is ~9 MB. Larger files are refused before reading.
TRIOS_MAX_BYTES = 64 * 1024**2
_MAX_HEADER_LINES = 5000

# column name in the export -> (canonical name, {unit: factor to canonical unit})
COLUMNS = {
    "temperature": ("temperature_C", {"°C": 1.0, "C": 1.0}),
    "storage modulus": ("storage_modulus_MPa", {"MPa": 1.0, "GPa": 1e3, "kPa": 1e-3, "Pa": 1e-6}),
    "loss modulus": ("loss_modulus_MPa", {"MPa": 1.0, "GPa": 1e3, "kPa": 1e-3, "Pa": 1e-6}),
    "tan(delta)": ("tan_delta", {"": 1.0}),
    "frequency": ("frequency_Hz", {"Hz": 1.0}),
    "step time": ("time_s", {"s": 1.0, "min": 60.0}),
    "oscillation strain": ("strain_pct", {"%": 1.0}),
}
REQUIRED = ["temperature", "storage modulus", "loss modulus"]
#: tan δ = E″/E′ holds to the printed precision; 2 % (+1e-4 absolute for a tan δ near zero) allows 3-digit prints
TAN_DELTA_RTOL, TAN_DELTA_ATOL = 0.02, 1e-4


#: header key -> (canonical key, {unit: factor}) for the specimen and procedure values a ramp states
HEADER_NUMBERS = {
    "Length": ("specimen_length_mm", {"mm": 1.0, "m": 1e3}),
    "Width": ("specimen_width_mm", {"mm": 1.0, "m": 1e3}),
    "Thickness": ("specimen_thickness_mm", {"mm": 1.0, "m": 1e3, "µm": 1e-3, "um": 1e-3}),
    "Preload force": ("preload_force_N", {"N": 1.0, "mN": 1e-3}),
}


def _header_numbers(header: dict, path) -> dict:
    """Geometry and preload from the header ('Length<TAB>17.50 mm'); absent keys are simply absent."""
    out = {}
    for key, (canonical, factors) in HEADER_NUMBERS.items():
        text = header.get(key)
        if text is None:
            continue
        parts = text.split()
        if len(parts) != 2 or parts[1] not in factors:
            raise RawDataError(
                path,
                f"header value {quote(key + ': ' + text)} is not '<number> <unit>' with a unit in {sorted(factors)}",
            )
        out[canonical] = parse_number(parts[0], path, None, key) * factors[parts[1]]
    return out


#: technique of the RawTable
TECHNIQUE = "DMA temperature ramp"


class _Lines:
    """The file's lines, decoded one at a time from the memory map (the data block is never split in Python)."""

    def __init__(self, path, mm):
        self.path, self.mm, self.pos, self.n = path, mm, 0, 0

    def next(self) -> str | None:
        if self.pos >= len(self.mm):
            return None
        end = self.mm.find(b"\n", self.pos)
        stop = len(self.mm) if end < 0 else end + 1
        raw = self.mm[self.pos : stop]
        self.pos, self.n = stop, self.n + 1
        if b"\x00" in raw:
            raise RawDataError(self.path, "file contains NUL bytes: it is binary, not a text export", self.n)
        try:
            return raw.decode("utf-8-sig" if self.n == 1 else "utf-8").rstrip("\r\n")
        except UnicodeDecodeError as err:
            raise RawDataError(
                self.path, f"not valid utf-8 text (byte 0x{raw[err.start]:02x}); re-export the file as utf-8", self.n
            ) from None


def _is_names_row(cells: list[str]) -> bool:
    keys = {c.strip().lower() for c in cells}
    return "temperature" in keys and ("storage modulus" in keys or "loss modulus" in keys)


def _block_end(mm, start: int) -> int:
    """End of a data block: the next section line ('[...') or the end of file, less trailing line breaks."""
    nxt = mm.find(b"\n[", start - 1)
    stop = len(mm) if nxt < 0 else nxt + 1
    while stop > start and mm[stop - 1] in b"\r\n":
        stop -= 1
    return stop


def _find_step(path, lines: _Lines, header: dict):
    """Walk the header and the steps; return (layout, names, units, n_points, first data line, byte offset)."""
    in_step = 0  # lines read since the last [step]
    step: dict = {}
    while True:
        line = lines.next()
        if line is None:
            what = "no [step] section with" if header.get("_steps") else "no [step] section or column-name row with"
            raise RawDataError(
                path,
                f"{what} Temperature, Storage modulus and Loss modulus columns: not a TRIOS DMA export "
                "(or truncated before the data)",
            )
        if lines.n > _MAX_HEADER_LINES and not header.get("_steps"):
            raise RawDataError(path, f"no data block in the first {_MAX_HEADER_LINES} lines", lines.n)
        cells = line.split("\t")
        if line.strip().lower() == "[step]":
            header["_steps"] = header.get("_steps", 0) + 1
            in_step, step = 1, {}
            continue
        if in_step:
            in_step += 1
            head = cells[0].strip().lower()
            if head == "number of points":
                step["n_points"] = cells[1].strip() if len(cells) > 1 else ""
                continue
            if head == "variables":
                names = [c.strip() for c in cells[1:]]
                units = lines.next()
                if units is None:
                    raise RawDataError(path, "[step] ends after its 'Variables' row (truncated file?)", lines.n)
                if _is_names_row(names):
                    ucells = units.split("\t")
                    if ucells[0].strip():
                        raise RawDataError(path, f"unit row starts with {quote(ucells[0])}, not a blank cell", lines.n)
                    return "lims_points", names, [u.strip() for u in ucells[1:]], step.get("n_points"), lines
                in_step = 0
                continue
            if _is_names_row(cells):
                units = lines.next()
                if units is None:
                    raise RawDataError(path, "[step] section ends after its column-name row (truncated file?)", lines.n)
                return "lims", [c.strip() for c in cells], [u.strip() for u in units.split("\t")], None, lines
            if in_step == 2 or head == "step name":
                continue  # the step-name line
            in_step = 0  # a step without the DMA columns: skip to the next [step]
            continue
        if line.startswith("["):
            continue
        if not header.get("_steps") and _is_names_row(cells) and len(cells) >= 3:
            units = lines.next()
            if units is None:
                raise RawDataError(path, "file ends after the column-name row (truncated file?)", lines.n)
            return "plain", [c.strip() for c in cells], [u.strip() for u in units.split("\t")], None, lines
        if "\t" in line and not header.get("_steps"):
            key, _, value = line.partition("\t")
            header.setdefault(key.strip(), value.strip())


def read_trios_dma(path: str | os.PathLike, *, max_bytes: int = TRIOS_MAX_BYTES) -> RawTable:
    """Read a DMA temperature ramp: a :class:`RawTable` of canonical columns; its header holds the file's
    header values under their file names, plus the specimen numbers in canonical units
    (``specimen_length_mm``, ...) and ``layout`` (``lims``, ``lims_points`` or ``plain``)."""
    check_file(path, max_bytes, "TRIOS text files")
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        header: dict = {}
        layout, names, units, n_points, lines = _find_step(path, _Lines(path, mm), header)
        header.pop("_steps", None)
        header["layout"] = layout
        names_line = lines.n - 1
        keys = [n.lower() for n in names]
        while keys and keys[-1] == "":  # a trailing tab on the column-name row
            keys.pop()
            names.pop()
        dup = duplicates(keys)
        if dup:
            raise RawDataError(path, f"duplicate column name(s) {quote_names(dup)}", names_line)
        require_columns(keys, REQUIRED, path, names_line, "DMA")
        units += [""] * (len(names) - len(units))
        start, first = lines.pos, lines.n + 1
        stop = _block_end(mm, start)
        if stop <= start:
            raise RawDataError(path, "the data block has no rows", first)
        file_names = (["Data point"] if layout == "lims_points" else []) + names
        df = _table.parse_block(path, mm, start, stop, file_names, ".", first)
        if layout == "lims_points":
            tag = df.iloc[:, 0].astype(str).str.strip()
            if not (tag == "Data point").all():
                i = int(np.argmax((tag != "Data point").to_numpy()))
                raise RawDataError(path, f"row starts with {quote(tag.iloc[i])}, not 'Data point'", first + i)
            try:
                declared = int(n_points) if n_points is not None else None
            except ValueError:
                raise RawDataError(path, f"'Number of points' is {quote(n_points)}, not a whole number") from None
            if declared is not None and declared != len(df):
                raise RawDataError(
                    path, f"'Number of points' says {declared} rows, the data block has {len(df)} (truncated?)", first
                )
        off = 1 if layout == "lims_points" else 0
        use = [(j, k) for j, k in enumerate(keys) if k in COLUMNS]
        arrays = _table.validate_numeric(path, df, file_names, mm, start, ".", first, columns=[j + off for j, _ in use])
    table = {}
    for (j, key), values in zip(use, arrays):
        canonical, factors = COLUMNS[key]
        unit = units[j]
        values = np.asarray(values, dtype=np.float64)
        if key == "temperature" and unit == "K":
            table[canonical] = values - 273.15
            continue
        if unit not in factors:
            raise RawDataError(
                path,
                f"impossible unit {quote(unit)} for column {quote(names[j])} (expected one of {sorted(factors)})",
                first - 1,
            )
        table[canonical] = values * factors[unit] if factors[unit] != 1.0 else values
    df = pd.DataFrame(table)
    labels = {COLUMNS[key][0]: names[j] for j, key in use}
    has_tan_delta = "tan_delta" in df
    if not has_tan_delta:
        df["tan_delta"] = df["loss_modulus_MPa"] / df["storage_modulus_MPa"]
    labels.setdefault("tan_delta", "tan(delta) = E''/E'")
    vcolumns.check_columns(path, {c: df[c].to_numpy() for c in df}, "trios", first, labels)
    if has_tan_delta:
        _check_tan_delta(path, df, labels, first)
    if len(df) < 20:
        raise RawDataError(path, f"only {len(df)} data rows: too few for a temperature ramp")
    span = df["temperature_C"].max() - df["temperature_C"].min()
    if span < 20:
        raise RawDataError(path, f"temperature spans only {span:.1f} K: not a temperature ramp")
    header.update(_header_numbers(header, path))
    columns = [
        "time_s",
        "temperature_C",
        "storage_modulus_MPa",
        "loss_modulus_MPa",
        "tan_delta",
        "frequency_Hz",
        "strain_pct",
    ]
    return RawTable(df[[c for c in columns if c in df]], TECHNIQUE, header, str(path))


def _check_tan_delta(path, df: pd.DataFrame, labels: dict, first: int) -> None:
    """The file's tan δ must equal E″/E′ (the instrument computes all three from one phase angle)."""
    e1, e2, td = (df[c].to_numpy() for c in ("storage_modulus_MPa", "loss_modulus_MPa", "tan_delta"))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = e2 / e1
    bad = ~(np.abs(td - ratio) <= TAN_DELTA_RTOL * np.abs(td) + TAN_DELTA_ATOL)
    if bad.any():
        i = int(np.argmax(bad))
        count = f"{int(bad.sum())} of {bad.size} rows"
        raise RawDataError(
            path,
            f"column {quote(labels['tan_delta'])} = {td[i]:.6g} disagrees with {quote(labels['loss_modulus_MPa'])} / "
            f"{quote(labels['storage_modulus_MPa'])} = {ratio[i]:.6g} ({count}): "
            "swapped E'/E'' columns or a wrong modulus unit?",
            first + i,
        )


#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"trios_txt": "read_trios_dma"}
