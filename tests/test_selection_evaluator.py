"""The second digit evaluator that dcgan_digits' snapshots are chosen with
(ganzoo.image.selection): another network than the bundled one, and FD taken against
the real examples it is given."""

import os

import numpy as np
import pytest

from ganzoo import datasets
from ganzoo.core.evaluator import held_out_half
from ganzoo.image.evaluator import DigitEvaluator, _as_model_input
from ganzoo.image.selection import SelectionDigitEvaluator, score_against


@pytest.mark.slow
def test_selection_evaluator_is_another_network_and_scores_against_given_reals(tmp_path):
    images, labels = datasets.load_digits()
    SelectionDigitEvaluator.train(_as_model_input(images[:1500]), labels[:1500], str(tmp_path),
                                  epochs=5, seed=1)
    evaluator = SelectionDigitEvaluator(str(tmp_path))
    assert not os.path.exists(tmp_path / DigitEvaluator.weights_file)  # its own files
    features, logits = evaluator.features_and_logits(images[:8])
    assert features.shape == (8, 256) and logits.shape == (8, 10)
    assert evaluator.model.count_params() != DigitEvaluator.build_network().count_params()

    real_labels = labels[1500:1900]
    real = evaluator.features_and_logits(images[1500:1900])[0]
    same = score_against(evaluator, images[2000:2400], labels[2000:2400], real)
    noise = np.random.default_rng(0).integers(0, 256, size=(400, 28, 28), dtype=np.uint8)
    wrong = score_against(evaluator, noise, real_labels, real)
    assert same["label_accuracy"] > 0.8 and wrong["label_accuracy"] < 0.3
    assert wrong["frechet_distance"] > 5 * same["frechet_distance"] > 0
    shifted = score_against(evaluator, np.roll(images[2000:2400], 4, axis=2),
                            labels[2000:2400], real)
    # Position counts (no global pooling): shifted digits sit far from the real ones.
    assert shifted["frechet_distance"] > 2 * same["frechet_distance"]


def test_held_out_halves_split_once_for_every_caller():
    select, report = held_out_half(101, "select"), held_out_half(101, "report")
    assert len(select) == 51 and len(report) == 50
    assert sorted(np.concatenate([select, report]).tolist()) == list(range(101))
    np.testing.assert_array_equal(held_out_half(101, "select"), select)  # the same cut
    assert not np.array_equal(select, np.arange(51))  # a random one, not file order
    with pytest.raises(ValueError, match="half must be one of"):
        held_out_half(10, "test")


def test_digit_splits_hold_out_what_the_evaluator_never_trained_on(tmp_path):
    from ganzoo.image.evaluator import ASSETS, REFERENCE, digit_splits

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (8000, 28, 28), dtype=np.uint8)
    labels = np.arange(8000) % 10
    np.savez(tmp_path / "digits.npz", images=images, labels=labels)
    (x_train, y_train), (x_held, y_held) = digit_splits(str(tmp_path / "digits.npz"))
    with np.load(os.path.join(ASSETS, REFERENCE)) as ref:
        held = ref["validation_index"]
    assert len(x_held) == len(held) == 1600 and len(x_train) == 6400
    np.testing.assert_array_equal(x_held, images[held])
    np.testing.assert_array_equal(y_held, labels[held])
    np.savez(tmp_path / "small.npz", images=images[:100], labels=labels[:100])
    with pytest.raises(ValueError, match="8,000-digit file"):
        digit_splits(str(tmp_path / "small.npz"))


def _words(n, seed):
    """Clips of two 'words' that differ in their spectra (a low and a high hum with
    noise), at random offsets and gains."""
    rng = np.random.default_rng(seed)
    t = np.arange(16384) / 16000.0
    labels = np.arange(n) % 2
    clips = []
    for label in labels:
        base = (300.0, 2500.0)[label] * rng.uniform(0.9, 1.1)
        wave = np.sin(2 * np.pi * base * t) + 0.5 * np.sin(2 * np.pi * 2 * base * t)
        envelope = np.zeros_like(t)
        start = rng.integers(0, 6000)
        envelope[start:start + 8000] = 1.0
        clips.append(rng.uniform(0.3, 0.9) * envelope * wave + 0.01 * rng.normal(size=t.size))
    return np.asarray(clips, "float32"), labels


def test_the_second_spoken_evaluator_listens_to_mfcc_statistics(tmp_path):
    from ganzoo.audio.evaluator import SpokenDigitEvaluator
    from ganzoo.audio.features import MFCCStatistics
    from ganzoo.audio.selection import SelectionSpokenDigitEvaluator, score_against

    x, y = _words(200, 0)
    SelectionSpokenDigitEvaluator.train(x, y, str(tmp_path), epochs=15, seed=1)
    evaluator = SelectionSpokenDigitEvaluator(str(tmp_path))
    assert not os.path.exists(tmp_path / SpokenDigitEvaluator.weights_file)  # its own files
    assert evaluator.model.get_layer("mfcc_stats").output.shape == (None, 80)
    x_real, y_real = _words(100, 1)
    x_new, y_new = _words(100, 2)
    real = evaluator.features_and_logits(x_real)[0]
    same = score_against(evaluator, x_new, y_new, real)
    noise = np.random.default_rng(3).normal(0, 0.3, size=(100, 16384)).astype("float32")
    wrong = score_against(evaluator, noise, y_real, real)
    assert same["label_accuracy"] > 0.95
    assert wrong["frechet_distance"] > 5 * same["frechet_distance"] > 0
    # time order is pooled away: a clip played backwards has the same MFCC means
    stats = MFCCStatistics()
    forward, backward = np.asarray(stats(x_new[:4])), np.asarray(stats(x_new[:4, ::-1].copy()))
    np.testing.assert_allclose(forward[:, :20], backward[:, :20], rtol=0.05, atol=0.05)
