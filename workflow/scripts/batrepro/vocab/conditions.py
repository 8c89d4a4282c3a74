"""Condition strings: ``key=value;key=value`` with sorted keys (``cycle=10;rate=0.2C``).

A condition tells apart runs or numbers of one sample (cycle, state, sputter time, site, ...). The
empty string is "no condition". The registry, the sample sheets and the summaries all use this form,
so the audit can join on it as text.
"""

from __future__ import annotations

from collections.abc import Mapping


def parse(text: str | None) -> dict[str, str]:
    """``"cycle=10;rate=0.2C"`` -> ``{"cycle": "10", "rate": "0.2C"}``; spaces around parts are ignored."""
    out: dict[str, str] = {}
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value or "=" in value:
            raise ValueError(f"condition part {part!r} is not key=value")
        if key in out:
            raise ValueError(f"condition {text!r} repeats the key {key!r}")
        out[key] = value
    return out


def format(cond: Mapping[str, object]) -> str:  # noqa: A001 - the inverse of parse, by name
    """The canonical text: keys sorted, values as given (``None`` values are left out)."""
    return ";".join(f"{k}={cond[k]}" for k in sorted(cond) if cond[k] is not None)


def merge(base: str | None, **extra: object) -> str:
    """``base`` with ``extra`` keys added or replaced (``None`` leaves a key out)."""
    cond: dict[str, object] = dict(parse(base))
    cond.update({k: str(v) for k, v in extra.items() if v is not None})
    return format(cond)


def problem(text: str) -> str | None:
    """Why ``text`` is not a canonical condition string, or None when it is."""
    try:
        cond = parse(text)
    except ValueError as err:
        return str(err)
    if format(cond) != text:
        return f"condition {text!r} is not canonical (keys sorted, no spaces): {format(cond)!r}"
    return None


def sort_key(text: str | None) -> tuple:
    """Sort key: numeric values compare as numbers (``cycle=2`` before ``cycle=10``)."""
    key = []
    for k, v in parse(text).items():
        try:
            key.append((k, 0, float(v), ""))
        except ValueError:
            key.append((k, 1, 0.0, v))
    return tuple(key)
