"""DCGAN networks (Radford et al. 2016), sized from the image shape.

Generator: a dense projection to a small feature map, then strided transposed
convolutions (batch norm + ReLU) that double the side each time, tanh output.
Discriminator: strided convolutions with LeakyReLU(0.2) that halve the side, then one
logit. When class-conditional, the label enters the generator as a learned embedding
concatenated to z, and the discriminator through a projection (Miyato & Koyama 2018):
logit = w.h + embed(label).h, which conditions better than concatenating one-hot
planes and costs almost nothing.
"""

import keras
from keras import layers

from ganzoo.core import conditioning, distribute

# Side lengths we build: start from a 7x7 or 4x4 map and double 2..5 times.
_START = {16: 4, 28: 7, 32: 4, 56: 7, 64: 4, 128: 4}
SUPPORTED_SIDES = tuple(sorted(_START))
SUPPORTED_CHANNELS = (1, 3)


def check_image_shape(image_shape):
    """Validates `image_shape` and returns it as a tuple `(side, side, channels)`."""
    try:
        shape = tuple(int(d) for d in image_shape)
    except (TypeError, ValueError):
        raise ValueError(f"image_shape must be (height, width, channels), got {image_shape!r}.")
    if len(shape) != 3:
        raise ValueError(
            f"image_shape must be (height, width, channels), got {image_shape!r}."
        )
    height, width, channels = shape
    if height != width or height not in _START:
        raise ValueError(
            f"Unsupported image_shape {shape}: DCGAN builds square images with side "
            f"in {SUPPORTED_SIDES}. Resize your images (the input pipelines take "
            "`image_size=`)."
        )
    if channels not in SUPPORTED_CHANNELS:
        raise ValueError(
            f"Unsupported image_shape {shape}: channels must be 1 (grey) or 3 (colour)."
        )
    return shape


def _plan(side, model_size):
    """Feature-map sides and filter counts from the smallest map up to the image."""
    start = _START[side]
    steps = (side // start).bit_length() - 1
    sides = [start * 2**i for i in range(steps + 1)]
    widths = [model_size * 2 ** (steps - 1 - i) for i in range(steps)]
    return sides, widths


def build_generator(image_shape, latent_dim=128, num_classes=None, model_size=64,
                    dtype=None, name="generator"):
    side, _, channels = check_image_shape(image_shape)
    sides, widths = _plan(side, model_size)
    inputs, x = conditioning.generator_inputs(latent_dim, num_classes, dtype)
    sync = distribute.sync_batch_norm()
    x = layers.Dense(sides[0] * sides[0] * widths[0], use_bias=False, dtype=dtype, name="project")(x)
    x = layers.Reshape((sides[0], sides[0], widths[0]), dtype=dtype)(x)
    x = layers.BatchNormalization(synchronized=sync, dtype=dtype)(x)
    x = layers.ReLU(dtype=dtype)(x)
    for width in widths[1:]:
        x = layers.Conv2DTranspose(width, 5, strides=2, padding="same", use_bias=False, dtype=dtype)(x)
        x = layers.BatchNormalization(synchronized=sync, dtype=dtype)(x)
        x = layers.ReLU(dtype=dtype)(x)
    x = layers.Conv2DTranspose(channels, 5, strides=2, padding="same", dtype=dtype, name="to_image")(x)
    # Outputs stay float32 under mixed precision.
    images = layers.Activation("tanh", dtype="float32", name="images")(x)
    return keras.Model(inputs, images, name=name)


def build_discriminator(image_shape, num_classes=None, model_size=64, dtype=None,
                        name="discriminator", auxiliary_classifier=False):
    side, _, channels = check_image_shape(image_shape)
    sides, widths = _plan(side, model_size)
    image = keras.Input((side, side, channels), name="image")
    x = image
    for width in reversed(widths):
        x = layers.Conv2D(width, 5, strides=2, padding="same", dtype=dtype)(x)
        x = layers.LeakyReLU(0.2, dtype=dtype)(x)
    features = layers.Flatten(dtype=dtype)(x)
    return conditioning.discriminator_model(image, features, num_classes, name,
                                            auxiliary_classifier)
