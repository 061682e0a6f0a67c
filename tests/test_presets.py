"""Presets: the directory format, checksums, and downloads from a real HTTP server."""

import functools
import http.server
import json
import os
import shutil
import threading

import numpy as np
import pytest

import ganzoo
from ganzoo.image import DCGAN
from ganzoo.presets import PresetError
from ganzoo.presets.download import COMPLETE, cache_dir_for


@pytest.fixture(scope="module")
def tiny_dcgan():
    gan = DCGAN(image_shape=(16, 16, 1), num_classes=3, latent_dim=8, model_size=8, seed=5)
    gan.compile()
    return gan


@pytest.fixture
def preset_dir(tmp_path, tiny_dcgan):
    return ganzoo.save_preset(tiny_dcgan, str(tmp_path / "tiny"), metadata={"licence": "MIT"})


def test_round_trip_restores_both_networks(tiny_dcgan, preset_dir):
    info = json.load(open(os.path.join(preset_dir, "metadata.json")))
    assert info["format_version"] == 1 and info["class_name"] == "DCGAN"
    assert info["versions"]["ganzoo"] == ganzoo.__version__ and info["licence"] == "MIT"
    assert info["parameters"]["generator"] == tiny_dcgan.generator.count_params()
    assert sorted(info["files"]) == ["config.json", "model.weights.h5"]
    loaded = ganzoo.from_preset(preset_dir)
    np.testing.assert_array_equal(loaded.generate(5, labels=2, seed=3),
                                  tiny_dcgan.generate(5, labels=2, seed=3))
    for a, b in zip(tiny_dcgan.discriminator.weights, loaded.discriminator.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert loaded.preset_metadata["name"] == "tiny"
    # Loaded presets train on: compile() and one step work.
    loaded.compile()
    history = loaded.fit(np.zeros((8, 16, 16, 1), "float32") - 1, np.zeros(8, "int32"),
                         batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])


def test_generator_only_float16_is_smaller_and_close(tmp_path, tiny_dcgan, preset_dir):
    small = ganzoo.save_preset(tiny_dcgan, str(tmp_path / "small"), weights="generator",
                               weights_dtype="float16", precision="float32")
    full_bytes = os.path.getsize(os.path.join(preset_dir, "model.weights.h5"))
    small_bytes = os.path.getsize(os.path.join(small, "model.weights.h5"))
    assert small_bytes < 0.5 * full_bytes
    loaded = ganzoo.from_preset(small)
    assert loaded.generator.weights[0].dtype == "float32"
    diff = np.abs(loaded.generate(5, labels=1, seed=3) - tiny_dcgan.generate(5, labels=1, seed=3))
    assert 0 < diff.max() < 0.02


def test_save_refuses_existing_directory(tiny_dcgan, preset_dir):
    with pytest.raises(FileExistsError, match="already exists"):
        ganzoo.save_preset(tiny_dcgan, preset_dir)


def test_corrupt_missing_and_newer_presets(tmp_path, preset_dir):
    corrupt = str(tmp_path / "corrupt")
    shutil.copytree(preset_dir, corrupt)
    weights = os.path.join(corrupt, "model.weights.h5")
    data = bytearray(open(weights, "rb").read())
    data[len(data) // 2] ^= 0xFF
    open(weights, "wb").write(bytes(data))
    with pytest.raises(PresetError, match="Checksum mismatch.*model.weights.h5"):
        ganzoo.from_preset(corrupt)

    os.remove(weights)
    with pytest.raises(PresetError, match="missing model.weights.h5"):
        ganzoo.from_preset(corrupt)

    newer = str(tmp_path / "newer")
    shutil.copytree(preset_dir, newer)
    meta_path = os.path.join(newer, "metadata.json")
    meta = json.load(open(meta_path))
    meta["format_version"], meta["versions"]["ganzoo"] = 99, "9.0.0"
    json.dump(meta, open(meta_path, "w"))
    with pytest.raises(PresetError, match="ganzoo 9.0.0.*Upgrade"):
        ganzoo.from_preset(newer)

    with pytest.raises(PresetError, match="no metadata.json"):
        ganzoo.from_preset(str(tmp_path))
    with pytest.raises(PresetError, match="No preset directory"):
        ganzoo.from_preset(str(tmp_path / "nowhere"))


def test_unknown_name_suggests_close_ones():
    with pytest.raises(PresetError, match="Unknown preset 'dcgan_digit'.*'dcgan_digits'"):
        ganzoo.from_preset("dcgan_digit")
    with pytest.raises(PresetError, match="Unknown preset 'zebra'"):
        ganzoo.from_preset("zebra")


# ------------------------------------------------------------------ HTTP


class PresetServer:
    """A real HTTP server on 127.0.0.1 serving a folder, with Range support that can be
    switched off and a way to cut a file off halfway (as a dropped connection does)."""

    def __init__(self, root):
        self.root, self.requests = root, []
        self.ranges, self.cut_after = True, None
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append((self.path, self.headers.get("Range")))
                path = self.translate_path(self.path)
                if not os.path.isfile(path):
                    return self.send_error(404)
                data = open(path, "rb").read()
                start, status = 0, 200
                spec = self.headers.get("Range")
                if spec and server.ranges:
                    start = int(spec.split("=")[1].split("-")[0])
                    if start >= len(data):
                        return self.send_error(416)
                    status = 206
                body = data[start:]
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                if status == 206:
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                self.end_headers()
                if server.cut_after is not None and path.endswith(".h5"):
                    body = body[: server.cut_after]
                    self.close_connection = True
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=root))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def served(tmp_path, preset_dir, monkeypatch):
    root = tmp_path / "www"
    shutil.copytree(preset_dir, root / "tiny")
    monkeypatch.setenv("GANZOO_HOME", str(tmp_path / "home"))
    server = PresetServer(str(root))
    yield server, root
    server.stop()


