"""Load and validate the registries of reported values (one YAML file per paper).

A registry is a YAML mapping with a ``values:`` list; each entry records one number a paper
prints (the README beside the registries lists the fields and the naming vocabulary).
:func:`load_registry` validates the file against ``workflow/schemas/registry.schema.yaml`` (also
the ``checks:`` and ``findings:`` the consistency audit runs) and raises :class:`ValueError` naming the
file and the entry id on the first problem; :func:`registry_frame` stacks several registries into one
table for the audit.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd
import yaml

from batrepro.vocab import conditions

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
"""Fields every entry must have (plus ``value`` or ``value_min``/``value_max``); the schema is the reference."""

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

SCHEMA = Path(__file__).resolve().parents[3] / "schemas" / "registry.schema.yaml"
"""The JSON schema of a registry file (values, checks, findings)."""


@functools.cache
def _validator(schema: str) -> jsonschema.Draft202012Validator:
    with open(schema, encoding="utf-8") as fh:
        return jsonschema.Draft202012Validator(yaml.safe_load(fh))


def _problem(doc: Any, schema: str) -> tuple[str, str] | None:
    """(label, message) of the first schema violation of ``doc``, or None."""
    errors = sorted(_validator(schema).iter_errors(doc), key=lambda err: list(map(str, err.absolute_path)))
    if not errors:
        return None
    err = errors[0]
    path = list(err.absolute_path)
    label = "file"
    if len(path) >= 2 and isinstance(doc.get(path[0]), list):
        item = doc[path[0]][path[1]]
        label = f"{'entry' if path[0] == 'values' else path[0][:-1]} " + (
            item["id"] if isinstance(item, Mapping) and isinstance(item.get("id"), str) else f"#{path[1]}"
        )
    where = ".".join(map(str, path[2:]))
    return label, (f"{where}: " if where else "") + err.schema.get("errorMessage", err.message)


def load_document(path: str | os.PathLike, schema: str | os.PathLike = SCHEMA) -> dict:
    """Read and validate one registry file against ``schema``; returns ``paper``, ``values``, ``checks``, ``findings``.

    Raises ``ValueError`` naming the file and the entry (or check/finding) id on the first problem:
    a schema violation, a condition that is not canonical, a duplicate id, an entry of another paper,
    or a ``duplicate_of``/``requires`` that points to no entry of the file. Checks and findings get
    the file's ``paper``.
    """
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(doc, Mapping):
        raise ValueError(f"{path}: expected a mapping with a 'values:' list")
    if (bad := _problem(doc, os.fspath(schema))) is not None:
        raise ValueError(f"{path}: {bad[0]}: {bad[1]}")
    paper = doc.get("paper")
    seen: set[str] = set()
    for entry in doc.get("values", []):
        problem = conditions.problem(entry["condition"]) if entry["condition"] else None
        if paper is not None and entry["paper"] != paper:
            problem = f"paper {entry['paper']!r} differs from the file's paper {paper!r}"
        if entry["id"] in seen:
            problem = "duplicate id"
        if problem:
            raise ValueError(f"{path}: entry {entry['id']}: {problem}")
        seen.add(entry["id"])
    for item in doc.get("values", []) + doc.get("findings", []):
        field = "duplicate_of" if "duplicate_of" in item else "requires"
        for ref in [item["duplicate_of"]] if "duplicate_of" in item else item.get("requires", []):
            if ref not in seen:
                raise ValueError(f"{path}: entry {item['id']}: {field} {ref!r} is not an id in this file")
    tag = {"paper": paper} if paper is not None else {}
    return {
        "paper": paper,
        "values": [dict(e) for e in doc.get("values", [])],
        "checks": [dict(c) | tag for c in doc.get("checks", [])],
        "findings": [dict(f) | tag for f in doc.get("findings", [])],
    }


def load_registry(path: str | os.PathLike, schema: str | os.PathLike = SCHEMA) -> list[dict]:
    """Read and validate one registry file (:func:`load_document`); returns its entries, in file order."""
    doc = load_document(path, schema)
    if doc["paper"] is None:
        raise ValueError(f"{os.fspath(path)}: expected a mapping with 'paper:' and a 'values:' list")
    return doc["values"]


def load_documents(paths: Iterable[str | os.PathLike], schema: str | os.PathLike = SCHEMA) -> tuple[list, list, list]:
    """(entries, checks, findings) of several registry files, concatenated in order."""
    docs = [load_document(p, schema) for p in paths]
    return tuple([x for d in docs for x in d[part]] for part in ("values", "checks", "findings"))


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
