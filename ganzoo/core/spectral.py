"""Spectral normalisation of a discriminator (Miyato et al. 2018), for every model.

`spectrally_normalized(discriminator)` rebuilds a functional discriminator with each
layer that has a kernel (dense and convolution layers, the domain's own included)
wrapped in `SpectralNorm`: the layer computes with its kernel divided by the kernel's
largest singular value, estimated by one step of power iteration per training call.
Unlike `keras.layers.SpectralNormalization`, which writes the normalised kernel back
into the layer's variable on every training call (in the generator's update too, and
without an aggregation a mirrored variable accepts), the division happens in the
forward pass: gradients flow through it and the trained kernel is never overwritten.
The power iteration's vector is the one piece of state; it is the same on every replica.
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="ganzoo")
class SpectralNorm(keras.layers.Wrapper):
    """`layer` computing with `kernel / sigma(kernel)`."""

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        self.power_iterations = int(power_iterations)

    def build(self, input_shape=None):
        super().build(input_shape)
        if not hasattr(self.layer, "kernel"):
            raise ValueError(f"Spectral normalisation needs a layer with a kernel; "
                             f"{type(self.layer).__name__} {self.layer.name!r} has none.")
        kernel = self.layer.kernel
        self.vector_u = self.add_weight(
            shape=(1, kernel.shape[-1]), initializer=keras.initializers.TruncatedNormal(
                stddev=1.0, seed=0), trainable=False, dtype=kernel.dtype, name="vector_u",
            aggregation="only_first_replica")

    def normalized_kernel(self, training=False):
        """The kernel divided by its estimated spectral norm (and the next estimate of
        the singular vector)."""
        kernel = self.layer.kernel
        weights = ops.reshape(kernel, (-1, kernel.shape[-1]))
        u = ops.stop_gradient(ops.convert_to_tensor(self.vector_u))
        for _ in range(self.power_iterations):
            v = _normalize(ops.matmul(u, ops.transpose(weights)))
            u = _normalize(ops.matmul(v, weights))
        u, v = ops.stop_gradient(u), ops.stop_gradient(v)
        sigma = ops.sum(ops.matmul(v, weights) * u)
        return kernel / sigma, u

    def call(self, inputs, training=False):
        kernel, u = self.normalized_kernel(training)
        if training:
            self.vector_u.assign(u)
        trainable = [kernel if variable is self.layer.kernel else variable
                     for variable in self.layer.trainable_variables]
        outputs, _ = self.layer.stateless_call(trainable, self.layer.non_trainable_variables,
                                               inputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}


def _normalize(x, epsilon=1e-12):
    return x / ops.sqrt(ops.maximum(ops.sum(ops.square(x)), epsilon))


def spectrally_normalized(discriminator):
    """A copy of the functional `discriminator` (fresh weights) whose layers with a
    kernel are wrapped in `SpectralNorm`; layers already wrapped stay as they are."""
    wrapped = []

    def clone(layer):
        copy = layer.__class__.from_config(layer.get_config())
        if isinstance(layer, SpectralNorm) or not _has_kernel(layer):
            return copy
        wrapped.append(layer.name)
        return SpectralNorm(copy, name=f"{layer.name}_sn")

    copy = keras.models.clone_model(discriminator, clone_function=clone)
    if not wrapped and not any(isinstance(l, SpectralNorm) for l in copy.layers):
        raise ValueError(f"Spectral normalisation needs layers with kernels; the network "
                         f"{discriminator.name!r} has none.")
    return copy


def _has_kernel(layer):
    # Dense and convolution layers (and subclasses, e.g. ganzoo's audio convolutions);
    # embeddings (the projection) are left as they are, as SNGAN's projection does.
    return isinstance(layer, (keras.layers.Dense, keras.layers.Conv1D, keras.layers.Conv2D,
                              keras.layers.Conv1DTranspose, keras.layers.Conv2DTranspose))


__all__ = ["SpectralNorm", "spectrally_normalized"]