def test_download_caches_and_then_works_offline(served, tiny_dcgan, tmp_path):
    server, _ = served
    url = server.url + "/tiny/"
    model = ganzoo.from_preset(url, progress=False)
    np.testing.assert_array_equal(model.generate(3, labels=0, seed=1),
                                  tiny_dcgan.generate(3, labels=0, seed=1))
    cache = cache_dir_for(url)
    assert cache.startswith(str(tmp_path / "home"))
    assert os.path.exists(os.path.join(cache, COMPLETE))
    assert not [f for f in os.listdir(cache) if f.endswith(".part")]
    fetched = len(server.requests)
    server.stop()  # offline from here on
    again = ganzoo.from_preset(url, progress=False)
    assert len(server.requests) == fetched
    np.testing.assert_array_equal(again.generate(3, labels=0, seed=1),
                                  model.generate(3, labels=0, seed=1))
    with pytest.raises(PresetError, match="Cannot reach"):
        ganzoo.from_preset(server.url + "/other/", progress=False)


def test_damaged_cache_entry_is_downloaded_again(served, tiny_dcgan):
    server, _ = served
    url = server.url + "/tiny/"
    ganzoo.from_preset(url, progress=False)
    weights = os.path.join(cache_dir_for(url), "model.weights.h5")
    with open(weights, "r+b") as f:
        f.seek(100)
        f.write(b"\x00" * 64)
    server.requests.clear()
    model = ganzoo.from_preset(url, progress=False)
    assert ("/tiny/model.weights.h5", None) in server.requests  # fetched again, whole
    np.testing.assert_array_equal(model.generate(2, seed=4), tiny_dcgan.generate(2, seed=4))


def test_http_404(served):
    server, _ = served
    with pytest.raises(PresetError, match="HTTP 404"):
        ganzoo.from_preset(server.url + "/missing/", progress=False)


def test_bad_checksum_download_is_never_cached(served):
    server, root = served
    weights = root / "tiny" / "model.weights.h5"
    weights.write_bytes(weights.read_bytes()[::-1])  # same size, other bytes
    url = server.url + "/tiny/"
    with pytest.raises(PresetError, match="Checksum mismatch"):
        ganzoo.from_preset(url, progress=False)
    cache = cache_dir_for(url)
    assert not os.path.exists(os.path.join(cache, COMPLETE))
    assert not os.path.exists(os.path.join(cache, "model.weights.h5"))
    assert not os.path.exists(os.path.join(cache, "model.weights.h5.part"))


def test_truncated_download_resumes_with_range(served, tiny_dcgan):
    server, root = served
    size = os.path.getsize(root / "tiny" / "model.weights.h5")
    server.cut_after = size // 3
    url = server.url + "/tiny/"
    with pytest.raises(PresetError, match="truncated|cut off"):
        ganzoo.from_preset(url, progress=False)
    cache = cache_dir_for(url)
    part = os.path.join(cache, "model.weights.h5.part")
    assert os.path.getsize(part) == size // 3  # kept for resuming, but
    assert not os.path.exists(os.path.join(cache, COMPLETE))  # not a cached preset
    server.stop_cut = server.cut_after = None
    server.requests.clear()
    model = ganzoo.from_preset(url, progress=False)
    assert ("/tiny/model.weights.h5", f"bytes={size // 3}-") in server.requests
    np.testing.assert_array_equal(model.generate(2, seed=4), tiny_dcgan.generate(2, seed=4))


