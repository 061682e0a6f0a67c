import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf
import keras

import ganzoo

from ganzoo.audio import (SpectrogramGrid, WaveGAN, dataset_from_clips, list_audio_files,
                          load_clips, write_wav)
from ganzoo.audio.networks import PhaseShuffle, build_discriminator, build_generator

RATE = 16000


def tone(freq, seconds=0.5, rate=RATE, channels=1, amplitude=0.5):
    t = np.arange(int(seconds * rate)) / rate
    wave = amplitude * np.sin(2 * np.pi * freq * t).astype("float32")
    return np.stack([wave] * channels, axis=1) if channels > 1 else wave


def write_words(folder, per_word=3, words=("low", "high"), fmt="FLAC", rate=RATE, seconds=0.5):
    os.makedirs(folder, exist_ok=True)
    for w, word in enumerate(words):
        for i in range(per_word):
            sf.write(os.path.join(folder, f"{word}_{i:04d}.{fmt.lower()}"),
                     tone(300 + 900 * w + 10 * i, seconds, rate), rate, format=fmt)
    return folder


# ------------------------------------------------------------------ networks


@pytest.mark.parametrize("length", [16384, 32768, 65536])
def test_networks_for_every_slice_length(length):
    g = build_generator(length, latent_dim=8, model_size=2, num_classes=3)
    d = build_discriminator(length, model_size=2, num_classes=3)
    assert g.output.shape[1:] == (length,)
    convs = [l for l in g.layers if isinstance(l, keras.layers.Conv1DTranspose)]
    assert [l.kernel_size[0] for l in convs] == [25] * len(convs)
    assert len(convs) == (5 if length == 16384 else 6)
    assert sum(isinstance(l, PhaseShuffle) for l in d.layers) == (4 if length == 16384 else 5)
    wave = np.asarray(g([np.zeros((2, 8), "float32"), np.array([0, 2], "int32")]))
    assert wave.shape == (2, length) and np.abs(wave).max() <= 1
    assert d([wave, np.array([0, 2], "int32")]).shape == (2, 1)


def test_phase_shuffle_shifts_with_reflection_and_only_in_training():
    layer = PhaseShuffle(radius=2, seed=0)
    x = np.arange(10, dtype="float32").reshape(1, 10, 1)
    np.testing.assert_array_equal(layer(x, training=False), x)
    seen = set()
    v = x[0, :, 0]
    for _ in range(40):
        y = np.asarray(layer(x, training=True))[0, :, 0]
        k = int(y[5] - v[5])  # y[i] == v[i + k] inside the signal
        seen.add(k)
        if k > 0:  # moved left: the right edge is the reflection
            np.testing.assert_array_equal(y[:10 - k], v[k:])
            np.testing.assert_array_equal(y[10 - k:], v[-2:-2 - k:-1])
        elif k < 0:  # moved right: the left edge is the reflection
            np.testing.assert_array_equal(y[-k:], v[:10 + k])
            np.testing.assert_array_equal(y[:-k], v[1:1 - k][::-1])
    assert seen == {-2, -1, 0, 1, 2}


# --------------------------------------------------------------------- data


def test_load_clips_mixes_resamples_normalizes_and_labels(tmp_path):
    folder = tmp_path / "sounds"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    sf.write(folder / "a" / "x.wav", tone(440, 0.5, 22050, channels=2, amplitude=0.2), 22050)
    sf.write(folder / "b" / "y.ogg", tone(880, 0.25), RATE, format="OGG")
    sf.write(folder / "b" / "z.flac", tone(660, 0.25), RATE, format="FLAC")
    with pytest.warns(UserWarning, match="Resampled audio from \\[22050\\]"):
        clips = load_clips(folder, RATE, verbose=False)
    assert clips.class_names == ["a", "b"]
    np.testing.assert_array_equal(clips.labels, [0, 1, 1])
    assert abs(clips.lengths[0] - 8000) <= 2  # 0.5 s at 16 kHz after resampling
    assert clips.audio.dtype == np.float32
    assert np.isclose(np.abs(clips.clip(0)).max(), 0.95, atol=1e-3)  # peak-normalized
    spectrum = np.abs(np.fft.rfft(clips.clip(0)))
    assert abs(np.argmax(spectrum) * RATE / clips.lengths[0] - 440) < 5  # pitch kept


