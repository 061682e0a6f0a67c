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

import keras
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
        self._probes = {}  # discriminator id -> DenseProbe, or None where it cannot be used
        self._probe = None  # the DenseProbe in use while a private update is traced
        self._probed = None  # (layer inputs, layer outputs, biases) of its forward pass

    @classmethod
    def for_budget(cls, epsilon, delta, examples, batch_size, steps, critic_steps=1,
                   l2_norm_clip=1.0):
        """DP-SGD settings that spend at most `(epsilon, delta)` over `steps` training
        steps of `batch_size` from `examples` (each with `critic_steps` discriminator
        updates): the smallest noise multiplier the accountant allows, and the budget's
        updates as `max_steps`. For models whose data pipeline reads nothing else from
        the examples (the image models'; `TabularAugmenter(epsilon=...)` does this and
        its statistics itself)."""
        from ganzoo.core import accounting

        accounting.check_budget(epsilon, delta, examples=examples)
        sigma = accounting.noise_multiplier(epsilon, delta, batch_size / examples, steps,
                                            critic_steps)
        return cls(l2_norm_clip, sigma, max_steps=int(steps) * int(critic_steps))

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
    def per_example_losses(self, model):
        """While tracing: the loss terms return per-unit values (`AdversarialModel.average`),
        and where the per-layer rule applies the discriminator runs as its probe
        (`network`)."""
        probe = None
        if not any(getattr(term, "second_order", False) for term in model.loss_terms):
            key = id(model.discriminator)
            if key not in self._probes:
                self._probes[key] = DenseProbe.of(model.discriminator)
            probe = self._probes[key]
        self.per_example, self._probed = True, None
        self._probe = probe
        try:
            yield
        finally:
            self.per_example, self._probe = False, None

    def network(self, discriminator):
        """What `AdversarialModel.discriminate` calls: the discriminator, or while a
        private update with the per-layer rule is traced, its probe (same outputs;
        the dense layers' inputs and outputs are kept for `gradients`)."""
        if self._probe is None or self._probed is not None:
            return discriminator

        def forward(inputs, training=False):
            layer_inputs, layer_outputs, outputs = self._probe(inputs, training)
            self._probed = (layer_inputs, layer_outputs, self._probe.biases)
            return outputs

        return forward

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
        if self._probed is not None:
            clipped = self._per_layer_clipped_sum(tape, unit_losses)
        else:
            clipped = self._jacobian_clipped_sum(tape, unit_losses, variables)
        count = tf.cast(tf.shape(unit_losses)[0], tf.float32)
        private = [(g + self.noise(tf.shape(g))) / count for g in clipped]
        if self.max_steps is not None and step is not None:
            spent = tf.cast(step >= self.max_steps, tf.float32)
            private = [(1.0 - spent) * g for g in private]
        return [tf.cast(g, v.dtype) for g, v in zip(private, variables)]

    def _clip_scale(self, squared_norms):
        return tf.minimum(1.0, self.l2_norm_clip / (tf.sqrt(squared_norms) + 1e-12))

    def _jacobian_clipped_sum(self, tape, unit_losses, variables):
        """Any discriminator and terms: each unit's whole gradient (pfor), clipped."""
        per_unit = tape.jacobian(unit_losses, variables, experimental_use_pfor=True,
                                 unconnected_gradients=tf.UnconnectedGradients.ZERO)
        per_unit = [tf.cast(g, tf.float32) for g in per_unit]
        squared = tf.add_n([tf.reduce_sum(tf.reshape(tf.square(g), [tf.shape(g)[0], -1]), 1)
                            for g in per_unit])
        scale = self._clip_scale(squared)
        return [tf.tensordot(scale, g, axes=1) for g in per_unit]

    def _per_layer_clipped_sum(self, tape, unit_losses):
        """Dense layers and first-order terms: one backward pass to the layers' outputs.
        A unit's kernel gradient is sum over its rows r of a_r^T g_r (a: the layer's
        input, g: the loss's gradient at its output), so its norm comes from the rows'
        Gram matrices and the clipped sum is a^T (scale * g): no per-unit gradient is
        ever formed (Goodfellow 2015; Lee & Kifer 2021). The discriminator's batch is
        two blocks of one row per unit (real units, then generated ones)."""
        layer_inputs, layer_outputs, biases = self._probed
        grads_out = tape.gradient(unit_losses, layer_outputs)  # of their sum
        units = tf.shape(unit_losses)[0]
        pieces, squared = [], tf.zeros([units], tf.float32)
        for a, g in zip(layer_inputs, grads_out):
            a, g = tf.cast(a, tf.float32), tf.cast(g, tf.float32)
            # Each row one unit's, real units then generated ones (a layer before a
            # PacGAN packing would see rows of several units: refused, not misread).
            tf.debugging.assert_equal(
                tf.shape(a)[0], 2 * units,
                message="per-layer clipping: a Dense layer sees other rows than one real "
                        "and one generated per unit")
            blocks_a = tf.reshape(a, [2, units, a.shape[-1]])
            blocks_g = tf.reshape(g, [2, units, g.shape[-1]])
            gram_a = tf.einsum("iud,jud->uij", blocks_a, blocks_a)
            gram_g = tf.einsum("iuo,juo->uij", blocks_g, blocks_g)
            squared += tf.reduce_sum(gram_a * gram_g, axis=[1, 2])  # kernel
            squared += tf.reduce_sum(tf.square(tf.reduce_sum(blocks_g, 0)), 1)  # bias
            pieces.append((a, g))
        scale = self._clip_scale(squared)
        rows = tf.tile(scale, [2])
        clipped = []
        for (a, g), use_bias in zip(pieces, biases):
            weighted = g * rows[:, None]
            clipped.append(tf.matmul(a, weighted, transpose_a=True))
            if use_bias:
                clipped.append(tf.reduce_sum(weighted, 0))
        return clipped

    def __repr__(self):
        return (f"DifferentialPrivacy(l2_norm_clip={self.l2_norm_clip}, "
                f"noise_multiplier={self.noise_multiplier}, max_steps={self.max_steps})")


