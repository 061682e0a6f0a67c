"""The auxiliary classifier (AC-GAN) term of the adversarial core."""

import numpy as np
import pytest
import tensorflow as tf
import keras

import ganzoo

from ganzoo.core import noise
from tests.helpers import bce, tiny_gan


def _separable(n=64, features=6, num_classes=2, batch_size=16, repeat=1):
    """Class k sits near +0.6 (k even) or -0.6 (k odd) in every feature."""
    rng = np.random.default_rng(0)
    y = (np.arange(n) % num_classes).astype("int32")
    centre = np.where(y % 2 == 0, 0.6, -0.6)[:, None]
    x = (centre + 0.05 * rng.normal(size=(n, features))).astype("float32")
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size).repeat(repeat)


def _ac_gan(weight=0.5, **kwargs):
    return tiny_gan(num_classes=2, classifier=True, class_loss_weight=weight, **kwargs)


def _cross_entropy(labels, logits):
    logits = logits - logits.max(axis=1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(labels)), labels]


def test_losses_add_the_weighted_class_cross_entropy_by_hand():
    gan = _ac_gan(weight=0.5)
    # Learning rate 0: the step computes its losses on the weights we read.
    gan.compile(g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(0.0))
    real, labels = next(iter(_separable(n=8, batch_size=8)))
    fake = tf.random.stateless_uniform([8, 6], [1, 2], -1, 1)
    real_logit, real_classes = [o.numpy() for o in gan.discriminator([real, labels])]
    fake_logit, _ = [o.numpy() for o in gan.discriminator([fake, labels])]
    want_d = (np.mean(bce(0.9, real_logit) + bce(0.0, fake_logit))
              + 0.5 * np.mean(_cross_entropy(labels.numpy(), real_classes)))
    got_d = float(gan.discriminator_step(real, labels, fake=fake))
    np.testing.assert_allclose(got_d, want_d, rtol=1e-5)

    z = noise.latent(8, gan.latent_dim, gan.seed, noise.GENERATOR, gan.g_optimizer.iterations)
    generated = gan.generator([z, labels])
    fake_logit, fake_classes = [o.numpy() for o in gan.discriminator([generated, labels])]
    want_g = (np.mean(bce(1.0, fake_logit))
              + 0.5 * np.mean(_cross_entropy(labels.numpy(), fake_classes)))
    np.testing.assert_allclose(float(gan.generator_step(8, labels)), want_g, rtol=1e-5)


def test_each_step_still_touches_only_its_own_network():
    gan = _ac_gan()
    gan.compile()
    real, labels = next(iter(_separable()))
    g_before = [np.array(w) for w in gan.generator.weights]
    head = gan.discriminator.layers[-1]
    head_before = [np.array(w) for w in head.weights]
    gan.discriminator_step(real, labels)
    for before, after in zip(g_before, gan.generator.weights):
        np.testing.assert_array_equal(before, np.array(after))
    # The classifier head learns in the discriminator's step.
    assert any(not np.array_equal(b, np.array(a)) for b, a in zip(head_before, head.weights))
    d_before = [np.array(w) for w in gan.discriminator.weights]
    gan.generator_step(16, labels)
    for before, after in zip(d_before, gan.discriminator.weights):
        np.testing.assert_array_equal(before, np.array(after))


def test_classifier_learns_real_labels_and_generator_follows_them():
    keras.utils.set_random_seed(0)
    gan = _ac_gan(weight=1.0)
    gan.compile(g_optimizer=keras.optimizers.Adam(5e-3), d_optimizer=keras.optimizers.Adam(5e-3))
    history = gan.fit(_separable(repeat=60), epochs=1, verbose=0)
    assert {"d_class_acc", "g_class_acc"} <= set(history.history)
    real, labels = next(iter(_separable(n=64, batch_size=64)))
    _, classes = gan.discriminator([real, labels])
    assert np.mean(np.argmax(classes.numpy(), axis=1) == labels.numpy()) > 0.95
    # Generated samples land on their requested class's side.
    samples = gan.generate(200, labels=np.arange(200) % 2, seed=3)
    side = np.where(samples.mean(axis=1) > 0, 0, 1)
    assert np.mean(side == np.arange(200) % 2) > 0.9


def test_fit_reports_class_accuracies_in_history_and_progress():
    gan = _ac_gan()
    gan.compile()
    history = gan.fit(_separable(), epochs=2, verbose=0)
    for key in ("d_class_acc", "g_class_acc"):
        assert len(history.history[key]) == 2
        assert all(0.0 <= v <= 1.0 for v in history.history[key])
    plain = tiny_gan(num_classes=2)
    plain.compile()
    assert "d_class_acc" not in plain.fit(_separable(), epochs=1, verbose=0).history


def test_bad_settings_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="two outputs"):
        tiny_gan(num_classes=2, class_loss_weight=1.0)  # no classifier head
    with pytest.raises(ValueError, match="pass class_loss_weight"):
        tiny_gan(num_classes=2, classifier=True)  # a head nobody trains
    with pytest.raises(ValueError, match="positive"):
        _ac_gan(weight=0.0)
    with pytest.raises(ValueError, match="num_classes"):
        from ganzoo.image import DCGAN

        DCGAN(class_loss_weight=1.0)


def test_domain_models_save_and_load_the_classifier(tmp_path):
    from ganzoo.audio import WaveGAN
    from ganzoo.image import DCGAN

    for gan in (DCGAN(num_classes=3, latent_dim=8, model_size=4, class_loss_weight=0.5, seed=1),
                WaveGAN(num_classes=3, model_size=2, latent_dim=8, class_loss_weight=0.5, seed=1)):
        gan.compile(loss="bce")
        assert gan.discriminator.outputs[1].shape[-1] == 3
        path = tmp_path / f"{gan.name}.keras"
        gan.save(path)
        loaded = ganzoo.load_model(path)
        assert loaded.class_loss_weight == 0.5
        assert "d_class_acc" in [m.name for m in loaded.metrics]
        for a, b in zip(gan.discriminator.weights, loaded.discriminator.weights):
            np.testing.assert_array_equal(np.array(a), np.array(b))
        np.testing.assert_array_equal(gan.generate(4, seed=2), loaded.generate(4, seed=2))
