"""ganzoo.augment and `ganzoo generate --per-class`: generated data in the caller's format."""

import os

import keras
import numpy as np
import pytest
import soundfile as sf

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


def test_image_dataset_mixes_at_the_ratio_and_trains_a_classifier(image_gan):
    n = 200
    x = np.zeros((n, 16, 16, 1), "uint8")  # real images are all black; fakes never are
    y = (np.arange(n) % 3).astype("int32")
    ds = ganzoo.augment.image_dataset(x, y, ratio=0.4, batch_size=32, preset=image_gan, seed=1)
    batches = list(ds)
    assert len(batches) == int(np.ceil(n / 0.6 / 32))
    images = np.concatenate([b[0] for b in batches])
    labels = np.concatenate([b[1] for b in batches])
    assert images.dtype == np.uint8 and images.shape[1:] == (16, 16, 1)
    is_fake = images.reshape(len(images), -1).max(axis=1) > 0
    assert 0.3 < is_fake.mean() < 0.5
    assert set(labels[is_fake]) == {0, 1, 2} and labels.dtype == np.int32
    # Fresh generated images each epoch.
    again = np.concatenate([b[0] for b in ds])
    first_fakes = images[is_fake][:5]
    assert not any(np.array_equal(f, g) for f in first_fakes for g in again[:50])
    classifier = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Rescaling(1 / 255),
                                   keras.layers.Flatten(), keras.layers.Dense(3)])
    classifier.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = classifier.fit(ds, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


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
    ds = ganzoo.augment.audio_dataset(waves, labels, ratio=0.5, batch_size=4, preset=audio_gan)
    batch_waves, batch_labels = next(iter(ds))
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
