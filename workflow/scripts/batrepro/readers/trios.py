"""TA Instruments TRIOS "Export to LIMS" text files (DMA 850 temperature ramps).

Layout (techniques.md §6; real DHR export in 3mcloud/hermes-rheo): tab-separated ``key<TAB>value``
header lines, INI-like sections (``[File Parameters]``, ``[Geometry Parameters]``, ...), then one
``[step]`` block per procedure segment: the step name, a column-name row, a unit row and numeric
rows. The first step that has temperature and both moduli is read.
"""

from __future__ import annotations

import os

import pandas as pd

from ..vocab import columns as vcolumns
from ._common import DEFAULT_MAX_BYTES, RawDataError, RawTable, parse_rows, read_text, require_columns

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
                path, f"header value '{key}: {text}' is not '<number> <unit>' with a unit in {sorted(factors)}"
            )
        try:
            out[canonical] = float(parts[0]) * factors[parts[1]]
        except ValueError:
            raise RawDataError(path, f"header value '{key}: {text}' is not a number") from None
    return out


#: technique of the RawTable
TECHNIQUE = "DMA temperature ramp"


def read_trios_dma(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawTable:
    """Read a DMA temperature ramp: a :class:`RawTable` of canonical columns; its header holds the file's
    header values under their file names, plus the specimen numbers in canonical units
    (``specimen_length_mm``, ...)."""
    text = read_text(path, "utf-8", max_bytes)
    lines = text.splitlines()
    header: dict[str, str] = {}
    step_at = None
    for i, line in enumerate(lines):
        if line.strip().lower() == "[step]":
            step_at = i
            break
        if "\t" in line and not line.startswith("["):
            key, _, value = line.partition("\t")
            header.setdefault(key.strip(), value.strip())
    if step_at is None:
        raise RawDataError(
            path, "no [step] section: not a TRIOS 'Export to LIMS' text file (or truncated before the data)"
        )
    if step_at + 3 >= len(lines):
        raise RawDataError(
            path, "[step] section ends before its column-name and unit rows (truncated file?)", step_at + 1
        )
    names = [c.strip() for c in lines[step_at + 2].split("\t")]
    units = [c.strip() for c in lines[step_at + 3].split("\t")]
    units += [""] * (len(names) - len(units))
    keys = [n.lower() for n in names]
    require_columns(keys, REQUIRED, path, step_at + 3, "DMA")

    first = step_at + 5  # 1-based line number of the first data row
    rows = []
    for line in lines[step_at + 4 :]:
        if not line.strip() or line.startswith("["):
            break
        rows.append(line.split("\t"))
    if not rows:
        raise RawDataError(path, "the [step] section has no data rows", first)

    use = [(j, k) for j, k in enumerate(keys) if k in COLUMNS]
    values = parse_rows(
        [[row[j] if j < len(row) else "" for j, _ in use] for row in rows], first, [names[j] for j, _ in use], path
    )
    # a truncated last line shows up as a short row
    if len(rows[-1]) < len(names):
        raise RawDataError(
            path, f"last row has {len(rows[-1])} of {len(names)} fields: file is truncated", first + len(rows) - 1
        )

    table = {}
    for col, (j, key) in enumerate(use):
        canonical, factors = COLUMNS[key]
        unit = units[j]
        if key == "temperature" and unit == "K":
            table[canonical] = values[:, col] - 273.15
            continue
        if unit not in factors:
            raise RawDataError(
                path,
                f"impossible unit '{unit}' for column '{names[j]}' (expected one of {sorted(factors)})",
                step_at + 4,
            )
        table[canonical] = values[:, col] * factors[unit]
    df = pd.DataFrame(table)
    if "tan_delta" not in df:
        df["tan_delta"] = df["loss_modulus_MPa"] / df["storage_modulus_MPa"]

    labels = {COLUMNS[key][0]: names[j] for j, key in use}
    labels.setdefault("tan_delta", "tan(delta) = E''/E'")
    vcolumns.check_columns(path, {c: df[c].to_numpy() for c in df}, "trios", first, labels)
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


#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"trios_txt": "read_trios_dma"}
