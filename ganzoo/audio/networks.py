"""WaveGAN networks (Donahue, McAuley and Puckette 2019).

Generator: z -> dense -> (16, 16d) -> five 1-D transposed convolutions (kernel 25,
stride 4, ReLU), tanh: 16 * 4^5 = 16,384 samples. Longer slices (32,768 / 65,536) get a
sixth upsampling layer of stride 2 / 4, as later WaveGAN versions do.
Discriminator: the mirror image with strided 1-D convolutions, LeakyReLU(0.2), and
phase shuffle after each of the first four layers, so it cannot key on the phase
artifacts of transposed convolutions. Conditional models take the label as an
embedding concatenated to z, and through a projection in the discriminator (as the
DCGAN does).
"""

import keras
import tensorflow as tf
from keras import layers

from ganzoo.audio import layers as wave_layers
from ganzoo.core import conditioning

SLICE_LENGTHS = (16384, 32768, 65536)
KERNEL = 25


def check_slice_length(slice_length):
    if int(slice_length) not in SLICE_LENGTHS:
        raise ValueError(
            f"Unsupported slice_length {slice_length}: WaveGAN generates {SLICE_LENGTHS} samples."
        )
    return int(slice_length)


@keras.saving.register_keras_serializable(package="ganzoo")
class PhaseShuffle(layers.Layer):
    """Shifts the whole batch's feature maps by a random -radius..radius samples,
    filling the edge by reflection (WaveGAN's phase shuffle). Identity at inference."""

    def __init__(self, radius=2, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.radius = int(radius)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, x, training=False):
        if not training or self.radius == 0:
            return x
        shift = keras.random.randint((), -self.radius, self.radius + 1,
                                     seed=self.seed_generator, dtype="int32")
        padded = tf.pad(x, [[0, 0], [self.radius, self.radius], [0, 0]], mode="REFLECT")
        return tf.slice(padded, [0, self.radius - shift, 0], tf.shape(x))

    def get_config(self):
        return {**super().get_config(), "radius": self.radius, "seed": self.seed}


def _extra_stride(slice_length):
    return {16384: None, 32768: 2, 65536: 4}[slice_length]


def build_generator(slice_length=16384, latent_dim=100, model_size=64, num_classes=None,
                    dtype=None, conv_method="auto", name="generator"):
    """`conv_method`: how the transposed convolutions are computed (same weights and
    results either way; see `ganzoo.audio.layers`)."""
    slice_length = check_slice_length(slice_length)

    def upsample(width, stride, **kwargs):
        return wave_layers.Conv1DTranspose(width, KERNEL, strides=stride, padding="same",
                                           dtype=dtype, method=conv_method, **kwargs)

    d = int(model_size)
    inputs, x = conditioning.generator_inputs(latent_dim, num_classes, dtype)
    x = layers.Dense(16 * 16 * d, dtype=dtype, name="project")(x)
    x = layers.Reshape((16, 16 * d), dtype=dtype)(x)
    x = layers.ReLU(dtype=dtype)(x)
    extra = _extra_stride(slice_length)
    widths = [8 * d, 4 * d, 2 * d, d]
    for width in widths:
        x = upsample(width, 4)(x)
        x = layers.ReLU(dtype=dtype)(x)
    if extra:
        x = upsample(d, 4)(x)
        x = layers.ReLU(dtype=dtype)(x)
    x = upsample(1, extra or 4, name="to_audio")(x)
    audio = layers.Activation("tanh", dtype="float32", name="audio")(x)
    audio = layers.Reshape((slice_length,), dtype="float32", name="waveform")(audio)
    return keras.Model(inputs, audio, name=name)


def build_discriminator(slice_length=16384, model_size=64, num_classes=None, phase_shuffle=2,
                        dtype=None, seed=None, conv_method="auto", name="discriminator",
                        auxiliary_classifier=False):
    slice_length = check_slice_length(slice_length)
    d = int(model_size)
    waveform = keras.Input((slice_length,), name="waveform")
    x = layers.Reshape((slice_length, 1), dtype=dtype)(waveform)
    extra = _extra_stride(slice_length)
    strides = ([extra] if extra else []) + [4] * 5
    widths = ([d // 2] if extra else []) + [d, 2 * d, 4 * d, 8 * d, 16 * d]
    for i, (width, stride) in enumerate(zip(widths, strides)):
        x = wave_layers.Conv1D(width, KERNEL, strides=stride, padding="same", dtype=dtype,
                               method=conv_method)(x)
        x = layers.LeakyReLU(0.2, dtype=dtype)(x)
        if i < len(widths) - 1 and phase_shuffle:
            x = PhaseShuffle(phase_shuffle, seed=None if seed is None else seed + i,
                             dtype=dtype)(x)
    features = layers.Flatten(dtype=dtype)(x)
    return conditioning.discriminator_model(waveform, features, num_classes, name,
                                            auxiliary_classifier)
