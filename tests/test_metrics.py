import numpy as np
import pytest
import scipy.linalg

from ganzoo import datasets
from ganzoo.metrics import classifier_score, frechet_distance, score_digits


def test_frechet_distance_one_dimension_by_hand():
    # N(m1, s1) vs N(m2, s2): (m1 - m2)^2 + s1 + s2 - 2 sqrt(s1 s2)
    mu_a, cov_a = np.array([1.0]), np.array([[4.0]])
    mu_b, cov_b = np.array([3.0]), np.array([[9.0]])
    expected = (1 - 3) ** 2 + 4 + 9 - 2 * np.sqrt(36)
    assert frechet_distance((mu_a, cov_a), (mu_b, cov_b)) == pytest.approx(expected)


def test_frechet_distance_from_features_by_hand():
    a = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]])
    b = a * 2 + 1
    # a: mean (1, 1), covariance diag(4/3, 4/3); b: mean (3, 3), covariance diag(16/3, 16/3)
    expected = 8 + 2 * (4 / 3 + 16 / 3 - 2 * np.sqrt(4 / 3 * 16 / 3))
    assert frechet_distance(a, b) == pytest.approx(expected)
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-9)


def test_frechet_distance_matches_general_matrix_square_root():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(200, 5))
    b = rng.normal(size=(300, 5)) @ rng.normal(size=(5, 5)) + 0.5
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = scipy.linalg.sqrtm(ca @ cb).real
    expected = np.sum((a.mean(0) - b.mean(0)) ** 2) + np.trace(ca + cb - 2 * root)
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-6)


def test_frechet_distance_errors():
    with pytest.raises(ValueError, match="Feature sizes differ"):
        frechet_distance(np.zeros((3, 2)), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="NaN"):
        frechet_distance(np.full((3, 2), np.nan), np.zeros((3, 2)))


def test_classifier_score_by_hand():
    assert classifier_score(np.zeros((10, 4))) == pytest.approx(1.0)
    confident = np.eye(4)[np.arange(8) % 4] * 50.0  # sure, and evenly spread
    assert classifier_score(confident) == pytest.approx(4.0, rel=1e-6)
    # two examples, p = (0.5, 0.5) and (1, 0): marginal (0.75, 0.25)
    logits = np.log(np.array([[0.5, 0.5], [1.0, 1e-12]]))
    kl1 = 0.5 * np.log(0.5 / 0.75) + 0.5 * np.log(0.5 / 0.25)
    kl2 = 1.0 * np.log(1 / 0.75)
    assert classifier_score(logits) == pytest.approx(np.exp((kl1 + kl2) / 2), rel=1e-6)
    mean, std = classifier_score(confident, splits=2, return_std=True)
    assert mean == pytest.approx(4.0, rel=1e-6) and std == pytest.approx(0.0, abs=1e-6)


def test_score_digits_separates_real_digits_from_noise():
    images, labels = datasets.load_digits()
    real = score_digits(images[:1000], labels=labels[:1000])
    assert real["label_accuracy"] > 0.97
    assert real["classifier_score"] > 8.5
    assert abs(sum(real["class_histogram"]) - 1.0) < 1e-9
    assert max(real["class_histogram"]) < 0.15  # balanced, like the data
    noise = np.random.default_rng(0).integers(0, 256, size=(1000, 28, 28), dtype=np.uint8)
    fake = score_digits(noise)
    assert fake["frechet_distance"] > 20 * real["frechet_distance"]
    assert fake["classifier_score"] < 2.0
    assert "label_accuracy" not in fake
    one_class = score_digits(images[labels == 3][:200], labels=3)
    assert one_class["class_histogram"][3] > 0.95 and one_class["classifier_score"] < 1.5
    with pytest.raises(ValueError, match="28x28"):
        score_digits(np.zeros((4, 32, 32), "uint8"))


def test_digit_evaluator_rebuild_writes_loadable_assets(tmp_path):
    from ganzoo.image.evaluator import DigitEvaluator, train_digit_evaluator

    images, labels = datasets.load_digits()
    info = train_digit_evaluator(images[:200], labels[:200], out_dir=str(tmp_path), epochs=1)
    assert info["train_examples"] == 160 and info["validation_examples"] == 40
    evaluator = DigitEvaluator(assets=str(tmp_path))
    assert evaluator.info == info
    assert evaluator.reference_mean.shape == (128,) and evaluator.reference_cov.shape == (128, 128)
    with np.load(tmp_path / "digit_reference.npz") as ref:
        assert len(ref["validation_index"]) == 40
    assert np.isfinite(evaluator.score(images[200:300])["frechet_distance"])
