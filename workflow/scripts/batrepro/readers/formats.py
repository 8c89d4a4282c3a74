"""The format registry: a sample sheet's ``format`` id -> the reader for it.

Each reader module declares the formats it reads in a module-level literal, e.g.
``FORMATS = {"trios_txt": "read_trios_dma"}`` (format id -> function name), so adding a format touches only its
reader. The registry is read from those literals with :mod:`ast`, without importing the readers, so a job imports
only the reader it uses (``workflow/rules/common.smk`` reads the same literals to declare each job's code inputs).
Every reader returns a :class:`~batrepro.readers.RawTable`. The sheet schemas' ``format`` enums name the formats
each technique accepts (a test ties their union to this registry).
"""

from __future__ import annotations

import ast
import importlib
import os
from pathlib import Path

from ._common import RawTable

_HERE = Path(__file__).resolve().parent


def _declared(path: Path) -> dict[str, str]:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "FORMATS" for t in node.targets):
            return ast.literal_eval(node.value)
    return {}


def _discover() -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    modules = [(p.stem, p) for p in _HERE.glob("*.py") if not p.name.startswith("_") and p.name != "formats.py"]
    modules += [(p.parent.name, p) for p in _HERE.glob("*/__init__.py")]
    for module, path in sorted(modules):
        for fmt, function in _declared(path).items():
            if fmt in found:
                raise ValueError(f"format {fmt!r} is declared by readers/{found[fmt][0]} and readers/{module}")
            found[fmt] = (module, function)
    return found


#: format id -> (module in batrepro.readers, function). The function takes (path, **options).
FORMATS: dict[str, tuple[str, str]] = _discover()


def read(path: str | os.PathLike, fmt: str, **options) -> RawTable:
    """Read one raw file with the reader registered for ``fmt``."""
    if fmt not in FORMATS:
        raise ValueError(f"{path}: unknown format {fmt!r}; known formats: {sorted(FORMATS)}")
    module, function = FORMATS[fmt]
    reader = getattr(importlib.import_module(f"{__package__}.{module}"), function)
    return reader(path, **options)
