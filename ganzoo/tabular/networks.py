"""CTGAN-family networks: a residual-MLP generator with per-span output activations,
and a PacGAN discriminator that judges `pac` rows at a time."""

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from ganzoo.core import distribute


@keras.saving.register_keras_serializable(package="ganzoo")
class SpanActivation(layers.Layer):
    """tanh on scalar spans, Gumbel-softmax on one-hot spans (mode indicators and
    categories), so the generator emits near one-hot vectors it can still learn
    through.

    All one-hot spans are handled at once: moved into a padded `[batch, spans, widest]`
    block, soft-maxed along the last axis, and moved back. The moves are products with
    constant 0/1 matrices rather than gathers: on a CPU a small matmul (and its
    gradient, another matmul) costs far less than a gather and the scatter that is its
    gradient, and the result is the same number for number.
    """

    def __init__(self, spans, tau=0.2, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.spans = [(str(kind), int(size)) for kind, size in spans]
        self.tau = float(tau)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        width = sum(size for _, size in self.spans)
        starts = np.cumsum([0] + [size for _, size in self.spans])[:-1]
        onehot = [(start, size) for (kind, size), start in zip(self.spans, starts)
                  if kind != "scalar"]
        self._has_onehot = bool(onehot)
        self._widest = max([size for _, size in onehot], default=1)
        slots = max(len(onehot), 1) * self._widest
        # matrix column j <-> padded slot s * widest + k (k-th entry of one-hot span s)
        self._to_block = np.zeros((width, slots), "float32")
        for s, (start, size) in enumerate(onehot):
            for k in range(size):
                self._to_block[start + k, s * self._widest + k] = 1.0
        self._from_block = np.ascontiguousarray(self._to_block.T)
        # padding slots get -1e9 so the softmax gives them nothing; scalar columns
        # are those no slot reads
        self._padding = np.where(self._to_block.sum(axis=0) > 0, 0.0, -1e9).astype("float32")
        self._scalar_mask = 1.0 - self._to_block.sum(axis=1)

    def call(self, x):
        if not self._has_onehot:
            return tf.tanh(x)
        flat = tf.matmul(x, self._to_block)
        u = keras.random.uniform(tf.shape(flat), minval=1e-10, maxval=1.0,
                                 seed=self.seed_generator, dtype=x.dtype)
        gumbel = -tf.math.log(-tf.math.log(u))
        logits = (flat + gumbel) / self.tau + self._padding
        block = tf.reshape(logits, [tf.shape(x)[0], -1, self._widest])
        soft = tf.reshape(tf.nn.softmax(block, axis=-1), tf.shape(flat))
        return tf.tanh(x) * self._scalar_mask + tf.matmul(soft, self._from_block)

    def get_config(self):
        return {**super().get_config(), "spans": self.spans, "tau": self.tau, "seed": self.seed}


@keras.saving.register_keras_serializable(package="ganzoo")
class Pack(layers.Layer):
    """PacGAN (Lin et al. 2018): `pac` consecutive rows become one input, so the
    discriminator sees a sample of rows and can punish mode collapse."""

    def __init__(self, pac, **kwargs):
        super().__init__(**kwargs)
        self.pac = int(pac)

    def call(self, x):
        return tf.reshape(x, [-1, self.pac * x.shape[-1]])

    def compute_output_shape(self, input_shape):
        batch = None if input_shape[0] is None else input_shape[0] // self.pac
        return (batch, self.pac * input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "pac": self.pac}


def build_generator(spans, cond_dim, latent_dim=128, dims=(256, 256), tau=0.2, seed=None,
                    dtype=None):
    z = keras.Input((latent_dim,), name="latent")
    inputs = [z]
    h = z
    if cond_dim:
        cond = keras.Input((cond_dim,), name="condition")
        inputs.append(cond)
        h = layers.Concatenate(dtype=dtype)([z, cond])
    for dim in dims:
        # CTGAN's residual block: new features are appended, not added.
        new = layers.Dense(dim, dtype=dtype)(h)
        # PyTorch's default momentum (0.1 there is 0.9 here): Keras' 0.99 lets the
        # inference statistics lag behind a generator that is still moving.
        new = layers.BatchNormalization(momentum=0.9, synchronized=distribute.sync_batch_norm(),
                                        dtype=dtype)(new)
        new = layers.ReLU(dtype=dtype)(new)
        h = layers.Concatenate(dtype=dtype)([h, new])
    raw = layers.Dense(sum(size for _, size in spans), dtype="float32", name="raw")(h)
    rows = SpanActivation(spans, tau=tau, seed=seed, dtype="float32", name="rows")(raw)
    return keras.Model(inputs if cond_dim else z, rows, name="generator")


def build_discriminator(data_dim, cond_dim, dims=(256, 256), pac=10, dropout=0.5, dtype=None):
    x = keras.Input((data_dim,), name="rows")
    inputs, h = [x], x
    if cond_dim:
        cond = keras.Input((cond_dim,), name="condition")
        inputs.append(cond)
        h = layers.Concatenate(dtype=dtype)([x, cond])
    h = Pack(pac, dtype=dtype)(h)
    for dim in dims:
        h = layers.Dense(dim, dtype=dtype)(h)
        h = layers.LeakyReLU(0.2, dtype=dtype)(h)
        h = layers.Dropout(dropout, dtype=dtype)(h)
    logit = layers.Dense(1, dtype="float32", name="logit")(h)
    return keras.Model(inputs if cond_dim else x, logit, name="discriminator")


def build_target_model(data_dim, target_dim, dims=(256, 256)):
    """The downstream model of a declared target column: an MLP from a row (its target
    columns zeroed) to the target's encoding (logits of one-hot spans, pre-tanh scalars).
    float32: it is trained once, before the GAN, and only read after."""
    x = keras.Input((data_dim,), name="rows")
    h = x
    for dim in dims:
        h = layers.Dense(dim, activation="relu")(h)
        h = layers.Dropout(0.2)(h)
    return keras.Model(x, layers.Dense(target_dim, name="target")(h), name="target_model")
