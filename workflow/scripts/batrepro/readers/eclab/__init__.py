"""BioLogic EC-Lab reader: ``.mpt`` (ASCII export) and ``.mpr`` (binary, via galvani).

Public API
----------
``read_mpt(path)``, ``read_mpr(path)``, ``read_eclab(path)`` (dispatch on the suffix) all return
a :class:`~batrepro.readers.RawTable` with

* ``technique``: canonical short name (``GCPL``, ``MB``, ``PEIS``, ``GEIS``, ``CV``, ``CA``, ``CP``,
  ``OCV``, ``LSV``, ``CVA``, ``WAIT``, ``ZIR``, ``LOOP``, ``MP``, ``COV``, ``COC``);
* ``header``: the ``key : value`` lines of the .mpt header as strings, plus numbers parsed with the
  file's decimal separator under a snake_case key carrying the unit (``mass_of_active_material_mg``,
  ``characteristic_mass_g``, ``electrode_surface_area_cm2``, ``battery_capacity_Ah``, ...), and
  ``technique_name`` (the long name), ``nb_header_lines``, ``decimal_separator``;
* ``data``: a DataFrame with the canonical columns below (only those present in the file; nothing is
  ever derived or substituted), float64 or int64;
* ``source``: the path as given.

Canonical columns (EC-Lab name -> canonical name)
-------------------------------------------------
==============================  ========================  =====================================
EC-Lab column                   canonical                 note
==============================  ========================  =====================================
``time/s``                      ``time_s``                checked non-decreasing, >= 0
``Ewe/V`` or ``<Ewe>/V``        ``voltage_V``             instantaneous preferred; the other
                                                          one is kept as ``ewe_avg_V``
``I/mA`` or ``<I>/mA``          ``current_mA``            (``I/A``, ``I/µA`` scaled to mA);
                                                          ``control/V/mA`` is NEVER substituted
``mode``, ``ox/red``, ``Ns``    ``mode``, ``ox_red``,     int64 (.mpr: unpacked from the flag
                                ``ns``                    byte)
``half cycle``                  ``half_cycle``            int64
``cycle number``                ``cycle_number``          int64 (EC-Lab computes it on export;
                                                          usually absent from .mpr)
``dq/mA.h``                     ``dq_mAh``
``(Q-Qo)/mA.h``                 ``q_minus_q0_mAh``
``Q charge/discharge/mA.h``     ``charge_discharge_mAh``
``Q discharge/mA.h``            ``q_discharge_mAh``
``Q charge/mA.h``               ``q_charge_mAh``
``Capacity/mA.h``               ``capacity_mAh``
``Efficiency/%``                ``efficiency_pct``
``Energy charge/W.h``           ``energy_charge_Wh``
``Energy discharge/W.h``        ``energy_discharge_Wh``
``control/V/mA``                ``control_V_mA``          set-point, V or mA depending on mode
``control/mA``, ``control/V``   ``control_mA``,
                                ``control_V``
``x``                           ``x``
``freq/Hz``                     ``frequency_Hz``          checked >= 0 (0 Hz rows: dropped by the EIS ingest)
``Re(Z)/Ohm``                   ``z_real_ohm``
``-Im(Z)/Ohm``                  ``z_imag_ohm``            NEGATED: the signed imaginary part,
                                                          negative for a capacitive response
``|Z|/Ohm``                     ``z_mod_ohm``
``Phase(Z)/deg``                ``phase_deg``
==============================  ========================  =====================================

Every other column is kept under a sanitised snake_case name with a unit suffix and its values
unchanged (no sign flips): the quantity is lower-cased, ``<X>`` becomes ``x_avg``, ``|X|`` becomes
``abs_x``, a leading ``-`` becomes ``minus_``, other punctuation becomes ``_``; the unit (text after
the first ``/``) is appended with ``µ`` -> ``u``, ``.`` removed, ``%`` -> ``pct``, ``Ohm`` ->
``ohm``, ``Ohm-1`` -> ``S``.  Examples: ``I Range`` -> ``i_range``, ``Cs/µF`` -> ``cs_uF``,
``|Ewe|/V`` -> ``abs_ewe_V``, ``<Ece>/V`` -> ``ece_avg_V``, ``-Im(Zce)/Ohm`` -> ``minus_im_zce_ohm``,
``Re(Y)/Ohm-1`` -> ``re_y_S``, ``P/W`` -> ``p_W``, ``(Q-Qo)/C`` -> ``q_qo_C``.

A file whose columns lack what its technique needs (see :data:`REQUIRED`) is an error; pass
``required=()`` to read such a file anyway. GCPL and Modulo Bat records need no current: their ``.mpr``
often has none (EC-Lab computes ``I`` on export; the record has ``dq/mA.h`` and ``(Q-Qo)/mA.h``), and the
cycling ingest derives it (:func:`batrepro.techniques._eclab.with_current`). The header's
``current_column`` names the EC-Lab column that became ``current_mA`` (``I/mA``: instantaneous, ``<I>/mA``:
the mean over the interval ending at the point; None when the record has none), so the integration rule can
be chosen per file.

Every problem raises :class:`~batrepro.readers._common.RawDataError` whose message is one line,
``<path>:<line>: <problem>``.

Layout: :mod:`.columns` (the column vocabulary and technique maps), :mod:`.mpt` (the text path),
:mod:`.mpr` (the galvani binary path); the block parse, numeric validation and range checks they share are
:mod:`batrepro.readers._table`, the canonical columns' units and ranges :mod:`batrepro.vocab.columns`.

Speed: the .mpt data block is parsed by ``pandas.read_csv`` (C engine, in two threads for large
files); numbers are checked column-wise with numpy and the text is only re-read to locate and
describe a bad cell.
"""

from __future__ import annotations

import os
from pathlib import Path

from .._common import RawDataError, RawTable
from .columns import COLUMN_MAP, MPR_TECHNIQUE_IDS, REQUIRED, TECHNIQUES, canonical_name
from .mpr import read_mpr
from .mpt import MPT_MAX_BYTES, read_mpt

__all__ = [
    "read_mpt",
    "read_mpr",
    "read_eclab",
    "canonical_name",
    "TECHNIQUES",
    "MPR_TECHNIQUE_IDS",
    "REQUIRED",
    "COLUMN_MAP",
    "MPT_MAX_BYTES",
]

#: format ids this module reads (batrepro.readers.formats)
FORMATS = {"eclab_mpt": "read_eclab", "eclab_mpr": "read_eclab"}


def read_eclab(path: str | os.PathLike, **kwargs) -> RawTable:
    """Read a .mpt or .mpr file, dispatching on the suffix (case-insensitive)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".mpt":
        return read_mpt(path, **kwargs)
    if suffix == ".mpr":
        return read_mpr(path, **kwargs)
    raise RawDataError(path, f"unknown EC-Lab file suffix {suffix!r}: expected .mpt or .mpr")
