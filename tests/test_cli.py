import csv
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from ganzoo import cli
from tests.conftest import make_digit_like


@pytest.fixture
def digits_npz(tmp_path):
    images, labels = make_digit_like(n=64, num_classes=2)
    path = tmp_path / "digits.npz"
    np.savez(path, images=images[..., 0], labels=labels)
    return str(path)


def _train(args):
    return cli.main(["train", "dcgan", "--filters", "4", "--latent-dim", "8",
                     "--batch-size", "16", "--quiet"] + args)


def test_train_writes_run_and_refuses_to_overwrite(tmp_path, digits_npz, capsys):
    run = str(tmp_path / "run")
    assert _train(["--data", digits_npz, "--epochs", "2", "--out", run]) == 0
    out = capsys.readouterr().out
    assert os.path.join(run, "model.keras") in out and "loss_curve.png" in out
    assert sorted(os.listdir(os.path.join(run, "grids"))) == ["epoch_0001.png", "epoch_0002.png"]
    with open(os.path.join(run, "history.csv")) as f:
        assert [r["epoch"] for r in csv.DictReader(f)] == ["1", "2"]
    grid = Image.open(os.path.join(run, "grids", "epoch_0002.png"))
    assert grid.size == ((10 * 30 + 2) * 2, (2 * 30 + 2) * 2)  # 2 classes x 10

    before = os.path.getmtime(os.path.join(run, "model.keras"))
    assert _train(["--data", digits_npz, "--epochs", "2", "--out", run]) == 2
    assert "not empty" in capsys.readouterr().err
    assert os.path.getmtime(os.path.join(run, "model.keras")) == before

    # --resume continues from the backup: epochs 3 and 4 only
    assert _train(["--data", digits_npz, "--epochs", "4", "--out", run, "--resume"]) == 0
    with open(os.path.join(run, "history.csv")) as f:
        assert [r["epoch"] for r in csv.DictReader(f)] == ["1", "2", "3", "4"]
    import keras

    model = keras.saving.load_model(os.path.join(run, "model.keras"))
    assert int(model.g_optimizer.iterations) == 4 * 4

    assert _train(["--data", digits_npz, "--epochs", "1", "--out", run, "--overwrite"]) == 0
    with open(os.path.join(run, "history.csv")) as f:
        assert [r["epoch"] for r in csv.DictReader(f)] == ["1"]


def test_train_from_image_folder(tmp_path):
    images, labels = make_digit_like(n=32, side=16, num_classes=2)
    for i, (img, label) in enumerate(zip(images, labels)):
        folder = tmp_path / "data" / f"class_{label}"
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(img[..., 0]).save(folder / f"{i}.png")
    run = tmp_path / "run"
    assert _train(["--data", str(tmp_path / "data"), "--epochs", "1", "--out", str(run)]) == 0
    import keras

    model = keras.saving.load_model(run / "model.keras")
    assert model.image_shape == (16, 16, 1) and model.num_classes == 2


def test_generate_png_and_npz(tmp_path, digits_npz, capsys):
    run = str(tmp_path / "run")
    _train(["--data", digits_npz, "--epochs", "1", "--out", run])
    assert cli.main(["generate", run, "--n", "6", "--label", "1", "--out",
                     str(tmp_path / "s.npz"), "--seed", "0"]) == 0
    with np.load(tmp_path / "s.npz") as npz:
        assert npz["images"].shape == (6, 28, 28, 1) and npz["images"].dtype == np.uint8
        np.testing.assert_array_equal(npz["labels"], [1] * 6)
        first = npz["images"]
    cli.main(["generate", run, "--n", "6", "--label", "1", "--out",
              str(tmp_path / "s2.npz"), "--seed", "0"])
    with np.load(tmp_path / "s2.npz") as npz:
        np.testing.assert_array_equal(npz["images"], first)  # same seed, same samples
    assert cli.main(["generate", os.path.join(run, "model.keras"), "--n", "20",
                     "--out", str(tmp_path / "g.png")]) == 0
    assert Image.open(tmp_path / "g.png").size == ((10 * 30 + 2) * 2, (2 * 30 + 2) * 2)
    # errors: existing output, unknown label, bad extension, missing model
    assert cli.main(["generate", run, "--out", str(tmp_path / "g.png")]) == 2
    assert "already exists" in capsys.readouterr().err
    assert cli.main(["generate", run, "--label", "7", "--out", str(tmp_path / "h.png")]) == 2
    assert "out of range" in capsys.readouterr().err
    assert cli.main(["generate", run, "--out", str(tmp_path / "h.jpg")]) == 2
    assert cli.main(["generate", str(tmp_path / "nope"), "--out", str(tmp_path / "h.png")]) == 2
    assert "No model" in capsys.readouterr().err


def test_bad_data_is_reported(tmp_path, capsys):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"definitely not a zip")
    assert _train(["--data", str(bad), "--epochs", "1", "--out", str(tmp_path / "r")]) == 2
    assert "bad.npz" in capsys.readouterr().err
    np.savez(tmp_path / "nan.npz", images=np.full((20, 28, 28), np.nan, "float32"))
    assert _train(["--data", str(tmp_path / "nan.npz"), "--epochs", "1",
                   "--out", str(tmp_path / "r2")]) == 2
    assert "NaN" in capsys.readouterr().err


def test_help_runs_as_a_command():
    for args in (["--help"], ["train", "--help"], ["generate", "--help"]):
        result = subprocess.run([sys.executable, "-m", "ganzoo.cli"] + args,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0 and "usage: ganzoo" in result.stdout


def test_default_data_is_the_bundled_digits(tmp_path, capsys):
    run = tmp_path / "run"
    assert cli.main(["train", "dcgan", "--filters", "4", "--latent-dim", "8", "--epochs", "1",
                     "--batch-size", "200", "--out", str(run), "--quiet"]) == 0
    assert (run / "grids" / "epoch_0001.png").exists() and (run / "loss_curve.png").exists()
    import keras

    model = keras.saving.load_model(run / "model.keras")
    assert model.num_classes == 10 and int(model.g_optimizer.iterations) == 4000 // 200
