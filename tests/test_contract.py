"""The model contract, the registry, files saved by ganzoo 0.2, deprecated names, and the
command line's manners (no TensorFlow for --help, no C++ log lines, small data)."""

import importlib
import json
import os
import subprocess
import sys
import warnings

import keras
import numpy as np
import pytest
from keras import layers

import ganzoo
from ganzoo import cli
from ganzoo.core.adversarial import AdversarialModel
from tests.conftest import make_digit_like

LEGACY = os.path.join(os.path.dirname(__file__), "data", "legacy")


# ------------------------------------------------------- files of ganzoo 0.2


def test_keras_files_saved_by_ganzoo_0_2_load_and_generate_the_same():
    expected = np.load(os.path.join(LEGACY, "expected_0.2.0.npz"))
    dcgan = ganzoo.load_model(os.path.join(LEGACY, "dcgan_0.2.0.keras"))
    assert dcgan.model_size == 4 and dcgan.class_loss_weight == 1.0  # "filters" in 0.2
    assert dcgan.generator_ema == 0.999 and dcgan.domain == "image"
    np.testing.assert_allclose(dcgan.generate(4, labels=[0, 1, 0, 1], seed=5),
                               expected["dcgan"], atol=1e-5)
    wavegan = ganzoo.load_model(os.path.join(LEGACY, "wavegan_0.2.0.keras"))
    assert wavegan.class_names == ["no", "yes"] and wavegan.generator_ema == 0.9
    np.testing.assert_allclose(wavegan.generate(2, labels="yes", seed=5)[:, :2048],
                               expected["wavegan"], atol=1e-5)
    # A loaded model trains on: the optimizer state came back with it.
    steps = int(dcgan.g_optimizer.iterations)
    x, y = make_digit_like(n=32, side=16, num_classes=2)
    dcgan.fit(ganzoo.image.dataset_from_arrays(x, y, batch_size=16), epochs=1, verbose=0)
    assert int(dcgan.g_optimizer.iterations) == steps + 2


def test_tabular_augmenter_saved_by_ganzoo_0_2_loads():
    from ganzoo.tabular import TabularAugmenter

    aug = TabularAugmenter.load(os.path.join(LEGACY, "tabular_0.2.0"))
    assert aug.model.condition_dim == aug.model.generator.inputs[1].shape[-1]
    assert aug.model.num_classes is None  # 0.2 called the condition width num_classes
    rows = aug.sample(20, seed=0)
    assert list(rows.columns) == ["a", "b", "c"] and len(rows) == 20
    assert set(rows["b"]) <= {"x", "y"}


def test_bundled_presets_load_under_todays_names():
    dcgan = ganzoo.from_preset("dcgan_digits")
    assert dcgan.model_size == 64 and dcgan.domain == "image" and dcgan.num_classes == 10
    wavegan = ganzoo.from_preset("wavegan_digits")
    assert wavegan.domain == "audio" and wavegan.class_names[7] == "seven"


# ---------------------------------------------------------- the contract


def test_every_model_serializes_the_core_fields_once_and_round_trips():
    from ganzoo.audio import WaveGAN
    from ganzoo.image import DCGAN
    from ganzoo.tabular import TabularGAN

    models = [
        DCGAN((16, 16, 1), class_names=["a", "b"], latent_dim=8, model_size=4, seed=1),
        WaveGAN(num_classes=2, model_size=2, latent_dim=8, seed=1, class_loss_weight=0.5),
        TabularGAN([("scalar", 1), ("onehot", 2), ("onehot", 3)], discrete_index=[1, 2, 3, 4, 5],
                   latent_dim=8, generator_dims=(8,), discriminator_dims=(8,), pac=2, seed=1),
    ]
    for model in models:
        config = model.get_config()
        for key in ("latent_dim", "num_classes", "class_names", "condition_dim", "seed",
                    "generator_ema", "class_loss_weight"):
            assert key in config, (type(model).__name__, key)
        assert "generator" not in config and "discriminator" not in config
        again = type(model).from_config(json.loads(json.dumps(config)))
        assert again.get_config() == config
        # one default for the image and audio models; the tabular GAN's few thousand
        # steps take the shorter average its augmenter measured best
        assert model.generator_ema == (0.99 if model.domain == "table" else 0.999)
    assert models[0].num_classes == 2 and models[0].class_label(1) == "b"
    assert models[2].condition_dim == 5 and models[2].num_classes is None
    assert [m.domain for m in models] == ["image", "audio", "table"]
    assert models[1].sample_facts() == {"sample_rate": 16000, "slice_length": 16384}


