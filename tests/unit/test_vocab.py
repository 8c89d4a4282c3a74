"""The shared vocabulary: condition strings and the long summary row."""

from __future__ import annotations

import math

import pytest

from batrepro.vocab import conditions, summary


def test_parse_format_merge_round_trip():
    assert conditions.parse(" rate=0.2C ; cycle=10 ") == {"rate": "0.2C", "cycle": "10"}
    assert conditions.format({"rate": "0.2C", "cycle": "10"}) == "cycle=10;rate=0.2C"
    assert conditions.merge("rate=1C", cycle=150, reference=None) == "cycle=150;rate=1C"
    assert conditions.parse("") == {} and conditions.format({}) == ""


@pytest.mark.parametrize("bad", ["cycle", "cycle=", "=3", "cycle=1;cycle=2", "a=b=c"])
def test_malformed_conditions_are_errors(bad):
    with pytest.raises(ValueError):
        conditions.parse(bad)


def test_problem_names_non_canonical_strings():
    assert conditions.problem("cycle=1;rate=1C") is None
    assert "not canonical" in conditions.problem("rate=1C;cycle=1")


def test_sort_key_orders_numbers_as_numbers():
    items = ["cycle=10", "cycle=2", "cycle=1;state=x", "state=charged"]
    assert sorted(items, key=conditions.sort_key) == ["cycle=1;state=x", "cycle=2", "cycle=10", "state=charged"]


def test_rows_mean_sd_and_spans():
    r = summary.mean_sd("p", "t", "s", "q", "MPa", [1.0, 2.0, 3.0], "m")
    assert (r.value, r.uncertainty, r.n, r.condition) == (2.0, 1.0, 3, "")
    assert summary.mean_sd("p", "t", "s", "q", "MPa", [5.0], "m").uncertainty is None
    lo, hi = summary.span("p", "t", "range", "°C", [30, 31], [499, 500], "extent")
    assert (lo.condition, lo.value, hi.condition, hi.value) == ("bound=min", 30.0, "bound=max", 500.0)
    assert math.isnan(summary.row("p", "t", "s", "q", "", "", None, "m").value)


def test_a_row_with_a_non_canonical_condition_is_an_error():
    with pytest.raises(ValueError, match="not canonical"):
        summary.row("p", "t", "s", "q", "rate=1C;cycle=1", "", 1.0, "m")


def test_frame_sorts_and_refuses_repeated_keys():
    rows = [summary.row("p", "t", "b", "q", "", "", 2.0, "m"), summary.row("p", "t", "a", "q", "", "", 1.0, "m")]
    df = summary.frame(rows)
    assert list(df.columns) == list(summary.SUMMARY_COLUMNS) and list(df["sample"]) == ["a", "b"]
    with pytest.raises(ValueError, match="2 rows sharing a key"):
        summary.frame(rows + [summary.row("p", "t", "a", "q", "", "", 1.5, "m")])
