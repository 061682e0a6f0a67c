import os

import numpy as np
import pytest
from PIL import Image

from ganzoo.image import dataset_from_arrays, dataset_from_directory, dataset_from_tfds
from tests.conftest import make_digit_like


def _all(ds):
    return [tuple(np.asarray(t) for t in b) if isinstance(b, tuple) else np.asarray(b)
            for b in ds]


def test_uint8_with_labels_scaled_to_unit_range():
    images, labels = make_digit_like(n=40)
    ds = dataset_from_arrays(images, labels, batch_size=16, shuffle=False)
    batches = _all(ds)
    assert len(batches) == 2  # drop_remainder: 40 // 16
    x, y = batches[0]
    assert x.dtype == np.float32 and x.shape == (16, 28, 28, 1)
    np.testing.assert_allclose(x, images[:16].astype("float32") / 127.5 - 1.0, atol=1e-6)
    np.testing.assert_array_equal(y, labels[:16])
    assert y.dtype == np.int32


@pytest.mark.parametrize("scale,value_range", [(1.0, None), (2.0, (-1, 1))])
def test_float_inputs_without_labels(scale, value_range):
    rng = np.random.default_rng(0)
    unit = rng.uniform(0, 1, size=(20, 8, 8)).astype("float32")
    images = unit if scale == 1.0 else unit * 2 - 1  # [0, 1] or [-1, 1]
    ds = dataset_from_arrays(images, batch_size=10, shuffle=False, value_range=value_range)
    x = _all(ds)[0]
    assert x.shape == (10, 8, 8, 1)
    np.testing.assert_allclose(x[..., 0], unit[:10] * 2 - 1, atol=1e-6)


def test_resize_and_shuffle_each_epoch():
    images, labels = make_digit_like(n=32, side=16)
    ds = dataset_from_arrays(images, labels, batch_size=32, image_size=32, seed=1)
    first, second = _all(ds)[0], _all(ds)[0]
    assert first[0].shape == (32, 32, 32, 1)
    assert first[0].min() >= -1.0 and first[0].max() <= 1.0
    assert not np.array_equal(first[1], second[1])  # a new order every epoch
    assert sorted(first[1]) == sorted(labels)


@pytest.mark.parametrize(
    "images,labels,message",
    [
        (np.zeros((0, 28, 28), "uint8"), None, "empty"),
        (np.zeros((4, 28), "uint8"), None, "shape"),
        (np.zeros((4, 28, 28, 2), "uint8"), None, "1 or 3 channels"),
        (np.full((4, 8, 8), np.nan, "float32"), None, "NaN"),
        (np.zeros((4, 8, 8), "uint8"), np.zeros(3, "int32"), "4 images but 3 labels"),
        (np.zeros((4, 8, 8), "uint8"), np.array([0.5, 1, 2, 3]), "integer class ids"),
        (np.zeros((4, 8, 8), "uint8"), np.array([0, -1, 2, 3]), "non-negative"),
    ],
)
def test_bad_arrays_are_named(images, labels, message):
    with pytest.raises(ValueError, match=message):
        dataset_from_arrays(images, labels, batch_size=8)


def _write_folder(root, per_class=6, classes=("cat", "dog"), size=12):
    images, _ = make_digit_like(n=per_class * len(classes), side=size, num_classes=len(classes))
    for c, name in enumerate(classes):
        os.makedirs(os.path.join(root, name), exist_ok=True)
        for i in range(per_class):
            img = Image.fromarray(images[c * per_class + i, ..., 0]).convert("RGB")
            ext = "png" if i % 2 else "jpg"
            img.save(os.path.join(root, name, f"{i}.{ext}"))


def test_directory_with_class_folders(tmp_path):
    _write_folder(tmp_path)
    ds, names = dataset_from_directory(tmp_path, image_size=16, batch_size=4, shuffle=False,
                                       return_class_names=True)
    assert names == ["cat", "dog"]
    batches = _all(ds)
    assert len(batches) == 3
    x, y = batches[0]
    assert x.shape == (4, 16, 16, 3) and x.dtype == np.float32
    assert x.min() >= -1 and x.max() <= 1
    assert sorted(np.concatenate([b[1] for b in batches]).tolist()) == [0] * 6 + [1] * 6


def test_directory_without_classes_and_grey(tmp_path):
    images, _ = make_digit_like(n=5, side=8)
    for i, img in enumerate(images):
        Image.fromarray(img[..., 0]).save(tmp_path / f"{i}.png")
    ds = dataset_from_directory(tmp_path, image_size=None, batch_size=5, shuffle=False)
    x = _all(ds)[0]
    assert x.shape == (5, 8, 8, 1)
    np.testing.assert_allclose(x, images / 127.5 - 1.0, atol=1e-6)


def test_directory_errors_name_the_problem(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        dataset_from_directory(tmp_path / "missing", image_size=8)
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ValueError, match="No images"):
        dataset_from_directory(tmp_path, image_size=8)
    _write_folder(tmp_path / "data")
    (tmp_path / "data" / "cat" / "broken.png").write_bytes(b"not a png at all")
    with pytest.raises(ValueError, match="broken.png"):
        dataset_from_directory(tmp_path / "data", image_size=8, batch_size=2)


def test_tfds_dataset_prepared_locally(tmp_path):
    import tensorflow_datasets as tfds

    images, labels = make_digit_like(n=12, side=8, num_classes=3)

    class GanzooTinyDigits(tfds.core.GeneratorBasedBuilder):
        VERSION = tfds.core.Version("1.0.0")

        def _info(self):
            return tfds.core.DatasetInfo(
                builder=self,
                features=tfds.features.FeaturesDict({
                    "image": tfds.features.Image(shape=(8, 8, 1)),
                    "label": tfds.features.ClassLabel(num_classes=3),
                }),
            )

        def _split_generators(self, dl_manager):
            return {"train": self._generate_examples()}

        def _generate_examples(self):
            for i in range(len(images)):
                yield i, {"image": images[i], "label": int(labels[i])}

    GanzooTinyDigits(data_dir=str(tmp_path)).download_and_prepare()
    ds = dataset_from_tfds("ganzoo_tiny_digits", data_dir=str(tmp_path), batch_size=4,
                           image_size=16, shuffle=False)
    batches = _all(ds)
    assert len(batches) == 3
    x, y = batches[0]
    assert x.shape == (4, 16, 16, 1) and x.min() >= -1.0 and x.max() <= 1.0
    assert sorted(np.concatenate([b[1] for b in batches]).tolist()) == sorted(labels.tolist())
    with pytest.raises(ValueError, match="not prepared"):
        dataset_from_tfds("ganzoo_tiny_digits", data_dir=str(tmp_path / "elsewhere"))
    with pytest.raises(ValueError, match="no feature 'pixels'"):
        dataset_from_tfds("ganzoo_tiny_digits", data_dir=str(tmp_path), image_key="pixels")
