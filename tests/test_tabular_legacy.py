"""Augmenters saved by ganzoo 0.5.1 (tests/data/legacy/make_tabular_0.5.1.py wrote them
with main at 0393ad5) load and sample what they sampled then."""

import json
import os

import numpy as np
import pandas as pd
import pytest

from ganzoo.tabular import TabularAugmenter

LEGACY = os.path.join(os.path.dirname(__file__), "data", "legacy")


def _agreement(got, expected):
    """The share of rows on which two columns agree (floats to 1e-3, relative)."""
    if pd.api.types.is_float_dtype(got):
        a, b = got.to_numpy(dtype="float64"), expected.to_numpy(dtype="float64")
        same = np.isclose(a, b, rtol=1e-3, atol=1e-9) | (np.isnan(a) & np.isnan(b))
    else:
        a = got.astype(object).where(got.notna(), "<NA>").astype(str)
        b = expected.astype(object).where(expected.notna(), "<NA>").astype(str)
        same = a.to_numpy() == b.to_numpy()
    return float(np.mean(same))


@pytest.mark.parametrize("encoding", ["quantile", "mode"])
def test_augmenters_saved_by_0_5_load_and_sample_as_then(encoding):
    path = os.path.join(LEGACY, f"tabular_0.5.1_{encoding}")
    augmenter = TabularAugmenter.load(path)
    assert augmenter.transformer.continuous_encoding == encoding
    got = augmenter.sample(200, seed=3)
    with open(os.path.join(path, "expected_dtypes.json")) as f:
        assert {c: str(t) for c, t in got.dtypes.items()} == json.load(f)
    expected = pd.read_csv(os.path.join(path, "expected_sample.csv"))
    assert list(got.columns) == list(expected.columns)
    # identifiers are new on every call; everything else is what 0.5.1 sampled (up to
    # the rounding of another CPU's kernels, which may move a value across a category
    # or rounding boundary now and then)
    assert got["id"].str.startswith("synthetic-").all() and got["id"].is_unique
    for column in expected.columns.drop("id"):
        if pd.api.types.is_datetime64_any_dtype(got[column]):
            got_column = got[column].dt.strftime("%Y-%m-%d")
        else:
            got_column = got[column]
        assert _agreement(got_column, expected[column]) >= 0.97, column
    # the saved table's columns come back with their kinds
    table = pd.read_csv(os.path.join(LEGACY, "tabular_0.5.1_table.csv"))
    assert set(got.columns) == set(table.columns)
