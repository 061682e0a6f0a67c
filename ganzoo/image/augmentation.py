"""The image transforms of discriminator augmentation (DiffAugment's policies).

Images are `[batch, height, width, channels]` in [-1, 1]; every transform is made of
differentiable ops. Flips are available but not in the default: digits and most
small-data images are not mirror-symmetric.
"""

import tensorflow as tf

from ganzoo.core.augmentation import band, per_example, shift


def translation(x, draws, ratio=0.125):
    """Moves each image by up to 1/8 of its size each way, zero-padded."""
    x = shift(x, draws, axis=1, max_shift=int(x.shape[1] * ratio + 0.5))
    return shift(x, draws, axis=2, max_shift=int(x.shape[2] * ratio + 0.5))


def cutout(x, draws, ratio=0.5):
    """Zeroes one square of half the image's size at a random place."""
    rows = band(draws, x.shape[1], int(x.shape[1] * ratio + 0.5))
    columns = band(draws, x.shape[2], int(x.shape[2] * ratio + 0.5))
    hole = tf.cast(rows[:, :, None] & columns[:, None, :], x.dtype)[..., None]
    return x * (1 - hole)


def color(x, draws):
    """Random brightness, saturation and contrast, as DiffAugment draws them."""
    x = x + per_example(draws.uniform(minval=-0.5, maxval=0.5), x)
    grey = tf.reduce_mean(x, axis=3, keepdims=True)
    x = (x - grey) * per_example(draws.uniform(maxval=2.0), x) + grey
    mean = tf.reduce_mean(x, axis=[1, 2, 3], keepdims=True)
    return (x - mean) * per_example(draws.uniform(minval=0.5, maxval=1.5), x) + mean


def flip(x, draws):
    """Mirrors half of the images left to right."""
    mirrored = per_example(draws.uniform() < 0.5, x)
    return mirrored * tf.reverse(x, axis=[2]) + (1 - mirrored) * x


POLICIES = {"translation": translation, "cutout": cutout, "color": color, "flip": flip}
DEFAULT = ("translation", "cutout", "color")
