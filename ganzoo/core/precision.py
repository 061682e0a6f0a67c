"""Compute precision: float32, or mixed float16 / bfloat16 with float32 variables."""

import functools

import keras

PRECISIONS = ("float32", "mixed_float16", "mixed_bfloat16", "auto")


def resolve_policy(precision=None):
    """A `keras.DTypePolicy` from a precision name.

    None follows Keras' global policy (`keras.mixed_precision.set_global_policy`);
    `"auto"` picks what is fastest here (see `auto_precision`).
    """
    if precision is None:
        return keras.config.dtype_policy()
    if isinstance(precision, keras.DTypePolicy):
        precision = precision.name
    if precision not in PRECISIONS:
        raise ValueError(f"Unknown precision {precision!r}; choose one of {PRECISIONS}.")
    if precision == "auto":
        precision = auto_precision()
    return keras.DTypePolicy(precision)


@functools.lru_cache(maxsize=1)
def auto_precision():
    """mixed_float16 with a GPU; mixed_bfloat16 on a CPU with native bfloat16
    arithmetic (AVX512_BF16 or AMX), where it measured ~2x faster for the DCGAN;
    float32 otherwise, where 16-bit compute would only be emulated."""
    import tensorflow as tf

    if tf.config.list_physical_devices("GPU"):
        return "mixed_float16"
    if _cpu_flags() & {"avx512_bf16", "amx_bf16"}:
        return "mixed_bfloat16"
    return "float32"


def _cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()
