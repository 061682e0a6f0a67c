import numpy as np
import pytest
import tensorflow as tf
import keras

from ganzoo.core import losses, terms
from tests.helpers import bce, tiny_gan


def _weights(model):
    return [np.array(w) for w in model.weights]


def _data(n=32, features=6, num_classes=None, batch_size=8):
    rng = np.random.default_rng(0)
    x = np.tanh(rng.normal(size=(n, features))).astype("float32")
    if num_classes is None:
        return tf.data.Dataset.from_tensor_slices(x).batch(batch_size, drop_remainder=True)
    y = (np.arange(n) % num_classes).astype("int32")
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size, drop_remainder=True)


# ------------------------------------------------------------------- losses


def test_bce_losses_by_hand():
    loss = losses.get("bce", label_smoothing=0.1)
    real = tf.constant([[2.0], [-1.0]])
    fake = tf.constant([[0.5], [-3.0]])
    expected_d = [bce(0.9, 2.0) + bce(0.0, 0.5), bce(0.9, -1.0) + bce(0.0, -3.0)]
    np.testing.assert_allclose(loss.discriminator_loss(real, fake), expected_d, rtol=1e-5)
    np.testing.assert_allclose(loss.generator_loss(fake), [bce(1, 0.5), bce(1, -3.0)], rtol=1e-5)


def test_wgan_gp_losses_and_defaults():
    loss = losses.get("wgan-gp")
    assert loss.n_critic == 5 and loss.gradient_penalty_weight == 10.0
    np.testing.assert_allclose(
        loss.discriminator_loss(tf.constant([[2.0]]), tf.constant([[0.5]])), [-1.5])
    np.testing.assert_allclose(loss.generator_loss(tf.constant([[0.5]])), [-0.5])


def test_unknown_loss_and_bad_arguments():
    with pytest.raises(ValueError, match="Unknown adversarial loss 'lsgan'"):
        losses.get("lsgan")
    with pytest.raises(ValueError, match="label_smoothing"):
        losses.get("bce", label_smoothing=0.7)
    with pytest.raises(ValueError, match="n_critic"):
        losses.get("wgan-gp", n_critic=0)


# ------------------------------------------------------------ train step


def test_discriminator_step_leaves_generator_untouched():
    gan = tiny_gan()
    gan.compile()
    real = next(iter(_data()))
    g_before, d_before = _weights(gan.generator), _weights(gan.discriminator)
    gan.discriminator_step(real)
    for before, after in zip(g_before, _weights(gan.generator)):
        np.testing.assert_array_equal(before, after)
    assert any(not np.array_equal(b, a) for b, a in zip(d_before, _weights(gan.discriminator)))


def test_generator_step_leaves_discriminator_untouched():
    gan = tiny_gan()
    gan.compile()
    g_before, d_before = _weights(gan.generator), _weights(gan.discriminator)
    gan.generator_step(8)
    for before, after in zip(d_before, _weights(gan.discriminator)):
        np.testing.assert_array_equal(before, after)
    assert any(not np.array_equal(b, a) for b, a in zip(g_before, _weights(gan.generator)))


def test_dcgan_steps_touch_only_their_own_network(small_images):
    """The same two properties on the real DCGAN (batch norm in the generator):
    step (a) changes no trainable generator weight, step (b) no discriminator weight."""
    from ganzoo.image import DCGAN, dataset_from_arrays

    gan = DCGAN(image_shape=(28, 28, 1), num_classes=2, latent_dim=8, model_size=4)
    gan.compile()
    images, labels = next(iter(dataset_from_arrays(*small_images, batch_size=8)))
    g_before = [np.array(w) for w in gan.generator.trainable_weights]
    gan.discriminator_step(images, labels)
    for before, after in zip(g_before, gan.generator.trainable_weights):
        np.testing.assert_array_equal(before, np.array(after))
    d_before = _weights(gan.discriminator)
    gan.generator_step(8, labels)
    for before, after in zip(d_before, _weights(gan.discriminator)):
        np.testing.assert_array_equal(before, after)


def test_fit_reports_metrics_in_history():
    gan = tiny_gan()
    gan.compile()
    history = gan.fit(_data(), epochs=2, verbose=0)
    for key in ("d_loss", "g_loss", "d_real_acc", "d_fake_acc"):
        assert len(history.history[key]) == 2
        assert all(np.isfinite(history.history[key]))
    for key in ("d_real_acc", "d_fake_acc"):
        assert all(0.0 <= v <= 1.0 for v in history.history[key])
    # 4 batches per epoch, one update of each network per batch.
    assert int(gan.d_optimizer.iterations) == 8
    assert int(gan.g_optimizer.iterations) == 8


