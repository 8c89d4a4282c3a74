"""config/README.md documents every setting in config/config.yaml and its schema (a drift check)."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
PANELS = ("figures", "tables", "composites", "papers", "samples")


def _keys(schema: dict, prefix: str = ""):
    for key, sub in schema.get("properties", {}).items():
        name = f"{prefix}.{key}" if prefix else key
        if sub.get("type") == "object" and "properties" in sub and key not in PANELS:
            yield from _keys(sub, name)
        else:
            yield name


def test_every_config_key_is_documented():
    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    doc = (REPO / "config/README.md").read_text(encoding="utf-8")
    missing = [k for k in _keys(schema) if f"`{k}" not in doc]
    assert not missing, f"config/README.md does not document {missing}"


def test_every_schema_property_has_a_description():
    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
    missing = []

    def walk(node, path):
        for key, sub in node.get("properties", {}).items():
            if "description" not in sub and "$ref" not in sub:
                missing.append(f"{path}.{key}")
            walk(sub, f"{path}.{key}")

    walk(schema, "")
    assert not missing, missing
