"""Shared fixtures: paths to the repository, the public real instrument files, and simulators."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run (a seed per test), so CI cannot pass or fail
# by luck; a new search is one `--hypothesis-seed=N` or `HYPOTHESIS_PROFILE=explore` away.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``-n 2 --dist loadgroup``, set in pyproject.toml) the tests that share a whole-workflow
    fixture run on one worker, so each of those runs happens once per session; every other test is spread over
    both workers.

    loadgroup reads a test's group from an ``@group`` suffix of its node id, which pytest-xdist 3.8 appends by
    assigning ``item._nodeid``; pytest 9.2's structured node ids ignore that assignment, so the groups were
    silently dropped and each worker built its own full and small run (pytest-dev/pytest-xdist#1386, fix
    pending in #1388). The suffix is set on the structured id here instead."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        group = next((name for name in ("full_run", "small_run") if name in names), None)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
            if config.getvalue("loadgroup") and hasattr(item, "_id") and "@" not in item.nodeid:
                from _pytest.nodeid import NodeId

                item._id = NodeId.parse(f"{item.nodeid}@{group}")


SHARED_PUBLIC = REPO.parent / "shared" / "data" / "public"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def public_data() -> Path:
    """../shared/data/public beside the checkout. Skips only when the folder is absent (a user's clone);
    in CI (CI=true) its absence is an error, so the real-file tests always run there."""
    if not SHARED_PUBLIC.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED_PUBLIC} is missing in CI")
        pytest.skip(f"public instrument files not found at {SHARED_PUBLIC} (clone without ../shared)")
    return SHARED_PUBLIC


def schema_settings(block: str, **overrides) -> dict:
    """A config block's settings as the workflow gets them: the schema's defaults (the only defaults
    there are), with `overrides` on top. Library functions take these; they have no defaults of their own."""
    import yaml

    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    props = schema["properties"][block]["properties"]
    out = {}
    for key, spec in props.items():
        if "default" in spec:
            out[key] = spec["default"]
        elif spec.get("type") == "object" and "properties" in spec:
            out[key] = {k: v["default"] for k, v in spec["properties"].items() if "default" in v}
    out.update(overrides)
    return out
