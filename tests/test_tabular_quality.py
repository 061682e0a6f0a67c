"""`ganzoo.metrics.score_table`: each score against values worked out by hand."""

import json
import os

import numpy as np
import pandas as pd
import pytest

from ganzoo.metrics import score_table
from ganzoo.tabular import quality


def test_column_shapes_by_hand():
    real = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "c": ["a", "a", "b", "b"]})
    same = quality.column_shapes(real, real, ["c"])
    assert same == {"x": 1.0, "c": 1.0}
    # All synthetic x above every real x: KS statistic 1. Shares (1, 0) vs (1/2, 1/2):
    # total variation 1/2.
    apart = pd.DataFrame({"x": [10.0, 11.0], "c": ["a", "a"]})
    assert quality.column_shapes(real, apart, ["c"]) == {"x": 0.0, "c": 0.5}
    # Half the synthetic values below the real range, half inside: KS 1/2.
    half = pd.DataFrame({"x": [-5.0, -5.0, 1.5, 1.5], "c": ["a", "b", "a", "b"]})
    assert quality.column_shapes(real, half, ["c"])["x"] == pytest.approx(0.5)


def test_pair_trends_by_hand():
    x = np.arange(20.0)
    real = pd.DataFrame({"x": x, "y": 2 * x, "c": ["a", "b"] * 10})
    flipped = pd.DataFrame({"x": x, "y": -x, "c": ["a", "b"] * 10})
    pairs = {tuple(p["columns"]): p for p in quality.pair_trends(real, flipped, ["c"])}
    xy = pairs[("x", "y")]
    # r = 1 in the real table, -1 in the synthetic one: 1 - |1 - (-1)| / 2 = 0.
    assert xy["metric"] == "correlation" and xy["score"] == pytest.approx(0.0)
    assert xy["strong"] and xy["real"] == pytest.approx(1.0)
    # The same joint shares of (x bin, c): contingency similarity 1.
    assert pairs[("x", "c")]["metric"] == "contingency"
    assert pairs[("x", "c")]["score"] == pytest.approx(1.0)
    # c alternates with x's parity; binned x (width 1.9) mixes both: V small, not strong.
    assert not pairs[("x", "c")]["strong"]


def test_contingency_of_two_categories_by_hand():
    real = pd.DataFrame({"a": ["p", "p", "q", "q"], "b": ["u", "u", "v", "v"]})
    # Joint shares real: (p,u) 1/2, (q,v) 1/2; synthetic: (p,u) 1/2, (p,v) 1/2:
    # total variation 1/2, score 1/2. Real Cramer's V is 1: strong.
    synth = pd.DataFrame({"a": ["p", "p", "p", "p"], "b": ["u", "u", "v", "v"]})
    (pair,) = quality.pair_trends(real, synth, ["a", "b"])
    assert pair["score"] == pytest.approx(0.5)
    assert pair["real"] == pytest.approx(1.0) and pair["strong"]


def test_exact_copies_and_distance_to_closest_record_by_hand():
    real = pd.DataFrame({"x": [0.0, 10.0], "c": ["a", "b"]})
    copies = pd.DataFrame({"x": [0.0, 10.0, 0.0, 3.0], "c": ["a", "b", "b", "a"]})
    assert quality.exact_copies(real, copies) == 0.5  # rows 0 and 1
    holdout = pd.DataFrame({"x": [5.0], "c": ["a"]})
    dcr = quality.distance_to_closest_record(real, copies, holdout, ["c"])
    # Gower distances, averaged over the 2 columns: the holdout row is 5/10 from
    # row 0 on x and matches its category: 0.25. Synthetic rows: 0, 0,
    # (0 + 1) / 2 = 0.5 (x matches row 0, category mismatches), 0.3 / 2 = 0.15.
    assert dcr["holdout_mean"] == pytest.approx(0.25)
    assert dcr["synthetic_mean"] == pytest.approx((0 + 0 + 0.5 + 0.15) / 4)
    assert dcr["ratio"] == pytest.approx(0.1625 / 0.25)


def test_missing_values_and_unseen_categories_are_distances_not_errors():
    real = pd.DataFrame({"x": [0.0, 10.0, np.nan], "c": ["a", "b", "a"]})
    synth = pd.DataFrame({"x": [np.nan, 5.0], "c": ["z", "a"]})
    dcr = quality.distance_to_closest_record(real, synth, real, ["c"])
    # NaN matches the real NaN row on x; "z" is a category no real row has: (0+1)/2.
    # 5.0 is half the range from either present value, category "a" matches: 0.25.
    assert dcr["synthetic_mean"] == pytest.approx((0.5 + 0.25) / 2)
    assert dcr["holdout_mean"] == 0.0 and dcr["ratio"] is None


