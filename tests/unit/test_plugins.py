"""The plug-in contract: every declared technique has a plug-in and a sheet schema, settings dataclasses and
registries agree with the schemas (the schema is the one source of defaults and kinds)."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest
import yaml

from batrepro.plots import PLOTS
from batrepro.readers.formats import FORMATS
from batrepro.techniques import build_settings, load

REPO = Path(__file__).resolve().parents[2]
SCHEMA = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text(encoding="utf-8"))
CONFIG = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))
TECHNIQUES = sorted(CONFIG["samples"])


def _settings_block(technique: str) -> str:
    """The config block a technique reads (its plug-in module may name another in SETTINGS_BLOCK)."""
    return getattr(__import__(f"batrepro.techniques.{technique}", fromlist=["TECHNIQUE"]), "SETTINGS_BLOCK", technique)


@pytest.mark.parametrize("technique", TECHNIQUES)
def test_every_declared_technique_has_a_plugin_and_a_sheet_schema(technique):
    plugin = load(technique)
    assert plugin.name == technique
    assert (REPO / f"workflow/schemas/samples/{technique}.schema.yaml").is_file()
    assert set(plugin.formats) <= set(FORMATS)


@pytest.mark.parametrize("technique", TECHNIQUES)
def test_settings_dataclass_has_exactly_the_schema_keys(technique):
    block = _settings_block(technique)
    props = SCHEMA["properties"].get(block, {}).get("properties", {})
    fields = {f.name for f in dataclasses.fields(load(technique).settings)}
    assert fields == set(props), f"{technique}: dataclass {sorted(fields)} vs schema {block} {sorted(props)}"
    # no defaults in the dataclass: the schema holds them
    assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(load(technique).settings))


def test_unknown_or_missing_settings_are_one_line_errors():
    with pytest.raises(ValueError, match="unknown settings \\['typo'\\], missing settings \\['max_peaks'\\]"):
        build_settings(load("cv").settings, {"prominence_fraction": 0.05, "vertex_margin_V": 0.02, "typo": 1}, "cv")


def test_an_unknown_technique_is_a_one_line_error():
    with pytest.raises(ValueError, match="no technique module batrepro/techniques/xrd.py"):
        load("xrd")


def test_plot_kinds_equal_the_schema_enum():
    enum = SCHEMA["properties"]["figures"]["additionalProperties"]["additionalProperties"]["properties"]["plot"]["enum"]
    assert sorted(PLOTS) == sorted(enum)


def test_table_kinds_equal_the_schema_enum_and_live_in_their_technique():
    enum = SCHEMA["properties"]["tables"]["additionalProperties"]["additionalProperties"]["properties"]["table"]["enum"]
    kinds = [kind for t in TECHNIQUES for kind in load(t).tables]
    assert sorted(kinds) == sorted(enum)
    assert len(kinds) == len(set(kinds))
    for paper, tables in CONFIG["tables"].items():
        for table_id, spec in tables.items():
            assert spec["table"] in load(spec["technique"]).tables, (paper, table_id)


def test_every_plot_kind_has_its_options_in_the_schema():
    """Each plot kind's options are validated (an if/then per kind); a kind without options takes none."""
    figure = SCHEMA["properties"]["figures"]["additionalProperties"]["additionalProperties"]
    covered = [k for rule in figure["allOf"] for k in rule["if"]["properties"]["plot"]["enum"]]
    assert sorted(covered) == sorted(PLOTS)


def test_sheet_schema_formats_equal_the_format_registry():
    def enum(node):
        if "$ref" in node:
            ref_file, _, pointer = node["$ref"].partition("#")
            target = yaml.safe_load((REPO / "workflow/schemas/samples" / ref_file).read_text(encoding="utf-8"))
            for part in pointer.strip("/").split("/"):
                target = target[part]
            return enum(target)
        return node["enum"]

    found = set()
    for path in sorted((REPO / "workflow/schemas/samples").glob("*.schema.yaml")):
        props = yaml.safe_load(path.read_text(encoding="utf-8")).get("properties", {})
        if "format" in props and path.name != "common.schema.yaml":
            found |= set(enum(props["format"]))
            technique = path.name.split(".")[0]
            assert set(enum(props["format"])) == set(load(technique).formats), technique
    assert found == set(FORMATS)


def _schema_default(block: str, name: str):
    props = SCHEMA["properties"][block]["properties"]
    return props[name]["default"] if name in props and "default" in props[name] else inspect.Parameter.empty


@pytest.mark.parametrize(
    "module, block",
    [("dma", "dma"), ("tensile", "tensile"), ("cycling", "cycling"), ("cv", "cv"), ("gitt", "gitt")]
    + [(f"xps.{m}", "xps") for m in ("background", "fit", "quant", "runs")],
)
def test_library_defaults_equal_the_schema_defaults(module, block):
    """A library function called from a notebook gives the workflow's numbers: where a parameter shares a
    schema key's name, its default (if it has one) is the schema's."""
    mod = __import__(f"batrepro.analysis.{module}", fromlist=["x"])
    for name, fn in inspect.getmembers(mod, inspect.isfunction):
        if fn.__module__ != mod.__name__:
            continue
        for param in inspect.signature(fn).parameters.values():
            expected = _schema_default(block, param.name)
            if expected is not inspect.Parameter.empty and param.default is not inspect.Parameter.empty:
                default = list(param.default) if isinstance(param.default, tuple) else param.default
                assert default == expected, f"{module}.{name}({param.name}={param.default!r}), schema {expected!r}"
