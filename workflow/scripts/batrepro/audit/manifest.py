"""Checksum manifest of results/ and its comparison with an expected one."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest_text(files: list[str], root: str | os.PathLike) -> str:
    """`sha256  path` lines (path relative to root), sorted by path, like sha256sum's output."""
    root = Path(root)
    lines = sorted(f"{sha256(f)}  {Path(f).relative_to(root).as_posix()}" for f in files)
    return "\n".join(lines) + "\n"


def parse_manifest(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if line.strip():
            digest, _, path = line.partition("  ")
            out[path] = digest
    return out


def tree_manifest(root: str | os.PathLike, skip: tuple[str, ...] = ("manifest.sha256",)) -> dict[str, str]:
    """path (relative to root) -> sha256 of every file under ``root`` now, except the names in ``skip``:
    what is really on disk, so a missing, extra or changed file is seen whatever a manifest file says."""
    root = Path(root)
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.relative_to(root).as_posix() not in skip)
    return {p.relative_to(root).as_posix(): sha256(p) for p in files}


def compare(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """Human-readable differences, one per file: changed, missing, or extra (a file the expected manifest
    does not list: an output a config change added, or a stale file from an earlier configuration)."""
    problems = []
    for path in sorted(set(expected) | set(actual)):
        if path not in actual:
            problems.append(f"missing: {path}")
        elif path not in expected:
            problems.append(f"extra: {path}")
        elif expected[path] != actual[path]:
            problems.append(f"changed: {path}")
    return problems