def test_server_without_range_support_restarts_cleanly(served, tiny_dcgan):
    server, _ = served
    server.ranges = False
    url = server.url + "/tiny/"
    cache = cache_dir_for(url)
    os.makedirs(cache)
    # What a killed download leaves behind: a partial file and no marker.
    with open(os.path.join(cache, "model.weights.h5.part"), "wb") as f:
        f.write(b"garbage from an earlier, killed download")
    model = ganzoo.from_preset(url, progress=False)
    np.testing.assert_array_equal(model.generate(2, seed=4), tiny_dcgan.generate(2, seed=4))


def test_newer_preset_over_http_is_refused(served):
    server, root = served
    meta_path = root / "tiny" / "metadata.json"
    meta = json.loads(meta_path.read_text())
    meta["format_version"] = 2
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(PresetError, match="reads format 1 at most"):
        ganzoo.from_preset(server.url + "/tiny/metadata.json", progress=False)


# ---------------------------------------------------------------- bundled


def test_bundled_dcgan_digits_makes_the_digits_asked_for(capsys):
    from ganzoo import cli
    from ganzoo.image.evaluator import score_digits

    gan = ganzoo.from_preset("dcgan_digits", precision="float32")
    info = gan.preset_metadata
    assert info["domain"] == "image" and info["num_classes"] == 10
    want = np.repeat(np.arange(10), 20).astype("int32")
    scores = score_digits(gan.generate(200, labels=want, seed=0), labels=want)
    assert scores["label_accuracy"] > 0.9 and scores["classifier_score"] > 8
    assert abs(scores["label_accuracy"] - info["scores"]["generated"]["label_accuracy"]) < 0.06
    assert cli.main(["presets"]) == 0
    listing = capsys.readouterr().out
    assert "dcgan_digits" in listing and "image" in listing and "1,814,081" in listing
    assert cli.main(["presets", "dcgan_digits"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "dcgan_digits"


def test_bundled_wavegan_digits_generates_spoken_digits():
    from ganzoo.audio.evaluator import WORDS, score_spoken_digits

    gan = ganzoo.from_preset("wavegan_digits")
    info = gan.preset_metadata
    assert info["domain"] == "audio" and info["sample_rate"] == 16000
    assert list(info["class_names"]) == list(WORDS) == list(gan.class_names)
    waves = gan.generate(200, labels=np.arange(200) % 10, seed=0)
    assert waves.shape == (200, 16384) and waves.dtype == np.float32
    assert np.all(np.abs(waves) <= 1) and waves.std() > 0.01
    scores = score_spoken_digits(waves, labels=np.arange(200) % 10)
    # Far from intelligible (see its metadata), yet well above chance (0.1).
    assert scores["label_accuracy"] > 0.15
    assert abs(scores["label_accuracy"] - info["scores"]["generated"]["label_accuracy"]) < 0.1


def test_bundled_specgan_digits_is_the_audio_default(tmp_path, capsys):
    from ganzoo import cli
    from ganzoo.audio import SpecGAN
    from ganzoo.audio.evaluator import WORDS, score_spoken_digits

    gan = ganzoo.from_preset("specgan_digits")
    info = gan.preset_metadata
    assert isinstance(gan, SpecGAN) and gan.adapted
    assert info["domain"] == "audio" and info["sample_rate"] == 16000
    assert list(gan.class_names) == list(WORDS)
    want = np.arange(200) % 10
    waves = gan.generate(200, labels=want, seed=0)
    assert waves.shape == (200, 16384) and waves.dtype == np.float32 and waves.std() > 0.01
    scores = score_spoken_digits(waves, labels=want)
    assert scores["label_accuracy"] > 0.8
    assert abs(scores["label_accuracy"] - info["scores"]["generated"]["label_accuracy"]) < 0.06
    # ganzoo.augment's audio default, and per-class WAV folders from the command line
    real = np.zeros((2, 16384), "float32")
    mixed, labels = ganzoo.augment.audio(real, ["one", "two"], per_class=1, verbose=False)
    assert mixed.shape == (4, 16384) and sorted(labels[2:]) == ["one", "two"]
    assert np.abs(mixed[2:]).max() > 0.01  # generated, not the silent real clips
    out = tmp_path / "words"
    assert cli.main(["generate", "specgan_digits", "--per-class", "2", "--out", str(out),
                     "--quiet"]) == 0
    assert sorted(os.listdir(out)) == sorted(WORDS)
    assert all(len(os.listdir(out / word)) == 2 for word in WORDS)
