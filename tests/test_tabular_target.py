"""A declared target column (`TabularAugmenter(target=...)`): a downstream model trained
on the real rows, and the generator's term that asks for rows it predicts well."""

import numpy as np
import pandas as pd
import pytest

from ganzoo.tabular import TabularAugmenter
from ganzoo.tabular.model import TabularGAN


def test_target_error_by_hand():
    # A category (2), then the target: a number's scalar and its mode (2), then a scalar.
    gan = TabularGAN(spans=[("onehot", 2), ("scalar", 1), ("onehot", 2), ("scalar", 1)],
                     target_index=[2, 3, 4], seed=0)
    rows = np.array([[1, 0, 0.5, 0, 1, 0.3],
                     [0, 1, -0.2, 1, 0, -0.9]], "float32")
    predicted = np.array([[0.1, 2.0, -1.0],
                          [-0.4, 0.0, 0.0]], "float32")
    got = gan.target_error(predicted, rows).numpy()
    expected = []
    for p, r in zip(predicted, rows):
        squared = (np.tanh(p[0]) - r[2]) ** 2
        log_softmax = p[1:] - np.log(np.exp(p[1:]).sum())
        expected.append(squared - (r[3:5] * log_softmax).sum())
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    # The downstream model sees every column but the target's.
    np.testing.assert_array_equal(gan.target_input_mask.numpy(), [1, 1, 0, 0, 0, 1])
    assert [t.name for t in gan.domain_terms()] == ["target_loss"]
    with pytest.raises(ValueError, match="whole spans"):
        TabularGAN(spans=[("scalar", 1), ("onehot", 2)], target_index=[1], seed=0)


def _signed(rows=600, seed=0):
    """The label is the sign of x; w is noise beside it."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, rows)
    return pd.DataFrame({"x": x, "w": rng.normal(0, 1, rows),
                         "label": np.where(x > 0, "pos", "neg")})


def _agreement(frame):
    return float(np.mean((frame["x"] > 0) == (frame["label"] == "pos")))


@pytest.mark.slow
def test_the_downstream_model_learns_the_target_and_the_generator_follows_it(tmp_path):
    frame = _signed()
    settings = dict(epochs=40, batch_size=100, seed=0, verbose=False, calibrate=False)
    plain = TabularAugmenter(**settings).fit(frame)
    aware = TabularAugmenter(target="label", **settings).fit(frame)
    assert plain.model.target_model is None
    # The downstream model reads x (not the label, which is masked) and gets it right.
    matrix = aware.transformer.transform(frame)
    logits = aware.model.target_model(matrix * aware.model.target_input_mask.numpy()).numpy()
    names = aware.transformer.encoder("label").state["categories"]
    predicted = np.asarray(names)[logits.argmax(axis=1)]
    assert np.mean(predicted == frame["label"].to_numpy()) > 0.95
    before, after = _agreement(plain.sample(2000, seed=1)), _agreement(aware.sample(2000, seed=1))
    # (0.73 without, 0.85 with, after 240 steps here)
    assert after > 0.8 and after > before + 0.05, (before, after)

    aware.save(tmp_path / "aug")
    loaded = TabularAugmenter.load(tmp_path / "aug")
    assert loaded.params["target"] == "label" and loaded.model.target_index
    np.testing.assert_allclose(loaded.model.target_model(matrix[:5]).numpy(),
                               aware.model.target_model(matrix[:5]).numpy(), rtol=1e-6)


def test_a_target_that_cannot_work_is_refused():
    frame = _signed(rows=100)
    with pytest.raises(ValueError, match="target 'nope' is not a column"):
        TabularAugmenter(target="nope", epochs=1, verbose=False).fit(frame)
    with pytest.raises(ValueError, match="target= is not private"):
        TabularAugmenter(target="label", epsilon=3)
    with pytest.raises(ValueError, match="only column"):
        TabularAugmenter(target="x", epochs=1, verbose=False).fit(frame[["x"]])


def test_a_seeded_fit_trains_the_same_downstream_model_whatever_the_global_state():
    import tensorflow as tf

    frame = _signed(rows=200)
    weights = []
    for global_seed in (1, 2):
        tf.random.set_seed(global_seed)  # whatever the caller's global state
        fitted = TabularAugmenter(epochs=1, batch_size=100, seed=0, verbose=False,
                                  target="label").fit(frame)
        weights.append(fitted.model.target_model.get_weights())
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)
