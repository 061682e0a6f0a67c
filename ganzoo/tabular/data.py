"""The tabular input pipeline: training-by-sampling batches as a `tf.data` dataset, and
the CSV reader of the command line."""

import os
import warnings

import numpy as np
import tensorflow as tf

from ganzoo.core import distribute

#: Batches drawn ahead of the training step.
PREFETCH = 8
#: Rows copied into TensorFlow at a time.
FILL_ROWS = 8192


def steps_per_epoch(rows, batch_size):
    """Training steps in one pass over a table of `rows` rows."""
    steps = rows // batch_size
    if steps == 0:
        raise ValueError(
            f"The table has {rows} rows, fewer than batch_size={batch_size}; "
            "use a smaller batch_size (a multiple of pac)."
        )
    return steps


def dataset_from_arrays(matrix, sampler, batch_size, seed=0, uniform=False):
    """An endless dataset of `(rows, condition)` batches of the transformed `matrix`
    drawn by training-by-sampling (just shuffled `rows` when the table has no discrete
    column). `uniform`: every row once per epoch in a random order, each with the
    condition of its own category in a random discrete column
    (`ConditionalSampler.own_conditions`), the sampling DP-SGD's accounting assumes.
    Pass `fit(..., steps_per_epoch=steps_per_epoch(len(matrix), batch_size))`:
    one iterator then serves the whole training, where a new one per epoch would cost
    more than the few steps of a small table's epoch.

    Every draw is a TensorFlow op keyed by `seed` and the batch's number, so batches
    are reproducible and the pipeline runs beside the training step without Python."""
    n, dim = matrix.shape
    steps_per_epoch(n, batch_size)
    table = _table_in_tensorflow(matrix)
    if uniform or not sampler.has_conditions:
        ds = (shuffled_rows(n, seed).batch(batch_size, drop_remainder=True)
              .map(lambda rows: tf.gather(table, rows)))
        if sampler.has_conditions:
            ds = ds.enumerate().map(lambda index, rows: (rows, sampler.own_conditions(
                rows, tf.stack([tf.constant(seed, tf.int64), index]))))
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
    return distribute.shard_by_data(ds.prefetch(PREFETCH).with_options(options))


def shuffled_rows(n, seed):
    """An endless dataset of row indices: every one of `n` rows once per epoch, in an
    order keyed by `seed` and the epoch alone (stateless: TensorFlow's global seed plays
    no part)."""
    def order(epoch):
        keys = tf.random.stateless_uniform([n], tf.stack([tf.constant(seed, tf.int64), epoch]))
        return tf.argsort(keys)

    return tf.data.Dataset.range(2**62).map(order).unbatch()


def _table_in_tensorflow(matrix):
    """The matrix as one CPU tensor the pipeline gathers rows from: a variable filled
    a few thousand rows at a time, because `tf.constant` holds a second, passing copy
    of a large array while it converts it (the peak memory of a large table's fit)."""
    matrix = np.asarray(matrix, "float32")
    with tf.init_scope(), tf.device("/cpu:0"):
        if tf.distribute.has_strategy():  # a variable would be mirrored on every replica
            return tf.constant(matrix)
        table = tf.Variable(tf.zeros(matrix.shape), trainable=False, name="tabular_rows")
        for start in range(0, len(matrix), FILL_ROWS):
            stop = min(start + FILL_ROWS, len(matrix))
            table.scatter_update(tf.IndexedSlices(matrix[start:stop], tf.range(start, stop)))
    return table


def training_dataset(matrix, sampler, batch_size, seed=0):
    """Deprecated (ganzoo 0.2): `(dataset_from_arrays(...), steps_per_epoch(...))`."""
    warnings.warn("ganzoo.tabular.data.training_dataset is deprecated and goes in 0.7; use "
                  "dataset_from_arrays and steps_per_epoch.", DeprecationWarning, stacklevel=2)
    return (dataset_from_arrays(matrix, sampler, batch_size, seed),
            steps_per_epoch(len(matrix), batch_size))


def read_csv(path):
    """A CSV table as a DataFrame; a missing, unreadable or empty file is a ValueError
    (FileNotFoundError) that names it."""
    import pandas as pd

    if not os.path.isfile(path):
        raise FileNotFoundError(f"No CSV file at {path!r}.")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise ValueError(f"Cannot read {path!r} as a CSV table: {str(e).splitlines()[0]}") from None
    if frame.empty:
        raise ValueError(f"{path!r} has no data rows.")
    return frame


__all__ = ["dataset_from_arrays", "read_csv", "steps_per_epoch", "training_dataset"]
