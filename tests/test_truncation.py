"""The truncation trick: `generate(..., truncation=psi)` for every model, latents drawn
from the standard normal restricted to [-psi, psi]."""

import math

import numpy as np
import pandas as pd
import pytest

import ganzoo
from ganzoo import cli
from ganzoo.image import DCGAN
from ganzoo.core.generation import truncated_normal
from ganzoo.tabular import TabularAugmenter
from tests.helpers import tiny_gan


def _truncated_moments(psi):
    """E|z| and E z^2 of the standard normal restricted to [-psi, psi], by hand:
    with phi the density and m = P(|z| <= psi) = erf(psi / sqrt 2),
    E|z| = 2 (phi(0) - phi(psi)) / m and E z^2 = 1 - 2 psi phi(psi) / m."""
    phi = lambda t: math.exp(-t * t / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    mass = math.erf(psi / math.sqrt(2))
    return 2 * (phi(0) - phi(psi)) / mass, 1 - 2 * psi * phi(psi) / mass


@pytest.mark.parametrize("psi", [0.25, 1.0, 2.0, 40.0])
def test_truncated_latents_have_the_truncated_normals_moments(psi):
    z = truncated_normal(np.random.default_rng(0), (200_000,), psi)
    assert np.abs(z).max() <= psi and np.isfinite(z).all()
    mean_abs, second = _truncated_moments(psi)
    assert abs(np.abs(z).mean() - mean_abs) < 0.01 * mean_abs
    assert abs((z ** 2).mean() - second) < 0.02 * second
    assert abs(z.mean()) < 0.01 * math.sqrt(second)  # symmetric
    assert abs((z > 0).mean() - 0.5) < 0.005


def test_generate_with_truncation():
    gan = tiny_gan(num_classes=3)
    full = gan.sample_latent(500, seed=4)
    np.testing.assert_array_equal(full, np.random.default_rng(4).standard_normal(
        (500, gan.latent_dim)).astype("float32"))  # None: the full prior, as before
    z = gan.sample_latent(500, seed=4, truncation=0.5)
    assert z.dtype == np.float32 and np.abs(z).max() <= 0.5
    np.testing.assert_array_equal(z, gan.sample_latent(500, seed=4, truncation=0.5))
    labels = np.arange(6) % 3
    got = gan.generate(6, labels=labels, seed=7, truncation=0.5)
    np.testing.assert_allclose(got, gan.generate_from_latent(
        gan.sample_latent(6, seed=7, truncation=0.5), labels.astype("int32")), atol=1e-6)
    assert not np.allclose(got, gan.generate(6, labels=labels, seed=7))
    for bad in (0, -1.0, float("nan"), float("inf"), "wide"):
        with pytest.raises(ValueError, match="truncation is the largest"):
            gan.generate(2, truncation=bad)


def test_tabular_sample_with_truncation():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=200), "kind": rng.choice(["a", "b"], 200)})
    aug = TabularAugmenter(epochs=1, batch_size=100, seed=0, verbose=False, calibrate=False)
    aug.fit(frame, discrete_columns=["kind"])
    a = aug.sample(50, seed=1, truncation=0.3)
    pd.testing.assert_frame_equal(a, aug.sample(50, seed=1, truncation=0.3))
    assert not a.equals(aug.sample(50, seed=1))
    assert (aug.sample(20, conditions={"kind": "b"}, seed=1, truncation=0.3)["kind"] == "b").all()
    with pytest.raises(ValueError, match="truncation is the largest"):
        aug.sample(5, truncation=0)


def test_cli_generate_truncation(tmp_path):
    gan = DCGAN((16, 16, 1), num_classes=3, latent_dim=8, model_size=4, seed=0)
    preset = ganzoo.save_preset(gan, str(tmp_path / "preset"))
    out = tmp_path / "s.npz"
    assert cli.main(["generate", preset, "--n", "4", "--seed", "2", "--truncation", "0.6",
                     "--out", str(out), "--quiet"]) == 0
    want = gan.generate(4, seed=2, truncation=0.6)
    np.testing.assert_allclose(np.load(out)["images"][..., 0] / 127.5 - 1, want[..., 0],
                               atol=1.01 / 127.5)
    assert cli.main(["generate", preset, "--n", "4", "--truncation", "-1",
                     "--out", str(tmp_path / "t.npz"), "--quiet"]) == 2
