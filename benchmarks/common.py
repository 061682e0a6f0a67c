"""Shared pieces of the benchmarks: the two baselines ganzoo is measured against
(built from the very same networks), timing, and table printing."""

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

from report import SHARED, print_table  # noqa: E402,F401


def load_mnist8k():
    path = os.path.join(SHARED, "mnist8k.npz")
    if not os.path.exists(path):
        raise SystemExit(f"{path} not found: the benchmarks need ../shared/data beside the repo.")
    with np.load(path) as data:
        return data["images"], data["labels"].astype("int32")


class KerasIOStyleGAN(keras.Model):
    """The plain custom `train_step` of the keras-io GAN examples: two tapes, two
    discriminator passes, no extras. Same losses as ganzoo's default (BCE with
    one-sided smoothing 0.1), so only the engineering differs."""

    def __init__(self, generator, discriminator, latent_dim, smoothing=0.1):
        super().__init__()
        self.generator, self.discriminator = generator, discriminator
        self.latent_dim, self.smoothing = latent_dim, smoothing
        self.bce = keras.losses.BinaryCrossentropy(from_logits=True)
        self.d_tracker = keras.metrics.Mean(name="d_loss")
        self.g_tracker = keras.metrics.Mean(name="g_loss")

    def compile(self, d_optimizer, g_optimizer, **kwargs):
        super().compile(**kwargs)
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer

    @property
    def metrics(self):
        return [self.d_tracker, self.g_tracker]

    def train_step(self, data):
        real, labels = data
        n = tf.shape(real)[0]
        z = tf.random.normal([n, self.latent_dim])
        fake = self.generator([z, labels], training=True)
        with tf.GradientTape() as tape:
            real_logits = self.discriminator([real, labels], training=True)
            fake_logits = self.discriminator([fake, labels], training=True)
            d_loss = (self.bce(tf.fill(tf.shape(real_logits), 1.0 - self.smoothing), real_logits)
                      + self.bce(tf.zeros_like(fake_logits), fake_logits))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        z = tf.random.normal([n, self.latent_dim])
        with tf.GradientTape() as tape:
            fake_logits = self.discriminator([self.generator([z, labels], training=True), labels],
                                             training=True)
            g_loss = self.bce(tf.ones_like(fake_logits), fake_logits)
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.d_tracker.update_state(d_loss)
        self.g_tracker.update_state(g_loss)
        return {"d_loss": self.d_tracker.result(), "g_loss": self.g_tracker.result()}


class ClassicRecipe:
    """The pre-`train_step` tutorial recipe: a compiled discriminator plus a combined
    generator->discriminator model compiled with the discriminator frozen, driven by
    `train_on_batch` in a Python loop.

    Keras 3 fixes the trainable variables when a model's train function is first
    traced, so typed as in Keras 2 tutorials (freeze, compile combined, train D) the
    discriminator never learns. Here each model's train function is first traced with
    the right `trainable` state, and `check_learning` proves both networks move.

    `tutorial_predict=True` generates the fakes with `generator.predict(z)` as those
    tutorials do (Keras 3 builds a data pipeline on every call); the default uses
    `predict_on_batch`, the recipe at its best.
    """

    def __init__(self, generator, discriminator, latent_dim, smoothing=0.1,
                 tutorial_predict=False):
        self.generator, self.discriminator = generator, discriminator
        self.tutorial_predict = tutorial_predict
        self.latent_dim, self.smoothing = latent_dim, smoothing
        bce = keras.losses.BinaryCrossentropy(from_logits=True)
        discriminator.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), bce)
        z = keras.Input((latent_dim,))
        label = keras.Input((), dtype="int32")
        self.combined = keras.Model([z, label], discriminator([generator([z, label]), label]))
        self.combined.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), bce)
        self.rng = np.random.default_rng(0)

    def step(self, real, labels):
        n = len(real)
        z = self.rng.standard_normal((n, self.latent_dim)).astype("float32")
        if self.tutorial_predict:
            fake = self.generator.predict([z, labels], verbose=0)
        else:
            fake = self.generator.predict_on_batch([z, labels])
        self.discriminator.trainable = True
        self.discriminator.train_on_batch([real, labels], np.full((n, 1), 1 - self.smoothing, "float32"))
        self.discriminator.train_on_batch([fake, labels], np.zeros((n, 1), "float32"))
        self.discriminator.trainable = False
        z = self.rng.standard_normal((n, self.latent_dim)).astype("float32")
        self.combined.train_on_batch([z, labels], np.ones((n, 1), "float32"))

    def check_learning(self, real, labels):
        """Both networks' weights move, each only in its own update."""
        d0 = [w.numpy().copy() for w in self.discriminator.weights]
        g0 = [w.numpy().copy() for w in self.generator.trainable_weights]
        self.step(real, labels)
        d_moved = any(not np.array_equal(a, b.numpy()) for a, b in zip(d0, self.discriminator.weights))
        g_moved = any(not np.array_equal(a, b.numpy())
                      for a, b in zip(g0, self.generator.trainable_weights))
        d1 = [w.numpy().copy() for w in self.discriminator.weights]
        z = self.rng.standard_normal((len(real), self.latent_dim)).astype("float32")
        self.discriminator.trainable = False
        self.combined.train_on_batch([z, labels], np.ones((len(real), 1), "float32"))
        d_frozen = all(np.array_equal(a, b.numpy()) for a, b in zip(d1, self.discriminator.weights))
        if not (d_moved and g_moved and d_frozen):
            raise RuntimeError(f"classic recipe is broken: d_moved={d_moved} "
                               f"g_moved={g_moved} d_frozen_in_g_step={d_frozen}")


def timed(fn, repeats=1):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def fit_timer(gan, data, steps):
    """Traces and warms up `gan` on `steps` steps of `data`, then returns a function
    that times one more such fit: seconds per step (for round-robin timing)."""
    gan.fit(data, steps_per_epoch=steps, epochs=1, verbose=0)

    def run():
        start = time.perf_counter()
        gan.fit(data, steps_per_epoch=steps, epochs=1, verbose=0)
        return (time.perf_counter() - start) / steps

    return run
