"""The generator's weight average (`generator_ema`): its arithmetic, where it lives
during and after training, and that every way out of the model (generate, .keras,
export, presets, MirroredStrategy) uses it."""

import os
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

import ganzoo
from ganzoo.image import DCGAN, dataset_from_arrays
from tests.helpers import tiny_gan


def _data(n=16, features=6, batch_size=8):
    x = np.tanh(np.random.default_rng(0).normal(size=(n, features))).astype("float32")
    return tf.data.Dataset.from_tensor_slices(x).batch(batch_size, drop_remainder=True)


def _generator_weights(gan):
    return [v.numpy() for v in gan.generator.trainable_variables]


class _Record(keras.callbacks.Callback):
    """The generator's weights as training sees them, at the start of fit."""

    def on_train_begin(self, logs=None):
        self.start = _generator_weights(self.model)


def test_average_after_one_step_and_trained_weights_kept_aside():
    gan = tiny_gan(generator_ema=0.999)
    gan.compile(g_optimizer=keras.optimizers.SGD(0.5), d_optimizer=keras.optimizers.SGD(0.1),
                steps_per_execution=1)
    initial = _generator_weights(gan)
    gan.fit(_data().take(1), epochs=1, verbose=0)
    trained = [v.numpy() for v in gan.generator_average.weights]  # kept aside outside fit
    averaged = _generator_weights(gan)
    # Step 1 of the warm-up: decay min(0.999, 2 / 11).
    for w0, w1, avg in zip(initial, trained, averaged):
        np.testing.assert_allclose(avg, 2 / 11 * w0 + 9 / 11 * w1, rtol=1e-5, atol=1e-6)
    assert any(not np.allclose(a, b) for a, b in zip(trained, averaged))
    # The next fit trains on from the trained weights, not from the average.
    record = _Record()
    gan.fit(_data().take(1), epochs=1, verbose=0, callbacks=[record])
    for a, b in zip(record.start, trained):
        np.testing.assert_array_equal(a, b)
    assert gan.generator_average.in_generator.numpy() == 1.0


class _TrainedWeights(keras.callbacks.Callback):
    """The generator's trained weights before training and after every step."""

    def on_train_begin(self, logs=None):
        self.steps = [_generator_weights(self.model)]

    def on_train_batch_end(self, batch, logs=None):
        self.steps.append(_generator_weights(self.model))


def _average_by_hand(steps, decay):
    average = [w.astype("float64") for w in steps[0]]
    for t, weights in enumerate(steps[1:], start=1):
        d = min(decay, (1 + t) / (10 + t))
        average = [d * a + (1 - d) * w for a, w in zip(average, weights)]
    return average


def test_generate_save_load_and_export_use_the_average(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, (32, 16, 16)).astype("uint8")
    labels = np.arange(32) % 2
    gan = DCGAN((16, 16, 1), num_classes=2, latent_dim=8, model_size=4, generator_ema=0.9, seed=1)
    gan.compile(steps_per_execution=1)
    trained = _TrainedWeights()
    gan.fit(dataset_from_arrays(images, labels, batch_size=16), epochs=2, verbose=0,
            callbacks=[trained])
    assert len(trained.steps) == 5  # the initial weights and 4 steps
    # The reference: a copy of the generator holding the average computed here from the
    # weights training produced, and one holding the last trained weights.
    z = gan.sample_latent(4, seed=2)
    condition = np.array([0, 1, 0, 1], "int32")
    reference = keras.models.clone_model(gan.generator)
    reference.set_weights(gan.generator.get_weights())  # batch statistics are not averaged
    for variable, value in zip(reference.trainable_variables, _average_by_hand(trained.steps, 0.9)):
        variable.assign(value.astype("float32"))
    by_hand = reference([z, condition], training=False).numpy()
    for variable, value in zip(reference.trainable_variables, trained.steps[-1]):
        variable.assign(value)
    last_step = reference([z, condition], training=False).numpy()
    out = gan.generate_from_latent(z, condition)
    np.testing.assert_allclose(out, by_hand, rtol=1e-4, atol=1e-5)
    assert np.abs(out - last_step).max() > 100 * np.abs(out - by_hand).max()
    gan.save(tmp_path / "m.keras")
    loaded = ganzoo.load_model(tmp_path / "m.keras")
    assert loaded.generator_ema == 0.9
    np.testing.assert_array_equal(loaded.generate(6, seed=3), gan.generate(6, seed=3))
    for a, b in zip(loaded.generator_average.weights, gan.generator_average.weights):  # trained weights travel too
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    gan.export(str(tmp_path / "saved"))
    code = ("import sys, numpy as np, tensorflow as tf; m = tf.saved_model.load(sys.argv[1]);"
            "z = np.load(sys.argv[2]); out = m.serve(tf.constant(z), tf.constant([0, 1, 0, 1]));"
            "np.save(sys.argv[3], out['samples'].numpy())")
    np.save(tmp_path / "z.npy", z)
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "saved"), str(tmp_path / "z.npy"),
                    str(tmp_path / "out.npy")], check=True,
                   env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), by_hand, rtol=1e-5, atol=1e-6)
    # a generator-only preset holds the average and generates the same
    preset = ganzoo.save_preset(gan, str(tmp_path / "preset"), weights="generator")
    from_preset = ganzoo.from_preset(preset)
    np.testing.assert_allclose(from_preset.generate(6, seed=3), gan.generate(6, seed=3),
                               rtol=1e-6)


