import os
import warnings

import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from ganzoo.tabular import ConditionalSampler, DataTransformer, TabularAugmenter, TabularGAN
from ganzoo.tabular.networks import SpanActivation


def make_table(n=400, seed=0):
    """Mixed types, missing values, a rare class, strings with leading spaces."""
    rng = np.random.default_rng(seed)
    label = np.where(rng.random(n) < 0.15, " rare", " common")
    bimodal = np.where(rng.random(n) < 0.5, rng.normal(-5, 0.5, n), rng.normal(5, 0.5, n))
    income = np.where(label == " rare", rng.normal(80, 5, n), rng.normal(30, 5, n))
    with_gaps = rng.normal(0, 1, n)
    with_gaps[rng.random(n) < 0.2] = np.nan
    colour = rng.choice(["red", "green", None], n, p=[0.5, 0.4, 0.1])
    return pd.DataFrame({
        "age": rng.integers(18, 91, n).astype("int64"),
        "bimodal": bimodal,
        "label": label,
        "income": income.astype("float32"),
        "with_gaps": with_gaps,
        "colour": pd.Series(colour, dtype=object),
        "member": rng.random(n) < 0.3,
        "size": pd.Categorical(rng.choice(["S", "M", "L"], n), categories=["S", "M", "L"]),
        "joined": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 1000, n), "D"),
    })


# ---------------------------------------------------------------- transformer


def test_transformer_round_trip_restores_values_types_and_order():
    df = make_table()
    t = DataTransformer(seed=0).fit(df)
    kinds = {m["name"]: m["kind"] for m in t.columns}
    assert kinds == {"age": "continuous", "bimodal": "continuous", "label": "discrete",
                     "income": "continuous", "with_gaps": "continuous", "colour": "discrete",
                     "member": "discrete", "size": "discrete", "joined": "continuous"}
    matrix = t.transform(df)
    assert matrix.shape == (len(df), t.output_dim) and matrix.dtype == np.float32
    back = t.inverse_transform(matrix)
    assert list(back.columns) == list(df.columns)
    assert back.dtypes.to_dict() == df.dtypes.to_dict()
    for col in ("label", "colour", "member", "size"):
        pd.testing.assert_series_equal(back[col], df[col], check_names=False)
    assert set(back["label"]) == {" rare", " common"}  # leading spaces kept
    np.testing.assert_array_equal(back["age"], df["age"])
    np.testing.assert_allclose(back["bimodal"], df["bimodal"], atol=1e-6)
    np.testing.assert_allclose(back["income"], df["income"], rtol=1e-5)
    np.testing.assert_array_equal(back["with_gaps"].isna(), df["with_gaps"].isna())
    np.testing.assert_allclose(back["with_gaps"].dropna(), df["with_gaps"].dropna(), atol=1e-6)
    assert (back["joined"] - df["joined"]).abs().max() <= pd.Timedelta("1us")


def test_mixture_finds_the_modes():
    df = make_table(n=2000)
    meta = DataTransformer(seed=0, continuous_encoding="mode").fit(df).column("bimodal")
    means = np.asarray(meta["means"]) * meta["scale"] + meta["center"]
    weights = np.asarray(meta["weights"])
    assert abs(weights.sum() - 1) < 1e-9 and np.all(weights > 0.005)
    big = means[weights > 0.2]
    assert len(big) == 2 and np.allclose(sorted(big), [-5, 5], atol=0.5)


def test_integers_stay_integers_inside_the_observed_range():
    df = make_table()
    t = DataTransformer(seed=0).fit(df)
    spread = np.random.default_rng(1).uniform(-1, 1, size=(50, t.output_dim))
    back = t.inverse_transform(spread)
    assert back["age"].dtype == np.int64
    assert back["age"].between(df["age"].min(), df["age"].max()).all()


def test_discrete_override_and_errors():
    df = make_table()
    t = DataTransformer().fit(df, discrete_columns=["age"])
    assert t.column("age")["kind"] == "discrete"
    with pytest.raises(ValueError, match="unknown column"):
        DataTransformer().fit(df, discrete_columns=["nope"])
    with pytest.raises(ValueError, match="never occurs in column 'label'"):
        t.category_index("label", "rare")  # without the leading space
    with pytest.raises(ValueError, match="continuous"):
        t.category_index("income", 30.0)


