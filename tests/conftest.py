import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

# Two logical CPU devices, so tf.distribute.MirroredStrategy runs for real here.
# This must happen before TensorFlow initialises its devices.
_cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    _cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
)

import keras  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_keras_state():
    keras.utils.set_random_seed(1234)
    keras.config.set_dtype_policy("float32")
    yield
    keras.config.set_dtype_policy("float32")


def make_digit_like(n=64, side=28, num_classes=2, seed=0):
    """Tiny labelled images: class c is a bright bar at a class-specific row, so
    the classes really differ. uint8 [n, side, side, 1], int32 labels."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n, dtype="int32") % num_classes
    images = rng.integers(0, 40, size=(n, side, side, 1)).astype("uint8")
    band = max(side // (2 * num_classes), 1)
    for i, c in enumerate(labels):
        row = (2 * c + 1) * band
        images[i, row:row + band, 2:-2, 0] = 230
    return images, labels


@pytest.fixture
def digits_npz(tmp_path):
    """An .npz of 64 digit-like images of 2 classes, as `ganzoo train --data` reads."""
    images, labels = make_digit_like(n=64, num_classes=2)
    path = tmp_path / "digits.npz"
    np.savez(path, images=images[..., 0], labels=labels)
    return str(path)


@pytest.fixture
def small_images():
    return make_digit_like()


@pytest.fixture(scope="session")
def mirrored():
    """One MirroredStrategy over the two logical CPUs for the whole session: TF's
    collective executor caches per-instance parameters, and a second strategy in
    the same process reuses the first one's instance keys with other shapes."""
    devices = [d.name for d in tf.config.list_logical_devices("CPU")]
    assert len(devices) == 2
    return tf.distribute.MirroredStrategy(devices)
