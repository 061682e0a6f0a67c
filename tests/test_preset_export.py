"""Every bundled preset, and generator-only and whole-model presets of every image and
audio model class, export from `from_preset(...)` to a SavedModel that serves in a
process that never imports ganzoo, giving what the model generates."""

import os
import subprocess
import sys

import numpy as np
import pytest

import ganzoo
from ganzoo.audio import SpecGAN, WaveGAN
from ganzoo.image import DCGAN
from ganzoo.presets import bundled_presets

SERVE_ALL = """
import sys
sys.modules["ganzoo"] = None  # any import of ganzoo fails
import numpy as np, tensorflow as tf
for name in sys.argv[1:]:
    inputs = np.load(name + ".inputs.npz")
    serve = tf.saved_model.load(name).signatures["serving_default"]
    args = {"latent": tf.constant(inputs["latent"])}
    if "labels" in inputs:
        args["labels"] = tf.constant(inputs["labels"])
    np.save(name + ".out.npy", serve(**args)["samples"].numpy())
"""


def _small_models():
    spec = SpecGAN(class_names=["low", "high"], model_size=4, latent_dim=8, seed=0,
                   griffin_lim_iterations=4)
    rng = np.random.default_rng(0)
    spec.adapt(rng.normal(0, 0.1, (4, 16384)).astype("float32"))
    return {"dcgan": DCGAN((16, 16, 1), num_classes=3, latent_dim=8, model_size=4, seed=0),
            "wavegan": WaveGAN(num_classes=2, model_size=2, latent_dim=8, seed=0),
            "specgan": spec}


def _cases(tmp_path):
    for name in bundled_presets():
        yield f"bundled_{name}", name
    for kind, model in _small_models().items():
        for weights in ("generator", "all"):
            yield f"{kind}_{weights}", ganzoo.save_preset(model, str(tmp_path / f"{kind}_{weights}"),
                                                          weights=weights)


@pytest.mark.slow
def test_every_preset_exports_and_serves_without_ganzoo(tmp_path):
    exports, expected = [], {}
    for case, source in _cases(tmp_path):
        model = ganzoo.from_preset(source)
        path = str(tmp_path / f"export_{case}")
        model.export(path)
        # Truncation lives in the latents: the signature serves truncated samples as is.
        z = model.sample_latent(2, seed=1, truncation=0.7)
        inputs = {"latent": z}
        labels = None
        if model.conditional:
            labels = np.array([0, model.num_classes - 1], "int32")
            inputs["labels"] = labels
        np.savez(path + ".inputs.npz", **inputs)
        expected[path] = model.generate(2, labels=labels, seed=1, truncation=0.7)
        exports.append(path)
    assert len(exports) == len(bundled_presets()) + 6
    result = subprocess.run([sys.executable, "-c", SERVE_ALL, *exports], capture_output=True,
                            text=True, timeout=600,
                            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert result.returncode == 0, result.stderr[-3000:]
    for path in exports:
        np.testing.assert_allclose(np.load(path + ".out.npy"), expected[path], atol=1e-4,
                                   err_msg=path)
