"""One source of defaults for the EIS analysis: the config schema (``eis:`` block).

Every parameter of an EIS analysis function that is a config setting either has no default (the caller
states it: ``drt(penalty_order=)``, ``lin_kk(extend_decades=)``, ``fit_circuit(weights=)``, where the
literature's usual value differs from the workflow's) or has the schema's default, so that a notebook call
gives the workflow's numbers. ``PARAMETERS`` maps (function, parameter) to its schema key; every setting of
the block must be mapped, so a new setting cannot be added without saying which parameters it feeds.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import yaml

from batrepro.analysis.eis import drt, fit, linkk, record

SCHEMA = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"

# (module, function, parameter) -> schema key under eis (dotted)
PARAMETERS = {
    (record, "analyse_spectrum", "fit_weights"): "fit_weights",
    (record, "analyse_spectrum", "drop_inductive"): "drop_inductive",
    (record, "analyse_spectrum", "fit_starts"): "fit_starts",
    (record, "analyse_spectrum", "drt_lambda"): "drt.lambda",
    (record, "analyse_spectrum", "drt_weights"): "drt.weights",
    (record, "analyse_spectrum", "drt_penalty_order"): "drt.penalty_order",
    (record, "analyse_spectrum", "drt_fwhm_coefficient"): "drt.fwhm_coefficient",
    (record, "analyse_spectrum", "drt_inductance"): "drt.inductance",
    (record, "analyse_spectrum", "peak_min_fraction"): "drt.peak_min_fraction",
    (record, "analyse_spectrum", "linkk_c"): "linkk.c",
    (record, "analyse_spectrum", "linkk_threshold"): "linkk.threshold",
    (record, "analyse_spectrum", "linkk_extend_decades"): "linkk.extend_decades",
    (fit, "fit_circuit", "weights"): "fit_weights",
    (drt, "drt", "lam"): "drt.lambda",
    (drt, "drt", "weights"): "drt.weights",
    (drt, "drt", "penalty_order"): "drt.penalty_order",
    (drt, "drt", "fwhm_coefficient"): "drt.fwhm_coefficient",
    (drt, "drt", "inductance"): "drt.inductance",
    (drt, "drt", "peak_min_fraction"): "drt.peak_min_fraction",
    (drt, "drt_penalty", "order"): "drt.penalty_order",
    (drt, "rbf_epsilon", "fwhm_coefficient"): "drt.fwhm_coefficient",
    (drt, "find_peaks", "min_fraction"): "drt.peak_min_fraction",
    (linkk, "lin_kk", "c"): "linkk.c",
    (linkk, "lin_kk", "threshold"): "linkk.threshold",
    (linkk, "lin_kk", "extend_decades"): "linkk.extend_decades",
}
#: parameters that must stay without a default: their usual library value is not the workflow's
REQUIRED = {
    ("fit_circuit", "weights"),
    ("drt", "penalty_order"),
    ("drt_penalty", "order"),
    ("lin_kk", "extend_decades"),
}


def eis_schema_defaults() -> dict[str, object]:
    """Dotted setting -> schema default of the ``eis:`` block, nested blocks included (``drt.lambda``)."""
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))

    def walk(props, prefix):
        out = {}
        for key, spec in props.items():
            if spec.get("type") == "object" and "properties" in spec:
                out.update(walk(spec["properties"], f"{prefix}{key}."))
            elif "default" in spec and key not in ("papers", "models"):
                out[f"{prefix}{key}"] = spec["default"]
        return out

    return walk(schema["properties"]["eis"]["properties"], "")


def eis_settings(block: str) -> dict[str, object]:
    """The schema defaults of one nested block (``linkk`` -> {c, threshold, extend_decades})."""
    return {k.split(".", 1)[1]: v for k, v in eis_schema_defaults().items() if k.startswith(f"{block}.")}


@pytest.mark.parametrize("key", sorted(PARAMETERS, key=lambda k: (k[1], k[2])), ids=lambda k: f"{k[1]}.{k[2]}")
def test_signature_default_is_the_schema_default(key):
    module, function, parameter = key
    param = inspect.signature(getattr(module, function)).parameters[parameter]
    default = eis_schema_defaults()[PARAMETERS[key]]
    if (function, parameter) in REQUIRED:
        assert param.default is inspect.Parameter.empty, f"{function}({parameter}=) must be stated by the caller"
        assert param.kind is inspect.Parameter.KEYWORD_ONLY
    else:
        assert param.default is not inspect.Parameter.empty, f"{function}({parameter}=) has no default"
        assert param.default == default and type(param.default) is type(default), (
            f"{function}({parameter}={param.default!r}) but the schema's eis.{PARAMETERS[key]} defaults to {default!r}"
        )


def test_every_setting_feeds_a_mapped_parameter():
    """A schema setting of ``eis:`` that no analysis parameter is mapped to would escape the test above."""
    assert set(eis_schema_defaults()) == {key for (_, f, _), key in PARAMETERS.items() if f == "analyse_spectrum"}


def test_the_plugin_passes_every_setting():
    """The plug-in states every schema-backed argument, so the workflow never relies on a signature default."""
    source = inspect.getsource(__import__("batrepro.techniques.eis", fromlist=["analyse"]).analyse)
    for (_, function, parameter), _key in PARAMETERS.items():
        if function == "analyse_spectrum":
            assert f"{parameter}=" in source, f"techniques/eis.py does not pass {parameter}"