@pytest.mark.parametrize("frame,message", [
    (pd.DataFrame(), "no columns"),
    (pd.DataFrame({"a": []}), "no rows"),
    (pd.DataFrame({"a": [1.0, 2.0], "b": [np.nan, np.nan]}), "'b' is entirely missing"),
    (pd.DataFrame({"a": [1.0, np.inf, 3.0] * 10}), "'a' contains infinite"),
    (pd.DataFrame({"a": pd.Series(["x", 1, 2.5] * 10, dtype=object)}), "'a' mixes types"),
])
def test_bad_tables_name_the_problem(frame, message):
    with pytest.raises(ValueError, match=message):
        DataTransformer().fit(frame)


def test_single_value_and_identifier_columns():
    n = 300
    df = pd.DataFrame({"const": [7.0] * n, "flag": ["on"] * n,
                       "id": [f"user-{i}" for i in range(n)], "x": np.arange(n, dtype=float)})
    with pytest.warns(UserWarning, match="'id' looks like an identifier"):
        t = DataTransformer().fit(df)
    assert t.output_dim < 20  # the identifier is not one-hot encoded
    back = t.inverse_transform(t.transform(df))
    assert (back["const"] == 7.0).all() and (back["flag"] == "on").all()
    assert back["id"].is_unique and not set(back["id"]) & set(df["id"])


def test_state_is_plain_json_and_restores():
    import json

    df = make_table()
    t = DataTransformer(seed=0).fit(df)
    clone = DataTransformer.from_state(json.loads(json.dumps(t.get_state())))
    matrix = t.transform(df)
    pd.testing.assert_frame_equal(clone.inverse_transform(matrix), t.inverse_transform(matrix))


# -------------------------------------------------------------------- sampler


def test_training_by_sampling_uses_log_frequency_and_matching_rows():
    df = pd.DataFrame({"c": ["a"] * 990 + ["b"] * 10, "x": np.arange(1000.0)})
    t = DataTransformer(seed=0).fit(df)
    matrix = t.transform(df)
    sampler = ConditionalSampler(matrix, t.output_spans, seed=0)
    cond, rows = (t.numpy() for t in sampler.sample_training(20_000, seed=[0, 1]))
    rare = cond[:, 1].mean()
    expected = np.log(11) / (np.log(991) + np.log(11))  # ~0.26, vs 0.01 in the data
    assert abs(rare - expected) < 0.02
    assert np.all(matrix[rows][:, :2].argmax(1) == cond.argmax(1))  # rows agree
    assert len(np.unique(rows[cond[:, 1] == 1])) == 10  # every rare row gets drawn
    assert len(np.unique(rows[cond[:, 0] == 1])) > 900
    again, _ = sampler.sample_training(20_000, seed=[0, 1])
    other, _ = sampler.sample_training(20_000, seed=[0, 2])
    np.testing.assert_array_equal(again.numpy(), cond)
    assert not np.array_equal(other.numpy(), cond)
    original = sampler.sample_original(20_000)
    assert abs(original[:, 1].mean() - 0.01) < 0.005
    np.testing.assert_array_equal(sampler.condition_on("c", 1, 3), [[0, 1]] * 3)


def test_training_dataset_draws_agreeing_reproducible_batches():
    from ganzoo.tabular.data import dataset_from_arrays, steps_per_epoch

    def training_dataset(matrix, sampler, batch_size, seed=0):
        return (dataset_from_arrays(matrix, sampler, batch_size, seed),
                steps_per_epoch(len(matrix), batch_size))

    rng = np.random.default_rng(0)
    df = pd.DataFrame({"c": rng.choice(["a", "b", "c"], 300, p=[0.8, 0.15, 0.05]),
                       "d": rng.choice(["u", "v", "w", "x", "y"], 300), "x": rng.normal(size=300)})
    t = DataTransformer(seed=0).fit(df)
    matrix = t.transform(df)
    sampler = ConditionalSampler(matrix, t.output_spans, seed=0)
    ds, steps = training_dataset(matrix, sampler, 50, seed=3)
    assert steps == 6
    batches = list(ds.take(40).as_numpy_iterator())
    rows = np.concatenate([b[0] for b in batches])
    cond = np.concatenate([b[1] for b in batches])
    assert rows.shape == (2000, matrix.shape[1]) and cond.shape == (2000, 8)
    discrete = sampler.discrete_data_index()
    asked = cond.argmax(1)
    assert np.all(rows[np.arange(2000), discrete[asked]] == 1)  # each row has its category
    assert abs((asked < 3).mean() - 0.5) < 0.05  # a column uniformly
    again = next(iter(training_dataset(matrix, sampler, 50, seed=3)[0]))
    np.testing.assert_array_equal(again[0].numpy(), batches[0][0])
    # no discrete column: shuffled rows, each row once per pass over the table
    plain = pd.DataFrame({"x": rng.normal(size=120)})
    t = DataTransformer(seed=0).fit(plain)
    matrix = t.transform(plain)
    ds, steps = training_dataset(matrix, ConditionalSampler(matrix, t.output_spans), 40)
    first = np.concatenate(list(ds.take(3).as_numpy_iterator()))
    assert len(np.unique(first, axis=0)) == 120