@keras.saving.register_keras_serializable(package="ganzoo_tests")
class PointGAN(AdversarialModel):
    """A model the package has never heard of: 2-D points, written as CSV files."""

    domain = "points"
    builds_own_networks = True

    def __init__(self, latent_dim=2, **kwargs):
        z = keras.Input((latent_dim,))
        generator = keras.Model(z, layers.Dense(2)(z))
        x = keras.Input((2,))
        discriminator = keras.Model(x, layers.Dense(1)(x))
        super().__init__(generator, discriminator, latent_dim, **kwargs)

    def sample_facts(self):
        return {"dimensions": 2}

    def write_samples(self, samples, out, labels=None, overwrite=False, progress=True):
        np.savetxt(out, samples, delimiter=",")
        return out


def test_tools_ask_the_model_instead_of_testing_its_type(tmp_path, capsys):
    gan = PointGAN(seed=0)
    preset = ganzoo.save_preset(gan, str(tmp_path / "points"))
    info = json.load(open(os.path.join(preset, "metadata.json")))
    assert info["domain"] == "points" and info["dimensions"] == 2
    assert cli.main(["generate", preset, "--n", "5", "--seed", "1",
                     "--out", str(tmp_path / "p.csv"), "--quiet"]) == 0
    written = np.loadtxt(tmp_path / "p.csv", delimiter=",")
    np.testing.assert_allclose(written, gan.generate(5, seed=1), atol=1e-6)
    with pytest.raises(ValueError, match="makes points samples, not image"):
        ganzoo.augment.images(np.zeros((4, 28, 28), "uint8"), preset=gan, per_class=1)
    with pytest.raises(ValueError, match="no preview picture"):
        gan.save_preview(str(tmp_path / "p.png"))


def test_registry_names_models_and_suggests_close_names():
    from ganzoo import models

    assert models.trainable_names() == ["dcgan", "specgan", "wavegan"]
    assert models.model_class("dcgan") is ganzoo.image.DCGAN
    assert models.recipe("wavegan").name == "wavegan"
    with pytest.raises(ValueError, match="Did you mean 'dcgan'"):
        models.model_class("dcgen")


def test_deprecated_names_still_work_and_warn():
    from ganzoo.image import DCGAN

    with pytest.warns(DeprecationWarning, match="model_size"):
        gan = DCGAN((16, 16, 1), latent_dim=8, filters=4)
    assert gan.model_size == 4 and gan.filters == 4
    clips_dir = os.path.join(os.path.dirname(__file__), "data", "spoken")
    with pytest.warns(DeprecationWarning, match="dataset_from_directory"):
        ds = ganzoo.audio.dataset_from_files(clips_dir, batch_size=4)
    assert ds.element_spec[0].shape.as_list() == [4, 16384]
    for name in ("ganzoo.core.metrics", "ganzoo.core.callbacks"):
        sys.modules.pop(name, None)
        with pytest.warns(DeprecationWarning, match="deprecated"):
            module = importlib.import_module(name)
    assert module.LossCurve is ganzoo.callbacks.LossCurve


# ------------------------------------------------------ small data sets


def test_fewer_examples_than_the_batch_train_with_the_batch_capped(tmp_path, capsys):
    x, y = make_digit_like(n=10, side=16, num_classes=2)
    with pytest.warns(UserWarning, match="Only 10 images for batch size 64"):
        ds = ganzoo.image.dataset_from_arrays(x, y, batch_size=64)
    assert [int(b[0].shape[0]) for b in ds] == [10]
    clips_dir = os.path.join(os.path.dirname(__file__), "data", "spoken")
    run = tmp_path / "run"
    # 20 clips, the default batch of 64
    assert cli.main(["train", "wavegan", "--data", clips_dir, "--out", str(run),
                     "--epochs", "1", "--model-size", "2", "--latent-dim", "8",
                     "--loss", "bce", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "ganzoo train: note: Only 20 examples for batch size 64: training with batches of 20" \
        in err and len(err.strip().splitlines()) == 1
    model = ganzoo.load_model(run / "model.keras")
    assert int(model.g_optimizer.iterations) == 1


# ----------------------------------------------------- command-line manners


def _blocked_tensorflow(tmp_path):
    """An environment in which importing TensorFlow fails."""
    fake = tmp_path / "fake" / "tensorflow"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('TensorFlow was imported')\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path / "fake"), os.getcwd()])
    return env


