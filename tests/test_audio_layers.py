"""The rewritten strided convolutions compute what Keras' layers compute, forward and
backward, with the same weights, and the WaveGAN built from them loads Keras-layer weights."""

import numpy as np
import pytest
import tensorflow as tf
import keras

from ganzoo.audio import WaveGAN
from ganzoo.audio import layers as wave_layers

# (kernel, stride): WaveGAN's two, an even kernel, kernel == stride, stride 1, odd stride.
GEOMETRIES = [(25, 4), (25, 2), (4, 2), (5, 5), (3, 1), (7, 3)]


def pair(transposed, kernel, stride, method, input_shape, seed=0):
    """A Keras layer with random weights (bias too) and ganzoo's copy of it."""
    keras_cls = keras.layers.Conv1DTranspose if transposed else keras.layers.Conv1D
    ours_cls = wave_layers.Conv1DTranspose if transposed else wave_layers.Conv1D
    reference = keras_cls(6, kernel, strides=stride, padding="same")
    reference.build(input_shape)
    rng = np.random.default_rng(seed)
    reference.set_weights([rng.normal(size=w.shape).astype("float32")
                           for w in reference.get_weights()])
    ours = ours_cls(6, kernel, strides=stride, padding="same", method=method)
    ours.build(input_shape)
    ours.set_weights(reference.get_weights())
    return reference, ours


def value_and_grads(layer, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        loss = tf.reduce_sum(y * y)
    grads = tape.gradient(loss, [x] + layer.trainable_variables)
    return [np.asarray(y)] + [np.asarray(g) for g in grads]


@pytest.mark.parametrize("method", ["phase", "matmul"])
@pytest.mark.parametrize("transposed", [True, False], ids=["transpose", "strided"])
@pytest.mark.parametrize("kernel,stride", GEOMETRIES)
def test_methods_match_keras_forward_and_backward(kernel, stride, transposed, method):
    steps = 12 if transposed else 12 * stride
    x = np.random.default_rng(1).normal(size=(3, steps, 5)).astype("float32")
    reference, ours = pair(transposed, kernel, stride, method, x.shape)
    expected, got = value_and_grads(reference, x), value_and_grads(ours, x)
    assert got[0].shape == expected[0].shape == (3, 12 * stride if transposed else 12, 6)
    for e, g in zip(expected, got):  # output, input gradient, kernel and bias gradients
        np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-4)
    assert np.abs(expected[0]).max() > 1  # the comparison is not between zeros


def test_unsupported_settings_fall_back_to_keras():
    x = np.random.default_rng(2).normal(size=(2, 10, 3)).astype("float32")
    for kwargs in (dict(padding="valid"), dict(dilation_rate=2, strides=1)):
        reference = keras.layers.Conv1D(4, 5, **kwargs)
        ours = wave_layers.Conv1D(4, 5, method="matmul", **kwargs)
        reference.build(x.shape), ours.build(x.shape)
        ours.set_weights(reference.get_weights())
        np.testing.assert_allclose(ours(x), reference(x), rtol=1e-6)
    # A length the stride does not divide: Keras' "same" rounds up; so do we (natively).
    reference, ours = pair(False, 25, 4, "phase", (2, 10, 3))
    np.testing.assert_allclose(ours(x), reference(x), rtol=1e-5, atol=1e-5)


def test_auto_rule_and_bad_method():
    choose = wave_layers.choose_method
    assert choose("native", 16, 4096, 4096) == "native"
    assert choose("matmul", 4096, 64, 1) == "matmul"
    cases = [((16, 1024, 512), "matmul"),    # d=64's layers next to the dense
             ((16, 256, 128), "native"),     # the same at d=16: too small
             ((4096, 64, 1), "phase"),       # long signals
             ((64, 512, 256), "native")]
    on_gpu = bool(tf.config.list_logical_devices("GPU"))  # the rule is measured on CPUs
    for shape, expected in cases:
        assert choose("auto", *shape) == ("native" if on_gpu else expected)
    layer = wave_layers.Conv1DTranspose(4, 25, strides=4, padding="same", method="phase")
    assert wave_layers.Conv1DTranspose.from_config(layer.get_config()).method == "phase"
    gan = WaveGAN(model_size=2, latent_dim=8, conv_method="matmul")
    assert WaveGAN.from_config(gan.get_config()).conv_method == "matmul"
    with pytest.raises(ValueError, match="Unknown convolution method 'fast'"):
        wave_layers.Conv1D(4, 5, method="fast")
    with pytest.raises(ValueError, match="Unknown convolution method"):
        WaveGAN(model_size=2, conv_method="fast")


def test_mixed_precision_computes_in_bfloat16_with_float32_weights():
    layer = wave_layers.Conv1DTranspose(6, 25, strides=4, padding="same", method="matmul",
                                        dtype="mixed_bfloat16")
    y = layer(np.ones((2, 16, 5), "float32"))
    assert y.dtype == "bfloat16" and layer.kernel.dtype == "float32"


def test_wavegan_generates_the_same_with_every_method_and_loads_keras_layer_weights(tmp_path):
    """Same weights whichever method; weights saved by the plain Keras layers (the
    layout of models and presets saved before these layers existed) load unchanged."""
    keras.utils.set_random_seed(0)
    gans = {m: WaveGAN(num_classes=3, model_size=2, latent_dim=8, conv_method=m, seed=0)
            for m in ("native", "phase", "matmul")}
    for gan in gans.values():
        gan.set_weights(gans["native"].get_weights())
    waves = {m: gan.generate(4, labels=[0, 1, 2, 0], seed=3) for m, gan in gans.items()}
    for m in ("phase", "matmul"):
        np.testing.assert_allclose(waves[m], waves["native"], atol=1e-5)
    assert np.abs(waves["native"]).max() > 1e-3

    # A generator built from keras.layers.* with the same structure writes the weights file.
    from ganzoo.audio import networks
    plain = networks.build_generator(16384, latent_dim=8, model_size=2, num_classes=3)
    plain_keras = keras.models.clone_model(
        plain, clone_function=lambda layer: (
            keras.layers.Conv1DTranspose.from_config(
                {k: v for k, v in layer.get_config().items() if k != "method"})
            if isinstance(layer, wave_layers.Conv1DTranspose) else layer.__class__.from_config(
                layer.get_config())))
    assert not any(isinstance(l, wave_layers.Conv1DTranspose) for l in plain_keras.layers)
    plain_keras.set_weights(gans["native"].generator.get_weights())
    path = str(tmp_path / "keras_layers.weights.h5")
    plain_keras.save_weights(path)
    target = gans["matmul"].generator
    target.set_weights([np.zeros_like(w) for w in target.get_weights()])
    target.load_weights(path)
    np.testing.assert_allclose(gans["matmul"].generate(4, labels=[0, 1, 2, 0], seed=3),
                               waves["native"], atol=1e-5)
