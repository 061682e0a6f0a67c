"""What every domain's input pipeline shares."""

import warnings


class BatchSizeCapped(UserWarning):
    """The data has fewer examples than the batch size asked for."""


def fit_batch_size(n, batch_size, what="examples"):
    """`batch_size`, or the largest full batch `n` examples make (with a notice) when
    there are fewer: a small data set trains instead of stopping. Under a strategy the
    capped batch stays a multiple of the replicas."""
    batch_size = int(batch_size)
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}.")
    if n >= batch_size:
        return batch_size
    import tensorflow as tf

    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    capped = n - n % replicas
    if capped < 1:
        raise ValueError(f"Only {n} {what}: at least one per replica ({replicas}) is needed.")
    warnings.warn(f"Only {n} {what} for batch size {batch_size}: training with batches of "
                  f"{capped}.", BatchSizeCapped, stacklevel=3)
    return capped
