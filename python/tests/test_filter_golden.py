"""The filter contract both clients are held to: test/golden/filters.json (also loaded by
test/api/filter-golden.test.ts). Same trees, same errors at the same columns."""

import json
import pathlib

import pytest

from mldb import FilterSyntaxError
from mldb.filter import ast_to_json, parse_filter, parse_order_by
from mldb.filter_resolve import resolve_filter, resolve_order_by

GOLDEN = json.loads((pathlib.Path(__file__).parents[2] / "test" / "golden" / "filters.json").read_text("utf-8"))
NAMES = GOLDEN["names"]


def lookup(key):
    return {"param": key in NAMES["params"], "series": key in NAMES["series"]}


def outcome(run):
    try:
        return {"ast": json.loads(ast_to_json(run()))}
    except FilterSyntaxError as e:
        return {"error": {"column": e.column, "message": str(e)}}


def _id(text):
    return text if len(text) <= 60 else text[:60] + "..."


def _strict(v):
    """True is not 1 here: JSON tells them apart, so must the comparison."""
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, dict):
        return {k: _strict(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_strict(x) for x in v]
    return v


@pytest.mark.parametrize("case", GOLDEN["filters"], ids=[_id(c["filter"]) for c in GOLDEN["filters"]])
def test_filter(case):
    expected = {k: v for k, v in case.items() if k in ("ast", "error")}
    text = case["filter"]
    assert _strict(outcome(lambda: resolve_filter(parse_filter(text), lookup, text))) == _strict(expected)
    if "parsed" in case:
        assert _strict(outcome(lambda: parse_filter(text))["ast"]) == _strict(case["parsed"])


@pytest.mark.parametrize("case", GOLDEN["orderBy"], ids=[_id(c["orderBy"]) for c in GOLDEN["orderBy"]])
def test_order_by(case):
    expected = {k: v for k, v in case.items() if k in ("ast", "error")}
    text = case["orderBy"]
    assert _strict(outcome(lambda: resolve_order_by(parse_order_by(text), lookup, text))) == _strict(expected)
