"""ganzoo.augment and `ganzoo generate --per-class`: generated data in the caller's format."""

import os

import keras
import numpy as np
import pytest
import soundfile as sf
import tensorflow as tf

import ganzoo
from ganzoo import cli
from ganzoo.audio import WaveGAN
from ganzoo.augment import plan_labels
from ganzoo.image import DCGAN


@pytest.fixture(scope="module")
def image_gan():
    return DCGAN(image_shape=(16, 16, 1), num_classes=3, latent_dim=8, model_size=8, seed=2)


@pytest.fixture(scope="module")
def audio_gan():
    return WaveGAN(class_names=["low", "mid", "high"], model_size=2, latent_dim=8, seed=3)


def test_plan_labels():
    ids = np.array([0, 0, 0, 1, 2, 2], "int32")
    np.testing.assert_array_equal(plan_labels(ids, 3, 6, per_class=2), [0, 0, 1, 1, 2, 2])
    # ratio keeps the real class shares: 6 real x 2 = 12 = 6 + 2 + 4
    assert np.bincount(plan_labels(ids, 3, 6, ratio=2.0)).tolist() == [6, 2, 4]
    assert np.bincount(plan_labels(None, 3, 5, ratio=1.0)).tolist() == [2, 2, 1]
    # only the classes the caller has
    assert set(plan_labels(np.array([2, 2]), 3, 2, per_class=3)) == {2}
    for bad in ({}, {"per_class": 1, "ratio": 1.0}, {"per_class": 0}, {"ratio": -1.0},
                {"ratio": 0.01}):
        with pytest.raises(ValueError):
            plan_labels(ids, 3, 6, **bad)


@pytest.mark.parametrize("dtype,shape,scale", [("uint8", (16, 16), 255), ("float32", (16, 16, 1), 1),
                                               ("float32", (16, 16, 3), 1)])
def test_images_come_back_in_the_callers_format(image_gan, dtype, shape, scale):
    x = (np.random.default_rng(0).random((6,) + shape) * scale).astype(dtype)
    y = np.array([0, 0, 1, 1, 2, 2], "int64")
    x_aug, y_aug = ganzoo.augment.images(x, y, per_class=4, preset=image_gan, verbose=False)
    assert x_aug.dtype == x.dtype and x_aug.shape == (18,) + shape and y_aug.dtype == y.dtype
    np.testing.assert_array_equal(x_aug[:6], x)  # real first, untouched
    np.testing.assert_array_equal(np.bincount(y_aug[6:]), [4, 4, 4])
    fake = x_aug[6:].astype("float64")
    assert fake.min() >= 0 and fake.max() <= scale and fake.std() > 0
    if shape[-1] == 3:
        np.testing.assert_array_equal(fake[..., 0], fake[..., 2])  # grey broadcast to RGB
    # The generated images are the generator's, mapped to the caller's range.
    want = np.repeat(np.arange(3), 4).astype("int32")
    expected = (image_gan.generate(12, labels=want, seed=0) + 1) / 2 * scale
    got = fake[..., :1] if fake.ndim == 4 else fake[..., None]
    np.testing.assert_allclose(got, expected, atol=0.51 if dtype == "uint8" else 1e-5)
    only = ganzoo.augment.images(x, y, ratio=0.5, preset=image_gan, include_real=False,
                                 verbose=False)
    assert only[0].shape == (3,) + shape and sorted(only[1]) == [0, 1, 2]


def test_images_errors(image_gan):
    x = np.zeros((4, 16, 16), "uint8")
    with pytest.raises(ValueError, match="16x16 images; yours are 28x28"):
        ganzoo.augment.images(np.zeros((4, 28, 28), "uint8"), per_class=1, preset=image_gan)
    with pytest.raises(ValueError, match="3 classes"):
        ganzoo.augment.images(x, np.array([0, 1, 2, 5]), per_class=1, preset=image_gan)
    with pytest.raises(ValueError, match="exactly one"):
        ganzoo.augment.images(x, per_class=1, ratio=1.0, preset=image_gan)
    with pytest.raises(ValueError, match="Unknown preset"):
        ganzoo.augment.images(x, per_class=1, preset="no_such_preset")


