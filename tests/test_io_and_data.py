import os

import numpy as np
import pytest

from ganzoo import datasets
from ganzoo.core.io import atomic_output, write_text_atomic


def test_atomic_output_keeps_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "model.keras"
    path.write_text("precious")
    with pytest.raises(RuntimeError):
        with atomic_output(path, overwrite=True) as tmp:
            with open(tmp, "w") as f:
                f.write("half")
            raise RuntimeError("killed mid-write")
    assert path.read_text() == "precious"
    assert os.listdir(tmp_path) == ["model.keras"]  # no temporary left behind


def test_atomic_output_refuses_existing_without_overwrite(tmp_path):
    path = tmp_path / "out.txt"
    write_text_atomic(path, "one")
    with pytest.raises(FileExistsError, match="already exists"):
        write_text_atomic(path, "two", overwrite=False)
    write_text_atomic(path, "two")
    assert path.read_text() == "two"


def test_atomic_output_replaces_directories_whole(tmp_path):
    target = tmp_path / "export"
    for content in ("first", "second"):
        with atomic_output(target, overwrite=True) as tmp:
            os.makedirs(tmp)
            (open(os.path.join(tmp, "file"), "w")).write(content)
    assert (target / "file").read_text() == "second"
    assert os.listdir(tmp_path) == ["export"]


def test_bundled_digits_are_balanced_mnist():
    images, labels = datasets.load_digits()
    assert images.shape == (4000, 28, 28) and images.dtype == np.uint8
    assert labels.dtype == np.int32
    np.testing.assert_array_equal(np.bincount(labels), [400] * 10)
    assert 25 < images.mean() < 45  # dark background, bright strokes, like MNIST