def test_training_rows_are_the_tables_rows_however_it_is_copied_in(monkeypatch, mirrored):
    from ganzoo.tabular import data

    monkeypatch.setattr(data, "FILL_ROWS", 7)  # 15 chunks, the last one partial
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"c": rng.choice(["a", "b"], 101), "x": rng.normal(size=101)})
    t = DataTransformer(seed=0).fit(df)
    matrix = t.transform(df)
    sampler = ConditionalSampler(matrix, t.output_spans, seed=0)
    batches = list(data.dataset_from_arrays(matrix, sampler, 50, seed=1)
                   .take(8).as_numpy_iterator())
    rows = np.concatenate([b[0] for b in batches])
    found = (rows[:, None, :] == matrix[None]).all(axis=2)  # [drawn, table row]
    assert found.any(axis=1).all()  # every drawn row is exactly a row of the table
    assert found[:, 98:].any()  # and the last, partial chunk was copied in too
    # Under a distribution strategy the table is a constant, not a (mirrored) variable:
    # the same batches.
    with mirrored.scope():
        inside = next(iter(data.dataset_from_arrays(matrix, sampler, 50, seed=1)))
    np.testing.assert_array_equal(inside[0].numpy(), batches[0][0])


# ---------------------------------------------------------------------- model


def test_span_activation_keeps_every_span_in_place():
    # spans of different widths (so the padded block has padding), scalars between them
    spans = [("onehot", 3), ("scalar", 1), ("onehot", 1), ("onehot", 5), ("scalar", 1)]
    layer = SpanActivation(spans, seed=0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(6, 11)).astype("float32")
    hot = {0: rng.integers(0, 3, 6), 4: np.zeros(6, int), 5: rng.integers(0, 5, 6)}
    for start, choice in hot.items():
        x[np.arange(6), start + choice] += 60.0  # beats any Gumbel draw at tau 0.2
    with tf.GradientTape() as tape:
        xt = tf.constant(x)
        tape.watch(xt)
        y = layer(xt)
        loss = tf.reduce_sum(y * tf.constant(rng.normal(size=(6, 11)), tf.float32))
    y = y.numpy()
    np.testing.assert_allclose(y[:, [3, 10]], np.tanh(x[:, [3, 10]]), rtol=1e-6)
    for start, width in [(0, 3), (4, 1), (5, 5)]:
        expected = np.eye(width)[hot[start]]
        np.testing.assert_allclose(y[:, start:start + width], expected, atol=1e-6)
    grad = tape.gradient(loss, xt).numpy()
    assert np.all(np.isfinite(grad)) and np.all(grad[:, [3, 10]] != 0)
    # the same layer on milder logits: every span is a distribution of its own
    soft = layer(tf.constant(rng.normal(size=(6, 11)).astype("float32"))).numpy()
    for start, width in [(0, 3), (4, 1), (5, 5)]:
        np.testing.assert_allclose(soft[:, start:start + width].sum(1), 1, rtol=1e-5)
    assert np.all(soft[:, [0, 1, 2, 4, 5, 6, 7, 8, 9]] >= 0)


