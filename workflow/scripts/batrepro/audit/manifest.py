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


def compare(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """Human-readable differences, one per file: changed, missing or new."""
    problems = []
    for path in sorted(set(expected) | set(actual)):
        if path not in actual:
            problems.append(f"missing: {path}")
        elif path not in expected:
            problems.append(f"new: {path}")
        elif expected[path] != actual[path]:
            problems.append(f"changed: {path}")
    return problems
