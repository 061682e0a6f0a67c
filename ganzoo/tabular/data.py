"""The tabular input pipeline: training-by-sampling batches as a `tf.data` dataset."""

import numpy as np
import tensorflow as tf

from ganzoo.core import distribute


def training_dataset(matrix, sampler, batch_size):
    """An endless dataset of `(rows, condition)` batches, newly sampled every epoch
    (just shuffled `rows` when the table has no discrete column), and the number of
    steps in an epoch. Pass both to `fit(..., steps_per_epoch=steps)`: one iterator
    then serves the whole training, where a new one per epoch would cost more than
    the few steps of a small table's epoch."""
    n, dim = matrix.shape
    steps = n // batch_size
    if steps == 0:
        raise ValueError(
            f"The table has {n} rows, fewer than batch_size={batch_size}; "
            "use a smaller batch_size (a multiple of pac)."
        )
    conditional = sampler.has_conditions
    cond_dim = sampler.cond_dim

    def one_epoch(_):
        # Sampled in NumPy a whole epoch at a time; tf.data then slices batches
        # without going back to Python for each one.
        if conditional:
            cond, rows = sampler.sample_training(steps * batch_size)
        else:
            rows = sampler.rng.permutation(n)[: steps * batch_size]
            cond = np.zeros((steps * batch_size, 0), "float32")
        return (matrix[rows].reshape(steps, batch_size, dim).astype("float32"),
                cond.reshape(steps, batch_size, cond_dim).astype("float32"))

    def sample(index):
        rows, cond = tf.numpy_function(one_epoch, [index], [tf.float32, tf.float32])
        rows.set_shape((steps, batch_size, dim))
        cond.set_shape((steps, batch_size, cond_dim))
        return rows, cond

    def batches(rows, cond):
        if conditional:
            return tf.data.Dataset.from_tensor_slices((rows, cond))
        return tf.data.Dataset.from_tensor_slices(rows)

    ds = tf.data.Dataset.range(2**62).map(sample).flat_map(batches)
    return distribute.shard_by_data(ds.prefetch(tf.data.AUTOTUNE)), steps


__all__ = ["training_dataset"]