def test_generator_output_spans_and_conditional_penalty():
    spans = [("scalar", 1), ("onehot", 3), ("onehot", 2)]
    gan = TabularGAN(spans, discrete_index=[4, 5], latent_dim=8, generator_dims=(16,),
                     discriminator_dims=(16,), pac=2, seed=0)
    cond = np.array([[1, 0], [0, 1], [1, 0], [0, 1]], "float32")
    rows = gan.generate_rows(cond, seed=0)
    assert rows.shape == (4, 6)
    assert np.all(np.abs(rows[:, 0]) < 1)
    np.testing.assert_allclose(rows[:, 1:4].sum(1), 1, rtol=1e-5)
    np.testing.assert_allclose(rows[:, 4:6].sum(1), 1, rtol=1e-5)
    assert [t.name for t in gan.domain_terms()] == ["condition_loss"]
    penalty = gan.domain_terms()[0].per_row(tf.constant(rows), tf.constant(cond)).numpy()
    chosen = np.where(cond[:, 0] == 1, rows[:, 4], rows[:, 5])
    np.testing.assert_allclose(penalty, -np.log(chosen + 1e-8), rtol=1e-4)
    assert gan.discriminator([rows, cond]).shape == (2, 1)  # 4 rows packed by 2


# ------------------------------------------------------------------ augmenter


@pytest.fixture(scope="module")
def fitted():
    df = make_table(n=600)
    aug = TabularAugmenter(epochs=40, batch_size=50, generator_dims=(64, 64),
                           discriminator_dims=(64, 64), learning_rate=1e-3, seed=0,
                           verbose=False)
    return df, aug.fit(df)


def test_fit_learns_the_columns(fitted):
    df, aug = fitted
    synth = aug.sample(600, seed=0)
    assert list(synth.columns) == list(df.columns)
    assert synth.dtypes.to_dict() == df.dtypes.to_dict()
    # the generator learned the marginals, not just the types
    assert abs(synth["income"].mean() - df["income"].mean()) < 10
    assert 0.05 < synth["with_gaps"].isna().mean() < 0.4  # missing values come back
    assert synth["bimodal"].abs().between(3, 7).mean() > 0.6  # two modes, not one blob
    history = aug.history.history
    assert len(history["d_loss"]) == 40 and np.all(np.isfinite(history["g_loss"]))
    assert aug.model.get_compile_config()["share_fakes"] is True  # the default


def test_conditions_hold_exactly(fitted):
    df, aug = fitted
    rows = aug.sample(50, conditions={"label": " rare", "member": True}, seed=1)
    assert len(rows) == 50
    assert (rows["label"] == " rare").all() and rows["member"].all()
    with pytest.raises(ValueError, match="Unknown column 'nope'"):
        aug.sample(5, conditions={"nope": 1})
    with pytest.raises(ValueError, match="never occurs"):
        aug.sample(5, conditions={"label": "unseen"})
    with pytest.raises(ValueError, match="continuous"):
        aug.sample(5, conditions={"income": 3.0})


def test_conditioning_moves_the_related_column():
    """Income depends on the class; asking for a class must bring its incomes."""
    rng = np.random.default_rng(0)
    label = np.where(rng.random(1000) < 0.3, "rare", "common")
    income = np.where(label == "rare", rng.normal(80, 5, 1000), rng.normal(30, 5, 1000))
    df = pd.DataFrame({"label": label, "income": income})
    aug = TabularAugmenter(epochs=80, batch_size=100, generator_dims=(64, 64),
                           discriminator_dims=(64, 64), learning_rate=1e-3, seed=0,
                           verbose=False).fit(df)
    rare = aug.sample(500, conditions={"label": "rare"}, seed=1)["income"]
    common = aug.sample(500, conditions={"label": "common"}, seed=1)["income"]
    assert (rare > 55).mean() > 0.75 and (common < 55).mean() > 0.75
    overall = aug.sample(2000, seed=2)
    assert abs((overall["label"] == "rare").mean() - 0.3) < 0.08  # the data's proportion


def test_seeded_fits_and_samples_repeat():
    df = make_table(n=200)

    def run():
        aug = TabularAugmenter(epochs=2, batch_size=100, generator_dims=(16,),
                               discriminator_dims=(16,), seed=5, verbose=False).fit(df)
        return aug.sample(20, seed=3)

    pd.testing.assert_frame_equal(run(), run())


