"""The tabular input pipeline: training-by-sampling batches as a `tf.data` dataset."""

import tensorflow as tf


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

    def epochs():
        while True:
            if conditional:
                cond, rows = sampler.sample_training(steps * batch_size)
            else:
                rows = sampler.rng.permutation(n)[: steps * batch_size]
            for i in range(steps):
                part = slice(i * batch_size, (i + 1) * batch_size)
                if conditional:
                    yield matrix[rows[part]], cond[part]
                else:
                    yield matrix[rows[part]]

    row_spec = tf.TensorSpec((batch_size, dim), tf.float32)
    if conditional:
        spec = (row_spec, tf.TensorSpec((batch_size, sampler.cond_dim), tf.float32))
    else:
        spec = row_spec
    ds = tf.data.Dataset.from_generator(epochs, output_signature=spec)
    return ds.prefetch(tf.data.AUTOTUNE), steps


__all__ = ["training_dataset"]