def _separable_table(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    z = rng.normal(size=n)
    return pd.DataFrame({"x": x, "z": z, "kind": np.where(rng.random(n) < 0.5, "u", "v"),
                         "label": np.where(x + 0.1 * z > 0, "yes", "no"),
                         "amount": 3 * x + 0.1 * rng.normal(size=n)})


def test_ml_efficacy_detects_the_task_and_tells_signal_from_noise():
    real, holdout = _separable_table(600, 0), _separable_table(300, 1)
    report = score_table(real, real, target="label", holdout=holdout)
    ml = report["ml_efficacy"]
    assert ml["task"] == "classification" and ml["metric"] == "macro F1"
    assert ml["synthetic_trained"] == ml["real_trained"] > 0.9
    noise = real.assign(label=np.random.default_rng(2).permutation(real["label"].to_numpy()))
    assert score_table(real, noise, target="label",
                       holdout=holdout)["ml_efficacy"]["synthetic_trained"] < 0.65
    regression = score_table(real, real, target="amount", holdout=holdout)["ml_efficacy"]
    assert regression["task"] == "regression" and regression["real_trained"] > 0.9


def test_score_table_summary_and_what_needs_a_holdout():
    real = _separable_table(300, 0)
    report = score_table(real, _separable_table(300, 3))
    assert report["ml_efficacy"] is None and report["distance_to_closest_record"] is None
    assert report["discrete_columns"] == ["kind", "label"]
    assert 0.85 < report["column_shapes"]["score"] <= 1.0
    # Two draws of one distribution: the strong pairs agree, x-amount (r ~ 1) exactly.
    pairs = {tuple(p["columns"]): p for p in report["pair_trends"]["pairs"]}
    assert pairs[("x", "amount")]["strong"] and pairs[("x", "amount")]["score"] > 0.99
    assert pairs[("x", "label")]["strong"] and not pairs[("z", "kind")]["strong"]
    assert report["pair_trends"]["strong_score"] > 0.9
    assert "needs a target and a holdout" in quality.summary(report)
    json.dumps(report)  # JSON-ready as returned


def test_score_table_rejects_bad_input_by_name():
    real = _separable_table(50, 0)
    with pytest.raises(ValueError, match="Unknown target column 'price'"):
        score_table(real, real, target="price")
    with pytest.raises(ValueError, match=r"synthetic table lacks the column\(s\) \['z'\]"):
        score_table(real, real.drop(columns=["z"]))
    with pytest.raises(ValueError, match="holdout table has no rows"):
        score_table(real, real, holdout=real.iloc[:0])
    with pytest.raises(TypeError, match="synthetic must be a pandas DataFrame"):
        score_table(real, real.to_numpy())
    with pytest.raises(ValueError, match=r"unknown column\(s\) \['colour'\]"):
        score_table(real, real, discrete_columns=["colour"])


def test_save_report_writes_json_and_figures_atomically(tmp_path):
    real, holdout = _separable_table(200, 0), _separable_table(100, 1)
    synth = _separable_table(200, 2)
    report = score_table(real, synth, target="label", holdout=holdout)
    folder = tmp_path / "report"
    quality.save_report(report, real, synth, folder)
    assert sorted(os.listdir(folder)) == ["columns.png", "pair_differences.png", "report.json"]
    with open(folder / "report.json") as f:
        assert json.load(f)["ml_efficacy"]["metric"] == "macro F1"
    for name in ("columns.png", "pair_differences.png"):
        assert (folder / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(FileExistsError, match="already exists"):
        quality.save_report(report, real, synth, folder)
    assert sorted(os.listdir(tmp_path)) == ["report"]  # nothing half-written beside it


def test_bins_follow_the_real_range_unless_asked_for_sdmetrics_rule():
    real = pd.DataFrame({"x": np.arange(100.0), "c": ["a"] * 50 + ["b"] * 50})
    # The same joint structure, every x doubled: in the real table's bins the synthetic
    # x fills the top bins only; over its own range (SDMetrics' rule) it looks perfect.
    doubled = real.assign(x=2 * real["x"])
    (pair,) = quality.pair_trends(real, doubled, ["c"])
    (own,) = quality.pair_trends(real, doubled, ["c"], synthetic_bins="own")
    assert own["score"] == pytest.approx(1.0)
    # Real-range bins: half the synthetic rows land in bin 9 (x >= 99 clipped there).
    assert pair["score"] < 0.6
