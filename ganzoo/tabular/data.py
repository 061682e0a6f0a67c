"""The tabular input pipeline: training-by-sampling batches as a `tf.data` dataset."""

import numpy as np
import tensorflow as tf

from ganzoo.core import distribute

#: Batches drawn ahead of the training step.
PREFETCH = 8


def training_dataset(matrix, sampler, batch_size, seed=0):
    """An endless dataset of `(rows, condition)` batches drawn by training-by-sampling
    (just shuffled `rows` when the table has no discrete column), and the number of
    steps in an epoch. Pass both to `fit(..., steps_per_epoch=steps)`: one iterator
    then serves the whole training, where a new one per epoch would cost more than
    the few steps of a small table's epoch.

    Every draw is a TensorFlow op keyed by `seed` and the batch's number, so batches
    are reproducible and the pipeline runs beside the training step without Python."""
    n, dim = matrix.shape
    steps = n // batch_size
    if steps == 0:
        raise ValueError(
            f"The table has {n} rows, fewer than batch_size={batch_size}; "
            "use a smaller batch_size (a multiple of pac)."
        )
    table = tf.constant(np.asarray(matrix, "float32"))
    if not sampler.has_conditions:
        ds = (tf.data.Dataset.range(n).shuffle(n, seed=seed, reshuffle_each_iteration=True)
              .repeat().batch(batch_size, drop_remainder=True)
              .map(lambda rows: tf.gather(table, rows)))
    else:
        def draw(index):
            cond, rows = sampler.sample_training(batch_size, tf.stack([tf.constant(seed, tf.int64),
                                                                       index]))
            return tf.gather(table, rows), cond

        ds = tf.data.Dataset.range(2**62).map(draw)
    # A batch takes a millisecond to draw, so a few ahead suffice; tf.data's autotuner
    # is off because at the end of `fit` its thread held the iterator's teardown for
    # ~20 s in 4 of 10 runs (with the small-op thread pools of `ganzoo.core.threads`).
    options = tf.data.Options()
    options.autotune.enabled = False
    return distribute.shard_by_data(ds.prefetch(PREFETCH).with_options(options)), steps


__all__ = ["training_dataset"]
