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


def test_precision_recall_density_coverage_by_hand():
    from ganzoo.metrics import density_coverage, precision_recall

    real = np.array([[0.0], [1.0], [2.0], [3.0]])
    fake = np.array([[0.5], [10.0]])
    # k=1: every real ball has radius 1 (the nearest real neighbour); the generated
    # points are 9.5 apart, so their balls have radius 9.5.
    # precision: 0.5 lies in the balls of 0 and 1, 10 in none -> 1/2;
    # recall: every real point lies within 9.5 of 0.5 -> 1.
    assert precision_recall(real, fake, k=1) == {"precision": 0.5, "recall": 1.0}
    # density: (2 balls + 0 balls) / (k=1 * 2 generated) = 1; coverage: balls 0 and 1 -> 2/4.
    assert density_coverage(real, fake, k=1) == {"density": 1.0, "coverage": 0.5}
    # k=2: real radii 2, 1, 1, 2 (the second nearest real neighbour); 0.5 lies in the
    # balls of 0 (0.5 <= 2) and 1 (0.5 <= 1), not 2 (1.5 > 1) or 3 (2.5 > 2); 10 and 20 in
    # none: density (2 + 0 + 0) / (k=2 * 3) = 1/3, coverage 2/4.
    fake3 = np.array([[0.5], [10.0], [20.0]])
    dc = density_coverage(real, fake3, k=2)
    assert dc["density"] == pytest.approx(1 / 3) and dc["coverage"] == 0.5


def test_precision_recall_tell_collapse_from_variety():
    from ganzoo.metrics import density_coverage, precision_recall

    rng = np.random.default_rng(0)
    real = rng.normal(size=(600, 4))
    collapsed = rng.normal(scale=0.05, size=(600, 4))  # sharp, one mode
    varied = rng.normal(size=(600, 4))  # the same distribution
    spread = rng.normal(scale=3.0, size=(600, 4))  # varied but off the data
    c, v, s = (precision_recall(real, f) for f in (collapsed, varied, spread))
    assert c["precision"] > 0.95 and c["recall"] < 0.1
    assert v["precision"] > 0.8 and v["recall"] > 0.8
    assert s["precision"] < 0.4 and s["recall"] > 0.9
    assert density_coverage(real, collapsed)["coverage"] < 0.1
    assert 0.8 < density_coverage(real, varied)["density"] < 1.25
    with pytest.raises(ValueError, match="more than k=3"):
        precision_recall(real[:3], varied)
    with pytest.raises(ValueError, match="Feature sizes differ"):
        precision_recall(real, varied[:, :2])
