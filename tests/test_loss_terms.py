"""The optional terms of the toolbox (hinge loss, R1, LeCam), each checked by hand on
tiny inputs, serialised, under MirroredStrategy and mixed precision."""

import keras
import numpy as np
import pytest
import tensorflow as tf

import ganzoo
from ganzoo.core import losses, terms
from ganzoo.core.adversarial import AdversarialModel
from ganzoo.image import DCGAN, dataset_from_arrays
from tests.conftest import make_digit_like


def test_hinge_by_hand():
    hinge = losses.get("hinge")
    real, fake = tf.constant([[2.0], [0.5]]), tf.constant([[-2.0], [0.0]])
    # relu(1 - 2) + relu(1 - 2) = 0; relu(1 - 0.5) + relu(1 + 0) = 1.5
    np.testing.assert_allclose(hinge.discriminator_loss(real, fake), [0.0, 1.5])
    np.testing.assert_allclose(hinge.generator_loss(fake), [2.0, 0.0])
    assert hinge.n_critic == 1 and losses.get("hinge", n_critic=2).n_critic == 2
    with pytest.raises(ValueError, match="hinge loss has no label_smoothing"):
        losses.get("hinge", label_smoothing=0.1)
    with pytest.raises(ValueError, match="hinge loss has no gradient_penalty_weight"):
        losses.get("hinge", gradient_penalty_weight=10)


def _linear_gan(**kwargs):
    """A discriminator D(x) = x . w + b: its gradient at any x is w."""
    z = keras.Input((2,))
    generator = keras.Model(z, keras.layers.Dense(3)(z))
    x = keras.Input((3,))
    critic = keras.layers.Dense(1, name="critic")
    discriminator = keras.Model(x, critic(x))
    critic.set_weights([np.array([[1.0], [2.0], [-2.0]], "float32"), np.array([0.5], "float32")])
    gan = AdversarialModel(generator, discriminator, latent_dim=2, seed=0, generator_ema=None,
                           **kwargs)
    gan.compile(loss="hinge")
    return gan


def test_r1_by_hand_and_lazily():
    gan = _linear_gan(r1_weight=10.0, r1_every=2)
    [r1] = [t for t in gan.loss_terms if t.name == "r1_penalty"]
    real = tf.constant([[0.1, 0.2, 0.3], [1.0, -1.0, 0.0]])
    judged = gan.judge(real, tf.zeros([2, 3]), None)
    # |w|^2 = 1 + 4 + 4 = 9 at every example; halved, and doubled on every 2nd step
    assert float(r1.discriminator(gan, judged)) == pytest.approx(0.5 * 2 * 9.0)
    gan.d_optimizer.iterations.assign(1)
    assert float(r1.discriminator(gan, judged)) == 0.0
    gan.d_optimizer.iterations.assign(0)
    total = float(terms.weighted_sum(gan.loss_terms, "discriminator", gan, judged))
    adversarial = float(terms.Adversarial(gan.adversarial_loss).discriminator(gan, judged))
    assert total == pytest.approx(adversarial + 10.0 * 9.0)
    assert r1.generator(gan, judged) is None


def test_lecam_by_hand_and_its_averages():
    gan = _linear_gan(lecam_weight=0.3, lecam_decay=0.99)
    [lecam] = [t for t in gan.loss_terms if t.name == "lecam"]
    gan.logit_averages.real.assign(0.5)
    gan.logit_averages.fake.assign(-0.5)
    judged = terms.Judgement(None, None, None, tf.constant([[1.0], [0.5]]),
                             tf.constant([[0.0], [-1.0]]))
    # relu(D(real) - a_fake)^2: 1.5^2, 1.0^2 -> mean 1.625
    # relu(a_real - D(fake))^2: 0.5^2, 1.5^2 -> mean 1.25
    assert float(lecam.discriminator(gan, judged)) == pytest.approx(1.625 + 1.25)
    # then the averages move towards this batch's means (0.75, -0.5) with decay 1/10 at step 0
    assert float(gan.logit_averages.real) == pytest.approx(0.1 * 0.5 + 0.9 * 0.75)
    assert float(gan.logit_averages.fake) == pytest.approx(-0.5)
    assert lecam.generator(gan, judged) is None


@pytest.mark.parametrize("kwargs,message", [
    ({"r1_weight": -1.0}, "r1_weight must be >= 0"),
    ({"r1_weight": 1.0, "r1_every": 0}, "r1_every must be a positive"),
    ({"lecam_weight": -0.1}, "lecam_weight must be >= 0"),
    ({"lecam_weight": 0.1, "lecam_decay": 1.0}, r"lecam_decay must be in \(0, 1\)"),
])
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DCGAN((16, 16, 1), latent_dim=8, model_size=4, **kwargs)


def _digits(n=32):
    images, labels = make_digit_like(n=n, side=16)
    return dataset_from_arrays(images, labels, batch_size=16, seed=0)


def test_the_toolbox_saves_loads_and_trains_on(tmp_path):
    gan = DCGAN((16, 16, 1), num_classes=2, latent_dim=8, model_size=4, seed=1, r1_weight=5.0,
                r1_every=4, lecam_weight=0.3)
    gan.compile(loss="hinge", steps_per_execution=1)
    history = gan.fit(_digits(), epochs=1, verbose=0)
    assert {"r1_penalty", "lecam"} <= set(history.history)
    assert float(gan.logit_averages.real) != 0.0
    path = str(tmp_path / "toolbox.keras")
    gan.save(path)
    loaded = ganzoo.load_model(path)
    assert loaded.get_config() == gan.get_config()
    assert [t.name for t in loaded.loss_terms] == ["adversarial", "r1_penalty", "lecam"]
    assert loaded.adversarial_loss.name == "hinge"
    assert float(loaded.logit_averages.real) == float(gan.logit_averages.real)
    loaded.fit(_digits(), epochs=1, verbose=0)
    assert int(loaded.d_optimizer.iterations) == 4


