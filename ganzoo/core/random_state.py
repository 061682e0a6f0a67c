"""Random state that belongs to the caller.

ganzoo never reseeds or draws from the process's global generators (Python's `random`,
NumPy's `np.random`, TensorFlow's global seed and generator, Keras' global seed
generator) while fitting, sampling or generating: a seed argument drives a local
generator, and `seed=None` there means fresh entropy from the operating system. Building
a model is Keras' business: its layers draw their default seeds from Python's `random`,
and so does a ganzoo model built without a seed (`keras_style_seed`), so that
`keras.utils.set_random_seed` makes a run repeatable as it does in Keras. Where a fit
builds networks (`TabularAugmenter.fit`), `scoped` gives that code a seeded generator of
its own and puts the caller's state back afterwards (as CTGAN's `set_random_states`
does).
"""

import contextlib
import random

import numpy as np

#: Seeds are non-negative int32 values: TensorFlow's stateless ops and Keras take them.
MAX_SEED = 2**31 - 1


def fresh_seed():
    """A seed from the operating system's entropy; no global generator is read."""
    return int(np.random.SeedSequence().generate_state(1)[0] % MAX_SEED)


def keras_style_seed():
    """The seed of a model built without one, drawn as Keras draws one for a layer built
    without one: from Python's global generator, so `keras.utils.set_random_seed` makes
    the model (and its training) repeatable. Only constructors use it."""
    return random.randint(1, MAX_SEED)


def seed_or_fresh(seed):
    """`seed` as an int, or a fresh one where it is None."""
    return fresh_seed() if seed is None else int(seed)


@contextlib.contextmanager
def scoped(seed=None):
    """Inside the block, Python's global generator starts from `seed` (fresh entropy
    when None), so the Keras layers built there get repeatable initial weights; on
    leaving, Python's and NumPy's global generators are what they were on entering."""
    python_state = random.getstate()
    numpy_state = np.random.get_state()
    random.seed(seed_or_fresh(seed))
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)


__all__ = ["MAX_SEED", "fresh_seed", "keras_style_seed", "scoped", "seed_or_fresh"]
