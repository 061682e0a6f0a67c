"""Classic augmentation of a classifier's training batches, real and generated examples
alike: what users try first (shifts and rotations of images; time shifts, gain and
SpecAugment masks of audio), done in the `tf.data` pipeline so that the classifier needs
no augmentation layers of its own.

Every op takes a batch and a `[2]` stateless seed: a dataset's batches are repeatable
from its seed, and each batch draws afresh. Unlike discriminator augmentation
(`ganzoo.core.augmentation`) nothing here needs gradients, so images rotate with
bilinear resampling.
"""

import math

import tensorflow as tf

from ganzoo.audio import augmentation as audio_ops
from ganzoo.augment import defaults
from ganzoo.core.augmentation import Draws, random_band_mask

IMAGE_OPS = ("shift", "rotate", "cutout")
AUDIO_OPS = ("shift", "gain", "time_mask", "frequency_mask")
FEATURE_OPS = ("time_mask", "frequency_mask")


class BatchDraws(Draws):
    """`Draws` for one batch of a dataset: no replicas to slice for (a dataset may be
    built under a strategy's scope, outside any replica)."""

    def uniform(self, tail=(), minval=0.0, maxval=1.0):
        seed = tf.random.experimental.stateless_fold_in(self.seed_pair, self._calls)
        self._calls += 1
        shape = tf.concat([[self.batch_size], tf.constant(tail, tf.int32)], 0)
        return minval + (maxval - minval) * tf.random.stateless_uniform(shape, seed)


def check_ops(classic, available, domain):
    """`classic` (None / "none", "default", a comma-separated string or a sequence of
    names) as a tuple of op names, or a ValueError naming the unknown ones."""
    if classic is None or classic is False or classic == "none":
        return ()
    if classic == "default" or classic is True:
        return defaults.IMAGE_CLASSIC if domain == "image" else defaults.AUDIO_CLASSIC
    names = tuple(n.strip() for n in classic.split(",")) if isinstance(classic, str) else \
        tuple(classic)
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ValueError(f"Unknown classic augmentation {unknown} for {domain}; choose from "
                         f"{', '.join(available)} (or 'default', or None for none).")
    return names


def affine(images, angles, shifts, fill):
    """Rotates each image `[batch, h, w, c]` by `angles` (radians, anticlockwise as
    displayed, about its centre) and then moves it by `shifts` `[batch, 2]` (pixels down,
    right), filling what comes in with `fill`; bilinear."""
    height, width = images.shape[1], images.shape[2]
    cy, cx = (height - 1) / 2.0, (width - 1) / 2.0
    cos, sin = tf.cos(angles), tf.sin(angles)
    ty, tx = shifts[:, 0], shifts[:, 1]
    # The op maps each output pixel back to the input pixel it samples.
    ux, uy = -tx - cx, -ty - cy
    zeros = tf.zeros_like(angles)
    transforms = tf.stack([cos, -sin, cos * ux - sin * uy + cx,
                           sin, cos, sin * ux + cos * uy + cy, zeros, zeros], axis=1)
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=images, transforms=transforms, output_shape=[height, width],
        fill_value=tf.cast(fill, tf.float32), interpolation="BILINEAR", fill_mode="CONSTANT")


def augment_images(images, seed_pair, ops, fill):
    """Classic augmentation of a float32 batch `[batch, h, w, c]` whose background
    value is `fill`."""
    if not ops:
        return images
    draws = BatchDraws(tf.shape(images)[0], seed_pair)
    height, width = images.shape[1], images.shape[2]
    zeros = tf.zeros([tf.shape(images)[0]])
    angles = zeros
    if "rotate" in ops:
        limit = math.radians(defaults.IMAGE_ROTATION_DEGREES)
        angles = draws.uniform(minval=-limit, maxval=limit)
    shifts = tf.stack([zeros, zeros], axis=1)
    if "shift" in ops:
        most_y = int(round(defaults.IMAGE_SHIFT * height))
        most_x = int(round(defaults.IMAGE_SHIFT * width))
        shifts = tf.cast(tf.stack([draws.integers(-most_y, most_y),
                                   draws.integers(-most_x, most_x)], axis=1), tf.float32)
    if "rotate" in ops or "shift" in ops:
        images = affine(images, angles, shifts, fill)
    if "cutout" in ops:
        side_y = max(1, int(round(defaults.IMAGE_CUTOUT * height)))
        side_x = max(1, int(round(defaults.IMAGE_CUTOUT * width)))
        top = draws.integers(0, height - side_y)
        left = draws.integers(0, width - side_x)
        rows = tf.range(height)[None, :]
        columns = tf.range(width)[None, :]
        in_rows = (rows >= top[:, None]) & (rows < top[:, None] + side_y)
        in_columns = (columns >= left[:, None]) & (columns < left[:, None] + side_x)
        hole = tf.cast(in_rows[:, :, None] & in_columns[:, None, :], images.dtype)[..., None]
        images = images * (1 - hole) + fill * hole
    return images


def augment_waveforms(waves, seed_pair, ops, silence=False):
    """Time shift (silence comes in) and gain of float32 clips `[batch, samples]`; with
    `silence`, "time_mask" silences one run of each clip (SpecAugment's time mask, on the
    waveform)."""
    draws = BatchDraws(tf.shape(waves)[0], seed_pair)
    if "shift" in ops:
        waves = audio_ops.waveform_time_shift(waves, draws, ratio=defaults.AUDIO_SHIFT)
    if "gain" in ops:
        waves = audio_ops.gain(waves, draws, decibels=defaults.AUDIO_GAIN_DB)
    if silence and "time_mask" in ops:
        waves = random_band_mask(waves, draws, axis=1, max_width=int(
            round(defaults.AUDIO_MASK * waves.shape[1])))
    return waves


def mask_features(features, seed_pair, ops):
    """SpecAugment's masks of features `[batch, frames, bins(, 1)]`: one run of frames
    and one band of bins set to the example's mean level."""
    if not set(ops) & set(FEATURE_OPS):
        return features
    draws = BatchDraws(tf.shape(features)[0], tf.random.experimental.stateless_fold_in(
        seed_pair, 1))
    axes = list(range(1, features.shape.rank))
    level = tf.reduce_mean(features, axis=axes, keepdims=True)
    if "time_mask" in ops:
        features = random_band_mask(features, draws, axis=1, max_width=int(
            round(defaults.AUDIO_MASK * features.shape[1])), fill=level)
    if "frequency_mask" in ops:
        features = random_band_mask(features, draws, axis=2, max_width=int(
            round(defaults.AUDIO_MASK * features.shape[2])), fill=level)
    return features


__all__ = ["IMAGE_OPS", "AUDIO_OPS", "affine", "augment_images", "augment_waveforms",
           "check_ops", "mask_features"]
