"""The training step, checked against a loop written here the way keras-io's DCGAN
example writes it, and the composition of the losses from named terms."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from ganzoo.core import terms
from tests.helpers import tiny_gan

SEED, LATENT, FEATURES, BATCH = 7, 4, 6, 8


def _batches(steps=2):
    rng = np.random.default_rng(0)
    return [np.tanh(rng.normal(size=(BATCH, FEATURES))).astype("float32") for _ in range(steps)]


def _latent(stream, step):
    # The documented noise: a stateless normal keyed by (seed * 4 + stream, step), with
    # stream 0 for the discriminator's fakes and 1 for the generator's update.
    return tf.random.stateless_normal([BATCH, LATENT], tf.constant([SEED * 4 + stream, step],
                                                                   tf.int64))


def keras_io_style_steps(generator, discriminator, batches, smoothing=0.1, lr=(0.1, 0.2)):
    """keras-io's DCGAN `train_step`, with ganzoo's conventions: one-sided label smoothing
    (real target 1 - smoothing, fake 0) and the discriminator's loss as the sum of its
    mean losses on real and on fake examples (keras-io averages over the concatenation,
    which halves it)."""
    d_opt, g_opt = keras.optimizers.SGD(lr[0]), keras.optimizers.SGD(lr[1])
    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    logs = []
    for step, real in enumerate(batches):
        fake = generator(_latent(0, step), training=True)
        with tf.GradientTape() as tape:
            logits = discriminator(tf.concat([real, fake], axis=0), training=True)
            real_logits, fake_logits = logits[:BATCH], logits[BATCH:]
            d_loss = (bce(tf.fill([BATCH, 1], 1.0 - smoothing), real_logits)
                      + bce(tf.zeros([BATCH, 1]), fake_logits))
        grads = tape.gradient(d_loss, discriminator.trainable_variables)
        d_opt.apply_gradients(zip(grads, discriminator.trainable_variables))
        with tf.GradientTape() as tape:
            fake_logits = discriminator(generator(_latent(1, step), training=True), training=True)
            g_loss = bce(tf.ones([BATCH, 1]), fake_logits)
        grads = tape.gradient(g_loss, generator.trainable_variables)
        g_opt.apply_gradients(zip(grads, generator.trainable_variables))
        logs.append((float(d_loss), float(g_loss)))
    return logs


def _copy(network):
    copy = keras.models.clone_model(network)
    copy.set_weights(network.get_weights())
    return copy


def test_the_step_with_every_extra_off_is_the_textbook_loop():
    gan = tiny_gan(latent_dim=LATENT, features=FEATURES, seed=SEED, generator_ema=None)
    gan.compile(g_optimizer=keras.optimizers.SGD(0.2), d_optimizer=keras.optimizers.SGD(0.1),
                loss="bce", label_smoothing=0.1, steps_per_execution=1)
    assert [term.name for term in gan.loss_terms] == ["adversarial"]
    generator, discriminator = _copy(gan.generator), _copy(gan.discriminator)
    batches = _batches()
    expected = keras_io_style_steps(generator, discriminator, batches)
    for (d_loss, g_loss), real in zip(expected, batches):
        gan.reset_metrics()
        logs = gan.train_on_batch(real, return_dict=True)
        np.testing.assert_allclose([logs["d_loss"], logs["g_loss"]], [d_loss, g_loss], rtol=1e-5)
    for mine, theirs in ((gan.generator, generator), (gan.discriminator, discriminator)):
        for a, b in zip(mine.get_weights(), theirs.get_weights()):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_losses_are_the_weighted_sums_of_the_named_terms():
    gan = tiny_gan(num_classes=3, classifier=True, class_loss_weight=0.5, seed=1)
    gan.compile(loss="wgan-gp", gradient_penalty_weight=4.0, n_critic=1)
    assert [(t.name, t.weight) for t in gan.loss_terms] == [
        ("adversarial", 1.0), ("class_loss", 0.5), ("gradient_penalty", 4.0)]
    rng = np.random.default_rng(1)
    real = tf.constant(np.tanh(rng.normal(size=(6, 6))).astype("float32"))
    fake = tf.constant(np.tanh(rng.normal(size=(6, 6))).astype("float32"))
    labels = tf.constant([0, 1, 2, 0, 1, 2])
    judged = gan.judge(real, fake, labels)
    parts = {t.name: float(t.discriminator(gan, judged)) for t in gan.loss_terms}
    total = float(terms.weighted_sum(gan.loss_terms, "discriminator", gan, judged))
    assert total == pytest.approx(parts["adversarial"] + 0.5 * parts["class_loss"]
                                  + 4.0 * parts["gradient_penalty"], rel=1e-6)
    # the adversarial term is the critic's mean D(fake) - D(real), by hand
    logits = gan.discriminator([tf.concat([real, fake], 0), tf.concat([labels, labels], 0)])[0]
    logits = np.asarray(logits)[:, 0]
    assert parts["adversarial"] == pytest.approx(logits[6:].mean() - logits[:6].mean(), rel=1e-5)
    # the gradient penalty adds nothing to the generator's loss
    assert [t.name for t in gan.loss_terms if t.generator(gan, judged) is not None] == [
        "adversarial", "class_loss"]


class _Doubled(terms.LossTerm):
    """A domain term: the generator's outputs pulled towards 0."""

    name = "shrink"

    def generator(self, model, judged):
        return tf.nn.compute_average_loss(tf.reduce_sum(tf.square(judged.generated), axis=1))


def test_a_domain_adds_a_term_without_touching_the_step():
    plain = tiny_gan(seed=3, generator_ema=None)
    shrinking = tiny_gan(seed=3, generator_ema=None)
    shrinking.domain_terms = lambda: [_Doubled(weight=2.0)]
    for gan in (plain, shrinking):
        gan.compile(steps_per_execution=1)
    shrinking.set_weights(plain.get_weights())
    assert [t.name for t in shrinking.loss_terms] == ["adversarial", "shrink"]
    # the discriminator's loss is untouched by a generator-only term
    batch = tf.constant(_batches(1)[0])
    assert float(plain.discriminator_step(batch)) == pytest.approx(
        float(shrinking.discriminator_step(batch)), rel=1e-6)
    # the generator's gains the term, weighted
    generated = shrinking.generator(_latent_for(shrinking), training=True)
    extra = float(_Doubled().generator(shrinking, terms.Judgement(
        None, None, None, None, None, generated=generated)))
    assert extra > 0
    g_plain = float(plain.generator_step(BATCH))
    assert float(shrinking.generator_step(BATCH)) == pytest.approx(g_plain + 2.0 * extra,
                                                                    rel=1e-5)


def _latent_for(gan):
    return tf.random.stateless_normal([BATCH, gan.latent_dim],
                                      tf.constant([gan.seed * 4 + 1, 0], tf.int64))


def test_logs_are_named_and_test_step_reports_the_adversarial_metrics():
    gan = tiny_gan(num_classes=2, classifier=True, class_loss_weight=1.0, seed=2)
    gan.compile(loss="wgan-gp", n_critic=1, steps_per_execution=1)
    assert gan.metric_names() == ["d_loss", "g_loss", "d_real_acc", "d_fake_acc",
                                  "gradient_penalty", "d_class_acc", "g_class_acc"]
    x = np.tanh(np.random.default_rng(0).normal(size=(8, 6))).astype("float32")
    y = (np.arange(8) % 2).astype("int32")
    logs = gan.evaluate(x, y, batch_size=8, return_dict=True, verbose=0)
    assert set(logs) == {"d_loss", "g_loss", "d_real_acc", "d_fake_acc"}