class BudgetStop(keras.callbacks.Callback):
    """Ends `fit` at the end of the epoch in which a private model's discriminator has
    had the `max_steps` updates its budget allows (later ones see zero gradients)."""

    def on_epoch_end(self, epoch, logs=None):
        privacy = self.model.privacy
        if privacy is not None and privacy.max_steps is not None and \
                int(self.model.d_optimizer.iterations) >= privacy.max_steps:
            self.model.stop_training = True


class DenseProbe:
    """A discriminator whose weights are all in Dense layers without activations (the
    tabular GAN's), rebuilt to return each Dense layer's input and output besides its
    own outputs. `of(discriminator)` is None where that does not hold."""

    def __init__(self, discriminator, layers):
        self.layers = layers
        self.biases = [layer.use_bias for layer in layers]
        self.model = keras.Model(discriminator.inputs,
                                 [[layer.input for layer in layers],
                                  [layer.output for layer in layers], discriminator.outputs])

    @classmethod
    def of(cls, discriminator):
        try:
            layers = [layer for layer in discriminator.layers if layer.weights]
        except AttributeError:
            return None
        if not layers or not all(isinstance(layer, keras.layers.Dense)
                                 and layer.activation is keras.activations.linear
                                 for layer in layers):
            return None
        own = [v for layer in layers for v in layer.trainable_variables]
        if [id(v) for v in own] != [id(v) for v in discriminator.trainable_variables]:
            return None
        try:  # a layer called twice, or outside a functional graph, has no single input
            if not all(len(layer.input.shape) == 2 for layer in layers):
                return None
            return cls(discriminator, layers)
        except (AttributeError, ValueError):
            return None

    def __call__(self, inputs, training=False):
        layer_inputs, layer_outputs, outputs = self.model(inputs, training=training)
        return layer_inputs, layer_outputs, outputs[0] if len(outputs) == 1 else outputs


__all__ = ["BudgetStop", "DenseProbe", "DifferentialPrivacy"]
