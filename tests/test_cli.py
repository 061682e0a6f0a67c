import csv
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import ganzoo
from ganzoo import cli
from tests.conftest import make_digit_like


def _train(args):
    return cli.main(["train", "dcgan", "--model-size", "4", "--latent-dim", "8",
                     "--batch-size", "16", "--quiet"] + args)


@pytest.mark.slow
def test_train_writes_run_and_refuses_to_overwrite(tmp_path, digits_npz, capsys):
    run = str(tmp_path / "run")
    assert _train(["--data", digits_npz, "--epochs", "2", "--out", run]) == 0
    out = capsys.readouterr().out
    assert os.path.join(run, "model.keras") in out and "loss_curve.png" in out
    assert os.path.join(run, "samples", "epoch_0002.png") in out  # the newest grid
    assert sorted(os.listdir(os.path.join(run, "samples"))) == ["epoch_0001.png", "epoch_0002.png"]
    with open(os.path.join(run, "history.csv")) as f:
        assert [r["epoch"] for r in csv.DictReader(f)] == ["1", "2"]
    grid = Image.open(os.path.join(run, "samples", "epoch_0002.png"))
    assert grid.size == ((10 * 30 + 2) * 2, (2 * 30 + 2) * 2)  # 2 classes x 10

    before = os.path.getmtime(os.path.join(run, "model.keras"))
    assert _train(["--data", digits_npz, "--epochs", "2", "--out", run]) == 2
    assert "not empty" in capsys.readouterr().err
    assert os.path.getmtime(os.path.join(run, "model.keras")) == before

    # --resume continues from the backup: epochs 3 and 4 only
    assert _train(["--data", digits_npz, "--epochs", "4", "--out", run, "--resume"]) == 0
    with open(os.path.join(run, "history.csv")) as f:
        assert [r["epoch"] for r in csv.DictReader(f)] == ["1", "2", "3", "4"]
    model = ganzoo.load_model(os.path.join(run, "model.keras"))
    assert int(model.g_optimizer.iterations) == 4 * 4
    assert model.generator_ema == 0.999  # generates with the weight average by default

    assert _train(["--data", digits_npz, "--epochs", "1", "--out", run, "--overwrite"]) == 0
    with open(os.path.join(run, "history.csv")) as f:
        assert [r["epoch"] for r in csv.DictReader(f)] == ["1"]


