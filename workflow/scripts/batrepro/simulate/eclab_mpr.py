"""Write simulated records as BioLogic EC-Lab ``.mpr`` binary files, in the layouts galvani 0.5.0 reads.

The format is not published; this follows the reverse-engineered description in galvani's ``BioLogic.py``
(``MPRfile``, ``read_VMP_modules``, ``VMPdata_colID_dtype_map``, ``VMPdata_colID_flag_map``) and the real
files of dgbowl/yadg ``tests/test_x_eclab`` (docs/techniques.md §1.2):

* 52-byte magic ``BIO-LOGIC MODULAR FILE\\x1a`` padded with spaces to 48 bytes plus four zero bytes;
* modules, each ``MODULE`` + a header + its data: ``VMP Set`` (settings; byte 0 the technique id, e.g.
  0x04 GCPL, 0x1D PEIS, 0x7F Modulo Bat) and ``VMP data``. The header is ``shortname`` (10 bytes),
  ``longname`` (25), [``max length`` = 0xFFFFFFFF, EC-Lab ≥ 11.50 only], ``length``, ``version``,
  [an unknown u4, ≥ 11.50 only], ``date`` (8 bytes, ``MM/DD/YY``);
* the data module: the number of points (u4), the number of columns (u1), the column ids, zero padding,
  then the packed little-endian records. ``layout`` picks one of the four variants galvani reads:

  ==========  =====================  ============================  ===============
  layout      data module version    column ids                    records start
  ==========  =====================  ============================  ===============
  ``v0``      0                      u1 each                       byte 100
  ``v0_1150`` 0 (EC-Lab 11.50)       u1 pairs ``0, id``            byte 1007
  ``v2``      2                      u2 each                       byte 405
  ``v3``      3                      u2 each                       byte 406
  ==========  =====================  ============================  ===============

  (``v0`` with the old module header; the others with the ≥ 11.50 header). Flag columns (``mode``,
  ``ox/red``, ``error``, ``control changes``, ``Ns changes``, ``counter inc.``) share one byte at the
  position of the first of them, as galvani unpacks them.

This module writes test and stand-in files only; the workflow reads ``.mpr`` files with galvani.
"""

from __future__ import annotations

import numpy as np

MPR_MAGIC = b"BIO-LOGIC MODULAR FILE\x1a".ljust(48) + b"\x00\x00\x00\x00"
TECHNIQUE_IDS = {"GCPL": 0x04, "CV": 0x06, "OCV": 0x0B, "CP": 0x19, "PEIS": 0x1D, "GEIS": 0x1E, "MB": 0x7F}
#: flag columns: name -> (column id, bit mask)
FLAGS = {
    "mode": (1, 0x03),
    "ox/red": (2, 0x04),
    "error": (3, 0x08),
    "control changes": (21, 0x10),
    "Ns changes": (31, 0x20),
    "counter inc.": (65, 0x80),
}
#: value columns: name -> (column id, little-endian dtype), as galvani's VMPdata_colID_dtype_map
COLUMNS = {
    "time/s": (4, "<f8"),
    "control/V/mA": (5, "<f4"),
    "Ewe/V": (6, "<f4"),
    "dq/mA.h": (7, "<f8"),
    "I/mA": (8, "<f4"),
    "(Q-Qo)/mA.h": (13, "<f8"),
    "control/V": (19, "<f4"),
    "control/mA": (20, "<f4"),
    "cycle number": (24, "<f8"),
    "freq/Hz": (32, "<f4"),
    "|Ewe|/V": (33, "<f4"),
    "|I|/A": (34, "<f4"),
    "Phase(Z)/deg": (35, "<f4"),
    "|Z|/Ohm": (36, "<f4"),
    "Re(Z)/Ohm": (37, "<f4"),
    "-Im(Z)/Ohm": (38, "<f4"),
    "I Range": (39, "<u2"),
    "<I>/mA": (76, "<f4"),
    "<Ewe>/V": (77, "<f4"),
    "Ns": (131, "<u2"),
    "Q charge/discharge/mA.h": (467, "<f8"),
    "half cycle": (468, "<u4"),
}
LAYOUTS = ("v0", "v0_1150", "v2", "v3")


def _module(short: bytes, data: bytes, version: int, new_header: bool, date: bytes) -> bytes:
    if new_header:  # EC-Lab >= 11.50: max length 0xFFFFFFFF, then an unknown word (10 set/log, 11 data)
        numbers = [0xFFFFFFFF, len(data), version, 11 if short == b"VMP data" else 10]
    else:
        numbers = [len(data), version]
    return (
        b"MODULE"
        + short.ljust(10)
        + (b"BIO-LOGIC " + short).ljust(25)
        + np.array(numbers, "<u4").tobytes()
        + date
        + data
    )


def mpr_bytes(technique: str, columns: dict[str, np.ndarray], layout: str = "v3", date: str = "01/05/25") -> bytes:
    """The whole ``.mpr`` file for one record: ``columns`` maps EC-Lab column names (keys of :data:`FLAGS`
    and :data:`COLUMNS`) to equal-length arrays, in file order; ``technique`` a key of :data:`TECHNIQUE_IDS`."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    unknown = [c for c in columns if c not in FLAGS and c not in COLUMNS]
    if unknown:
        raise ValueError(f"no .mpr column id for {unknown}")
    n = len(next(iter(columns.values())))
    ids, fields, flag_bits = [], [], np.zeros(n, dtype=np.uint8)
    for name, values in columns.items():
        if name in FLAGS:
            cid, mask = FLAGS[name]
            shift = (mask & -mask).bit_length() - 1
            flag_bits |= (np.asarray(values).astype(np.uint8) << shift) & mask
            if not any(f[0] == "flags" for f in fields):
                fields.append(("flags", "u1"))
        else:
            cid, dtype = COLUMNS[name]
            fields.append((name, dtype))
        ids.append(cid)
    if layout in ("v0", "v0_1150") and max(ids) > 255:
        raise ValueError(f"layout {layout} stores column ids as single bytes; {max(ids)} does not fit")
    rec = np.zeros(n, dtype=np.dtype(fields))
    for name, values in columns.items():
        if name not in FLAGS:
            rec[name] = values
    if "flags" in rec.dtype.names:
        rec["flags"] = flag_bits
    head = np.array([n], "<u4").tobytes() + bytes([len(ids)])
    if layout == "v0":
        data, version = (head + bytes(ids)).ljust(100, b"\0"), 0
    elif layout == "v0_1150":
        pairs = bytes(b for cid in ids for b in (0, cid))
        data, version = (head + pairs).ljust(1007, b"\0"), 0
    else:
        data = (head + np.array(ids, "<u2").tobytes()).ljust(405, b"\0")
        data, version = (data + b"\x01", 3) if layout == "v3" else (data, 2)
    data += rec.tobytes()
    new_header = layout != "v0"
    settings = bytes([TECHNIQUE_IDS[technique]]) + bytes(63)
    day = date.encode("ascii")
    return (
        MPR_MAGIC
        + _module(b"VMP Set", settings, 0, new_header, day)
        + _module(b"VMP data", data, version, new_header, day)
    )