def test_labels_from_file_names_and_lists(tmp_path):
    write_words(tmp_path, per_word=2)
    paths, names = list_audio_files(tmp_path)
    assert names == ["high", "high", "low", "low"]
    # a folder named with a trailing slash (as typed) is the same folder
    assert list_audio_files(str(tmp_path) + os.sep)[1] == names
    paths, names = list_audio_files(paths[:3], labels=None)
    assert names is None and len(paths) == 3
    clips = load_clips(tmp_path, RATE, class_names=["low", "high"], verbose=False)
    np.testing.assert_array_equal(clips.labels, [1, 1, 0, 0])


def test_slices_crop_long_and_pad_short_clips(tmp_path):
    sf.write(tmp_path / "long_0.wav", tone(500, 2.0), RATE)   # 32000 samples
    sf.write(tmp_path / "short_0.wav", tone(500, 0.1), RATE)  # 1600 samples
    clips = load_clips(tmp_path, RATE, normalize=None, verbose=False)
    ds = dataset_from_clips(clips, slice_length=16384, batch_size=2, shuffle=False, seed=0)
    starts = set()
    for _ in range(5):
        waves, labels = next(iter(ds))
        waves = waves.numpy()
        assert waves.shape == (2, 16384)
        long_, short = waves[int(np.argmax(labels.numpy() == 0))], waves[int(np.argmax(labels.numpy() == 1))]
        assert np.abs(short[1600:]).max() == 0 and np.abs(short[:1600]).max() > 0.4
        starts.add(int(np.round(np.arcsin(np.clip(long_[0] / 0.5, -1, 1)) * 1000)))
    assert len(starts) > 1  # a new random crop each time