def test_train_from_image_folder_keeps_class_names(tmp_path, capsys):
    images, labels = make_digit_like(n=32, side=16, num_classes=2)
    for i, (img, label) in enumerate(zip(images, labels)):
        folder = tmp_path / "data" / ("cat" if label else "bird")
        folder.mkdir(parents=True, exist_ok=True)
        Image.fromarray(img[..., 0]).save(folder / f"{i}.png")
    run = tmp_path / "run"
    assert _train(["--data", str(tmp_path / "data"), "--epochs", "1", "--out", str(run),
                   "--generator-ema", "0"]) == 0
    model = ganzoo.load_model(run / "model.keras")
    assert model.image_shape == (16, 16, 1) and model.num_classes == 2
    assert model.class_names == ["bird", "cat"]
    assert model.generator_ema is None
    # Resuming rebuilds the model from run.json (class names and all), flags or no flags.
    assert _train(["--data", str(tmp_path / "data"), "--epochs", "2", "--out", str(run),
                   "--resume", "--generator-ema", "0.5"]) == 0
    resumed = ganzoo.load_model(run / "model.keras")
    assert resumed.class_names == ["bird", "cat"] and resumed.generator_ema is None
    assert int(resumed.g_optimizer.iterations) == 2 * (32 // 16)
    # generate --label NAME, and class folders named after the classes
    out = tmp_path / "cats"
    assert cli.main(["generate", str(run), "--label", "cat", "--n", "3", "--out", str(out),
                     "--quiet"]) == 0
    assert sorted(os.listdir(out)) == ["cat"] and len(os.listdir(out / "cat")) == 3
    assert cli.main(["generate", str(run), "--per-class", "2", "--out", str(tmp_path / "all"),
                     "--quiet"]) == 0
    assert sorted(os.listdir(tmp_path / "all")) == ["bird", "cat"]
    capsys.readouterr()
    assert cli.main(["generate", str(run), "--label", "dog", "--out", str(tmp_path / "d")]) == 2
    assert "Unknown class 'dog'" in capsys.readouterr().err


def test_resume_a_run_written_by_ganzoo_0_2(tmp_path):
    """run.json of ganzoo 0.2 held the arguments by name; such a run still resumes."""
    import shutil

    run = tmp_path / "run"
    shutil.copytree(os.path.join(os.path.dirname(__file__), "data", "legacy", "run_0.2.0"), run)
    images, labels = make_digit_like(n=32, side=16, num_classes=2)
    np.savez(tmp_path / "digits.npz", images=images[..., 0], labels=labels)
    with open(run / "run.json") as f:
        saved = json.load(f)
    saved["data"] = str(tmp_path / "digits.npz")  # the test machine's copy of the data
    with open(run / "run.json", "w") as f:
        json.dump(saved, f)
    before = ganzoo.load_model(run / "model.keras")
    assert cli.main(["train", "dcgan", "--out", str(run), "--resume", "--epochs", "2",
                     "--quiet"]) == 0
    model = ganzoo.load_model(run / "model.keras")
    assert model.model_size == 4 and model.latent_dim == 8  # from the 0.2 arguments
    assert int(model.g_optimizer.iterations) == 2 * (32 // 16)  # epoch 2 only was trained
    assert model.class_loss_weight is None  # 0.2 ran without the classifier
    with open(run / "history.csv") as f:
        assert [r["epoch"] for r in csv.DictReader(f)] == ["1", "2"]
    assert not np.allclose(model.generator.get_weights()[0], before.generator.get_weights()[0])
    with open(run / "run.json") as f:
        assert json.load(f)["format"] == 2  # rewritten in today's format


def test_train_with_auxiliary_classifier_and_resume(tmp_path, digits_npz, capsys):
    run = str(tmp_path / "run")
    assert _train(["--data", digits_npz, "--epochs", "1", "--out", run,
                   "--class-loss-weight", "0.5"]) == 0
    # Resuming restores the architecture from run.json, flag or no flag.
    assert _train(["--data", digits_npz, "--epochs", "2", "--out", run, "--resume"]) == 0
    model = ganzoo.load_model(os.path.join(run, "model.keras"))
    assert model.class_loss_weight == 0.5 and len(model.discriminator.outputs) == 2
    with open(os.path.join(run, "history.csv")) as f:
        rows = list(csv.DictReader(f))
    assert [r["epoch"] for r in rows] == ["1", "2"]
    assert all(0.0 <= float(r["d_class_acc"]) <= 1.0 for r in rows)
    assert _train(["--data", digits_npz, "--epochs", "1", "--out", str(tmp_path / "u"),
                   "--unconditional", "--class-loss-weight", "1"]) == 2
    assert "num_classes" in capsys.readouterr().err


@pytest.mark.slow
def test_train_with_discriminator_augmentation_and_resume(tmp_path, digits_npz, capsys):
    run = str(tmp_path / "run")
    assert _train(["--data", digits_npz, "--epochs", "1", "--out", run,
                   "--discriminator-augment", "translation,cutout",
                   "--discriminator-augment-p", "adaptive"]) == 0
    assert _train(["--data", digits_npz, "--epochs", "3", "--out", run, "--resume"]) == 0
    model = ganzoo.load_model(os.path.join(run, "model.keras"))
    assert model.augmentation.names == ("translation", "cutout")
    assert model.augmentation.adaptive
    with open(os.path.join(run, "history.csv")) as f:
        p = [float(r["aug_p"]) for r in csv.DictReader(f)]
    assert len(p) == 3 and all(0.0 <= value <= 1.0 for value in p)
    assert _train(["--data", digits_npz, "--epochs", "1", "--out", str(tmp_path / "bad"),
                   "--discriminator-augment", "rotate"]) == 2
    assert "Unknown augmentation 'rotate'" in capsys.readouterr().err


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
    assert cli.main(["train", "dcgan", "--model-size", "4", "--latent-dim", "8", "--epochs", "1",
                     "--batch-size", "200", "--out", str(run), "--quiet"]) == 0
    assert (run / "samples" / "epoch_0001.png").exists() and (run / "loss_curve.png").exists()
    model = ganzoo.load_model(run / "model.keras")
    assert model.num_classes == 10 and int(model.g_optimizer.iterations) == 4000 // 200


# ------------------------------------------------------------------ augment


@pytest.fixture
def table_csv(tmp_path):
    from tests.test_tabular import make_table

    path = tmp_path / "real.csv"
    make_table(n=200).drop(columns=["size", "joined"]).to_csv(path, index=False)
    return str(path)


def test_augment_writes_synthetic_rows(tmp_path, table_csv, capsys):
    import pandas as pd

    out, model = tmp_path / "synth.csv", tmp_path / "model"
    args = ["augment", table_csv, "--epochs", "2", "--batch-size", "100", "--quiet"]
    assert cli.main(args + ["--rows", "30", "--out", str(out), "--save", str(model),
                            "--condition", "label= rare"]) == 0
    real = pd.read_csv(table_csv)
    synth = pd.read_csv(out)
    assert list(synth.columns) == list(real.columns) and len(synth) == 30
    assert (synth["label"] == " rare").all()
    assert "Wrote 30 synthetic rows" in capsys.readouterr().out
    # refuses to overwrite, and says so before fitting anything
    assert cli.main(args + ["--rows", "5", "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    # a saved augmenter is reused; --with-real puts the real rows first
    both = tmp_path / "both.csv"
    assert cli.main(["augment", table_csv, "--load", str(model), "--rows", "10", "--with-real",
                     "--out", str(both), "--quiet"]) == 0
    combined = pd.read_csv(both)
    assert len(combined) == len(real) + 10
    pd.testing.assert_frame_equal(combined.iloc[:len(real)], real)
    # balancing fills the minority class to parity
    balanced = tmp_path / "balanced.csv"
    assert cli.main(["augment", table_csv, "--load", str(model), "--balance", "label",
                     "--with-real", "--out", str(balanced), "--quiet"]) == 0
    counts = pd.read_csv(balanced)["label"].value_counts()
    assert counts[" rare"] == counts[" common"]
    # calibration is saved with the augmenter, and --no-calibrate leaves it out
    assert json.load(open(model / "augmenter.json"))["calibrator"]["quantile_maps"]
    raw_model = tmp_path / "raw_model"
    assert cli.main(args + ["--rows", "5", "--out", str(tmp_path / "raw.csv"), "--no-calibrate",
                            "--save", str(raw_model)]) == 0
    assert json.load(open(raw_model / "augmenter.json"))["calibrator"] is None


def test_augment_reports_bad_input(tmp_path, table_csv, capsys):
    binary = tmp_path / "image.csv"
    binary.write_bytes(bytes(range(256)) * 20)
    out = str(tmp_path / "o.csv")
    assert cli.main(["augment", str(binary), "--rows", "5", "--out", out, "--quiet"]) == 2
    assert "image.csv" in capsys.readouterr().err
    assert cli.main(["augment", str(tmp_path / "none.csv"), "--rows", "5", "--out", out]) == 2
    assert "No CSV file" in capsys.readouterr().err
    args = ["augment", table_csv, "--epochs", "1", "--batch-size", "100", "--quiet", "--out", out]
    assert cli.main(args + ["--rows", "5", "--condition", "label=nope"]) == 2
    assert "never occurs in column 'label'" in capsys.readouterr().err
    assert cli.main(args + ["--balance", "nope"]) == 2
    assert "unknown column 'nope'" in capsys.readouterr().err
    assert cli.main(args + ["--rows", "5", "--target", "nope"]) == 2
    assert "--target: unknown column 'nope'" in capsys.readouterr().err
    assert not os.path.exists(out)


def test_augment_report_scores_against_a_holdout_of_the_csv(tmp_path, table_csv, capsys):
    import pandas as pd

    out, report = tmp_path / "synth.csv", tmp_path / "report"
    args = ["augment", table_csv, "--epochs", "2", "--batch-size", "50", "--quiet",
            "--rows", "80", "--out", str(out), "--report", str(report)]
    saved = tmp_path / "saved"
    assert cli.main(args + ["--target", "label", "--holdout-fraction", "0.25",
                            "--save", str(saved)]) == 0
    printed = capsys.readouterr().out
    assert "column shapes" in printed and "synthetic / holdout" in printed
    assert sorted(os.listdir(report)) == ["columns.png", "pair_differences.png", "report.json"]
    scores = json.load(open(report / "report.json"))
    # 200 rows: 50 held out, 150 fitted on; 80 synthetic.
    assert scores["rows"] == {"real": 150, "synthetic": 80, "holdout": 50}
    assert scores["ml_efficacy"]["task"] == "classification"
    assert "label" in scores["discrete_columns"]
    assert 0 <= scores["column_shapes"]["score"] <= 1
    assert scores["distance_to_closest_record"]["rows_compared"] == [80, 50]
    assert len(pd.read_csv(out)) == 80
    # the target was learned too (the augmenter's downstream model)
    assert json.load(open(saved / "augmenter.json"))["params"]["target"] == "label"
    # an existing report folder is refused before anything is fitted
    assert cli.main(args) == 2
    assert "--out" in capsys.readouterr().err
    assert cli.main(args[:-4] + ["--out", str(tmp_path / "b.csv"), "--report", str(report)]) == 2
    err = capsys.readouterr().err
    assert "--report" in err and "already exists" in err
    # holdout options need --report, and a fraction needs something left to fit
    bad = ["augment", table_csv, "--rows", "5", "--out", str(tmp_path / "c.csv"), "--quiet"]
    assert cli.main(bad + ["--holdout-fraction", "0.2"]) == 2
    assert "only makes sense with --report" in capsys.readouterr().err
    assert cli.main(bad + ["--report", str(tmp_path / "r2"), "--holdout-fraction", "1.5"]) == 2
    assert "between 0 and 1" in capsys.readouterr().err
    assert not os.path.exists(tmp_path / "c.csv") and not os.path.exists(tmp_path / "r2")


def test_old_option_names_still_parse_for_one_release(capsys):
    args = cli.build_parser().parse_args(["train", "dcgan", "--out", "x", "--augment", "cutout",
                                          "--augment-p", "adaptive"])
    assert (args.discriminator_augment, args.discriminator_augment_p) == ("cutout", "adaptive")
    err = capsys.readouterr().err
    assert "--augment is deprecated" in err and "use --discriminator-augment." in err
    assert "--augment-p is deprecated" in err
