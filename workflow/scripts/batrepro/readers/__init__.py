"""Readers: one per instrument file format. Each returns a canonical tidy table.

Canonical columns are snake_case and carry their unit (``time_s``, ``voltage_V``,
``storage_modulus_MPa``). Every reader fails with :class:`RawDataError`, whose message is a
single line ``<path>:<line>: <what is wrong>``.
"""

from ._common import RawDataError, RawTable

__all__ = ["RawDataError", "RawTable"]