def test_audio_errors_name_the_problem(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        load_clips(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="No audio files"):
        load_clips(tmp_path / "empty")
    data = write_words(tmp_path / "data", per_word=2)
    (tmp_path / "data" / "low_9999.wav").write_bytes(b"RIFF....WAVEbroken")
    with pytest.raises(ValueError, match="low_9999.wav"):
        load_clips(data, verbose=False)
    with pytest.warns(UserWarning, match="low_9999.wav"):
        clips = load_clips(data, on_error="skip", verbose=False)
    assert len(clips) == 4 and clips.skipped[0].endswith("low_9999.wav")
    silent = tmp_path / "silent"
    silent.mkdir()
    sf.write(silent / "a_0.wav", np.zeros(1000, "float32"), RATE)
    with pytest.raises(ValueError, match="silent"):
        load_clips(silent, verbose=False)


def test_write_wav_is_16_bit_pcm_at_the_rate(tmp_path):
    path = write_wav(tmp_path / "x.wav", tone(440, 0.1, 22050), 22050)
    info = sf.info(path)
    assert info.samplerate == 22050 and info.subtype == "PCM_16" and info.frames == 2205


# -------------------------------------------------------------------- model


def _small(num_classes=2, **kwargs):
    return WaveGAN(num_classes=num_classes, class_names=["low", "high"][:num_classes] if num_classes else None,
                   model_size=2, latent_dim=8, seed=0, **kwargs)


def _dataset(tmp_path, batch_size=4):
    clips = load_clips(write_words(tmp_path / "w", per_word=4), RATE, verbose=False,
                       class_names=["low", "high"])
    return dataset_from_clips(clips, batch_size=batch_size, seed=0)


@pytest.mark.slow
def test_wavegan_trains_with_wgan_gp_by_default(tmp_path):
    gan = _small()
    gan.compile()
    assert gan.adversarial_loss.name == "wgan-gp" and gan.adversarial_loss.n_critic == 5
    history = gan.fit(_dataset(tmp_path), epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == 5 * int(gan.g_optimizer.iterations) == 10
    assert np.isfinite(history.history["gradient_penalty"][0])
    waves = gan.generate(3, labels="high", seed=1)
    assert waves.shape == (3, 16384) and waves.dtype == np.float32
    np.testing.assert_array_equal(gan.resolve_labels(2, ["low", "high"]), [0, 1])
    with pytest.raises(ValueError, match="Unknown class 'seven'"):
        gan.generate(1, labels="seven")


@pytest.mark.slow
def test_wavegan_bce_round_trip_and_export(tmp_path):
    gan = _small(sample_rate=22050)
    gan.compile(loss="bce")
    gan.fit(_dataset(tmp_path), epochs=1, verbose=0)
    gan.save(tmp_path / "w.keras")
    loaded = ganzoo.load_model(tmp_path / "w.keras")
    assert loaded.sample_rate == 22050 and loaded.class_names == ["low", "high"]
    np.testing.assert_array_equal(loaded.generate(2, labels=1, seed=4), gan.generate(2, labels=1, seed=4))
    gan.export(tmp_path / "sm")
    z = gan.sample_latent(2, seed=0)
    np.save(tmp_path / "z.npy", z)
    script = f"""
import numpy as np, tensorflow as tf
f = tf.saved_model.load({str(tmp_path / 'sm')!r}).signatures["serving_default"]
out = f(latent=tf.constant(np.load({str(tmp_path / 'z.npy')!r})), labels=tf.constant([0, 1]))
np.save({str(tmp_path / 'out.npy')!r}, out["samples"].numpy())
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"), timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"),
                               gan.generate_from_latent(z, np.array([0, 1], "int32")), atol=1e-5)


@pytest.mark.slow
def test_wavegan_under_mirrored_strategy_and_bfloat16(tmp_path, mirrored):
    with mirrored.scope():
        gan = _small(precision="mixed_bfloat16")
        gan.compile(n_critic=2)
    history = gan.fit(_dataset(tmp_path, batch_size=4), epochs=1, verbose=0)
    assert all(np.isfinite(history.history[k][0]) for k in ("d_loss", "g_loss"))
    assert gan.generator.output.dtype == "float32"


def test_spectrogram_grid_writes_png_and_wavs(tmp_path):
    from PIL import Image

    gan = _small()
    gan.compile(loss="bce")
    cb = SpectrogramGrid(tmp_path / "s", per_class=3, wav_previews=2)
    gan.fit(_dataset(tmp_path), epochs=1, verbose=0, callbacks=[cb])
    names = sorted(os.listdir(tmp_path / "s"))
    assert names == ["epoch_0001.png", "epoch_0001_0_low.wav", "epoch_0001_1_high.wav"]
    assert Image.open(tmp_path / "s" / "epoch_0001.png").size[0] > 300
    assert sf.info(tmp_path / "s" / "epoch_0001_1_high.wav").frames == 16384


def test_cli_trains_and_generates_wavegan(tmp_path, capsys):
    from ganzoo import cli

    data = write_words(tmp_path / "words", per_word=4)
    run = tmp_path / "run"
    assert cli.main(["train", "wavegan", "--data", str(data), "--out", str(run), "--epochs", "1",
                     "--batch-size", "4", "--model-size", "2", "--latent-dim", "8",
                     "--loss", "bce", "--quiet"]) == 0
    assert (run / "samples" / "epoch_0001.png").exists() and (run / "loss_curve.png").exists()
    out = tmp_path / "gen"
    assert cli.main(["generate", str(run), "--n", "3", "--label", "high", "--out", str(out)]) == 0
    assert sorted(os.listdir(out / "high")) == ["00000.wav", "00001.wav", "00002.wav"]
    assert cli.main(["generate", str(run), "--n", "3", "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert cli.main(["train", "wavegan", "--out", str(tmp_path / "r2")]) == 2
    assert "needs --data" in capsys.readouterr().err


# ---------------------------------------------------------------- evaluator


def test_spoken_digit_evaluator_scores_real_clips_above_noise():
    """tests/data/spoken: 20 real clips (2 per word) the evaluator never trained on."""
    from ganzoo.audio.evaluator import WORDS
    from ganzoo.metrics import score_spoken_digits

    folder = os.path.join(os.path.dirname(__file__), "data", "spoken")
    clips = load_clips(folder, RATE, labels="filename", class_names=WORDS, verbose=False)
    real = np.stack([np.pad(clips.clip(i)[:16384], (0, max(0, 16384 - clips.lengths[i])))
                     for i in range(len(clips))])
    scores = score_spoken_digits(real, labels=[WORDS[i] for i in clips.labels])
    assert scores["label_accuracy"] >= 0.85
    assert scores["classifier_score"] > 5
    noise = np.random.default_rng(0).normal(0, 0.3, size=(20, 16384)).astype("float32")
    assert score_spoken_digits(noise)["frechet_distance"] > 3 * scores["frechet_distance"]
    with pytest.raises(ValueError, match="Unknown class 'eleven'"):
        score_spoken_digits(real[:2], labels=["one", "eleven"])
