import numpy as np
import pandas as pd
from scipy import stats

from ganzoo.tabular import TabularAugmenter
from ganzoo.tabular.calibration import MarginalCalibrator


def test_quantile_map_gives_the_real_shape_and_keeps_order():
    rng = np.random.default_rng(0)
    real = rng.lognormal(0.0, 1.0, 5000)  # skewed
    generated = rng.normal(2.0, 1.0, 20000)  # the wrong shape entirely
    calibrator = MarginalCalibrator().fit({"x": real}, {"x": generated})
    fresh = rng.normal(2.0, 1.0, 3000)
    mapped = calibrator.apply("x", fresh)
    assert stats.ks_2samp(fresh, real).statistic > 0.3
    assert stats.ks_2samp(mapped, real).statistic < 0.04
    order = np.argsort(fresh)
    assert np.all(np.diff(mapped[order]) >= 0)  # monotone: ranks are kept
    assert real.min() <= mapped.min() and mapped.max() <= real.max()
    # calibrated values lie between real ones, not on them
    assert np.isin(mapped, real).mean() < 0.01


def test_piled_values_spread_missing_pass_and_small_columns_are_left_alone():
    rng = np.random.default_rng(1)
    real = rng.uniform(0, 10, 4000)
    generated = np.where(rng.random(20000) < 0.3, 0.0, rng.uniform(0, 10, 20000))
    calibrator = MarginalCalibrator().fit({"x": real, "few": real[:30]},
                                          {"x": generated, "few": generated})
    fresh = np.where(rng.random(4000) < 0.3, 0.0, rng.uniform(0, 10, 4000))
    fresh[:10] = np.nan
    mapped = calibrator.apply("x", fresh, rng=np.random.default_rng(0))
    assert np.isnan(mapped[:10]).all()
    pile = mapped[10:][fresh[10:] == 0.0]
    assert pile.std() > 0.5  # the pile covers the real range it stands for
    assert stats.ks_2samp(mapped[10:], real).statistic < 0.04
    assert "few" not in calibrator  # 30 values say little about a shape
    np.testing.assert_array_equal(calibrator.apply("few", fresh), fresh)
    # never more than one quantile per 20 training rows
    small = MarginalCalibrator().fit({"x": real[:400]}, {"x": generated})
    assert len(small.maps["x"][0]) == 20
    clone = MarginalCalibrator.from_state(calibrator.get_state())
    np.testing.assert_array_equal(clone.apply("x", fresh[10:2000]),
                                  calibrator.apply("x", fresh[10:2000]))


def test_augmenter_calibration_matches_a_skewed_column():
    rng = np.random.default_rng(0)
    n = 1000
    group = np.where(rng.random(n) < 0.4, "a", "b")
    amount = rng.lognormal(np.where(group == "a", 1.0, 2.0), 0.6)
    score = np.where(rng.random(n) < 0.25, np.nan, rng.normal(0, 1, n))
    df = pd.DataFrame({"group": group, "amount": amount, "score": score})
    def fit(epochs):
        return TabularAugmenter(epochs=epochs, batch_size=100, generator_dims=(64, 64),
                                discriminator_dims=(64, 64), learning_rate=1e-3, seed=0,
                                verbose=False).fit(df)

    def ks(augmenter):
        return stats.ks_2samp(augmenter.sample(4000, seed=1)["amount"], df["amount"]).statistic

    # What the mechanism guarantees, whatever the training run's luck (which oneDNN's
    # rounding changes from one CPU to another): the calibrated column follows the
    # training column's stored quantiles (one per 20 rows: steps of 0.02 in the KS
    # statistic), up to the sampling noise of 4,000 rows against 1,000; even for a
    # generator trained 30 steps, whose own column is far off.
    barely = fit(3)
    calibrated = ks(barely)
    barely.calibrator = None
    raw = ks(barely)
    print(f"KS to the training column after 30 steps: raw {raw:.3f} calibrated {calibrated:.3f}")
    assert raw > 0.1 and calibrated < 0.045
    aug = fit(60)
    assert ks(aug) < 0.045
    synth = aug.sample(4000, seed=1)
    # categories and missing values come at the training frequencies
    assert abs((synth["group"] == "a").mean() - (df["group"] == "a").mean()) < 0.02
    assert abs(synth["score"].isna().mean() - df["score"].isna().mean()) < 0.02
    # the monotone map keeps the relation between the columns
    assert synth.groupby("group")["amount"].median()["a"] < synth["amount"].median()
    # conditions still hold exactly, and the class still moves the amount
    a = aug.sample(500, conditions={"group": "a"}, seed=2)
    b = aug.sample(500, conditions={"group": "b"}, seed=2)
    assert (a["group"] == "a").all() and a["amount"].median() < b["amount"].median()


def test_category_offsets_reach_the_training_frequencies_and_move_only_close_rows():
    rng = np.random.default_rng(2)
    n, target = 20000, np.array([0.6, 0.3, 0.1])
    # A generator whose choices come out 45/40/15 instead of 60/30/10, some sure, some not.
    logits = rng.normal(0, 1.0, (n, 3)) + np.log([0.45, 0.40, 0.15])
    logits[: n // 2] *= 8  # half the rows are confident
    soft = np.exp(logits - logits.max(axis=1, keepdims=True))
    soft /= soft.sum(axis=1, keepdims=True)
    calibrator = MarginalCalibrator().fit_categories({"c": target, ("x", "missing"): [0.8, 0.2]},
                                                     {"c": soft, ("x", "missing"): soft[:, :2]})
    chosen = calibrator.choose("c", soft)
    frequencies = np.bincount(chosen, minlength=3) / n
    assert np.abs(frequencies - target).max() < 0.005
    assert np.abs(np.bincount(soft.argmax(1), minlength=3) / n - target).max() > 0.1
    changed = chosen != soft.argmax(axis=1)
    sure = soft.max(axis=1) > 0.99
    assert changed[sure].mean() < 0.5 * changed[~sure].mean()  # confident rows mostly stay
    missing = np.bincount(calibrator.choose(("x", "missing"), soft[:, :2]), minlength=2) / n
    assert abs(missing[1] - 0.2) < 0.005
    # state is plain JSON, tuple keys included
    import json
    clone = MarginalCalibrator.from_state(json.loads(json.dumps(calibrator.get_state())))
    np.testing.assert_array_equal(clone.choose("c", soft), chosen)
    np.testing.assert_array_equal(clone.choose(("x", "missing"), soft[:, :2]),
                                  calibrator.choose(("x", "missing"), soft[:, :2]))
    np.testing.assert_array_equal(clone.choose("unknown", soft), soft.argmax(axis=1))