def test_augment_balances_the_target(fitted):
    df, aug = fitted
    out = aug.augment(df, target="label", balance=True, seed=0)
    counts = out["label"].value_counts()
    assert counts[" rare"] == counts[" common"] == df["label"].value_counts().max()
    pd.testing.assert_frame_equal(out.iloc[:len(df)], df)  # the real rows come first
    more = aug.augment(df, n_rows=25)
    assert len(more) == len(df) + 25
    with pytest.raises(ValueError, match="needs target"):
        aug.augment(df, balance=True)


def test_save_and_load_without_pickle(tmp_path, fitted):
    df, aug = fitted
    path = tmp_path / "augmenter"
    aug.save(path)
    assert sorted(os.listdir(path)) == ["augmenter.json", "model.weights.h5"]
    loaded = TabularAugmenter.load(path)
    pd.testing.assert_frame_equal(loaded.sample(30, seed=4), aug.sample(30, seed=4))
    with pytest.raises(FileExistsError):
        aug.save(path)
    with pytest.raises(FileNotFoundError, match="not a saved TabularAugmenter"):
        TabularAugmenter.load(tmp_path)


def test_small_tables_and_bad_settings():
    with pytest.raises(ValueError, match="multiple of pac"):
        TabularAugmenter(batch_size=55)
    df = make_table(n=45)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        aug = TabularAugmenter(epochs=1, generator_dims=(8,), discriminator_dims=(8,),
                               verbose=False).fit(df)
    assert any("using 40" in str(w.message) for w in caught)
    assert len(aug.sample(3)) == 3
    with pytest.raises(ValueError, match="not fitted"):
        TabularAugmenter().sample(3)


def test_sample_with_a_seed_is_the_same_every_time_and_after_save_load(tmp_path):
    rng = np.random.default_rng(0)
    n = 300
    df = pd.DataFrame({
        "id": [f"user-{i:05d}" for i in rng.permutation(n)],   # identifier: new values drawn
        "plan": rng.choice(["a", "b", "c"], n, p=[0.6, 0.3, 0.1]),
        "score": rng.integers(0, 4, n).astype("float64") * 10.0,  # ties for the calibration
        "amount": rng.gamma(2.0, 3.0, n),
    })
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the identifier column's notice
        aug = TabularAugmenter(epochs=2, batch_size=100, generator_dims=(16,),
                               discriminator_dims=(16,), seed=0, verbose=False).fit(df)
    first = aug.sample(200, seed=7)
    pd.testing.assert_frame_equal(aug.sample(200, seed=7), first)
    assert first["id"].str.startswith("synthetic-").all()
    assert not aug.sample(200, seed=8).equals(first)
    conditioned = aug.sample(50, conditions={"plan": "c"}, seed=3)
    pd.testing.assert_frame_equal(aug.sample(50, conditions={"plan": "c"}, seed=3), conditioned)
    aug.save(tmp_path / "aug")
    loaded = TabularAugmenter.load(tmp_path / "aug")
    pd.testing.assert_frame_equal(loaded.sample(200, seed=7), first)
    pd.testing.assert_frame_equal(loaded.sample(50, conditions={"plan": "c"}, seed=3),
                                  conditioned)


def test_conditions_parse_from_text_as_the_column_stores_them():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"n": rng.integers(0, 3, 200), "s": rng.choice([" x", "y"], 200),
                       "v": rng.normal(size=200)})
    t = DataTransformer(seed=0).fit(df, discrete_columns=["n", "s"])
    assert t.parse_condition("n=2") == ("n", 2) and isinstance(t.parse_condition("n=2")[1],
                                                               (int, np.integer))
    assert t.parse_condition("s= x") == ("s", " x")
    with pytest.raises(ValueError, match="never occurs in column 's'"):
        t.parse_condition("s=x")
    with pytest.raises(ValueError, match="continuous"):
        t.parse_condition("v=1")
    with pytest.raises(ValueError, match="COLUMN=VALUE"):
        t.parse_condition("n")