def test_the_toolbox_under_mixed_precision():
    gan = DCGAN((16, 16, 1), num_classes=2, latent_dim=8, model_size=4, seed=1, r1_weight=1.0,
                lecam_weight=0.3, precision="mixed_bfloat16")
    gan.compile(loss="hinge")
    history = gan.fit(_digits(), epochs=2, verbose=0)
    for name in ("d_loss", "g_loss", "r1_penalty", "lecam"):
        assert np.all(np.isfinite(history.history[name])), name


# ------------------------------------------------------------ spectral norm


def test_spectral_norm_divides_each_kernel_by_its_largest_singular_value():
    from ganzoo.core.spectral import SpectralNorm

    gan = DCGAN((16, 16, 1), num_classes=2, latent_dim=8, model_size=4, seed=1,
                spectral_norm=True, class_loss_weight=1.0)
    wrapped = [l for l in gan.discriminator.layers if isinstance(l, SpectralNorm)]
    # every convolution, the logit and the class logits; the projection embedding is not
    assert len(wrapped) == 4 and {w.layer.name for w in wrapped} >= {"logit", "class_logits"}
    assert not any(isinstance(l, SpectralNorm) for l in gan.generator.layers)
    conv = wrapped[0]
    matrix = np.reshape(conv.layer.kernel.numpy(), (-1, conv.layer.kernel.shape[-1]))
    sigma = np.linalg.svd(matrix, compute_uv=False)[0]
    for _ in range(60):  # power iteration converges on the largest singular value
        kernel, u = conv.normalized_kernel(training=True)
        conv.vector_u.assign(u)
    np.testing.assert_allclose(np.asarray(kernel), conv.layer.kernel.numpy() / sigma,
                               rtol=1e-3)
    assert np.linalg.svd(np.reshape(np.asarray(kernel), matrix.shape),
                         compute_uv=False)[0] == pytest.approx(1.0, rel=1e-3)
    # the layer computes with the normalised kernel; its own variable keeps the raw one
    x = tf.random.stateless_normal([2, 16, 16, 1], [1, 2])
    raw = conv.layer.kernel.numpy().copy()
    expected = conv.layer.stateless_call([kernel, conv.layer.bias], [], x)[0]
    np.testing.assert_allclose(conv(x, training=False), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(conv.layer.kernel.numpy(), raw)


def test_spectral_norm_trains_saves_and_refuses_networks_without_kernels(tmp_path):
    gan = DCGAN((16, 16, 1), num_classes=2, latent_dim=8, model_size=4, seed=1,
                spectral_norm=True)
    gan.compile(loss="hinge", steps_per_execution=1)
    before = [w.numpy().copy() for w in gan.discriminator.trainable_weights]
    gan.fit(_digits(), epochs=1, verbose=0)
    assert any(not np.array_equal(a, b.numpy())
               for a, b in zip(before, gan.discriminator.trainable_weights))
    path = str(tmp_path / "sn.keras")
    gan.save(path)
    loaded = ganzoo.load_model(path)
    assert loaded.spectral_norm and loaded.get_config() == gan.get_config()
    x = tf.random.stateless_normal([2, 16, 16, 1], [3, 4])
    labels = tf.constant([0, 1])
    np.testing.assert_allclose(loaded.discriminator([x, labels]), gan.discriminator([x, labels]),
                               rtol=1e-5, atol=1e-6)
    z = keras.Input((4,))
    flat = keras.Input((4,))
    no_kernels = keras.Model(flat, keras.layers.Activation("tanh")(flat))
    with pytest.raises(ValueError, match="needs layers with kernels"):
        AdversarialModel(keras.Model(z, z), no_kernels, latent_dim=4, spectral_norm=True)


def test_spectral_norm_under_mixed_precision_and_for_audio():
    from ganzoo.audio import WaveGAN

    gan = DCGAN((16, 16, 1), num_classes=2, latent_dim=8, model_size=4, seed=1,
                spectral_norm=True, precision="mixed_bfloat16")
    gan.compile()
    history = gan.fit(_digits(), epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][-1])
    wave = WaveGAN(num_classes=2, model_size=2, latent_dim=8, seed=0, spectral_norm=True)
    out = wave.discriminator([tf.zeros([2, 16384]), tf.constant([0, 1])], training=True)
    assert out.shape == (2, 1)


def test_hinge_on_a_wgan_gp_model_does_not_inherit_its_critic_count():
    """WaveGAN trains WGAN-GP with 5 critic steps; switched to hinge it takes hinge's one
    (an explicit n_critic is the user's: SNGAN trained hinge with 5)."""
    from ganzoo.audio import WaveGAN

    gan = WaveGAN(latent_dim=8, model_size=4, seed=0)
    gan.compile()
    assert (gan.adversarial_loss.name, gan.adversarial_loss.n_critic) == ("wgan-gp", 5)
    gan.compile(loss="hinge")
    assert (gan.adversarial_loss.name, gan.adversarial_loss.n_critic) == ("hinge", 1)
    gan.compile(loss="hinge", n_critic=5)
    assert gan.adversarial_loss.n_critic == 5
    with pytest.raises(ValueError, match="hinge loss has no gradient_penalty_weight"):
        gan.compile(loss="hinge", gradient_penalty_weight=10.0)
