"""Each column encoder on its own, with values worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from ganzoo.tabular.encoders import (ColumnEncoder, ContinuousEncoder, DatetimeValues,
                                     IdentifierEncoder, MissingIndicator, ModeEncoder,
                                     NumberValues, OneHotEncoder, QuantileEncoder)


def test_one_hot_round_trips_categories_and_missing_values():
    series = pd.Series(["b", "a", None, "b"], dtype=object)
    encoder = OneHotEncoder.fit("letter", series)
    assert encoder.categories == ["b", "a", "__ganzoo_missing__"]
    assert encoder.frequencies == [0.5, 0.25, 0.25]
    [block] = encoder.transform(series)
    np.testing.assert_array_equal(block, [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]])
    back = encoder.inverse(np.array([[0.1, 0.8, 0.1], [0.2, 0.1, 0.7]]))
    assert back.tolist() == ["a", None]
    assert encoder.index_of("a") == 1 and encoder.parse("b") == "b"
    with pytest.raises(ValueError, match="never occurs"):
        encoder.index_of("z")
    with pytest.raises(ValueError, match="not seen when fitting"):
        encoder.transform(pd.Series(["c"]))
    [span] = encoder.spans()
    assert (span.kind, span.size, span.discrete) == ("onehot", 3, True)


def test_one_hot_keeps_value_types_and_categorical_dtypes():
    numbers = OneHotEncoder.fit("n", pd.Series([3, 1, 3]))
    assert numbers.inverse(np.eye(2)).tolist() == [3, 1]
    levels = pd.Series(pd.Categorical(["lo", "hi"], categories=["lo", "hi"], ordered=True))
    back = OneHotEncoder.fit("level", levels).inverse(np.eye(2)[[1, 0]])
    assert back.dtype == levels.dtype and back.tolist() == ["hi", "lo"]


def test_a_column_of_unique_values_becomes_an_identifier():
    with pytest.warns(UserWarning, match="looks like an identifier"):
        encoder = OneHotEncoder.fit("id", pd.Series([f"x{i}" for i in range(60)]))
    assert isinstance(encoder, IdentifierEncoder) and encoder.spans() == []
    assert encoder.transform(pd.Series(["x1"]), None) == []
    new = encoder.inverse(np.zeros((5, 0)), np.random.default_rng(0))
    assert len(set(new)) == 5 and all(v.startswith("synthetic-") for v in new)


def test_quantile_encoding_by_hand():
    state = QuantileEncoder.fit_state(np.array([0.0, 1.0, 2.0, 3.0]))
    assert state["quantiles"] == [0.0, 1.0, 2.0, 3.0]
    encoder = QuantileEncoder(state)
    # 4 stored points stand at the middles of four equal shares: 1/8, 3/8, 5/8, 7/8
    [block] = encoder.encode(np.array([1.0, 1.5]), np.random.default_rng(0))
    assert block[0, 0] == pytest.approx(-0.31863936396437514 / 4)  # ndtri(3/8) / 4
    assert block[1, 0] == pytest.approx(0.0, abs=1e-12)  # halfway: the median
    np.testing.assert_allclose(encoder.decode(block), [1.0, 1.5], atol=1e-9)
    [span] = encoder.spans("x")
    assert (span.kind, span.size) == ("scalar", 1)


def test_a_point_mass_is_spread_over_its_share():
    encoder = QuantileEncoder(QuantileEncoder.fit_state(np.array([0.0, 0.0, 0.0, 1.0])))
    [block] = encoder.encode(np.zeros(2000), np.random.default_rng(0))
    from scipy.special import ndtr

    u = ndtr(block[:, 0] * 4)
    # three of four stored points are 0: their levels 1/8..5/8, spread uniformly
    assert u.min() >= 0.125 - 1e-9 and u.max() <= 0.625 + 1e-9
    assert abs(u.mean() - 0.375) < 0.01


def test_mode_encoding_by_hand():
    encoder = ModeEncoder({"means": [-1.0, 1.0], "stds": [0.5, 0.5], "weights": [0.5, 0.5]})
    scalar, onehot = encoder.encode(np.array([1.5, -1.0]), np.random.default_rng(0))
    # 1.5 is 1 sd above the second mode (its posterior is ~1): (1.5 - 1) / (4 * 0.5)
    np.testing.assert_allclose(scalar[:, 0], [0.25, 0.0], atol=1e-6)
    np.testing.assert_array_equal(onehot, [[0, 1], [1, 0]])
    block = np.concatenate([scalar, onehot], axis=1)
    np.testing.assert_allclose(encoder.decode(block), [1.5, -1.0], atol=1e-6)
    assert [s.size for s in encoder.spans("x")] == [1, 2]


def test_the_mixture_finds_two_modes():
    rng = np.random.default_rng(0)
    sample = np.concatenate([rng.normal(-2, 0.3, 500), rng.normal(2, 0.3, 500)])
    state = ModeEncoder.fit_state(sample, np.random.default_rng(1), max_modes=10,
                                  weight_threshold=0.005)
    big = np.asarray(state["means"])[np.asarray(state["weights"]) > 0.2]
    assert np.allclose(sorted(big), [-2, 2], atol=0.2)


def test_missing_indicator():
    [block] = MissingIndicator().encode(np.array([False, True]))
    np.testing.assert_array_equal(block, [[1, 0], [0, 1]])
    np.testing.assert_array_equal(MissingIndicator.decode(block), [False, True])


def test_number_and_datetime_values_come_back_in_their_dtype_range_and_resolution():
    state = {"min": 0.0, "max": 10.0, "integer": True, "dtype": "int64"}
    assert NumberValues(state).restore(np.array([-3.0, 4.4, 12.0]), None).tolist() == [0, 4, 10]
    back = NumberValues(state).restore(np.array([1.0, 2.0]), np.array([False, True]))
    assert str(back.dtype) == "Int64" and back.isna().tolist() == [False, True]
    day = 86_400 * 10**9
    state = {"min": 0.0, "max": 10.0 * day, "resolution_ns": day, "tz": "Europe/Paris",
             "dtype": "datetime64[ns, Europe/Paris]"}
    stamps = DatetimeValues(state).restore(np.array([1.4 * day, 30.0 * day]), None)
    assert stamps.dt.tz is not None and str(stamps.dt.tz) == "Europe/Paris"
    assert stamps.dt.tz_convert("UTC").tolist() == [pd.Timestamp("1970-01-02", tz="UTC"),
                                                    pd.Timestamp("1970-01-11", tz="UTC")]


@pytest.mark.parametrize("encoding", ["quantile", "mode"])
def test_a_continuous_column_composes_values_encoding_and_missing_indicator(encoding):
    rng = np.random.default_rng(0)
    values = pd.Series(np.where(rng.random(400) < 0.2, np.nan, rng.normal(10, 2, 400)))
    encoder = ContinuousEncoder.fit("x", values, encoding, np.random.default_rng(0), 10, 0.005)
    kinds = [(s.kind, s.size) for s in encoder.spans()]
    assert kinds[0] == ("scalar", 1) and kinds[-1] == ("onehot", 2)
    assert isinstance(encoder.encoding, QuantileEncoder if encoding == "quantile" else ModeEncoder)
    block = np.concatenate(encoder.transform(values, np.random.default_rng(1)), axis=1)
    back = encoder.inverse(block.astype("float64"), np.random.default_rng(2))
    assert back.isna().tolist() == values.isna().tolist()
    np.testing.assert_allclose(back.dropna(), values.dropna(), rtol=1e-6)
    # the state is plain JSON and rebuilds the same encoder
    again = ColumnEncoder.from_state(encoder.state)
    assert type(again.encoding) is type(encoder.encoding) and again.missing is not None
