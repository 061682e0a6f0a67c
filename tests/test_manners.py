"""A library's manners: fitting, sampling and generating leave the process's global
random generators and thread pools as they found them, seeded results repeat whatever
the global state, and `import ganzoo` does one thing whatever the command line says."""

import os
import random
import subprocess
import sys

import keras
import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from ganzoo.audio import SpecGAN, WaveGAN
from ganzoo.image import DCGAN, dataset_from_arrays
from ganzoo.tabular import TabularAugmenter
from tests.conftest import make_digit_like

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def reset_global_state(seed):
    keras.utils.set_random_seed(seed)  # Python, NumPy, TensorFlow's seed, Keras' generator
    tf.random.set_global_generator(tf.random.Generator.from_seed(seed))


def next_global_draws():
    """What the process's global generators give next, and its thread pools."""
    threads = tf.config.threading
    return (random.random(), float(np.random.random()), float(tf.random.uniform([])),
            float(tf.random.get_global_generator().normal([])),
            float(keras.random.uniform(())),
            threads.get_inter_op_parallelism_threads(),
            threads.get_intra_op_parallelism_threads())


def assert_leaves_global_state_alone(work):
    reset_global_state(11)
    expected = next_global_draws()
    reset_global_state(11)
    work()
    assert next_global_draws() == expected


def waves(n=8, length=16384, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(length) / 16000
    labels = np.arange(n, dtype="int32") % 2
    x = np.stack([0.5 * np.sin(2 * np.pi * (300 + 600 * c) * t) for c in labels])
    return (x + 0.01 * rng.standard_normal(x.shape)).astype("float32"), labels


def fit_and_generate(model, dataset):
    def work():
        model.fit(dataset, epochs=1, verbose=0)
        model.generate(4, labels=1, seed=3)
        model.generate(4)  # unseeded: fresh entropy, not the global generators
    return work


def test_dcgan_fit_and_generate_leave_the_global_state_alone():
    gan = DCGAN((28, 28, 1), num_classes=2, latent_dim=8, model_size=4, seed=0)
    gan.compile()
    dataset = dataset_from_arrays(*make_digit_like(32), batch_size=16, seed=0)
    assert_leaves_global_state_alone(fit_and_generate(gan, dataset))


def test_wavegan_fit_and_generate_leave_the_global_state_alone():
    gan = WaveGAN(num_classes=2, model_size=2, latent_dim=8, seed=0)
    gan.compile(n_critic=1)
    dataset = tf.data.Dataset.from_tensor_slices(waves()).batch(4)
    assert_leaves_global_state_alone(fit_and_generate(gan, dataset))


def test_specgan_fit_and_generate_leave_the_global_state_alone():
    gan = SpecGAN(num_classes=2, model_size=4, latent_dim=8, seed=0, griffin_lim_iterations=2)
    x, labels = waves()
    gan.adapt(x)
    gan.compile()
    dataset = tf.data.Dataset.from_tensor_slices((gan.spectrograms(x), labels)).batch(4)
    assert_leaves_global_state_alone(fit_and_generate(gan, dataset))


def small_table(n=200, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    return pd.DataFrame({"a": a, "b": 2 * a + rng.normal(scale=0.1, size=n),
                         "c": np.where(a > 0, "up", "down")})


def tiny_augmenter(**options):
    return TabularAugmenter(epochs=2, batch_size=50, generator_dims=(16,),
                            discriminator_dims=(16,), verbose=False, **options)


@pytest.mark.parametrize("seed", [4, None])
def test_tabular_fit_and_sample_leave_the_global_state_alone(seed):
    augmenter = tiny_augmenter(seed=seed)

    def work():
        augmenter.fit(small_table())
        augmenter.sample(30, seed=seed)
        augmenter.sample(30, conditions={"c": "up"})
    assert_leaves_global_state_alone(work)


def test_a_seeded_fit_repeats_whatever_the_global_state():
    samples = []
    for global_seed in (1, 2):
        reset_global_state(global_seed)
        augmenter = tiny_augmenter(seed=4, calibrate=False).fit(small_table())
        samples.append(augmenter.sample(40, seed=5))
    pd.testing.assert_frame_equal(samples[0], samples[1])
    # and the seed matters: another one gives other rows
    other = tiny_augmenter(seed=6, calibrate=False).fit(small_table()).sample(40, seed=5)
    assert not np.allclose(other["a"].to_numpy(), samples[0]["a"].to_numpy())


def test_a_table_without_discrete_columns_shuffles_without_the_global_seed():
    table = small_table().drop(columns="c")
    samples = []
    for global_seed in (1, 2):
        reset_global_state(global_seed)
        samples.append(tiny_augmenter(seed=4, calibrate=False).fit(table).sample(40, seed=5))
    pd.testing.assert_frame_equal(samples[0], samples[1])


def test_seeded_generation_repeats_and_unseeded_differs():
    gan = DCGAN((28, 28, 1), num_classes=2, latent_dim=8, model_size=4, seed=0)
    reset_global_state(1)
    first = gan.generate(4, seed=3)
    reset_global_state(2)
    np.testing.assert_array_equal(gan.generate(4, seed=3), first)
    # unseeded draws do not come from the (just reset) global generators
    reset_global_state(2)
    a = gan.generate(4)
    reset_global_state(2)
    assert not np.array_equal(gan.generate(4), a)


IMPORT_REPORT = ("import sys; sys.argv = {argv!r}; import ganzoo; "
                 "print(sorted(m for m in sys.modules if m.split('.')[0] in "
                 "('ganzoo', 'tensorflow', 'keras')))")


def modules_after_import(argv):
    result = subprocess.run([sys.executable, "-c", IMPORT_REPORT.format(argv=argv)],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_importing_ganzoo_is_the_same_whatever_argv_holds():
    plain = modules_after_import(["-c"])
    assert "tensorflow" not in plain and "keras" not in plain
    for argv in (["/usr/bin/ganzoo", "train"], ["-m"], ["script.py", "--help"]):
        assert modules_after_import(argv) == plain


@pytest.mark.slow
def test_load_model_finds_ganzoo_classes_in_a_fresh_process(tmp_path):
    path = str(tmp_path / "gan.keras")
    DCGAN((28, 28, 1), num_classes=2, latent_dim=8, model_size=4, seed=0).save(path)
    code = (f"import ganzoo; m = ganzoo.load_model({path!r}); "
            "print(type(m).__name__, m.generate(2, seed=1).shape)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, timeout=300,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-5:] == ["DCGAN", "(2,", "28,", "28,", "1)"]


def test_the_command_answers_help_without_tensorflow():
    # What makes `ganzoo --help` fast (0.1 s here, where importing TensorFlow takes
    # seconds): no command imports TensorFlow to parse its options.
    code = ("import sys; from ganzoo.cli import main\n"
            "for argv in (['--help'], ['train', '--help'], ['augment', '--help']):\n"
            "    try: main(argv)\n"
            "    except SystemExit: pass\n"
            "print('TF', 'tensorflow' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "usage: ganzoo train" in result.stdout
    assert result.stdout.strip().endswith("TF False")