class _GenerateMidway(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        before = _generator_weights(self.model)
        self.samples = self.model.generate(3, seed=0)
        self.restored = all(np.array_equal(a, b)
                            for a, b in zip(before, _generator_weights(self.model)))
        with self.model.averaged_generator_weights():
            self.averaged = _generator_weights(self.model)


def test_generation_during_fit_uses_the_average_and_leaves_training_alone():
    gan = tiny_gan(generator_ema=0.9)
    gan.compile(steps_per_execution=1)
    callback = _GenerateMidway()
    gan.fit(_data(), epochs=2, verbose=0, callbacks=[callback])
    assert callback.restored
    # the average seen mid-way is the one the model holds after its last epoch
    for a, b in zip(callback.averaged, _generator_weights(gan)):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(callback.samples, gan.generate(3, seed=0))


def test_old_configs_and_bad_decay():
    config = DCGAN((16, 16, 1), latent_dim=8, model_size=4).get_config()
    assert config["generator_ema"] == 0.999  # the DCGAN default
    assert DCGAN((16, 16, 1), latent_dim=8, model_size=4, generator_ema=None).generator_ema is None
    del config["generator_ema"]  # written before the option existed
    assert DCGAN.from_config(config).generator_ema is None
    with pytest.raises(ValueError, match="generator_ema"):
        tiny_gan(generator_ema=1.5)


def test_average_under_mirrored_strategy_matches_one_device(mirrored):
    weights = tiny_gan(generator_ema=0.5).get_weights()

    def run(strategy):
        with strategy.scope():
            gan = tiny_gan(generator_ema=0.5)
            gan.set_weights(weights)
            gan.compile(g_optimizer=keras.optimizers.SGD(0.1),
                        d_optimizer=keras.optimizers.SGD(0.1), steps_per_execution=1)
        gan.fit(_data(), epochs=2, verbose=0, shuffle=False)
        return _generator_weights(gan), [v.numpy() for v in gan.generator_average.weights]

    single = run(tf.distribute.get_strategy())
    assert mirrored.num_replicas_in_sync == 2
    distributed = run(mirrored)
    for a, b in zip(single[0] + single[1], distributed[0] + distributed[1]):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)


def test_train_on_batch_trains_the_trained_weights_and_updates_the_average():
    gan = tiny_gan(generator_ema=0.9)
    gan.compile(steps_per_execution=1)
    gan.fit(_data(), epochs=1, verbose=0)
    trained_before = [v.numpy() for v in gan.generator_average.weights]
    average_before = _generator_weights(gan)
    gan.train_on_batch(next(iter(_data())))
    assert gan.generator_average.in_generator.numpy() == 1.0
    trained_after = [v.numpy() for v in gan.generator_average.weights]
    step = int(gan.g_optimizer.iterations.numpy())
    decay = min(0.9, (1 + step) / (10 + step))
    assert any(not np.allclose(a, b) for a, b in zip(trained_before, trained_after))
    for avg, before, trained in zip(_generator_weights(gan), average_before, trained_after):
        np.testing.assert_allclose(avg, decay * before + (1 - decay) * trained,
                                   rtol=1e-5, atol=1e-6)