def test_help_and_presets_answer_without_tensorflow(tmp_path):
    env = _blocked_tensorflow(tmp_path)
    for args in (["--help"], ["train", "--help"], ["generate", "--help"], ["presets"],
                 ["presets", "dcgan_digits"]):
        result = subprocess.run([sys.executable, "-m", "ganzoo", *args], env=env,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, (args, result.stderr)
        assert "TensorFlow was imported" not in result.stderr
    assert "dcgan_digits" in result.stdout
    # ... whereas a command that trains does need it (so the block above is real).
    result = subprocess.run([sys.executable, "-m", "ganzoo", "train", "dcgan", "--out",
                             str(tmp_path / "r")], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0 and "TensorFlow was imported" in result.stderr


@pytest.mark.slow
def test_no_tensorflow_log_lines_unless_verbose(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    args = [sys.executable, "-m", "ganzoo", "train", "dcgan", "--model-size", "4",
            "--latent-dim", "8", "--epochs", "1", "--batch-size", "1000", "--quiet"]
    quiet = subprocess.run(args + ["--out", str(tmp_path / "q")], env=env, capture_output=True,
                           text=True, timeout=300)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    assert "Evaluator:" in quiet.stdout
    verbose = subprocess.run(args + ["--out", str(tmp_path / "v"), "--verbose"], env=env,
                             capture_output=True, text=True, timeout=300)
    assert verbose.returncode == 0
    assert "absl" in verbose.stderr or "tensorflow" in verbose.stderr.lower() \
        or "cuda" in verbose.stderr.lower()


# ------------------------------------------------------------- TensorBoard


def _events(directory):
    import tensorflow as tf

    found = []
    for root, _, files in os.walk(directory):
        for name in files:
            if name.startswith("events.out.tfevents"):
                for event in tf.compat.v1.train.summary_iterator(os.path.join(root, name)):
                    for value in event.summary.value:
                        found.append((os.path.relpath(root, directory), event.step, value))
    return found


def test_tensorboard_gets_losses_and_sample_grids(tmp_path, capsys):
    import tensorflow as tf

    x, y = make_digit_like(n=32, side=16, num_classes=2)
    np.savez(tmp_path / "d.npz", images=x[..., 0], labels=y)
    logs = tmp_path / "logs"
    assert cli.main(["train", "dcgan", "--data", str(tmp_path / "d.npz"), "--model-size", "4",
                     "--latent-dim", "8", "--batch-size", "16", "--epochs", "2", "--quiet",
                     "--out", str(tmp_path / "run"), "--tensorboard", str(logs)]) == 0
    events = _events(logs)
    images = [(step, v) for where, step, v in events if where == "samples" and v.tag == "samples"]
    assert [step for step, _ in images] == [1, 2]
    grid = tf.image.decode_png(tf.make_ndarray(images[-1][1].tensor)[2])
    assert grid.shape[2] == 3 and grid.shape[0] > 50  # the 2-row grid, as in samples/
    scalars = {v.tag for where, _, v in events if where == "train"}
    assert "epoch_d_loss" in scalars and "epoch_g_loss" in scalars


def test_audio_previews_reach_tensorboard(tmp_path):
    import tensorflow as tf

    from ganzoo.audio import SpectrogramGrid, WaveGAN

    gan = WaveGAN(num_classes=2, class_names=["lo", "hi"], model_size=2, latent_dim=8, seed=0)
    gan.compile(loss="bce")
    waves = np.random.default_rng(0).uniform(-0.5, 0.5, (8, 16384)).astype("float32")
    callback = SpectrogramGrid(tmp_path / "s", per_class=2, wav_previews=2,
                               log_dir=tmp_path / "logs")
    gan.fit(waves, np.arange(8, dtype="int32") % 2, batch_size=4, epochs=1, verbose=0,
            callbacks=[callback])
    audio = [v for _, step, v in _events(tmp_path / "logs") if v.tag.startswith("audio/")]
    assert sorted(v.tag for v in audio) == ["audio/0_lo", "audio/1_hi"]
    clip = tf.make_ndarray(audio[0].tensor)[0, 0]  # the encoded WAV of the first clip
    decoded, rate = tf.audio.decode_wav(clip)
    assert int(rate) == 16000 and decoded.shape == (16384, 1)
