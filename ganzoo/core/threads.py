"""CPU thread pools for training steps made of many small ops.

By default TensorFlow gives every op a pool of all the cores *and* runs as many ops
side by side, so a step of many small ops (the tabular GAN's: matmuls of a few
hundred rows) oversubscribes a small CPU and its threads spend their time waiting
on each other. Two ops side by side with `cores // 2` threads each keeps every core
busy without that (measured in docs/tables.md).

The pools belong to the process and are fixed once TensorFlow runs its first op, so a
library sets them only when asked (`TabularAugmenter(cpu_threads="auto")`), only before
that, and never over a choice the user made (the `TF_NUM_INTEROP_THREADS` /
`TF_NUM_INTRAOP_THREADS` environment variables or `tf.config.threading`) or on a machine
with a GPU.
"""

import os

ENVIRONMENT = ("TF_NUM_INTEROP_THREADS", "TF_NUM_INTRAOP_THREADS")


def available_cores():
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def small_op_threads(cores=None):
    """`(inter_op, intra_op)`: two ops at a time, splitting the cores between them."""
    cores = available_cores() if cores is None else int(cores)
    return 2, max(1, cores // 2)


def use_small_op_threads():
    """Sets TensorFlow's thread pools to `small_op_threads()` where that is still
    possible and nobody chose otherwise. Returns the `(inter_op, intra_op)` set, or
    None where it left them alone."""
    import tensorflow as tf

    threading = tf.config.threading
    if any(os.environ.get(name) for name in ENVIRONMENT):
        return None
    if threading.get_inter_op_parallelism_threads() or threading.get_intra_op_parallelism_threads():
        return None
    if tf.config.list_physical_devices("GPU"):
        return None
    inter, intra = small_op_threads()
    try:
        threading.set_inter_op_parallelism_threads(inter)
        threading.set_intra_op_parallelism_threads(intra)
    except RuntimeError:  # TensorFlow has already started: its pools are fixed
        return None
    return inter, intra


__all__ = ["available_cores", "small_op_threads", "use_small_op_threads"]
