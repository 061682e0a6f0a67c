"""The generator's weight average (an exponential moving average of its weights).

Averaged weights give smoother, better samples than the last step's (Karras et al.
2018, Yazici et al. 2019). Training moves the generator's own weights; outside `fit`
the generator holds the average, so generation, export, `.keras` files and presets all
use it, and the trained weights wait in the average's variables for the next `fit`.
"""

import contextlib

import tensorflow as tf

#: The decay every ganzoo model uses unless told otherwise.
DEFAULT_DECAY = 0.999


def check_decay(decay):
    if decay is None:
        return None
    decay = float(decay)
    if not 0.0 < decay < 1.0:
        raise ValueError(f"generator_ema must be a decay in (0, 1), got {decay}.")
    return decay


class GeneratorAverage:
    """The average of `generator`'s trainable weights, kept in variables of `owner`
    (the model), so that they are saved and restored with it."""

    def __init__(self, owner, generator, decay):
        self.decay = check_decay(decay)
        self.generator = generator
        self.weights = []
        # "only_first_replica": every replica computes the same average, and the
        # update runs inside the replicated step.
        for i, variable in enumerate(generator.trainable_variables):
            self.weights.append(owner.add_weight(
                shape=variable.shape, dtype="float32", trainable=False,
                initializer=_constant(variable), aggregation="only_first_replica",
                name=f"generator_ema_{i}"))
        # 1 while the generator holds the averaged weights (outside fit).
        self.in_generator = owner.add_weight(
            shape=(), dtype="float32", trainable=False, initializer="zeros",
            aggregation="only_first_replica", name="generator_ema_in_generator")

    def _pairs(self):
        return zip(self.weights, self.generator.trainable_variables)

    def update(self, step):
        """One step of the average, after generator update number `step`."""
        step = tf.cast(step, tf.float32)
        # Short runs would otherwise stay near the random initialization.
        decay = tf.minimum(self.decay, (1.0 + step) / (10.0 + step))
        for average, variable in self._pairs():
            average.assign_sub((1.0 - decay) * (average - tf.cast(variable, tf.float32)))

    def holds_average(self):
        return bool(self.in_generator.numpy())

    def _swap(self):
        for average, variable in self._pairs():
            trained = variable.numpy()
            variable.assign(average.numpy().astype(trained.dtype))
            average.assign(trained.astype("float32"))
        self.in_generator.assign(1.0 - float(self.in_generator.numpy()))

    def put(self, averaged):
        """Puts the averaged (True) or the trained (False) weights in the generator."""
        if self.holds_average() != averaged:
            self._swap()

    @contextlib.contextmanager
    def holding(self, averaged):
        """A context in which the generator holds the averaged (or trained) weights;
        what it held before comes back afterwards."""
        before = self.holds_average()
        self.put(averaged)
        try:
            yield self.generator
        finally:
            self.put(before)

    def reset(self):
        """Takes the generator's current weights as the average (after loading
        generator-only weights, e.g. from a preset)."""
        for average, variable in self._pairs():
            average.assign(variable.numpy().astype("float32"))
        self.in_generator.assign(1.0)


def _constant(variable):
    import keras

    return keras.initializers.Constant(variable.numpy())
