"""Differentially private training of the discriminator (DP-SGD, Abadi et al. 2016).

Only the discriminator reads real examples; the generator learns through it, so its
updates are post-processing and cost no privacy. Each discriminator update computes
the gradient of every unit's loss (one real example with the generated one beside it,
or one packed group of rows for a PacGAN discriminator: changing one row changes one
group's gradient, by at most the clip, so the guarantee is per row either way), clips
each to an L2 norm of `l2_norm_clip`, sums them, adds Gaussian noise of standard
deviation `noise_multiplier * l2_norm_clip` and divides by the batch size.

What the guarantee covers: the trained weights (and everything generated from them).
Training logs (`d_loss`, `d_real_acc`, ...) are computed on the real data and are for
the data holder's eyes, as are the data pipeline's statistics unless the domain makes
them private (`ganzoo.tabular`). The noise is drawn from the operating system's
entropy, never from the model's seed, which is saved with the model.

Accounting (`ganzoo.core.accounting`) treats each batch as a Poisson sample of the data
with rate batch size / examples; ganzoo's pipelines shuffle and take fixed-size batches
(sampling without replacement), the assumption TF Privacy and Opacus make by default.
"""

import contextlib

import tensorflow as tf


class DifferentialPrivacy:
    """DP-SGD settings of a discriminator: `l2_norm_clip` (C) and `noise_multiplier`
    (sigma). `max_steps` (optional): the discriminator updates the budget allows; the
    model stops reading real data after them (its later updates see zero gradients)."""

    def __init__(self, l2_norm_clip=1.0, noise_multiplier=1.0, max_steps=None):
        self.l2_norm_clip = float(l2_norm_clip)
        self.noise_multiplier = float(noise_multiplier)
        if not self.l2_norm_clip > 0:
            raise ValueError(f"l2_norm_clip must be positive, got {l2_norm_clip}.")
        if not self.noise_multiplier >= 0:
            raise ValueError(f"noise_multiplier must be >= 0, got {noise_multiplier}.")
        if max_steps is not None and (int(max_steps) != max_steps or int(max_steps) < 1):
            raise ValueError(f"max_steps must be a positive whole number, got {max_steps}.")
        self.max_steps = None if max_steps is None else int(max_steps)
        self._noise = None
        self.per_example = False

    @classmethod
    def get(cls, identifier):
        """None, a `DifferentialPrivacy`, or its config dict."""
        if identifier is None or isinstance(identifier, cls):
            return identifier
        if isinstance(identifier, dict):
            return cls(**identifier)
        raise TypeError(f"privacy must be a DifferentialPrivacy or its config dict, got "
                        f"{type(identifier).__name__}.")

    def get_config(self):
        return {"l2_norm_clip": self.l2_norm_clip, "noise_multiplier": self.noise_multiplier,
                "max_steps": self.max_steps}

    def check_model(self, model):
        """Refuses what would let real data reach the weights around the clipped,
        noisy gradient."""
        if model.logit_averages is not None:
            raise ValueError("LeCam regularisation keeps moving averages of the "
                             "discriminator's logits on real data, outside the clipped "
                             "gradients: it cannot be used with differential privacy.")
        augmentation = model.augmentation
        if augmentation is not None and augmentation.adaptive:
            raise ValueError("Adaptive discriminator augmentation sets its probability from "
                             "the real examples' logits: with differential privacy give a "
                             "fixed discriminator_augment_p.")

    @contextlib.contextmanager
    def per_example_losses(self):
        """While tracing: the loss terms return per-unit values (`AdversarialModel.average`)."""
        self.per_example = True
        try:
            yield
        finally:
            self.per_example = False

    def noise(self, shape):
        if self._noise is None:
            # Created on first use, outside any replica; OS entropy, not the model's seed.
            with tf.init_scope():
                self._noise = tf.random.Generator.from_non_deterministic_state()
        return self._noise.normal(shape, stddev=self.noise_multiplier * self.l2_norm_clip)

    def gradients(self, tape, unit_losses, variables, step=None):
        """The private gradient of the mean of `unit_losses` (`[units]`) with respect to
        `variables`: per-unit gradients clipped, summed, noised, divided by the count.
        With `max_steps`, zero once `step` (updates so far) has reached it."""
        per_unit = tape.jacobian(unit_losses, variables, experimental_use_pfor=True,
                                 unconnected_gradients=tf.UnconnectedGradients.ZERO)
        per_unit = [tf.cast(g, tf.float32) for g in per_unit]
        squared = tf.add_n([tf.reduce_sum(tf.reshape(tf.square(g), [tf.shape(g)[0], -1]), 1)
                            for g in per_unit])
        scale = tf.minimum(1.0, self.l2_norm_clip / (tf.sqrt(squared) + 1e-12))
        count = tf.cast(tf.shape(unit_losses)[0], tf.float32)
        private = [(tf.tensordot(scale, g, axes=1) + self.noise(tf.shape(g)[1:])) / count
                   for g in per_unit]
        if self.max_steps is not None and step is not None:
            spent = tf.cast(step >= self.max_steps, tf.float32)
            private = [(1.0 - spent) * g for g in private]
        return [tf.cast(g, v.dtype) for g, v in zip(private, variables)]

    def __repr__(self):
        return (f"DifferentialPrivacy(l2_norm_clip={self.l2_norm_clip}, "
                f"noise_multiplier={self.noise_multiplier}, max_steps={self.max_steps})")


__all__ = ["DifferentialPrivacy"]
