import json
import os
import subprocess
import sys

import numpy as np
import pytest
import keras

import ganzoo

from ganzoo.image import DCGAN, SampleGrid, dataset_from_arrays, networks
from tests.conftest import make_digit_like


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3), (64, 64, 3), (16, 16, 1)])
def test_networks_are_sized_from_the_image_shape(shape):
    g = networks.build_generator(shape, latent_dim=8, num_classes=3, model_size=4)
    d = networks.build_discriminator(shape, num_classes=3, model_size=4)
    assert tuple(g.output.shape[1:]) == shape
    assert tuple(d.output.shape[1:]) == (1,)
    convs = [l for l in g.layers if isinstance(l, keras.layers.Conv2DTranspose)]
    assert all(l.strides == (2, 2) for l in convs)
    assert g.layers[-1].activation.__name__ == "tanh"
    assert any(isinstance(l, keras.layers.BatchNormalization) for l in g.layers)
    assert any(isinstance(l, keras.layers.LeakyReLU) for l in d.layers)
    images = np.asarray(g([np.zeros((2, 8), "float32"), np.array([0, 2], "int32")]))
    assert images.shape == (2,) + shape
    assert d([images, np.array([0, 2], "int32")]).shape == (2, 1)


@pytest.mark.parametrize("shape,message", [
    ((30, 30, 1), "side in"), ((28, 32, 1), "square"), ((28, 28, 2), "channels"),
    ((28, 28), "height, width, channels"),
])
def test_unsupported_shapes_are_refused(shape, message):
    with pytest.raises(ValueError, match=message):
        DCGAN(image_shape=shape)


def _small_gan(num_classes=2, **kwargs):
    return DCGAN(image_shape=(28, 28, 1), num_classes=num_classes, latent_dim=8, model_size=4,
                 **kwargs)


def test_keras_round_trip_keeps_generation_and_training_state(tmp_path, small_images):
    gan = _small_gan()
    gan.compile(loss="bce", label_smoothing=0.2)
    gan.fit(dataset_from_arrays(*small_images, batch_size=16), epochs=1, verbose=0)
    path = tmp_path / "dcgan.keras"
    gan.save(path)
    loaded = ganzoo.load_model(path)
    assert isinstance(loaded, DCGAN)
    assert loaded.get_config() == gan.get_config()
    np.testing.assert_array_equal(loaded.generate(5, labels=1, seed=3),
                                  gan.generate(5, labels=1, seed=3))
    # compile state comes back: loss settings and optimizer progress
    assert loaded.adversarial_loss.label_smoothing == 0.2
    assert int(loaded.g_optimizer.iterations) == int(gan.g_optimizer.iterations) == 4
    # and training continues from there
    loaded.fit(dataset_from_arrays(*small_images, batch_size=16), epochs=1, verbose=0)
    assert int(loaded.g_optimizer.iterations) == 8


def test_from_config_rebuilds_same_architecture():
    gan = _small_gan(num_classes=None)
    clone = DCGAN.from_config(json.loads(json.dumps(gan.get_config())))
    assert clone.count_params() == gan.count_params()
    assert not clone.conditional


def test_save_refuses_to_replace_unless_asked(tmp_path):
    gan = _small_gan()
    path = tmp_path / "m.keras"
    gan.save(path)
    with pytest.raises(FileExistsError):
        gan.save(path, overwrite=False)
    assert [p.name for p in tmp_path.iterdir()] == ["m.keras"]  # no temporary left


def test_exported_savedmodel_runs_without_ganzoo(tmp_path):
    gan = _small_gan(num_classes=3)
    export_dir = tmp_path / "dcgan_savedmodel"
    gan.export(export_dir)
    z = gan.sample_latent(4, seed=0)
    labels = np.array([0, 1, 2, 1], "int32")
    expected = gan.generate_from_latent(z, labels)
    np.save(tmp_path / "z.npy", z)
    script = f"""
import sys, numpy as np, tensorflow as tf
loaded = tf.saved_model.load({str(export_dir)!r})
serve = loaded.signatures["serving_default"]
out = serve(latent=tf.constant(np.load({str(tmp_path / 'z.npy')!r})),
            labels=tf.constant([0, 1, 2, 1], tf.int32))["samples"].numpy()
np.save({str(tmp_path / 'out.npy')!r}, out)
assert not any(m.startswith("ganzoo") for m in sys.modules), "imported ganzoo"
"""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), expected, atol=1e-5)
    with pytest.raises(FileExistsError):
        gan.export(export_dir)


def test_sample_grid_one_row_per_class(tmp_path, small_images):
    from PIL import Image

    gan = _small_gan()
    gan.compile()
    grid = SampleGrid(tmp_path / "grids", every=2, per_class=5)
    gan.fit(dataset_from_arrays(*small_images, batch_size=16), epochs=3, verbose=0,
            callbacks=[grid])
    names = sorted(os.listdir(tmp_path / "grids"))
    assert names == ["epoch_0002.png", "epoch_0003.png"]  # every 2nd, and the last
    img = Image.open(tmp_path / "grids" / names[0])
    # 2 rows (classes) x 5 columns of 28px tiles with 2px padding, drawn at 2x
    assert img.size == ((5 * 30 + 2) * 2, (2 * 30 + 2) * 2)


def test_generated_digits_follow_labels_after_training():
    """A short real training run: the conditional generator's two classes must
    differ the way the data's classes do (a bright bar high vs low)."""
    images, labels = make_digit_like(n=256, num_classes=2)
    keras.utils.set_random_seed(0)
    gan = DCGAN(image_shape=(28, 28, 1), num_classes=2, latent_dim=8, model_size=8)
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
                d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5))
    gan.fit(dataset_from_arrays(images, labels, batch_size=32), epochs=30, verbose=0)
    top = gan.generate(32, labels=0, seed=1)[..., 0]
    bottom = gan.generate(32, labels=1, seed=1)[..., 0]
    # class 0 bar is in rows 7..13, class 1 in rows 21..27
    assert top[:, 7:14].mean() > top[:, 21:28].mean() + 0.8
    assert bottom[:, 21:28].mean() > bottom[:, 7:14].mean() + 0.8
    assert top[:, :5].mean() < -0.6  # and the dark background
