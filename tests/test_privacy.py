"""Differentially private discriminator updates (DP-SGD) and their accounting: the clipped
gradient by hand on a linear discriminator, the noise's scale and source, the step
budget, what privacy refuses, and the accountant against closed forms computed here."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy.optimize import brentq
from scipy.special import comb, logsumexp
from scipy.stats import norm

import ganzoo
from ganzoo.core import accounting
from ganzoo.core.adversarial import AdversarialModel
from ganzoo.core import privacy as privacy_lib
from ganzoo.core.privacy import DifferentialPrivacy
from ganzoo.image import DCGAN

W, B = np.array([[1.0], [2.0], [-2.0]], "float32"), np.array([0.5], "float32")


def _linear_gan(inputs=3, privacy=None, **kwargs):
    """D(x) = x . w + b, hinge loss: each example's gradient is known by hand."""
    z = keras.Input((2,))
    generator = keras.Model(z, keras.layers.Dense(inputs)(z))
    x = keras.Input((inputs,))
    critic = keras.layers.Dense(1, name="critic")
    discriminator = keras.Model(x, critic(x))
    if inputs == 3:
        critic.set_weights([W, B])
    gan = AdversarialModel(generator, discriminator, latent_dim=2, seed=0, generator_ema=None,
                           privacy=privacy, **kwargs)
    gan.compile(loss="hinge")
    return gan


@pytest.fixture(params=["per-layer", "whole gradients"])
def path(request, monkeypatch):
    """Both ways to clip: from the Dense layers' inputs and output gradients, and from
    each unit's whole gradient (pfor jacobian), which any discriminator can use."""
    if request.param == "whole gradients":
        monkeypatch.setattr(privacy_lib.DenseProbe, "of", classmethod(lambda cls, d: None))
    return request.param


def test_clipped_gradient_by_hand(path):
    gan = _linear_gan(privacy=DifferentialPrivacy(l2_norm_clip=2.0, noise_multiplier=0.0))
    # Hinge: relu(1 - D(real)) + relu(1 + D(fake)); D = x . (1, 2, -2) + 0.5
    real = tf.constant([[3.0, 0, 0], [0, 0, 0], [0, 0.5, 0]])  # D 3.5 (no loss), 0.5, 1.5 (none)
    fake = tf.constant([[0, 0, 1.0], [4.0, 0, 0], [0, 0.3, 0.4]])  # D -1.5 (none), 4.5, 0.3
    loss, _, (grad_w, grad_b) = gan.private_discriminator_gradients(real, fake, None)
    # example 1: nothing; example 2: w (4, 0, 0), b -1 + 1 = 0, norm 4 -> clipped to
    # (2, 0, 0); example 3: w (0, .3, .4), b 1, norm 1.118 < 2, kept. Mean of the three.
    np.testing.assert_allclose(grad_w.numpy().ravel(), [2 / 3, 0.1, 0.4 / 3], rtol=1e-5)
    np.testing.assert_allclose(grad_b.numpy(), [1 / 3], rtol=1e-5)
    # Loss: (0 + 0) + (0.5 + 5.5) + (0 + 1.3), averaged
    assert float(loss) == pytest.approx((6.0 + 1.3) / 3)


def test_per_layer_rule_on_a_packed_tabular_discriminator():
    """PacGAN groups (pac 2) are the units; the per-layer rule and whole per-unit
    gradients agree, unclipped and clipped."""
    from ganzoo.tabular.model import TabularGAN

    rng = np.random.default_rng(0)
    real = tf.constant(rng.normal(size=(8, 5)), tf.float32)
    fake = tf.constant(rng.normal(size=(8, 5)), tf.float32)
    condition = tf.constant(np.eye(3)[rng.integers(0, 3, 8)], tf.float32)
    gan = TabularGAN(spans=[("scalar", 2), ("onehot", 3)], discrete_index=[2, 3, 4],
                     latent_dim=4, generator_dims=(8,), discriminator_dims=(16, 8), pac=2,
                     discriminator_dropout=0.0, seed=0, generator_ema=None,
                     privacy=DifferentialPrivacy(1.0, 0.0),
                     condition_frequencies=[[0.3, 0.3, 0.4]])
    gan.compile(loss="bce")
    results = {}
    for path in ("per-layer", "whole gradients"):
        if path == "whole gradients":
            gan.privacy._probes[id(gan.discriminator)] = None
        for clip in (100.0, 0.05):
            gan.privacy.l2_norm_clip = clip
            results[path, clip] = gan.private_discriminator_gradients(real, fake, condition)[2]
            assert (gan.privacy._probed is not None) == (path == "per-layer")
    for clip in (100.0, 0.05):
        for a, b in zip(results["per-layer", clip], results["whole gradients", clip]):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-6)
    # clipped: every unit's gradient norm is at most 0.05, so the mean's is too
    norm = math.sqrt(sum(float(tf.reduce_sum(g ** 2)) for g in results["per-layer", 0.05]))
    assert norm <= 0.05 + 1e-6


