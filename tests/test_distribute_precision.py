import numpy as np
import pytest
import tensorflow as tf
import keras

from ganzoo.image import DCGAN, dataset_from_arrays
from tests.helpers import tiny_gan


def _global_batch(n=8, features=6, num_classes=3):
    rng = np.random.default_rng(3)
    x = np.tanh(rng.normal(size=(n, features))).astype("float32")
    y = (np.arange(n) % num_classes).astype("int32")
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(n, drop_remainder=True)


def _one_step(strategy, weights, loss, **gan_kwargs):
    with strategy.scope():
        gan = tiny_gan(num_classes=3, **gan_kwargs)
        gan.set_weights(weights)
        # SGD, not Adam: Adam's first step ignores the gradient's scale, and the
        # scale is exactly what a wrong per-replica reduction would get wrong.
        gan.compile(g_optimizer=keras.optimizers.SGD(0.1),
                    d_optimizer=keras.optimizers.SGD(0.1), loss=loss)
    history = gan.fit(_global_batch(), epochs=1, verbose=0, shuffle=False)
    return history.history, [np.array(w) for w in gan.weights]


@pytest.mark.parametrize("loss,gan_kwargs", [
    ("bce", {}), ("wgan-gp", {}),
    ("bce", {"classifier": True, "class_loss_weight": 0.7}),  # the class loss too
    ("hinge", {"r1_weight": 2.0, "lecam_weight": 0.5}),  # R1 and LeCam's averages too
    ("bce", {"spectral_norm": True}),  # and the power iteration's vectors
])
def test_mirrored_step_matches_single_device(loss, gan_kwargs, mirrored):
    weights = tiny_gan(num_classes=3, **gan_kwargs).get_weights()
    single_logs, single_weights = _one_step(tf.distribute.get_strategy(), weights, loss,
                                            **gan_kwargs)
    assert mirrored.num_replicas_in_sync == 2
    mirrored_logs, mirrored_weights = _one_step(mirrored, weights, loss, **gan_kwargs)
    assert ("d_class_acc" in single_logs) == ("class_loss_weight" in gan_kwargs)
    assert ("lecam" in single_logs) == ("lecam_weight" in gan_kwargs)
    for key in single_logs:
        np.testing.assert_allclose(mirrored_logs[key], single_logs[key], rtol=1e-5, atol=1e-6)
    changed = 0
    for a, b, w0 in zip(single_weights, mirrored_weights, weights + [None] * 99):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
        changed += w0 is not None and not np.allclose(a, w0)
    assert changed > 0


def test_dcgan_step_with_batch_norm_matches_single_device(mirrored):
    """Batch norm averages its statistics over replicas under a strategy, so two devices
    compute what one does on the global batch, moving averages included."""
    from tests.conftest import make_digit_like

    images, labels = make_digit_like(n=8, side=16)
    data = dataset_from_arrays(images, labels, batch_size=8, shuffle=False)

    def step(strategy, weights=None):
        with strategy.scope():
            gan = DCGAN(image_shape=(16, 16, 1), num_classes=2, latent_dim=8, model_size=4, seed=3)
            if weights is not None:
                gan.set_weights(weights)
            gan.compile(g_optimizer=keras.optimizers.SGD(0.1),
                        d_optimizer=keras.optimizers.SGD(0.1))
        start = [np.array(w) for w in gan.weights]
        gan.fit(data, epochs=1, verbose=0)
        return start, [(w.path, np.array(w)) for w in gan.weights]

    start, single = step(tf.distribute.get_strategy())
    _, distributed = step(mirrored, start)
    moved = [path for (path, a), w0 in zip(single, start) if "moving_mean" in path
             and not np.allclose(a, w0)]
    assert moved  # the moving statistics did change, and identically:
    for (path, a), (_, b) in zip(single, distributed):
        np.testing.assert_allclose(b, a, rtol=1e-4, atol=1e-5, err_msg=path)


def test_dcgan_fits_under_mirrored_strategy(small_images, mirrored):
    with mirrored.scope():
        gan = DCGAN(image_shape=(28, 28, 1), num_classes=2, latent_dim=8, model_size=4)
        gan.compile()
    history = gan.fit(dataset_from_arrays(*small_images, batch_size=16), epochs=2, verbose=0)
    assert all(np.isfinite(history.history["d_loss"]))
    assert int(gan.g_optimizer.iterations.numpy()) == 2 * (64 // 16)
    assert gan.generate(4, labels=1).shape == (4, 28, 28, 1)


@pytest.mark.parametrize("precision", ["mixed_bfloat16", "mixed_float16"])
def test_mixed_precision_dtypes_and_finite_losses(precision, small_images):
    gan = DCGAN(image_shape=(28, 28, 1), num_classes=2, latent_dim=8, model_size=4,
                precision=precision)
    gan.compile()
    compute = precision.split("_")[1]
    conv = [l for l in gan.generator.layers if isinstance(l, keras.layers.Conv2DTranspose)][0]
    assert conv.compute_dtype == compute
    assert conv.variable_dtype == "float32"
    assert gan.generator.output.dtype == "float32"
    assert gan.discriminator.output.dtype == "float32"
    scaled = isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
    assert scaled == (precision == "mixed_float16")  # float16 needs loss scaling
    history = gan.fit(dataset_from_arrays(*small_images, batch_size=16), epochs=2, verbose=0)
    for key in ("d_loss", "g_loss"):
        assert all(np.isfinite(history.history[key])), history.history
    images = gan.generate(3, labels=0)
    assert images.dtype == np.float32 and np.all(np.isfinite(images))


def test_global_policy_is_followed(small_images):
    keras.config.set_dtype_policy("mixed_bfloat16")
    gan = DCGAN(image_shape=(28, 28, 1), latent_dim=8, model_size=4)
    assert gan.precision == "mixed_bfloat16"
    with pytest.raises(ValueError, match="Unknown precision"):
        DCGAN(precision="float8")
