"""WaveGAN's strided 1-D convolutions, computed in whichever of three equivalent ways is
fastest for the layer's shape.

Both classes are drop-in subclasses of Keras' `Conv1D` / `Conv1DTranspose`: the same
weights (shapes, layout, and the class names Keras uses to key them in weights files, so
models saved with the Keras layers load into these and back), the same arithmetic up to
float rounding. Only `call` differs, for `padding="same"`, stride s <= kernel, no dilation:

- `"native"`: TensorFlow's (transposed) convolution.
- `"phase"`: the stride moved into the channels. A transposed convolution of stride s is
  s ordinary stride-1 convolutions (one per output phase) whose outputs interleave; a
  strided convolution is a stride-1 convolution over s-sample frames. Both become one
  stride-1 convolution with ceil(K/s) taps, which CPUs run faster on long signals.
- `"matmul"`: the same stride-1 convolution as a single matrix product over gathered
  taps (im2col). On short signals with many channels (the layers next to WaveGAN's
  dense layer: 16 steps, 16d channels) TensorFlow's CPU convolution gradients run at a
  third of the matrix unit's speed; one big matmul does not.

`"auto"` picks by the length on the layer's coarse side (its input for a transposed
convolution, its output for a strided one) and its channels: matmul for short signals
with many weights per tap, phase for long ones, native otherwise, and native everywhere
when a GPU is visible (cuDNN's kernels are not the ones measured). The thresholds below
come from `benchmarks/wavegan_speed.py --layers` (`benchmarks/results/wavegan_layers.txt`,
docs/audio.md).
"""

import keras
import tensorflow as tf

METHODS = ("auto", "native", "phase", "matmul")
MATMUL_UP_TO = 16
MATMUL_MIN_WEIGHTS_PER_TAP = 2 ** 19
PHASE_FROM = 256


def choose_method(method, coarse_length, channels, filters):
    if method != "auto":
        return method
    if tf.config.list_logical_devices("GPU"):
        return "native"
    if coarse_length <= MATMUL_UP_TO:
        return "matmul" if channels * filters >= MATMUL_MIN_WEIGHTS_PER_TAP else "native"
    return "phase" if coarse_length >= PHASE_FROM else "native"


def _phase_geometry(kernel_size, stride):
    """Zero taps to add before / after the kernel so it splits into whole s-sample
    phases, the tap count of each phase, and how many of them look back in time."""
    pad_left = (kernel_size - stride) // 2  # TensorFlow's "same" padding
    before = -pad_left % stride
    taps = -(-(before + kernel_size) // stride)
    after = taps * stride - before - kernel_size
    ahead = (pad_left + before) // stride
    return before, after, taps, ahead


def _tap_patches(x, taps, left, right, backwards=False):
    """[batch, length, taps * channels]: each step's window of `taps` steps of x
    (zero-padded by left / right steps; latest first if `backwards`), the rows of an
    im2col matrix product."""
    x = tf.pad(x, [[0, 0], [left, right], [0, 0]])
    length = x.shape[1] - taps + 1
    order = range(taps - 1, -1, -1) if backwards else range(taps)
    return tf.concat([x[:, t:t + length, :] for t in order], axis=-1)


def _matmul_rows(patches, kernel, transpose_kernel=False):
    """patches @ kernel over all steps of all examples, in one matrix product."""
    length, width = patches.shape[1], patches.shape[2]
    y = tf.matmul(tf.reshape(patches, [-1, width]), kernel, transpose_b=transpose_kernel)
    return tf.reshape(y, [-1, length, y.shape[-1]])


def _finish(layer, outputs):
    """Bias and activation, as Keras' convolution layers end."""
    if layer.use_bias:
        outputs = outputs + layer.bias
    return layer.activation(outputs) if layer.activation is not None else outputs


def check_method(method):
    if method not in METHODS:
        raise ValueError(f"Unknown convolution method {method!r}; use one of {METHODS}.")
    return method


def _rewritable(layer):
    return (layer.padding == "same" and layer.data_format == "channels_last"
            and layer.dilation_rate == (1,) and layer.strides[0] <= layer.kernel_size[0])


class _WithMethod:
    """The `method` argument both layers add to Keras' own."""

    def __init__(self, *args, method="auto", **kwargs):
        super().__init__(*args, **kwargs)
        self.method = check_method(method)

    def get_config(self):
        return {**super().get_config(), "method": self.method}


@keras.saving.register_keras_serializable(package="ganzoo")
class Conv1D(_WithMethod, keras.layers.Conv1D):
    """`keras.layers.Conv1D` with a faster CPU computation of strided 'same' layers."""

    def call(self, inputs):
        stride = self.strides[0]
        length = inputs.shape[1]
        if not _rewritable(self) or length is None or length % stride or self.groups != 1:
            return super().call(inputs)
        method = choose_method(self.method, length // stride, inputs.shape[-1], self.filters)
        if method == "native":
            return super().call(inputs)
        before, after, taps, ahead = _phase_geometry(self.kernel_size[0], stride)
        channels = inputs.shape[-1]
        frames = tf.reshape(inputs, [-1, length // stride, stride * channels])
        kernel = tf.reshape(tf.pad(self.kernel, [[before, after], [0, 0], [0, 0]]),
                            [taps, stride * channels, self.filters])
        if method == "phase":
            frames = tf.pad(frames, [[0, 0], [ahead, taps - 1 - ahead], [0, 0]])
            y = tf.nn.conv1d(frames, kernel, 1, "VALID")
        else:
            patches = _tap_patches(frames, taps, ahead, taps - 1 - ahead)
            y = _matmul_rows(patches, tf.reshape(kernel, [taps * stride * channels, -1]))
        return _finish(self, y)


@keras.saving.register_keras_serializable(package="ganzoo")
class Conv1DTranspose(_WithMethod, keras.layers.Conv1DTranspose):
    """`keras.layers.Conv1DTranspose` with a faster CPU computation of 'same' layers."""

    def call(self, inputs):
        length = inputs.shape[1]
        if not _rewritable(self) or self.output_padding is not None or length is None:
            return super().call(inputs)
        method = choose_method(self.method, length, inputs.shape[-1], self.filters)
        if method == "native":
            return super().call(inputs)
        stride = self.strides[0]
        before, after, taps, ahead = _phase_geometry(self.kernel_size[0], stride)
        kernel = tf.convert_to_tensor(self.kernel)  # (kernel_size, filters, channels)
        channels = kernel.shape[-1]
        # Phase r's taps are kernel[s*u + r], read backwards in time (a transposed
        # convolution flips the kernel); its filters become channels r*filters + f.
        phases = tf.reshape(tf.pad(kernel, [[before, after], [0, 0], [0, 0]]),
                            [taps, stride, self.filters, channels])
        if method == "phase":
            phases = tf.reshape(tf.transpose(phases[::-1], [0, 3, 1, 2]),
                                [taps, channels, stride * self.filters])
            x = tf.pad(inputs, [[0, 0], [taps - 1 - ahead, ahead], [0, 0]])
            y = tf.nn.conv1d(x, phases, 1, "VALID")
        else:
            # Keeping channels innermost makes this transpose a copy of whole rows,
            # not of single values (which costs as much as the product itself).
            phases = tf.reshape(tf.transpose(phases, [1, 2, 0, 3]),
                                [stride * self.filters, taps * channels])
            patches = _tap_patches(inputs, taps, taps - 1 - ahead, ahead, backwards=True)
            y = _matmul_rows(patches, phases, transpose_kernel=True)
        return _finish(self, tf.reshape(y, [-1, length * stride, self.filters]))