def test_quantile_encoding_is_a_gaussian_copula_that_round_trips():
    df = make_table()
    t = DataTransformer(seed=0, continuous_encoding="quantile").fit(df)
    # One scalar per continuous column (plus the missing indicator), no mode one-hots.
    spans = [(s.column, s.kind, s.size) for s in t.output_spans]
    assert ("age", "scalar", 1) in spans and ("with_gaps", "onehot", 2) in spans
    assert [s for s in spans if s[0] == "bimodal"] == [("bimodal", "scalar", 1)]
    matrix = t.transform(df)
    back = t.inverse_transform(matrix)
    # 400 rows: every value is a point of the stored distribution, so values come back.
    np.testing.assert_array_equal(back["age"], df["age"])
    # (to the float32 matrix's precision)
    np.testing.assert_allclose(back["bimodal"], df["bimodal"], atol=1e-5)
    np.testing.assert_array_equal(back["with_gaps"].isna(), df["with_gaps"].isna())
    np.testing.assert_allclose(back["with_gaps"].dropna(), df["with_gaps"].dropna(), atol=1e-5)
    assert (back["joined"] - df["joined"]).abs().max() <= pd.Timedelta("1us")
    # The state is JSON and keeps the encoding.
    again = DataTransformer.from_state(t.get_state())
    assert again.continuous_encoding == "quantile"
    np.testing.assert_allclose(again.inverse_transform(matrix)["bimodal"], back["bimodal"])


def test_quantile_encoding_makes_skewed_columns_normal_and_keeps_their_ranks():
    rng = np.random.default_rng(0)
    x = rng.lognormal(0, 1.5, 20_000)
    df = pd.DataFrame({"x": x, "y": np.sqrt(x) + rng.normal(0, 0.01, len(x)),
                       "k": rng.integers(0, 60, len(x))})  # 60 tied values: point masses
    t = DataTransformer(seed=0, continuous_encoding="quantile").fit(df)
    matrix = t.transform(df)
    z = matrix[:, 0] * 4  # the encoded x, a standard normal
    assert abs(z.mean()) < 0.02 and abs(z.std() - 1) < 0.02
    assert abs(np.mean(z ** 3)) < 0.05  # no skew left (lognormal's is ~33)
    # Ties get random places within their share: the encoded k is spread, not spiky.
    k = matrix[:, 2] * 4
    assert len(np.unique(k)) > 10_000 and abs(k.std() - 1) < 0.03
    # A monotone relation becomes a near-perfect linear one.
    assert np.corrcoef(matrix[:, 0], matrix[:, 1])[0, 1] > 0.99
    # 20,000 rows are kept as 1,001 quantiles: values come back within a small step.
    back = t.inverse_transform(matrix)
    np.testing.assert_array_equal(back["k"], df["k"])
    inner = (x > np.quantile(x, 0.01)) & (x < np.quantile(x, 0.99))
    assert np.max(np.abs(back["x"].to_numpy() - x)[inner] / x.std()) < 0.01


def test_unknown_continuous_encoding_is_refused():
    with pytest.raises(ValueError, match="continuous_encoding must be one of"):
        DataTransformer(continuous_encoding="copula")


