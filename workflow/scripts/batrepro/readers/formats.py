"""The format registry: a sample sheet's ``format`` id -> the reader for it.

Every reader returns a :class:`~batrepro.readers.RawTable`. The ids here are the one enum in
``workflow/schemas/formats.schema.yaml`` that every sheet schema refers to (a test ties the two).
Readers are imported when used, so a job imports only the reader it needs.
"""

from __future__ import annotations

import importlib
import os

from ._common import RawTable

#: format id -> (module in batrepro.readers, function). The function takes (path, **options).
FORMATS: dict[str, tuple[str, str]] = {
    "eclab_mpt": ("eclab", "read_eclab_raw"),
    "eclab_mpr": ("eclab", "read_eclab_raw"),
    "generic_csv": ("generic_csv", "read_generic_csv_raw"),
    "trios_txt": ("trios", "read_trios_raw"),
    "bluehill_csv": ("bluehill", "read_bluehill_raw"),
}


def read(path: str | os.PathLike, fmt: str, **options) -> RawTable:
    """Read one raw file with the reader registered for ``fmt``."""
    if fmt not in FORMATS:
        raise ValueError(f"{path}: unknown format {fmt!r}; known formats: {sorted(FORMATS)}")
    module, function = FORMATS[fmt]
    reader = getattr(importlib.import_module(f"{__package__}.{module}"), function)
    return reader(path, **options)
