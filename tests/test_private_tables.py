"""A private TabularAugmenter (`epsilon=`): the column statistics come from one noisy
release, the generator never sees real conditions, the budget is met and reported, and
nothing derived from the rows reaches the saved files but through the release and
DP-SGD."""

import json
import os

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from ganzoo.tabular import TabularAugmenter, private
from ganzoo.tabular.transformer import DataTransformer

CANARY = "canary-7f3a9c"
OUTLIER = 987654321.5


def _table(rows=1200, seed=0):
    """Numbers that follow a category, a boolean, a column with one odd row."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(["low", "mid", "high"], rows, p=[0.5, 0.3, 0.2])
    level = np.select([kind == "low", kind == "mid"], [10.0, 20.0], 30.0)
    frame = pd.DataFrame({
        "kind": kind,
        "amount": level + rng.normal(0, 2, rows),
        "flag": rng.random(rows) < 0.3,
        "count": rng.integers(0, 50, rows),
        "note": np.where(rng.random(rows) < 0.6, "a", "b").astype(object),
    })
    frame.loc[7, "note"] = CANARY
    frame.loc[11, "amount"] = OUTLIER
    return frame


def test_plan_reads_dtypes_and_declarations_only():
    frame = _table()
    frame["kind"] = frame["kind"].astype("category")
    plan = {c["name"]: c for c in private.plan_columns(
        frame, discrete_columns=["count"], categories={"note": ["a", "b"]},
        bounds={"amount": (0, 40)})}
    assert plan["kind"]["domain"] == ["high", "low", "mid"]  # the Categorical's, public
    assert plan["flag"]["domain"] == [False, True]
    assert plan["count"]["kind"] == "discrete" and plan["count"]["domain"] is None
    assert plan["note"]["domain"] == ["a", "b"]
    assert plan["amount"]["bounds"] == [0.0, 40.0] and plan["amount"]["can_miss"]
    assert not plan["count"].get("can_miss", False)
    for kwargs, message in [({"bounds": {"note": (0, 1)}}, "not a continuous"),
                            ({"bounds": {"amount": (5, 5)}}, "low < high"),
                            ({"categories": {"nope": ["x"]}}, "no such column")]:
        with pytest.raises(ValueError, match=message):
            private.plan_columns(frame, **kwargs)


def test_release_threshold_and_noise_scale():
    # The sparse histogram's threshold: a count of 1 passes with probability delta / k.
    t = private.threshold(noise_std=3.0, delta=1e-6, undeclared=4)
    assert norm.sf((t - 1.0) / 3.0) == pytest.approx(1e-6 / 4, rel=1e-6)
    # 400 declared values of 5 rows each: noisy counts scatter with the noise's spread.
    values = [f"v{i}" for i in range(400)]
    frame = pd.DataFrame({"c": np.repeat(values, 5)})
    plan = private.plan_columns(frame, categories={"c": values})
    (release,), _ = private.measure(frame, plan, noise_std=2.0, threshold=np.inf,
                                    rng=np.random.default_rng(1))
    assert np.std(np.asarray(release["counts"]) - 5.0) == pytest.approx(2.0, rel=0.1)


def test_rare_values_and_outliers_are_not_released():
    frame = _table(rows=3000)
    plan = private.plan_columns(frame)
    release, notes = private.measure(frame, plan, noise_std=2.0,
                                     threshold=private.threshold(2.0, 1e-7, 2),
                                     rng=np.random.default_rng(0))
    released = {r["name"]: r for r in release}
    assert sorted(released["note"]["values"]) == ["a", "b"]  # the canary is below it
    assert "1 rows hold values below the release threshold" in notes["note"]
    encoders = {e.name: e for e in private.encoders_from_release(plan, release, 3000, 2.0)}
    amount = encoders["amount"].state
    # The outlier's octave does not stand out of the noise: the range ends near the data.
    assert 4 <= amount["min"] <= 8 and 32 <= amount["max"] <= 64
    # A public-domain boolean keeps both values; undeclared integers are released ones.
    assert encoders["flag"].state["categories"] == [False, True]
    assert encoders["count"].kind == "continuous"  # not named discrete: a number


def _octave(value):
    return int(private.OCTAVES[private.bin_of(value)])


def _histogram(octave_counts):
    """A noisy histogram with the given count in the first bin of each octave."""
    noisy = np.zeros(private.BINS)
    for value, count in octave_counts.items():
        noisy[private.bin_of(value)] = count
    return noisy


def test_a_column_spread_over_many_octaves_keeps_its_range():
    # noise 5 rows per bin: a run stands clear above 4.5 * 5 * sqrt(8 * width) rows,
    # 63.6 (one octave), 90 (two), 127.3 (four).
    # [4, 8) clears alone; [1, 2) + [2, 4) only together (100 > 90), with [4, 8) not
    # counted again; [8, 16) + [16, 32) hold 25 (< 90): left out.
    noisy = _histogram({1.5: 50, 3: 50, 6: 100, 12: -5, 24: 30})
    assert private.clear_span(noisy, 5.0) == (_octave(1.5), _octave(6))
    # No octave or pair clears (44, 88 < 90); four do (176 > 127.3), and [2, 32)
    # (132) too, but [16, 32) holds nothing: it is not kept.
    noisy = _histogram({0.75: -10, 1.5: 44, 3: 44, 6: 44, 12: 44})
    assert private.clear_span(noisy, 5.0) == (_octave(1.5), _octave(12))
    assert private.clear_span(_histogram({1.5: 20, 3: 20}), 5.0) is None
    # Noise alone: a false range in well under 1% of releases.
    rng = np.random.default_rng(0)
    false = sum(private.clear_span(rng.normal(0, 5.0, private.BINS), 5.0) is not None
                for _ in range(300))
    assert false <= 2


def test_identifier_column_is_left_out():
    frame = pd.DataFrame({"id": [f"user{i}" for i in range(600)],
                          "x": np.random.default_rng(0).normal(size=600)})
    plan = private.plan_columns(frame)
    release, _ = private.measure(frame, plan, 1.0, private.threshold(1.0, 1e-7, 1),
                                 np.random.default_rng(0))
    with pytest.warns(UserWarning, match="treated as an identifier"):
        encoders = private.encoders_from_release(plan, release, 600, 1.0)
    assert encoders[0].kind == "identifier"
    assert release[0]["values"] == []


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    frame = _table()
    augmenter = TabularAugmenter(epsilon=8.0, epochs=6, batch_size=100, seed=3,
                                 generator_dims=(64,), discriminator_dims=(64,),
                                 verbose=False)
    with pytest.warns(UserWarning, match="below the release threshold"):
        augmenter.fit(frame, discrete_columns=["kind"])
    path = str(tmp_path_factory.mktemp("private") / "model")
    augmenter.save(path)
    return frame, augmenter, path


def test_budget_is_met_and_reported(fitted):
    frame, augmenter, _ = fitted
    report = augmenter.privacy_report
    assert report["delta"] == pytest.approx(1 / 1200 ** 1.5)
    assert report["training"]["steps"] == 6 * 12 == report["steps_done"]
    assert int(augmenter.model.d_optimizer.iterations) == 72
    # Spent: all of it, never more (the accountant composes both mechanisms).
    assert 0.97 * 8.0 <= report["epsilon_spent"] <= 8.0 + 1e-6
    assert report["statistics"]["epsilon_alone"] == pytest.approx(0.2 * 8.0, rel=0.01)
    assert report["training"]["epsilon_alone"] < 8.0
    # One count per column per row: the counts' noise is the multiplier x sqrt(5).
    assert report["statistics"]["count_noise_std"] == pytest.approx(
        report["statistics"]["noise_multiplier"] * 5 ** 0.5)
    assert augmenter.model.privacy.max_steps == 72


def test_private_default_schedule_is_steps_or_epochs(monkeypatch):
    from ganzoo.tabular import augmenter as augmenter_module
    from ganzoo.tabular import defaults

    # benefits' 3,900 training rows: 8 steps of 500 per epoch -> 1,000 steps (125 epochs
    # would be fewer); diamonds' 8,000: 16 steps -> 125 epochs, 2,000 steps.
    assert augmenter_module.private_epochs(8) == 125 == augmenter_module.private_epochs(16)
    assert augmenter_module.private_epochs(7) == 143
    assert augmenter_module.private_epochs(1) == 1000
    monkeypatch.setattr(defaults, "PRIVATE_STEPS", 4)
    monkeypatch.setattr(defaults, "PRIVATE_EPOCHS", 3)
    frame = _table(rows=300)[["amount", "kind"]]
    augmenter = TabularAugmenter(epsilon=50, batch_size=100, generator_dims=(16,),
                                 discriminator_dims=(16,), verbose=False).fit(frame)
    assert augmenter.privacy_report["training"]["steps"] == 9  # 3 epochs of 3 steps
    assert len(augmenter.history.history["g_loss"]) == 3


def test_saved_files_hold_only_released_statistics(fitted):
    frame, augmenter, path = fitted
    for name in os.listdir(path):
        with open(os.path.join(path, name), "rb") as f:
            data = f.read()
        assert CANARY.encode() not in data
        assert b"987654321" not in data
    with open(os.path.join(path, "augmenter.json")) as f:
        state = json.load(f)
    saved = state["privacy"]
    # The transformer is a function of the public plan and the release: rebuilt from
    # them alone, it is the saved one.
    rebuilt = private.encoders_from_release(saved["plan"], saved["release"], saved["rows"],
                                            saved["count_noise_std"])
    assert [e.state for e in rebuilt] == state["transformer"]["columns"]
    assert [e.state for e in rebuilt] == augmenter.transformer.columns
    # The generator's conditions come from the released frequencies.
    released = [c["frequencies"] for c in state["transformer"]["columns"]
                if c["kind"] == "discrete"]
    assert state["model_config"]["condition_frequencies"] == released
    # The calibration matches the generator's outputs to the released distributions:
    # its targets are the quantiles of what the rebuilt encoders store, not the rows'.
    loaded = TabularAugmenter.load(path)
    stored = DataTransformer.from_encoders(rebuilt).encoded_numbers(len(frame))
    for name, _, real_quantiles in state["calibrator"]["quantile_maps"]:
        levels = np.linspace(0, 1, len(real_quantiles))
        np.testing.assert_allclose(real_quantiles, np.quantile(stored[name], levels))
    assert not np.allclose(state["calibrator"]["quantile_maps"][0][2], np.quantile(
        frame["amount"].drop(11), np.linspace(0, 1, len(state["calibrator"]["quantile_maps"][0][2]))))
    assert loaded.privacy_report == augmenter.privacy_report
    synthetic = loaded.sample(300, seed=0)
    assert set(synthetic["kind"]) <= {"low", "mid", "high"}
    assert CANARY not in set(synthetic["note"].dropna())
    assert synthetic["amount"].max() < 1000


def test_generator_never_sees_the_batchs_conditions():
    import keras
    import tensorflow as tf

    from ganzoo.core.privacy import DifferentialPrivacy
    from ganzoo.tabular.model import TabularGAN

    start = {}

    def generator_after_step(condition, privacy):
        gan = TabularGAN(spans=[("scalar", 1), ("onehot", 3), ("onehot", 2)],
                         discrete_index=[1, 2, 3, 4, 5], latent_dim=4, generator_dims=(8,),
                         discriminator_dims=(8,), pac=1, seed=0, generator_ema=None,
                         privacy=privacy, condition_frequencies=[[0.2, 0.3, 0.5], [0.9, 0.1]])
        gan.compile(loss="bce")
        for network in (gan.generator, gan.discriminator):  # the same start every time
            weights = start.setdefault(network.name, network.get_weights())
            network.set_weights(weights)
        gan.generator_step(8, tf.constant(condition, tf.float32))
        return keras.ops.convert_to_numpy(gan.generator.trainable_variables[0])

    a = np.eye(5)[[0] * 8]
    b = np.eye(5)[[4] * 8]
    private_a = generator_after_step(a, DifferentialPrivacy(1.0, 1.0))
    private_b = generator_after_step(b, DifferentialPrivacy(1.0, 1.0))
    np.testing.assert_array_equal(private_a, private_b)
    assert not np.array_equal(generator_after_step(a, None), generator_after_step(b, None))


def test_prior_conditions_follow_the_frequencies():
    from ganzoo.tabular.model import TabularGAN

    gan = TabularGAN(spans=[("onehot", 3), ("onehot", 2)], discrete_index=[0, 1, 2, 3, 4],
                     latent_dim=4, generator_dims=(8,), discriminator_dims=(8,), pac=1,
                     seed=0, condition_frequencies=[[0.2, 0.3, 0.5], [0.9, 0.1]])
    cond = gan.prior_conditions(20_000, 5).numpy()
    assert np.all(cond.sum(axis=1) == 1)
    first = cond[:, :3].sum(axis=1) == 1
    assert first.mean() == pytest.approx(0.5, abs=0.02)  # a column uniformly
    np.testing.assert_allclose(cond[first, :3].mean(axis=0), [0.2, 0.3, 0.5], atol=0.02)
    np.testing.assert_allclose(cond[~first, 3:].mean(axis=0), [0.9, 0.1], atol=0.02)


def test_uniform_batches_carry_each_rows_own_condition():
    from ganzoo.tabular.data import dataset_from_arrays
    from ganzoo.tabular.sampler import ConditionalSampler

    frame = pd.DataFrame({"a": list("xyzx") * 25, "b": list("pq") * 50,
                          "v": np.arange(100.0)})
    transformer = DataTransformer(continuous_encoding="quantile").fit(frame)
    matrix = transformer.transform(frame)
    sampler = ConditionalSampler(None, transformer.output_spans,
                                 frequencies=[[0.5, 0.25, 0.25], [0.5, 0.5]])
    rows, cond = next(iter(dataset_from_arrays(matrix, sampler, 100, seed=0, uniform=True)))
    rows, cond = rows.numpy(), cond.numpy()
    # Every row once (an epoch is a permutation), each condition a category it has.
    assert sorted(map(tuple, rows.round(5))) == sorted(map(tuple, matrix.round(5)))
    assert np.all(cond.sum(axis=1) == 1)
    onehots = rows[:, sampler.discrete_data_index()]
    assert np.all((cond * onehots).sum(axis=1) == 1)


@pytest.mark.parametrize("kwargs, message", [
    ({"epsilon": 0}, "epsilon must be a positive"),
    ({"epsilon": 1, "continuous_encoding": "mode"}, "must be \"quantile\""),
    ({"delta": 1e-6}, "give epsilon too"),
    ({"epsilon": 1, "preprocessing_share": 1.0}, "preprocessing_share"),
])
def test_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TabularAugmenter(**kwargs)


def test_budgets_that_cannot_work():
    frame = _table(rows=300)[["amount", "kind"]]
    with pytest.raises(ValueError, match="delta must be below 1 / examples"):
        TabularAugmenter(epsilon=1, delta=0.01, epochs=1, verbose=False).fit(frame)
    with pytest.raises(private.BudgetTooSmall,
                       match=r"Column 'amount'.*bounds=\{'amount'.*roughly epsilon"):
        TabularAugmenter(epsilon=0.05, epochs=1, batch_size=100, verbose=False).fit(frame)
    # Declared bounds need no budget for the range; values outside are clipped and counted.
    with pytest.warns(UserWarning, match="values outside the declared bounds, clipped"):
        augmenter = TabularAugmenter(epsilon=0.05, epochs=1, batch_size=100, verbose=False,
                                     bounds={"amount": (0, 40)},
                                     categories={"kind": ["low", "mid", "high"]}).fit(frame)
    assert augmenter.transformer.column("amount")["max"] == 40.0


def test_command_line_fits_privately_and_audits(tmp_path, capsys):
    from ganzoo import cli

    source = tmp_path / "table.csv"
    _table(rows=600).drop(columns=["note"]).to_csv(source, index=False)
    out, report = tmp_path / "synthetic.csv", tmp_path / "report"
    assert cli.main(["augment", str(source), "--rows", "80", "--out", str(out),
                     "--epsilon", "8", "--epochs", "2", "--batch-size", "100",
                     "--discrete", "kind", "--report", str(report),
                     "--holdout-fraction", "0.25", "--target", "kind", "--quiet"]) == 0
    assert len(pd.read_csv(out)) == 80
    with open(report / "report.json") as f:
        scores = json.load(f)
    audit = scores["privacy_audit"]
    assert 0.0 <= audit["membership_inference"]["auc"] <= 1.0
    assert scores["ml_efficacy"]["task"] == "classification"
    printed = capsys.readouterr().out
    assert "membership inference AUC" in printed
    assert "'kind' is scored, not learned" in printed
    assert cli.main(["augment", str(source), "--balance", "kind", "--out",
                     str(tmp_path / "b.csv"), "--epsilon", "3"]) == 2
    assert "--balance counts each class" in capsys.readouterr().err
