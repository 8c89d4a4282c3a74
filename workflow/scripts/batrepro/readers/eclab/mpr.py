"""The EC-Lab ``.mpr`` binary path: galvani parses the file, the record array becomes the table.

Per record layout a "plan" of strided copies is built once (fields side by side with one dtype are copied
as one 2-D view, the flag byte is unpacked once for all flags) and kept in :data:`_MPR_PLANS`; the table is
then filled straight from galvani's record array, with the checks and messages of the ``.mpt`` path
(:mod:`.._table`, :mod:`batrepro.vocab.columns`).
"""

from __future__ import annotations

import os
from typing import NamedTuple

import numpy as np
import pandas as pd
from pandas.api.internals import create_dataframe_from_blocks

from .. import _table
from .._common import RawDataError, RawTable, check_file, quote
from .columns import KNOWN, MPR_TECHNIQUE_IDS, REQUIRED, current_source, map_columns

__all__ = ["read_mpr"]


class _MprPlan(NamedTuple):
    """How one .mpr record layout becomes the float64 and int64 blocks of the table."""

    columns: pd.Index  # output column names, in file order
    names: list[str]  # the file's names (flags unpacked), for messages
    canon: list[str]  # canonical names, in file order
    f_pos: np.ndarray  # column positions of the float block rows
    i_pos: np.ndarray  # column positions of the int block rows
    f_runs: tuple  # (first row, end row, byte offset, dtype): float rows whose
    # fields sit side by side in the record, copied in one call
    f_scaled: tuple  # (float row, scale) for the rows that are rescaled after the copy
    i_src: tuple  # (int row, record field, field kind) per non-flag int row
    flag_rows: slice | None  # int rows that take the unpacked flag byte (consecutive)
    masks: np.ndarray  # (n_flags, 1) uint8 bit masks, in flag_rows order
    shifts: np.ndarray  # (n_flags, 1) right shifts that bring each flag to bit 0
    phys: tuple  # (canonical name, float row, file name) for the range checks
    iphys: tuple  # (canonical name, int row, file name) for the range checks


_MPR_PLANS: dict[tuple, _MprPlan] = {}
#: An .mpr larger than this is refused before it is read (a 1,000,000-row GCPL record array is ~53 MB). Set from
#: measurement (benchmarks/bench_reader_limits.py): galvani holds the whole file and the table is 2.4x the
#: records, ~5.4 MB of RSS per MiB of file, so a file at the limit stays within the jobs' 2,000 MB.
MPR_MAX_BYTES = 320 * 1024**2
#: Rows filled per pass: all columns of one chunk are written while its records sit in cache.
_MPR_CHUNK = 65536


def _mpr_plan(key: tuple, dtype: np.dtype, flags: dict) -> _MprPlan:
    """The plan for one record layout, built once. ``key`` identifies the layout cheaply (the
    data module's column ids: galvani derives both the dtype and the flags from them); hashing a
    fresh structured dtype costs more than the rest of the lookup."""
    plan = _MPR_PLANS.get(key)
    if plan is not None:
        return plan
    names: list[str] = []
    kinds = ""
    src: list[str | None] = []  # the record field behind each column; None for a flag
    for name in dtype.names:
        if name == "flags":
            names.extend(flags)
            kinds += "u" * len(flags)
            src.extend([None] * len(flags))
        else:
            names.append(name)
            kinds += dtype[name].kind
            src.append(name)
    columns, canon, f_pos, i_pos, f_fill, i_fill, phys, iphys = _table.layout(
        tuple(names), kinds, map_columns(tuple(names)), KNOWN, "eclab"
    )
    if any(src[j] is None for _, j, _ in f_fill):  # pragma: no cover - no flag has a float name
        raise AssertionError(f"an EC-Lab flag maps to a float column: {names}")
    rows = [k for k, j in i_fill if src[j] is None]
    if rows and rows != list(range(rows[0], rows[0] + len(rows))):  # pragma: no cover
        raise AssertionError(f"EC-Lab flags are not consecutive: {names}")
    masks = np.array([int(flags[names[j]][0]) for _, j in i_fill if src[j] is None], dtype=np.uint8)
    runs: list[list] = []  # [first row, end row, byte offset, dtype]
    for k, j, _ in f_fill:
        dt, off = dtype.fields[src[j]][:2]
        last = runs[-1] if runs else None
        if last and last[1] == k and last[3] == dt and last[2] + (k - last[0]) * dt.itemsize == off:
            last[1] = k + 1
        else:
            runs.append([k, k + 1, off, dt])
    plan = _MprPlan(
        columns=columns,
        names=names,
        canon=canon,
        f_pos=f_pos,
        i_pos=i_pos,
        f_runs=tuple(runs),
        f_scaled=tuple((k, scale) for k, _, scale in f_fill if scale != 1.0),
        i_src=tuple((k, src[j], dtype[src[j]].kind) for k, j in i_fill if src[j] is not None),
        flag_rows=slice(rows[0], rows[-1] + 1) if rows else None,
        masks=masks[:, None],
        shifts=np.array([(int(m) & -int(m)).bit_length() - 1 for m in masks], dtype=np.uint8)[:, None],
        phys=phys,
        iphys=iphys,
    )
    _MPR_PLANS[key] = plan
    return plan


