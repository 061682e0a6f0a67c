"""`ganzoo augment FOLDER`: real files plus generated ones, class by class, for images
and audio clips, written whole or not at all."""

import os

import keras
import numpy as np
import pytest
import soundfile as sf
from PIL import Image

import ganzoo
from ganzoo import cli
from ganzoo.audio import WaveGAN
from ganzoo.image import DCGAN


def _image_folder(root, classes=("cat", "dog"), per_class=3, side=16, mode="L"):
    rng = np.random.default_rng(0)
    for name in classes:
        os.makedirs(root / name)
        for i in range(per_class):
            shape = (side, side) if mode == "L" else (side, side, 3)
            Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), mode=mode).save(
                root / name / f"{i:05d}.png")
    return root


@pytest.fixture
def image_model(tmp_path):
    path = str(tmp_path / "images.keras")
    DCGAN((16, 16, 1), class_names=["cat", "dog", "eel"], latent_dim=8, model_size=4,
          seed=0).save(path)
    return path


def test_an_image_folder_gets_generated_images_beside_the_real_ones(tmp_path, image_model,
                                                                    capsys):
    source = _image_folder(tmp_path / "photos")
    out = tmp_path / "augmented"
    assert cli.main(["augment", str(source), "--preset", image_model, "--per-class", "4",
                     "--out", str(out), "--quiet"]) == 0
    assert "Wrote 6 real and 8 generated image files of 2 classes" in capsys.readouterr().out
    for name in ("cat", "dog"):
        files = sorted(os.listdir(out / name))
        # real files keep their names (even 00000.png), generated ones are marked
        assert files[:3] == ["00000.png", "00001.png", "00002.png"]
        assert [f for f in files if f.startswith("generated_")] == [
            f for f in files[3:]] and len(files) == 7
        np.testing.assert_array_equal(np.asarray(Image.open(out / name / "00001.png")),
                                      np.asarray(Image.open(source / name / "00001.png")))
        with Image.open(out / name / files[-1]) as generated:
            assert generated.size == (16, 16) and generated.mode == "L"
    assert not (out / "eel").exists()  # only the folder's classes
    assert not (out / ".generated").exists()
    # Keras reads the tree as it is
    ds = keras.utils.image_dataset_from_directory(str(out), image_size=(16, 16),
                                                  color_mode="grayscale", batch_size=32,
                                                  verbose=False)
    assert ds.class_names == ["cat", "dog"]
    assert sum(int(x.shape[0]) for x, _ in ds) == 14


def test_ratio_keeps_the_class_shares_and_the_library_call_matches(tmp_path, image_model):
    source = _image_folder(tmp_path / "photos", per_class=2)
    os.remove(source / "dog" / "00001.png")  # 2 cats, 1 dog
    written = ganzoo.augment.folder(str(source), str(tmp_path / "out"),
                                    preset=ganzoo.load_model(image_model), ratio=2.0,
                                    verbose=False)
    assert written == {"domain": "image", "real": 3, "generated": 6, "classes": ["cat", "dog"]}
    generated = {name: len([f for f in os.listdir(tmp_path / "out" / name)
                            if f.startswith("generated_")]) for name in ("cat", "dog")}
    assert generated == {"cat": 4, "dog": 2}


def test_bad_folders_are_refused_and_nothing_is_written(tmp_path, image_model, capsys):
    out = tmp_path / "out"

    def run(source, *extra):
        code = cli.main(["augment", str(source), "--preset", image_model, "--out", str(out),
                         "--quiet", *extra])
        return code, capsys.readouterr().err

    code, err = run(_image_folder(tmp_path / "a", classes=("cat", "cow")), "--per-class", "1")
    assert code == 2 and "['cow']" in err and "not classes of the generator" in err
    code, err = run(_image_folder(tmp_path / "b", mode="RGB"), "--per-class", "1")
    assert code == 2 and "16x16 with 3 channel(s)" in err
    code, err = run(_image_folder(tmp_path / "c"))
    assert code == 2 and "--per-class N or --ratio R" in err
    flat = tmp_path / "flat"
    os.makedirs(flat)
    Image.fromarray(np.zeros((16, 16), np.uint8)).save(flat / "x.png")
    code, err = run(flat, "--per-class", "1")
    assert code == 2 and "no class sub-folders" in err
    assert not out.exists()
    # an existing output is left alone unless --overwrite
    os.makedirs(out)
    (out / "keep.txt").write_text("mine")
    code, err = run(_image_folder(tmp_path / "d"), "--per-class", "1")
    assert code == 2 and "already exists" in err and (out / "keep.txt").exists()
    code, err = run(tmp_path / "d", "--per-class", "1", "--overwrite")
    assert code == 0 and not (out / "keep.txt").exists()
    # folder options on a table are refused
    table = tmp_path / "t.csv"
    table.write_text("a,b\n1,2\n")
    code = cli.main(["augment", str(table), "--per-class", "2", "--out", str(tmp_path / "o.csv")])
    assert code == 2 and "for a folder" in capsys.readouterr().err


def test_a_folder_of_clips_gets_generated_clips(tmp_path):
    model_path = str(tmp_path / "words.keras")
    WaveGAN(class_names=["low", "high"], model_size=2, latent_dim=8, seed=0).save(model_path)
    source = tmp_path / "clips"
    t = np.arange(8000) / 16000
    for w, name in enumerate(("low", "high")):
        os.makedirs(source / name)
        for i in range(2):
            sf.write(source / name / f"{name}_{i}.flac", 0.5 * np.sin(2 * np.pi * (300 + 600 * w)
                                                                   * t), 16000)
    out = tmp_path / "out"
    assert cli.main(["augment", str(source), "--preset", model_path, "--per-class", "2",
                     "--out", str(out), "--quiet"]) == 0
    for name in ("low", "high"):
        files = sorted(os.listdir(out / name))
        assert len(files) == 4 and sum(f.startswith("generated_") for f in files) == 2
        generated = [f for f in files if f.startswith("generated_")][0]
        clip, rate = sf.read(out / name / generated)
        assert rate == 16000 and clip.shape == (16384,)
    # another sample rate than the generator's is refused
    slow = tmp_path / "slow"
    os.makedirs(slow / "low")
    sf.write(slow / "low" / "a.wav", np.zeros(800), 8000)
    assert cli.main(["augment", str(slow), "--preset", model_path, "--per-class", "1",
                     "--out", str(tmp_path / "o2"), "--quiet"]) == 2