def test_image_dataset_mixes_at_the_share_and_trains_a_classifier(image_gan):
    n = 200
    x = np.zeros((n, 16, 16, 1), "uint8")  # real images are all black; fakes never are
    y = (np.arange(n) % 3).astype("int32")
    ds = ganzoo.augment.image_dataset(x, y, share=0.4, weight=0.25, classic=None,
                                      batch_size=32, preset=image_gan, seed=1)
    batches = list(ds)
    assert len(batches) == int(np.ceil(n / 0.6 / 32))
    images = np.concatenate([b[0] for b in batches])
    labels = np.concatenate([b[1] for b in batches])
    weights = np.concatenate([b[2] for b in batches])
    assert images.dtype == np.uint8 and images.shape[1:] == (16, 16, 1)
    is_fake = images.reshape(len(images), -1).max(axis=1) > 0
    assert 0.3 < is_fake.mean() < 0.5
    assert set(labels[is_fake]) == {0, 1, 2} and labels.dtype == np.int32
    np.testing.assert_array_equal(weights, np.where(is_fake, 0.25, 1.0))
    # Fresh generated images each epoch.
    again = np.concatenate([b[0] for b in ds])
    first_fakes = images[is_fake][:5]
    assert not any(np.array_equal(f, g) for f in first_fakes for g in again[:50])
    classifier = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Rescaling(1 / 255),
                                   keras.layers.Flatten(), keras.layers.Dense(3)])
    classifier.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = classifier.fit(ds, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    # share 0: your examples only, each once an epoch
    only_real = list(ganzoo.augment.image_dataset(x, y, share=0.0, classic=None,
                                                  batch_size=64, preset=image_gan))
    assert sum(len(b[0]) for b in only_real) == n
    assert all(np.asarray(b[0]).max() == 0 for b in only_real)


def test_image_dataset_classic_augmentation_moves_real_and_generated(image_gan):
    # One bright pixel in the middle: whole-pixel shifts of up to 10% of 16 (2 pixels)
    # move it without blurring, and the background fills in.
    n = 120
    x = np.zeros((n, 16, 16), "uint8")
    x[:, 8, 8] = 200
    y = np.zeros(n, "int32")
    ds = ganzoo.augment.image_dataset(x, y, share=0.0, classic=["shift"], batch_size=40,
                                      preset=image_gan, seed=3)
    out = np.concatenate([b[0] for b in ds])
    assert out.dtype == np.uint8 and out.shape == (n, 16, 16)
    where = [np.argwhere(img) for img in out]
    assert all(len(w) == 1 for w in where)
    offsets = np.array([w[0] for w in where]) - 8
    assert np.abs(offsets).max() == 2 and len({tuple(o) for o in offsets}) > 10
    np.testing.assert_array_equal(out[out > 0], 200)
    # Rotation resamples: the pixel's brightness spreads but stays in the image's range.
    rotated = np.concatenate([b[0] for b in ganzoo.augment.image_dataset(
        x, y, share=0.0, classic="rotate,cutout", batch_size=40, preset=image_gan, seed=3)])
    assert rotated.max() <= 200 and (rotated.reshape(n, -1) > 0).sum(axis=1).max() > 1
    # The same batches from the same seed; generated images are augmented too.
    again = np.concatenate([b[0] for b in ganzoo.augment.image_dataset(
        x, y, share=0.0, classic=["shift"], batch_size=40, preset=image_gan, seed=3)])
    np.testing.assert_array_equal(out, again)
    fakes = ganzoo.augment.image_dataset(np.zeros((64, 16, 16, 1), "float32"), share=0.5,
                                         classic="shift", preset=image_gan, seed=0,
                                         batch_size=64)
    batch = next(iter(fakes)).numpy()
    border = np.concatenate([batch[:, :2].ravel(), batch[:, -2:].ravel()])
    # Shifted generated images show the caller's background (the range's low end, 0)
    # where they moved away from an edge.
    assert (border == 0).mean() > 0.2 and batch.max() > 0


def test_dataset_truncated_latents():
    from ganzoo.augment.datasets import _latents
    from tests.test_truncation import _truncated_moments

    z = _latents(4000, 50, tf.constant([3, 4], tf.int64), 0.8).numpy()
    assert z.dtype == np.float32 and np.abs(z).max() <= 0.8
    mean_abs, second = _truncated_moments(0.8)
    assert abs(np.abs(z).mean() - mean_abs) < 0.01 * mean_abs
    assert abs((z ** 2).mean() - second) < 0.02 * second and abs(z.mean()) < 0.01


def test_dataset_bad_settings(image_gan, audio_gan):
    x, y = np.zeros((8, 16, 16), "uint8"), np.zeros(8, "int32")
    for bad, match in (({"share": 1.0}, "share is the generated fraction"),
                       ({"share": -0.1}, "share is the generated fraction"),
                       ({"weight": 0.0}, "weight is a generated example's loss weight"),
                       ({"classic": "shift,flip"}, r"Unknown classic augmentation \['flip'\]"),
                       ({"truncation": 0.0}, "truncation is the largest")):
        with pytest.raises(ValueError, match=match):
            ganzoo.augment.image_dataset(x, y, preset=image_gan, **bad)
    with pytest.raises(ValueError, match="frequency_mask acts on features"):
        ganzoo.augment.audio_dataset(np.zeros((4, 16000), "float32"), preset=audio_gan,
                                     classic="shift,frequency_mask")
    with pytest.warns(DeprecationWarning, match="now share="):
        ds = ganzoo.augment.image_dataset(x, y, ratio=0.5, batch_size=4, preset=image_gan)
    assert len(list(ds)) == 4  # 8 real at half the examples, 4 a batch


def test_audio_dataset_shift_gain_and_feature_masks(audio_gan):
    n, length = 24, 16000
    rng = np.random.default_rng(0)
    waves = (rng.uniform(-0.5, 0.5, (n, length))).astype("float32")
    labels = np.array(["low", "mid", "high"] * 8)

    def frames(batch):  # 100 frames of 160 samples, each frame's mean magnitude
        return tf.reduce_mean(tf.abs(tf.reshape(batch, [-1, 100, 160])), axis=-1)[..., None] \
            * tf.ones([1, 1, 8])

    ds = ganzoo.augment.audio_dataset(waves, labels, share=0.0, classic=["time_mask"],
                                      features=frames, batch_size=n, preset=audio_gan)
    out, out_labels, weights = next(iter(ds))
    assert out.shape == (n, 100, 8) and (weights.numpy() == 1).all()
    # The same examples unmasked, matched by label order: each differs from its masked
    # self in one run of at most 25 frames, set to the example's mean level.
    plain = {lab: f for lab, f in zip(labels, frames(tf.constant(waves)).numpy())}
    masked_runs = 0
    for feature, label in zip(out.numpy(), out_labels.numpy().astype(str)):
        candidates = [f for lab, f in zip(labels, frames(tf.constant(waves)).numpy())
                      if lab == label]
        original = min(candidates, key=lambda f: np.abs(f - feature).sum())
        changed = np.flatnonzero(np.abs(original - feature).max(axis=1) > 1e-6)
        if len(changed):
            masked_runs += 1
            assert changed[-1] - changed[0] + 1 <= 25
            np.testing.assert_allclose(feature[changed], original.mean(), rtol=1e-5)
    assert masked_runs > n // 2 and plain
    # Waveforms: shift brings silence in and gain scales within +-6 dB; int16 stays int16.
    pcm = (waves * 20000).astype("int16")
    pcm[pcm == 0] = 1  # only masks and shifts make silence
    ds = ganzoo.augment.audio_dataset(pcm, labels, share=0.0, classic="shift,gain",
                                      batch_size=n, preset=audio_gan, seed=2)
    moved = next(iter(ds))[0].numpy()
    assert moved.dtype == np.int16 and moved.shape == (n, length)
    silent_edges = [(m[:100] == 0).all() or (m[-100:] == 0).all() for m in moved]
    assert np.mean(silent_edges) > 0.8
    ratio = np.abs(moved).max(axis=1) / np.abs(pcm).max()
    assert ratio.min() > 10 ** (-6 / 20) - 0.01 and ratio.max() <= 32767 / np.abs(pcm).max()
    # A time mask on waveforms silences one run of at most a quarter of the clip.
    ds = ganzoo.augment.audio_dataset(pcm, labels, share=0.0, classic="time_mask",
                                      batch_size=n, preset=audio_gan, seed=2)
    masked = next(iter(ds))[0].numpy()
    runs = []
    for m in masked:
        silent = np.flatnonzero(m == 0)
        if len(silent):
            assert silent[-1] - silent[0] + 1 == len(silent) <= 4000  # one run
            runs.append(len(silent))
    assert len(runs) > n // 2


def test_audio_in_callers_format_and_names(audio_gan):
    waves = (np.random.default_rng(0).standard_normal((4, 16000)) * 3000).astype("int16")
    labels = np.array(["low", "low", "high", "high"])
    out, out_labels = ganzoo.augment.audio(waves, labels, per_class=3, preset=audio_gan,
                                           verbose=False)
    assert out.dtype == np.int16 and out.shape == (10, 16000)
    assert sorted(out_labels[4:].tolist()) == ["high"] * 3 + ["low"] * 3
    fake = audio_gan.generate(6, labels=np.array([0, 0, 0, 2, 2, 2], "int32"), seed=0)
    np.testing.assert_allclose(out[4:].astype("float64") / 32767, fake[:, :16000], atol=1e-4)
    half = ganzoo.augment.audio(np.zeros((2, 8000), "float32"), per_class=1, sample_rate=8000,
                                preset=audio_gan, include_real=False, verbose=False)
    assert half.shape == (3, 8000) and half.dtype == np.float32
    with pytest.raises(ValueError, match=r"\['seven'\] are not classes"):
        ganzoo.augment.audio(waves, np.array(["seven"] * 4), per_class=1, preset=audio_gan)
    ds = ganzoo.augment.audio_dataset(waves, labels, share=0.5, batch_size=4, preset=audio_gan,
                                      pool=16)
    batch_waves, batch_labels, _ = next(iter(ds))
    assert batch_waves.dtype == "int16" and batch_waves.shape[1:] == (16000,)
    assert batch_labels.dtype == "string"


def test_cli_generate_per_class_folders(tmp_path, image_gan, audio_gan, capsys):
    image_preset = ganzoo.save_preset(image_gan, str(tmp_path / "img_preset"))
    out = tmp_path / "digits"
    assert cli.main(["generate", image_preset, "--per-class", "4", "--out", str(out),
                     "--quiet"]) == 0
    assert sorted(os.listdir(out)) == ["0", "1", "2"]
    ds = keras.utils.image_dataset_from_directory(str(out), image_size=(16, 16),
                                                  color_mode="grayscale", batch_size=64)
    images, labels = next(iter(ds))
    assert images.shape == (12, 16, 16, 1) and sorted(labels.numpy()) == [0] * 4 + [1] * 4 + [2] * 4
    assert cli.main(["generate", image_preset, "--per-class", "4", "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err

    audio_preset = ganzoo.save_preset(audio_gan, str(tmp_path / "audio_preset"))
    waves_out = tmp_path / "words"
    assert cli.main(["generate", audio_preset, "--per-class", "2", "--out", str(waves_out),
                     "--quiet"]) == 0
    assert sorted(os.listdir(waves_out)) == ["high", "low", "mid"]
    info = sf.info(str(waves_out / "mid" / sorted(os.listdir(waves_out / "mid"))[0]))
    assert info.samplerate == 16000 and info.frames == 16384 and info.subtype == "PCM_16"
    ads = keras.utils.audio_dataset_from_directory(str(waves_out), batch_size=16)
    assert ads.class_names == ["high", "low", "mid"]
    assert next(iter(ads))[0].shape == (6, 16384, 1)
    assert cli.main(["generate", "no_such_preset", "--n", "2", "--out", str(tmp_path / "x")]) == 2
    assert "Unknown preset" in capsys.readouterr().err


def test_generated_class_shares_for_rare_classes(image_gan):
    from ganzoo.augment.datasets import generated_class_shares

    ids = np.array([0] * 80 + [1] * 10 + [2] * 10, "int32")
    classes = np.arange(3)
    # balance at share 0.5: real is 0.4 / 0.05 / 0.05 of all examples; a third each
    # needs none of class 0 and 0.2833 of classes 1 and 2 (of all), so half each.
    np.testing.assert_allclose(generated_class_shares("balance", ids, classes, 0.5),
                               [0, 0.5, 0.5])
    # share 0.8: real 0.16 / 0.02 / 0.02; missing 0.1733 / 0.3133 / 0.3133, of 0.8.
    np.testing.assert_allclose(generated_class_shares("balance", ids, classes, 0.8),
                               np.array([0.52, 0.94, 0.94]) / 2.4)
    np.testing.assert_allclose(generated_class_shares("real", ids, classes, 0.5),
                               [0.8, 0.1, 0.1])
    np.testing.assert_allclose(generated_class_shares("uniform", ids, classes, 0.5), [1 / 3] * 3)
    with pytest.raises(ValueError, match="class_shares is"):
        generated_class_shares("rare", ids, classes, 0.5)
    x = np.zeros((100, 16, 16), "uint8")
    ds = ganzoo.augment.image_dataset(x, ids, share=0.5, classic=None, preset=image_gan,
                                      class_shares="balance", batch_size=100, seed=4)
    images, labels, _ = (np.concatenate(p) for p in zip(*ds))
    fake = images.reshape(len(images), -1).max(axis=1) > 0
    counts = np.bincount(labels[fake], minlength=3)
    assert counts[0] == 0 and abs(counts[1] - counts[2]) < 0.3 * fake.sum()


def test_dataset_from_a_generated_pool(image_gan):
    x = np.zeros((60, 16, 16), "uint8")
    y = (np.arange(60) % 3).astype("int32")
    ds = ganzoo.augment.image_dataset(x, y, share=0.5, classic=None, preset=image_gan, pool=6,
                                      batch_size=30, seed=2)
    images, labels, weights = (np.concatenate(p) for p in zip(*ds, *ds))
    fake = images.reshape(len(images), -1).max(axis=1) > 0
    distinct = {(images[i].tobytes(), int(labels[i])) for i in np.flatnonzero(fake)}
    assert fake.sum() > 30 and len(distinct) <= 6
    # Each pooled image keeps its one label, every time it is drawn.
    assert len({img for img, _ in distinct}) == len(distinct)
    # Without a pool, generated images are fresh: many more distinct ones.
    fresh = ganzoo.augment.image_dataset(x, y, share=0.5, classic=None, preset=image_gan,
                                         batch_size=30, seed=2)
    images = np.concatenate([b[0] for b in fresh])
    fake = images.reshape(len(images), -1).max(axis=1) > 0
    assert len({img.tobytes() for img in images[fake]}) == fake.sum()
