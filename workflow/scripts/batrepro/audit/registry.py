"""Load and validate the registries of reported values (one YAML file per paper).

A registry is a YAML mapping with a ``values:`` list; each entry records one number a paper
prints (the README beside the registries lists the fields and the naming vocabulary).
:func:`load_registry` checks every entry and raises :class:`ValueError` naming the file and
the entry id on the first problem; :func:`registry_frame` stacks several registries into one
table for the audit.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import yaml

TECHNIQUES = frozenset(
    {
        "dma",
        "tensile",
        "cycling",
        "rate",
        "cv",
        "gitt",
        "eis",
        "xps",
        "sem",
        "bet",
        "nanoindentation",
        "peel",
        "saicas",
        "ftir",
        "gpc",
        "dft",
        "mip",
        "experimental",
    }
)
"""Technique ids an entry may carry."""

REQUIRED_FIELDS = ("id", "paper", "figure", "technique", "sample", "quantity", "condition", "unit", "quote")
"""Fields every entry must have (plus ``value`` or ``value_min``/``value_max``)."""

OPTIONAL_FIELDS = (
    "value",
    "value_min",
    "value_max",
    "printed",
    "tolerance",
    "uncertainty",
    "not_derivable",
    "duplicate_of",
    "note",
)
"""Fields an entry may have."""

COLUMNS = REQUIRED_FIELDS[:7] + (
    "value",
    "value_min",
    "value_max",
    "unit",
    "tolerance_rel",
    "tolerance_abs",
    "uncertainty",
    "printed",
    "not_derivable",
    "duplicate_of",
    "note",
    "quote",
)
"""Columns of :func:`registry_frame`, in order."""

KEY = ("paper", "technique", "sample", "quantity", "condition")
"""Columns the audit joins recomputed rows on."""


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _check_condition(condition: str) -> str | None:
    """Return a problem description, or None when ``condition`` is well formed."""
    if condition == "":
        return None
    pairs = condition.split(";")
    keys = []
    for pair in pairs:
        key, sep, val = pair.partition("=")
        if not sep or not key or not val or "=" in val:
            return f"condition {condition!r}: {pair!r} is not key=value"
        keys.append(key)
    if keys != sorted(keys):
        return f"condition {condition!r}: keys are not sorted"
    if len(set(keys)) != len(keys):
        return f"condition {condition!r}: repeated key"
    return None


def validate_entry(entry: Mapping[str, Any]) -> list[str]:
    """List the problems of one registry entry (empty when the entry is valid)."""
    problems: list[str] = []
    if not isinstance(entry, Mapping):
        return ["entry is not a mapping"]
    for field in REQUIRED_FIELDS:
        if field not in entry:
            problems.append(f"missing field {field!r}")
    unknown = set(entry) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
    if unknown:
        problems.append(f"unknown field(s) {sorted(unknown)}")
    for field in ("id", "paper", "figure", "technique", "sample", "quantity", "condition", "unit", "quote"):
        if field in entry and not isinstance(entry[field], str):
            problems.append(f"field {field!r} must be a string")
    for field in ("id", "paper", "figure", "quantity"):
        if isinstance(entry.get(field), str) and not entry[field].strip():
            problems.append(f"field {field!r} is empty")
    if isinstance(entry.get("quote"), str) and not entry["quote"].strip():
        problems.append("quote is empty")
    if "technique" in entry and entry["technique"] not in TECHNIQUES:
        problems.append(f"unknown technique {entry['technique']!r}")
    if isinstance(entry.get("condition"), str):
        problem = _check_condition(entry["condition"])
        if problem:
            problems.append(problem)
    has_value = "value" in entry
    has_range = "value_min" in entry or "value_max" in entry
    if has_value == has_range:
        problems.append("needs exactly one of 'value' or 'value_min'/'value_max'")
    for field in ("value", "value_min", "value_max", "uncertainty"):
        if field in entry and not _is_number(entry[field]):
            problems.append(f"field {field!r} must be a finite number, got {entry[field]!r}")
    if _is_number(entry.get("value_min")) and _is_number(entry.get("value_max")):
        if entry["value_min"] > entry["value_max"]:
            problems.append("value_min > value_max")
    if "tolerance" in entry:
        tol = entry["tolerance"]
        if not (
            isinstance(tol, Mapping)
            and len(tol) == 1
            and set(tol) <= {"rel", "abs"}
            and _is_number(next(iter(tol.values())))
            and next(iter(tol.values())) >= 0
        ):
            problems.append(f"tolerance must be {{rel: x}} or {{abs: x}} with x >= 0, got {tol!r}")
    for field in ("not_derivable", "duplicate_of", "note", "printed"):
        if field in entry and not isinstance(entry[field], str):
            problems.append(f"field {field!r} must be a string")
    return problems


def load_registry(path: str | os.PathLike) -> list[dict]:
    """Read and validate one registry file.

    Returns the entries as a list of dicts, in file order. Raises ``ValueError`` naming the
    file (and the entry id, or its position when the id is missing) when the file is not a
    mapping with a ``values`` list, when an entry is invalid (see :func:`validate_entry`),
    when two entries share an id, when an entry's ``paper`` differs from the file's top-level
    ``paper``, or when ``duplicate_of`` points to an id not in the file.
    """
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(doc, Mapping) or not isinstance(doc.get("values"), list):
        raise ValueError(f"{path}: expected a mapping with a 'values:' list")
    file_paper = doc.get("paper")
    entries: list[dict] = []
    seen: set[str] = set()
    for i, entry in enumerate(doc["values"]):
        label = entry.get("id") if isinstance(entry, Mapping) and entry.get("id") else f"#{i}"
        problems = validate_entry(entry)
        if file_paper is not None and isinstance(entry, Mapping) and entry.get("paper") != file_paper:
            problems.append(f"paper {entry.get('paper')!r} differs from the file's paper {file_paper!r}")
        if problems:
            raise ValueError(f"{path}: entry {label}: " + "; ".join(problems))
        if entry["id"] in seen:
            raise ValueError(f"{path}: entry {label}: duplicate id")
        seen.add(entry["id"])
        entries.append(dict(entry))
    for entry in entries:
        if "duplicate_of" in entry and entry["duplicate_of"] not in seen:
            raise ValueError(
                f"{path}: entry {entry['id']}: duplicate_of {entry['duplicate_of']!r} is not an id in this file"
            )
    return entries


def registry_frame(paths: Iterable[str | os.PathLike]) -> pd.DataFrame:
    """Load several registries into one DataFrame with the columns :data:`COLUMNS`.

    ``tolerance`` is split into ``tolerance_rel`` and ``tolerance_abs``; missing optional
    fields are NaN (numbers) or empty strings (text). Raises ``ValueError`` when an id occurs
    in more than one file.
    """
    rows: list[dict] = []
    origin: dict[str, str] = {}
    for path in paths:
        for entry in load_registry(path):
            if entry["id"] in origin:
                raise ValueError(f"{os.fspath(path)}: entry {entry['id']}: id also in {origin[entry['id']]}")
            origin[entry["id"]] = os.fspath(path)
            row = {c: entry.get(c) for c in COLUMNS}
            tol = entry.get("tolerance") or {}
            row["tolerance_rel"] = tol.get("rel")
            row["tolerance_abs"] = tol.get("abs")
            rows.append(row)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in ("value", "value_min", "value_max", "tolerance_rel", "tolerance_abs", "uncertainty"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    for col in ("printed", "not_derivable", "duplicate_of", "note"):
        frame[col] = frame[col].fillna("").astype(str)
    return frame


def lookup(entries: Iterable[Mapping[str, Any]], **key: str) -> list[dict]:
    """Entries whose fields equal every ``key=value`` given (e.g. ``sample="PI", quantity="tg"``)."""
    return [dict(e) for e in entries if all(e.get(k) == v for k, v in key.items())]
