"""SpecGAN: spectrograms on the shared core, Griffin-Lim in the graph, export, CLI."""

import os
import subprocess
import sys

import keras

import ganzoo
import numpy as np
import pytest

from ganzoo import cli
from ganzoo.audio import SpecGAN, load_clips, spectrogram_dataset
from ganzoo.audio.spectrogram import log_magnitude

SPOKEN = os.path.join(os.path.dirname(__file__), "data", "spoken")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    keras.utils.set_random_seed(0)
    clips = load_clips(SPOKEN, 16000, verbose=False)
    gan = SpecGAN(class_names=clips.class_names, model_size=4, latent_dim=8, seed=0,
                  griffin_lim_iterations=8)
    ds = spectrogram_dataset(gan, clips, batch_size=8, seed=0)
    gan.compile()
    history = gan.fit(ds, epochs=2, verbose=0)
    return gan, clips, history


def test_trains_on_normalized_spectrograms_and_generates_waveforms(trained):
    gan, clips, history = trained
    assert int(gan.g_optimizer.iterations) == 2 * (len(clips) // 8)
    assert np.isfinite(history.history["d_loss"]).all()
    # the statistics were fitted on the clips: their spectrograms normalize to ~N(0, 1/9)
    specs = gan.spectrograms(np.stack([np.pad(clips.clip(i)[:16384],
                                              (0, max(0, 16384 - clips.lengths[i])))
                                       for i in range(len(clips))])).numpy()
    assert specs.shape == (len(clips), 128, 128, 1) and -1 <= specs.min() < specs.max() <= 1
    assert abs(specs.mean()) < 0.05 and 0.2 < specs.std() < 0.4
    waves = gan.generate(4, labels=["seven", "two", "seven", "two"], seed=3)
    assert waves.shape == (4, 16384) and waves.dtype == np.float32 and np.isfinite(waves).all()
    np.testing.assert_array_equal(gan.generate(4, labels=["seven", "two"] * 2, seed=3), waves)
    spectrograms = gan.generate_spectrograms(4, labels="seven", seed=3)
    assert spectrograms.shape == (4, 128, 128) and np.abs(spectrograms).max() <= 1.0
    # the inversion generate uses, applied to real spectrograms, gives back their sound
    rebuilt = gan.postprocess(specs[:4]).numpy()
    again = gan.spectrograms(rebuilt).numpy()
    assert np.corrcoef(again[:, 1:].ravel(), specs[:4, 1:].ravel())[0, 1] > 0.9
    assert gan.domain == "audio" and gan.sample_facts()["sample_rate"] == 16000


def test_keras_round_trip_keeps_the_statistics(trained, tmp_path):
    gan, _, _ = trained
    gan.save(tmp_path / "s.keras")
    loaded = ganzoo.load_model(tmp_path / "s.keras")
    np.testing.assert_array_equal(loaded.normalization.mean.numpy(), gan.normalization.mean.numpy())
    np.testing.assert_allclose(loaded.generate(2, labels=0, seed=1), gan.generate(2, labels=0, seed=1),
                               atol=1e-6)
    assert loaded.griffin_lim_iterations == 8


def test_generator_only_float16_preset_keeps_the_statistics(trained, tmp_path):
    import ganzoo

    gan, _, _ = trained
    ganzoo.save_preset(gan, str(tmp_path / "p"), weights="generator", weights_dtype="float16")
    loaded = ganzoo.from_preset(str(tmp_path / "p"))
    # The statistics travel in the config, at full precision, not in the weights file.
    np.testing.assert_array_equal(loaded.normalization.std.numpy(), gan.normalization.std.numpy())
    np.testing.assert_allclose(loaded.generate_spectrograms(3, labels=1, seed=2),
                               gan.generate_spectrograms(3, labels=1, seed=2), atol=0.02)
    assert np.isfinite(loaded.generate(2, labels=0, seed=1)).all()
    fresh = SpecGAN(model_size=2, latent_dim=4)
    assert fresh.get_config()["spectrogram_statistics"] is None
    with pytest.raises(ValueError, match="never fitted"):
        fresh.generate(1)
    with pytest.raises(ValueError, match="128 values each"):
        SpecGAN(model_size=2, latent_dim=4, spectrogram_statistics={"mean": [0.0], "std": [1.0]})


def test_savedmodel_maps_latent_and_labels_to_waveforms_without_ganzoo(trained, tmp_path):
    gan, _, _ = trained
    gan.export(str(tmp_path / "sm"))
    z = gan.sample_latent(2, seed=4)
    expected = gan.generate_from_latent(z, np.array([1, 3], "int32"))
    np.save(tmp_path / "z.npy", z)
    script = (
        "import sys, numpy as np, tensorflow as tf\n"
        f"serve = tf.saved_model.load({str(tmp_path / 'sm')!r}).signatures['serving_default']\n"
        f"z = np.load({str(tmp_path / 'z.npy')!r})\n"
        "out = serve(latent=tf.constant(z), labels=tf.constant([1, 3], tf.int32))['samples']\n"
        f"np.save({str(tmp_path / 'out.npy')!r}, out.numpy())\n"
        "assert not any(m.startswith(('ganzoo', 'librosa')) for m in sys.modules)\n")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([sys.executable, "-c", script], cwd=str(tmp_path), env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    served = np.load(tmp_path / "out.npy")
    assert served.shape == (2, 16384)
    np.testing.assert_allclose(served, expected, atol=1e-5)


def test_bad_input_is_refused(tmp_path):
    with pytest.raises(ValueError, match="slices of 16384 samples"):
        SpecGAN(slice_length=32768)
    gan = SpecGAN(model_size=2, latent_dim=4)
    with pytest.raises(ValueError, match="silent"):
        gan.adapt(np.zeros((4, 16384), "float32"))
    with pytest.raises(ValueError, match="22050 Hz audio"):
        gan.adapt(np.random.default_rng(0).normal(size=(4, 16384)).astype("float32"),
                  sample_rate=22050)
    with pytest.raises(ValueError, match="shorter than one STFT frame"):
        log_magnitude(np.zeros((1, 200), "float32"))
    clips = load_clips(SPOKEN, 8000, verbose=False)
    with pytest.raises(ValueError, match="8000 Hz; the model is for 16000 Hz"):
        spectrogram_dataset(gan, clips)


@pytest.mark.slow
def test_cli_trains_and_generates_specgan(tmp_path, capsys):
    run = tmp_path / "run"
    assert cli.main(["train", "specgan", "--data", SPOKEN, "--out", str(run), "--epochs", "1",
                     "--batch-size", "8", "--model-size", "2", "--latent-dim", "8",
                     "--quiet"]) == 0
    samples = sorted(os.listdir(run / "samples"))
    assert "epoch_0001.png" in samples and any(s.endswith(".wav") for s in samples)
    assert cli.main(["train", "specgan", "--data", SPOKEN, "--out", str(run), "--epochs", "2",
                     "--resume", "--quiet"]) == 0
    model = ganzoo.load_model(run / "model.keras")
    assert int(model.g_optimizer.iterations) == 2 * (20 // 8)
    assert float(model.normalization.adapted.numpy()) == 1.0
    out = tmp_path / "words"
    assert cli.main(["generate", str(run), "--per-class", "1", "--out", str(out),
                     "--quiet"]) == 0
    assert sorted(os.listdir(out)) == sorted(model.class_names)