def test_quantile_encoded_augmenter_learns_a_monotone_relation_and_saves_it(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.lognormal(0, 1, 1000)
    df = pd.DataFrame({"x": x, "y": np.sqrt(x) * (1 + 0.05 * rng.normal(size=1000)),
                       "kind": np.where(x > 1, "big", "small")})
    aug = TabularAugmenter(epochs=150, batch_size=100, generator_dims=(64, 64),
                           discriminator_dims=(64, 64), learning_rate=1e-3, seed=0,
                           continuous_encoding="quantile", verbose=False).fit(df)
    assert aug.transformer.continuous_encoding == "quantile"
    synth = aug.sample(1000, seed=1)
    # x and y move together (Spearman's rank correlation is 0.99 in the data, 0 when the
    # columns are generated independently; this seed gives 0.74, and 0.57 with "mode"),
    # and "kind" follows x.
    assert synth[["x", "y"]].corr(method="spearman").iloc[0, 1] > 0.6
    assert (synth.loc[synth["kind"] == "big", "x"] > 0.8).mean() > 0.8
    aug.save(tmp_path / "aug")
    again = TabularAugmenter.load(tmp_path / "aug")
    assert again.params["continuous_encoding"] == "quantile"
    pd.testing.assert_frame_equal(again.sample(50, seed=2), aug.sample(50, seed=2))


def test_default_schedule_is_300_epochs_or_enough_steps(monkeypatch):
    from ganzoo.tabular import augmenter as augmenter_module

    # benefits.csv's 3,900 training rows: 7 steps of 500 per epoch -> 858 epochs;
    # 8,000 rows: 16 steps -> 375; large tables keep CTGAN's 300.
    assert augmenter_module.auto_epochs(7) == 858
    assert augmenter_module.auto_epochs(16) == 375
    assert augmenter_module.auto_epochs(400) == 300
    monkeypatch.setattr(augmenter_module, "MIN_STEPS", 1000)
    df = make_table(n=200)
    aug = TabularAugmenter(batch_size=100, generator_dims=(16,), discriminator_dims=(16,),
                           seed=0, verbose=False).fit(df)
    assert aug.params["epochs"] is None
    assert len(aug.history.history["g_loss"]) == 500  # 2 steps per epoch, 1,000 steps


def test_weight_average_generates_and_is_saved(tmp_path):
    df = make_table(n=200)
    settings = dict(epochs=3, batch_size=100, generator_dims=(16,), discriminator_dims=(16,),
                    seed=0, verbose=False)
    aug = TabularAugmenter(generator_ema=0.9, **settings).fit(df)
    average = aug.model.generator_average
    assert average is not None and average.holds_average()  # outside fit: the average
    # the trained weights wait in the average's variables, and they are not the average
    trained = [w.numpy() for w in average.weights]
    held = [v.numpy() for v in aug.model.generator.trainable_variables]
    assert any(not np.allclose(a, b) for a, b in zip(trained, held))
    z = aug.model.sample_latent(50, 0)
    cond = aug.sampler.sample_original(50)
    outputs = {}
    for averaged in (True, False):
        with average.holding(averaged):
            outputs[averaged] = aug.model.generator([z, cond], training=False).numpy()
    assert np.abs(outputs[True] - outputs[False]).max() > 1e-3
    first = aug.sample(100, seed=1)
    pd.testing.assert_frame_equal(aug.sample(100, seed=1), first)
    aug.save(tmp_path / "aug")
    loaded = TabularAugmenter.load(tmp_path / "aug")
    assert loaded.params["generator_ema"] == 0.9
    assert loaded.model.generator_average.holds_average()
    pd.testing.assert_frame_equal(loaded.sample(100, seed=1), first)
    assert TabularAugmenter(generator_ema=None, **settings).fit(df).model.generator_average is None
    with pytest.raises(ValueError, match="generator_ema must be a decay"):
        TabularAugmenter(generator_ema=1.5)


def test_discriminator_dropout_is_a_setting_and_older_files_keep_ctgans(tmp_path):
    import json

    df = make_table(n=200)
    settings = dict(epochs=2, batch_size=100, generator_dims=(16,), discriminator_dims=(16, 8),
                    seed=0, verbose=False)
    aug = TabularAugmenter(discriminator_dropout=0.1, **settings).fit(df)
    rates = [layer.rate for layer in aug.model.discriminator.layers
             if layer.__class__.__name__ == "Dropout"]
    assert rates == [0.1, 0.1]
    with pytest.raises(ValueError, match="discriminator_dropout must be in"):
        TabularAugmenter(discriminator_dropout=1.0, **settings)
    with pytest.raises(ValueError, match="discriminator_dropout must be in"):
        TabularGAN(spans=[("scalar", 1)], discriminator_dropout=-0.1)
    # A file written before these settings existed loads with what it was trained with.
    old = TabularAugmenter(generator_ema=None, discriminator_dropout=0.5, **settings).fit(df)
    old.save(tmp_path / "old")
    state_path = tmp_path / "old" / "augmenter.json"
    state = json.loads(state_path.read_text())
    for key in ("generator_ema", "discriminator_dropout"):
        del state["params"][key]
    del state["model_config"]["discriminator_dropout"]
    state_path.write_text(json.dumps(state))
    loaded = TabularAugmenter.load(tmp_path / "old")
    assert loaded.params["generator_ema"] is None
    assert loaded.params["discriminator_dropout"] == 0.5
    assert loaded.model.discriminator_dropout == 0.5 and loaded.model.generator_average is None
    pd.testing.assert_frame_equal(loaded.sample(40, seed=3), old.sample(40, seed=3))
