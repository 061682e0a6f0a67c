"""`ganzoo.augment.check`: classic augmentation alone against generated data at a few
shares, on folds of the user's own examples; `ganzoo augment DATA --check`."""

import os
import random

import numpy as np
import pytest

import ganzoo
from ganzoo import cli
from ganzoo.augment.checking import CLASSIC_ONLY, folds_of
from ganzoo.image import DCGAN


@pytest.fixture(scope="module")
def image_gan():
    return DCGAN(image_shape=(16, 16, 1), num_classes=3, latent_dim=8, model_size=8, seed=2)


def _bars(n, seed=0):
    """Three classes of 16x16 uint8 images: a bright bar in the top, middle or bottom
    third, at a random column."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    x = np.zeros((n, 16, 16), "uint8")
    for i, c in enumerate(y):
        col = rng.integers(2, 14)
        x[i, 5 * c + 1:5 * c + 5, col - 1:col + 2] = 220
    return x, y.astype("int32")


def test_folds_are_stratified():
    y = np.array([0] * 7 + [1] * 3 + [2] * 12)
    fold = folds_of(y, 3, seed=5)
    for c, size in ((0, 7), (1, 3), (2, 12)):
        per_fold = np.bincount(fold[y == c], minlength=3)
        assert per_fold.sum() == size and per_fold.max() - per_fold.min() <= 1
    np.testing.assert_array_equal(fold, folds_of(y, 3, seed=5))


def test_check_measures_every_setting_and_recommends_the_best(image_gan, capsys):
    x, y = _bars(60)
    python_state, numpy_state = random.getstate(), np.random.get_state()
    result = ganzoo.augment.check(x, y, preset=image_gan, shares=(0.5, 0.9), folds=2,
                                  steps=40, seed=1)
    assert random.getstate() == python_state  # the caller's random state is untouched
    assert np.all(np.random.get_state()[1] == numpy_state[1])
    assert list(result.accuracy) == [CLASSIC_ONLY, "share 0.5", "share 0.9"]
    assert all(len(a) == 2 and all(0 <= v <= 1 for v in a) for a in result.accuracy.values())
    means = {name: np.mean(a) for name, a in result.accuracy.items()}
    best = max(means.values())
    if means[CLASSIC_ONLY] == best:
        assert result.best["share"] == 0.0 and not result.helps
    else:
        assert means[f"share {result.best['share']:g}"] == best and result.helps
    # The bars are easy from 40 examples; the untrained generator's noise, labelled at
    # random, is not what the held-out bars look like.
    assert means[CLASSIC_ONLY] > 0.6
    out = capsys.readouterr().out
    assert "Recommended: " in out and "share 0.9" in out and "vs classic only" in out
    again = ganzoo.augment.check(x, y, preset=image_gan, shares=(0.5, 0.9), folds=2,
                                 steps=40, seed=1, verbose=False)
    assert again.accuracy == result.accuracy
    assert capsys.readouterr().out == ""


def test_check_bad_input(image_gan):
    x, y = _bars(12)
    with pytest.raises(ValueError, match="smallest class has 1"):
        ganzoo.augment.check(x[:4], y[:4], preset=image_gan, folds=2)
    with pytest.raises(ValueError, match="a label for every example"):
        ganzoo.augment.check(x, None, preset=image_gan)
    with pytest.raises(ValueError, match="share is the generated fraction"):
        ganzoo.augment.check(x, y, preset=image_gan, shares=(1.5,), folds=2)
    with pytest.raises(ValueError, match="not classes of the generator|3 classes"):
        ganzoo.augment.check(x, y + 3, preset=image_gan, folds=2)


def test_cli_check(tmp_path, image_gan, capsys):
    x, y = _bars(30)
    data = tmp_path / "bars.npz"
    np.savez(data, images=x, labels=y)
    preset = ganzoo.save_preset(image_gan, str(tmp_path / "preset"))
    assert cli.main(["augment", str(data), "--check", "--preset", preset, "--folds", "2",
                     "--steps", "10", "--shares", "0.5", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Recommended: " in out and "share 0.5" in out
    assert cli.main(["augment", str(data), "--preset", preset]) == 2  # no --out, no --check
    # A folder with one sub-folder per class (named as the generator's classes).
    from PIL import Image

    for i, (image, label) in enumerate(zip(x, y)):
        os.makedirs(tmp_path / "bars" / str(label), exist_ok=True)
        Image.fromarray(image).save(tmp_path / "bars" / str(label) / f"{i}.png")
    assert cli.main(["augment", str(tmp_path / "bars"), "--check", "--preset", preset,
                     "--folds", "2", "--steps", "10", "--shares", "0.5", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "of your 30 examples" in out and "Recommended: " in out


def _constant_teacher(probabilities, shape=(16, 16)):
    """A Keras 'classifier' that gives every example the same scores."""
    import keras

    inputs = keras.Input(shape, dtype="uint8")
    zeros = keras.layers.Flatten()(keras.ops.cast(inputs, "float32")) * 0.0
    scores = keras.layers.Dense(len(probabilities), kernel_initializer="zeros",
                                bias_initializer=keras.initializers.Constant(
                                    np.asarray(probabilities, "float32")))(zeros)
    return keras.Model(inputs, scores)


def test_curation_keeps_what_the_teacher_recognises(image_gan):
    x, y = _bars(60)
    # Sure of class 0 for everything: only the generated examples asked as 0 stay,
    # from a pool made once or fresh in every batch.
    for pool in (500, None):
        ds = ganzoo.augment.image_dataset(x, y, share=0.5, classic=None, preset=image_gan,
                                          teacher=_constant_teacher([0.95, 0.05, 0.0]),
                                          confidence=0.9, batch_size=60, seed=0, pool=pool)
        images, labels, weights = (np.concatenate(part) for part in zip(*ds))
        is_fake = np.array([not any(np.array_equal(img, r) for r in x) for img in images])
        assert is_fake.sum() > 20 and set(labels[is_fake]) == {0}
        assert set(labels[~is_fake]) == {0, 1, 2}
    # Soft labels: the teacher's probabilities for generated examples, one-hot for yours.
    ds = ganzoo.augment.image_dataset(x, y, share=0.5, classic=None, preset=image_gan,
                                      teacher=_constant_teacher([0.95, 0.05, 0.0]),
                                      soft_labels=True, batch_size=60, seed=0)
    images, labels, _ = next(iter(ds))
    rows = {tuple(round(float(v), 3) for v in r) for r in labels.numpy()}
    assert rows <= {(0.95, 0.05, 0.0), (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)}
    assert (0.95, 0.05, 0.0) in rows
    # Logits are softmaxed: [5, 0, 0] gives class 0 p = 0.987.
    ds = ganzoo.augment.image_dataset(x, y, share=0.5, classic=None, preset=image_gan,
                                      teacher=_constant_teacher([5.0, 0.0, 0.0]),
                                      confidence=0.98, batch_size=60, seed=0)
    assert len(list(ds)) > 0
    with pytest.raises(ValueError, match="kept none of 512"):
        ganzoo.augment.image_dataset(x, y, preset=image_gan, confidence=0.5,
                                     teacher=_constant_teacher([1 / 3, 1 / 3, 1 / 3]))
    with pytest.raises(ValueError, match="scores 2 classes; the generator has 3"):
        ganzoo.augment.image_dataset(x, y, preset=image_gan,
                                     teacher=_constant_teacher([0.5, 0.5]))
    with pytest.raises(ValueError, match="needs labels"):
        ganzoo.augment.image_dataset(x, preset=image_gan, teacher="auto")
    with pytest.raises(ValueError, match="confidence is the teacher's"):
        ganzoo.augment.image_dataset(x, y, preset=image_gan, teacher="auto", confidence=1.0)
    with pytest.raises(ValueError, match="give teacher= too"):
        ganzoo.augment.image_dataset(x, y, preset=image_gan, soft_labels=True)


def test_auto_teacher_learns_the_users_classes(image_gan):
    from ganzoo.augment.curation import probabilities, train_teacher

    x, y = _bars(90)
    teacher = train_teacher(x, y, image_gan, "image", (0.0, 255.0), steps=60, seed=0)
    x_new, y_new = _bars(60, seed=9)  # bars at other columns
    probs = probabilities(teacher, x_new, 3).numpy()
    assert np.allclose(probs.sum(axis=1), 1, atol=1e-5)
    assert (probs.argmax(axis=1) == y_new).mean() > 0.9


def test_curated_arrays(image_gan):
    x, y = _bars(30)
    sure_of_0 = _constant_teacher([0.95, 0.05, 0.0])
    x0, y0 = x[y == 0], y[y == 0]
    out, labels, weights = ganzoo.augment.images(x0, y0, per_class=3, preset=image_gan,
                                                 teacher=sure_of_0, weight=0.5, verbose=False)
    assert out.shape == (13, 16, 16) and (labels == 0).all()
    np.testing.assert_array_equal(weights, [1.0] * 10 + [0.5] * 3)
    with pytest.raises(ValueError, match=r"still rejects 4 of 6 .*'1': 2, '2': 2"):
        ganzoo.augment.images(x, y, per_class=2, preset=image_gan, teacher=sure_of_0,
                              verbose=False)


def test_cli_check_audio_folder(tmp_path, capsys):
    import soundfile as sf

    from ganzoo.audio import WaveGAN

    gan = WaveGAN(class_names=["low", "mid", "high"], model_size=2, latent_dim=8, seed=3)
    preset = ganzoo.save_preset(gan, str(tmp_path / "preset"))
    t = np.arange(16000) / 16000
    for i in range(18):
        name, pitch = [("low", 200), ("mid", 800), ("high", 3000)][i % 3]
        os.makedirs(tmp_path / "clips" / name, exist_ok=True)
        sf.write(tmp_path / "clips" / name / f"{i}.wav",
                 (0.5 * np.sin(2 * np.pi * pitch * t)).astype("float32"), 16000)
    assert cli.main(["augment", str(tmp_path / "clips"), "--check", "--preset", preset,
                     "--folds", "2", "--steps", "10", "--shares", "0.5", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "of your 18 examples" in out and "Recommended: " in out
