"""Compute precision: float32, or mixed float16 / bfloat16 with float32 variables."""

import keras

PRECISIONS = ("float32", "mixed_float16", "mixed_bfloat16")


def resolve_policy(precision=None):
    """A `keras.DTypePolicy` from a precision name; None follows Keras' global policy
    (`keras.mixed_precision.set_global_policy`)."""
    if precision is None:
        return keras.config.dtype_policy()
    if isinstance(precision, keras.DTypePolicy):
        precision = precision.name
    if precision not in PRECISIONS:
        raise ValueError(f"Unknown precision {precision!r}; choose one of {PRECISIONS}.")
    return keras.DTypePolicy(precision)