def _mpr_table(path, technique: str, header: dict, rec: np.ndarray, flags: dict, required, key: tuple) -> RawTable:
    """The .mpr path of :func:`batrepro.readers._table.finish`: both blocks filled straight from galvani's record array.

    Same table, checks and messages as the .mpt path, with less work per column: fields that
    sit side by side in the record with one dtype are copied as one strided 2-D view, the flag
    byte is unpacked once for all flags, and the record array is walked once, in chunks of
    :data:`_MPR_CHUNK` rows, instead of once per column (a 1,000,000-row GCPL record array is
    53 MB; per-column copies would read it from memory 16 times).
    """
    plan = _mpr_plan(key, rec.dtype, flags)
    header["current_column"] = current_source(plan.names)
    n = len(rec)
    fblock = np.empty((len(plan.f_pos), n), dtype=np.float64)
    iblock = np.empty((len(plan.i_pos), n), dtype=np.int64)
    fr = plan.flag_rows
    whole = n <= _MPR_CHUNK
    size = rec.dtype.itemsize
    rec = np.ascontiguousarray(rec)  # the runs address the record bytes directly
    for i0 in range(0, n, _MPR_CHUNK):
        sl = slice(None) if whole else slice(i0, i0 + _MPR_CHUNK)
        for k0, k1, off, dt in plan.f_runs:
            run = np.ndarray((k1 - k0, n), dtype=dt, buffer=rec, offset=off, strides=(dt.itemsize, size))
            fblock[k0:k1, sl] = run[:, sl]
        for k, name, _ in plan.i_src:
            iblock[k, sl] = rec[name][sl]
        if fr is not None:  # unpacked as uint8 from a contiguous copy, then widened (fastest)
            flags_u8 = np.ascontiguousarray(rec["flags"][sl])
            iblock[fr, sl] = (flags_u8 & plan.masks) >> plan.shifts
    for k, scale in plan.f_scaled:
        fblock[k] *= scale
    # NaN and +-inf propagate into a sum, so a finite sum proves every value finite; a sum that
    # overflows from finite values only sends us to the exact search, which then finds nothing
    if n and not np.isfinite(fblock.sum()):
        bad = np.argwhere(~np.isfinite(fblock))
        if len(bad):
            k, i = bad[0]
            name = plan.names[plan.f_pos[k]]
            raise RawDataError(path, f"non-finite value {fblock[k, i]} in column '{name}' at record {i}")
    for k, name, kind in plan.i_src:
        if kind == "f":
            _table.check_whole(path, name, iblock[k], rec[name], lambda i: None)
    if n:
        _table.check_physics(path, fblock, plan.phys, "eclab", None)
        _table.check_physics(path, iblock, plan.iphys, "eclab", None)
    need = REQUIRED.get(technique, ()) if required is None else tuple(required)
    _table.check_required(path, technique, plan.names, plan.canon, need, None)
    blocks = [(blk, pos) for blk, pos in ((fblock, plan.f_pos), (iblock, plan.i_pos)) if len(pos)]
    data = create_dataframe_from_blocks(blocks, index=pd.RangeIndex(n), columns=plan.columns)
    return RawTable(data, technique, header, str(path))


def read_mpr(path: str | os.PathLike, *, required=None) -> RawTable:
    """Read an EC-Lab binary file (.mpr) with galvani and map its columns to canonical names.

    The flag byte is unpacked into ``mode``/``ox_red`` (and ``error``, ``control_changes``,
    ``ns_changes``, ``counter_inc``). ``cycle_number`` is usually absent (EC-Lab computes it on
    export). The header holds ``technique_id``, ``start_date``/``end_date``/``timestamp`` (ISO
    strings) and ``loop_index`` where present; the .mpr settings module's cell characteristics are
    not decoded (take the active mass from the sample sheet).
    """
    from galvani import BioLogic  # imported here: .mpt users do not pay for it

    check_file(path, MPR_MAX_BYTES, ".mpr files")
    try:
        fh = open(path, "rb")
    except OSError as err:
        raise RawDataError(path, f"file cannot be opened ({err.strerror})") from None
    try:
        with fh:
            mpr = BioLogic.MPRfile(fh)
    except RawDataError:
        raise
    except Exception as err:  # galvani raises ValueError, AssertionError, NotImplementedError, ...
        raise RawDataError(
            path, f"not a readable EC-Lab .mpr file (galvani: {type(err).__name__}: {quote(err)})"
        ) from None
    settings = next((m for m in mpr.modules if m["shortname"].strip() == b"VMP Set"), None)
    if settings is None or len(settings["data"]) == 0:
        what = "no 'VMP Set' module" if settings is None else "an empty 'VMP Set' module"
        raise RawDataError(path, f"{what}: the technique is unknown (truncated or damaged .mpr)")
    tid = int(settings["data"][0])
    if tid not in MPR_TECHNIQUE_IDS:
        raise RawDataError(
            path,
            f"unknown technique id 0x{tid:02x} in the settings module; "
            f"known: {sorted(hex(k) for k in MPR_TECHNIQUE_IDS)}",
        )
    technique = MPR_TECHNIQUE_IDS[tid]
    header = {"technique_id": f"0x{tid:02x}", "start_date": str(mpr.startdate)}
    if getattr(mpr, "enddate", None) is not None:
        header["end_date"] = str(mpr.enddate)
    if getattr(mpr, "timestamp", None) is not None:
        header["timestamp"] = mpr.timestamp.isoformat()
    if mpr.loop_index is not None:
        header["loop_index"] = mpr.loop_index.tolist()
    if len(mpr.data) == 0:
        raise RawDataError(path, "the data module holds 0 records (an aborted or truncated measurement)")
    key = (mpr.version, mpr.cols.tobytes())  # the column ids fix the record layout
    return _mpr_table(path, technique, header, mpr.data, mpr.flags_dict, required, key)
