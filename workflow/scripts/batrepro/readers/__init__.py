"""Readers: one per instrument file format. Each returns a :class:`RawTable` (a canonical tidy table,
the technique, the header, the source path); :mod:`.formats` maps sheet format ids to them.

Canonical columns are snake_case and carry their unit (``time_s``, ``voltage_V``,
``storage_modulus_MPa``); their units, dtypes and physical ranges are one table,
:mod:`batrepro.vocab.columns`. Every reader fails with :class:`RawDataError`, whose message is a
single line ``<path>:<line>: <what is wrong>``.
"""

from ._common import RawDataError, RawTable

__all__ = ["RawDataError", "RawTable"]