def test_noise_scale_and_source():
    # Zero inputs: every example's gradient is 0 (w: x = 0; b: -1 + 1), so what comes
    # out is the noise over the batch size alone.
    privacy = DifferentialPrivacy(l2_norm_clip=0.5, noise_multiplier=3.0)
    gan = _linear_gan(inputs=2000, privacy=privacy)
    zeros = tf.zeros([4, 2000])
    keras.utils.set_random_seed(1)
    first = gan.private_discriminator_gradients(zeros, zeros, None)[2][0].numpy().ravel()
    keras.utils.set_random_seed(1)
    second = gan.private_discriminator_gradients(zeros, zeros, None)[2][0].numpy().ravel()
    # std sigma * C / batch = 0.375; 2,000 draws put the estimate within ~2%
    assert np.std(first) == pytest.approx(3.0 * 0.5 / 4, rel=0.08)
    assert abs(np.mean(first)) < 0.05
    # not drawn from the (saved, public) seeds: the same global seed gives other noise
    assert not np.allclose(first, second)


def test_budget_in_steps_stops_real_data_reaching_the_weights():
    gan = _linear_gan(privacy=DifferentialPrivacy(1.0, 0.5, max_steps=3))
    real = tf.constant([[0.0, 0, 0]])
    fake = tf.constant([[4.0, 0, 0]])
    gan.d_optimizer.iterations.assign(2)
    assert np.any(gan.private_discriminator_gradients(real, fake, None)[2][0].numpy() != 0)
    gan.d_optimizer.iterations.assign(3)
    for grad in gan.private_discriminator_gradients(real, fake, None)[2]:
        assert np.all(grad.numpy() == 0)


def test_fits_saves_and_loads_with_every_term_it_allows(tmp_path):
    x = np.random.default_rng(0).uniform(-1, 1, (32, 16, 16, 1)).astype("float32")
    y = np.arange(32) % 2
    gan = DCGAN(image_shape=(16, 16, 1), num_classes=2, model_size=4, seed=0,
                class_loss_weight=1.0, r1_weight=1.0, r1_every=2,
                discriminator_augment="translation", discriminator_augment_p=0.5,
                privacy={"l2_norm_clip": 1.0, "noise_multiplier": 1.1})
    gan.compile()
    history = gan.fit(x, y, batch_size=8, epochs=1, verbose=0).history
    assert all(np.isfinite(v[-1]) for v in history.values())
    gan.save(tmp_path / "m.keras")
    loaded = ganzoo.load_model(tmp_path / "m.keras")
    assert loaded.privacy.get_config() == {"l2_norm_clip": 1.0, "noise_multiplier": 1.1,
                                           "max_steps": None}


@pytest.mark.parametrize("kwargs,message", [
    ({"lecam_weight": 0.3}, "LeCam regularisation keeps moving averages"),
    ({"discriminator_augment": "translation", "discriminator_augment_p": "adaptive"},
     "give a fixed discriminator_augment_p"),
])
def test_refuses_terms_that_read_real_data_around_the_noise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DCGAN(image_shape=(16, 16, 1), model_size=4, privacy=DifferentialPrivacy(), **kwargs)


@pytest.mark.parametrize("settings,message", [
    ({"l2_norm_clip": 0}, "l2_norm_clip must be positive"),
    ({"noise_multiplier": -1}, "noise_multiplier must be >= 0"),
    ({"max_steps": 0}, "max_steps must be a positive whole number"),
])
def test_bad_settings(settings, message):
    with pytest.raises(ValueError, match=message):
        DifferentialPrivacy(**settings)
    with pytest.raises(TypeError, match="privacy must be a DifferentialPrivacy"):
        DifferentialPrivacy.get(1.0)