def test_discriminator_learns_to_separate_real_from_fake():
    gan = tiny_gan()
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-2),
                g_optimizer=keras.optimizers.SGD(0.0))  # a frozen generator
    rng = np.random.default_rng(0)
    real = (0.7 + 0.05 * rng.normal(size=(64, 6))).astype("float32")
    data = tf.data.Dataset.from_tensor_slices(real).batch(8).repeat(10)
    history = gan.fit(data, epochs=1, verbose=0)
    assert history.history["d_loss"][0] < 1.2  # chance level with smoothing is ~1.39
    fake = gan.generator(tf.random.normal([64, 4]))
    assert np.mean(gan.discriminator(real).numpy() > 0) > 0.9
    assert np.mean(gan.discriminator(fake).numpy() < 0) > 0.9


def test_wgan_gp_runs_n_critic_updates_and_reports_penalty():
    gan = tiny_gan()
    gan.compile(loss="wgan-gp", n_critic=3)
    history = gan.fit(_data(), epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == 3 * int(gan.g_optimizer.iterations) == 12
    assert history.history["gradient_penalty"][0] > 0
    # default optimizer follows the paper
    assert gan.d_optimizer.get_config()["beta_2"] == pytest.approx(0.9)


class _CountingGenerator(keras.Model):
    """Counts its forward passes (run eagerly, one per call)."""

    def __init__(self, inner):
        super().__init__()
        self.inner, self.calls = inner, 0

    def call(self, inputs, training=False):
        self.calls += 1
        return self.inner(inputs, training=training)


@pytest.mark.parametrize("share_fakes,passes", [(False, 3 + 1), (True, 1 + 1)])
def test_share_fakes_makes_one_generator_pass_for_all_critic_steps(share_fakes, passes):
    gan = tiny_gan()
    gan.generator = _CountingGenerator(gan.generator)
    gan.compile(loss="wgan-gp", n_critic=3, share_fakes=share_fakes, run_eagerly=True,
                steps_per_execution=1)
    data = _data()
    gan.fit(data.take(1), epochs=1, verbose=0)
    assert gan.generator.calls == passes
    assert gan.d_optimizer.iterations.numpy() == 3 and gan.g_optimizer.iterations.numpy() == 1
    assert gan.get_compile_config()["share_fakes"] is share_fakes


def test_share_fakes_with_one_critic_step_changes_nothing():
    def trained(share_fakes):
        keras.utils.set_random_seed(0)
        gan = tiny_gan()
        gan.compile(loss="wgan-gp", n_critic=1, share_fakes=share_fakes)
        gan.fit(_data(), epochs=2, verbose=0)
        return _weights(gan.generator) + _weights(gan.discriminator)

    for a, b in zip(trained(False), trained(True)):
        np.testing.assert_array_equal(a, b)


def test_gradient_penalty_by_hand():
    """For a linear critic D(x) = w.x + b the input gradient is w everywhere, so the
    penalty is (|w| - 1)^2 for every example."""
    gan = tiny_gan()
    x = keras.Input((6,))
    gan.discriminator = keras.Model(x, keras.layers.Dense(1)(x))
    w = np.array([[0.5], [1.0], [-1.0], [2.0], [0.0], [0.5]], "float32")
    gan.discriminator.layers[1].set_weights([w, np.zeros(1, "float32")])
    gan.compile(loss="wgan-gp")
    real = tf.random.normal([5, 6])
    penalty = terms.gradient_penalty(gan, real, tf.random.normal([5, 6]), None)
    np.testing.assert_allclose(penalty, np.full(5, (np.linalg.norm(w) - 1) ** 2), rtol=1e-4)


def test_reproducible_with_set_random_seed():
    def run():
        keras.utils.set_random_seed(42)
        gan = tiny_gan(seed=None)
        gan.compile()
        gan.fit(_data(), epochs=2, verbose=0)
        return _weights(gan.generator) + _weights(gan.discriminator)

    first, second = run(), run()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_conditional_model_needs_labels():
    gan = tiny_gan(num_classes=3)
    gan.compile()
    with pytest.raises(ValueError, match="class-conditional"):
        gan.fit(_data(), epochs=1, verbose=0)
    history = gan.fit(_data(num_classes=3), epochs=1, verbose=0)
    assert np.isfinite(history.history["g_loss"][0])


def test_generate_labels_and_seeds():
    gan = tiny_gan(num_classes=3)
    a = gan.generate(6, labels=2, seed=1)
    np.testing.assert_array_equal(a, gan.generate(6, labels=2, seed=1))
    assert not np.array_equal(a, gan.generate(6, labels=2, seed=2))
    np.testing.assert_array_equal(gan.resolve_labels(6, None), [0, 1, 2, 0, 1, 2])
    with pytest.raises(ValueError, match="out of range"):
        gan.generate(2, labels=3)
    with pytest.raises(ValueError, match="Expected 4 labels"):
        gan.generate(4, labels=[0, 1])
    with pytest.raises(ValueError, match="unconditional"):
        tiny_gan().generate(2, labels=1)


def test_same_optimizer_for_both_networks_is_refused():
    gan = tiny_gan()
    opt = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="two optimizer objects"):
        gan.compile(g_optimizer=opt, d_optimizer=opt)
