"""The second digit evaluator that dcgan_digits' snapshots are chosen with
(examples/selection_evaluator.py): another network than the bundled one, and FD taken
against the real examples it is given."""

import os
import sys

import numpy as np

from ganzoo import datasets
from ganzoo.image.evaluator import DigitEvaluator, _as_model_input

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))

from selection_evaluator import SelectionDigitEvaluator, score_against  # noqa: E402


def test_selection_evaluator_is_another_network_and_scores_against_given_reals(tmp_path):
    images, labels = datasets.load_digits()
    SelectionDigitEvaluator.train(_as_model_input(images[:1500]), labels[:1500], str(tmp_path),
                                  epochs=8, seed=1)
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