def test_refuses_float16_loss_scaling_and_several_replicas(mirrored):
    gan = DCGAN(image_shape=(16, 16, 1), model_size=4, precision="mixed_float16",
                privacy=DifferentialPrivacy())
    with pytest.raises(ValueError, match="not mixed_float16"):
        gan.compile()
    with mirrored.scope():
        gan = DCGAN(image_shape=(16, 16, 1), model_size=4, privacy=DifferentialPrivacy())
        gan.compile()
    x = np.zeros((8, 16, 16, 1), "float32")
    with pytest.raises(ValueError, match="noise would be added once per replica"):
        gan.fit(x, batch_size=4, epochs=1, verbose=0)


# ------------------------------------------------------------------- accounting

def _gaussian_epsilon(sigma, delta):
    """The exact epsilon of one Gaussian mechanism of sensitivity 1 (Balle & Wang 2018)."""
    def excess(eps):
        return (norm.cdf(-eps * sigma + 0.5 / sigma)
                - math.exp(eps) * norm.cdf(-eps * sigma - 0.5 / sigma) - delta)

    return brentq(excess, 0.0, 100.0)


def _classical_rdp_epsilon(sigma, q, steps, delta, orders=range(2, 256)):
    """Mironov et al. 2019's integer-order RDP of the Poisson-subsampled Gaussian, with
    the classical conversion eps = rdp + log(1 / delta) / (alpha - 1): an upper bound."""
    best = math.inf
    for a in orders:
        k = np.arange(a + 1)
        log_terms = (np.log(comb(a, k)) + (a - k) * math.log1p(-q) + k * math.log(q)
                     + (k * k - k) / (2 * sigma ** 2))
        rdp = steps * logsumexp(log_terms) / (a - 1)
        best = min(best, rdp + math.log(1 / delta) / (a - 1))
    return best


def test_epsilon_without_sampling_bounds_the_exact_gaussian():
    # 4 steps of sigma 2 on the whole data = one Gaussian of sigma 1
    exact = _gaussian_epsilon(1.0, 1e-5)
    ours = accounting.epsilon(2.0, 1.0, 4, 1e-5)
    assert exact <= ours <= 1.1 * exact
    # n_critic updates on one batch compose inside it: 2 steps of 2 updates at sigma 2
    assert accounting.epsilon(2.0, 1.0, 2, 1e-5, critic_steps=2) == pytest.approx(ours)


def test_epsilon_with_sampling_against_the_classical_bound():
    classical = _classical_rdp_epsilon(1.1, 256 / 60000, 14062, 1e-5)  # MNIST, 60 epochs
    ours = accounting.epsilon(1.1, 256 / 60000, 14062, 1e-5)
    assert 0.8 * classical <= ours <= classical
    assert accounting.epsilon(1.1, 256 / 60000, 0, 1e-5) == 0.0


def test_noise_multiplier_meets_the_budget():
    sigma = accounting.noise_multiplier(3.0, 1e-5, 0.125, 300)
    assert accounting.epsilon(sigma, 0.125, 300, 1e-5) <= 3.0
    assert accounting.epsilon(0.98 * sigma, 0.125, 300, 1e-5) > 3.0


@pytest.mark.parametrize("budget,message", [
    ((0.0, 1e-5), "epsilon must be a positive number"),
    ((1.0, 1.0), r"delta must be in \(0, 1\)"),
    ((1.0, 1e-3, 2000), "delta must be below 1 / examples"),
])
def test_bad_budgets(budget, message):
    with pytest.raises(ValueError, match=message):
        accounting.check_budget(*budget)


def test_for_budget_meets_it():
    privacy = DifferentialPrivacy.for_budget(epsilon=2.0, delta=1e-5, examples=4000,
                                             batch_size=64, steps=500, critic_steps=2)
    assert privacy.max_steps == 1000
    spent = accounting.epsilon(privacy.noise_multiplier, 64 / 4000, 500, 1e-5, critic_steps=2)
    assert 0.98 * 2.0 <= spent <= 2.0
    with pytest.raises(ValueError, match="delta must be below"):
        DifferentialPrivacy.for_budget(2.0, 1e-3, examples=4000, batch_size=64, steps=10)


def test_private_class_labels_are_drawn_uniformly():
    gan = DCGAN((28, 28, 1), num_classes=10, seed=0, privacy=DifferentialPrivacy(1.0, 1.0))
    labels = gan.prior_conditions(20_000, 3).numpy()
    counts = np.bincount(labels, minlength=10)
    assert counts.min() > 1800 and counts.max() < 2200
    assert not np.array_equal(labels, gan.prior_conditions(20_000, 4).numpy())
