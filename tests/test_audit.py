"""The privacy audit (`ganzoo.tabular.audit`) on synthesizers whose leak is known: one
that copies its training rows (every attack must find them), an independent-columns
sample and fresh rows of the same population (neither leaks), and a shifted one."""

import numpy as np
import pandas as pd
import pytest

from ganzoo.tabular import audit
from ganzoo.tabular.quality import score_table, summary


def _population(rows, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=rows)
    return pd.DataFrame({
        "x": x,
        "y": 2 * x + rng.normal(0, 0.5, rows),
        "z": rng.gamma(2.0, 3.0, rows),
        "group": np.where(x + rng.normal(0, 0.5, rows) > 0, "hi", "lo"),
        "color": rng.choice(["red", "green", "blue"], rows),
    })


DISCRETE = ["group", "color"]
TRAIN, HOLDOUT = _population(800, 0), _population(400, 1)


def _independent(frame, seed=2):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({c: frame[c].to_numpy()[rng.integers(0, len(frame), len(frame))]
                         for c in frame.columns})


@pytest.fixture(scope="module")
def results():
    copies = TRAIN.sample(frac=1.0, random_state=3).reset_index(drop=True)
    return {name: audit.audit(TRAIN, synthetic, HOLDOUT, DISCRETE, target="group")
            for name, synthetic in [("copies", copies), ("independent", _independent(TRAIN)),
                                    ("fresh", _population(800, 4))]}


def test_a_copying_synthesizer_is_caught_by_every_attack(results):
    r = results["copies"]
    assert r["membership_inference"]["auc"] > 0.95
    assert r["membership_inference"]["distance_auc"] > 0.95
    assert r["linkability"]["risk"] > 0.5
    assert r["attribute_inference"]["risk"] > 0.1
    assert r["singling_out"]["risk"] > 0.1
    assert r["c2st"]["detection_score"] > 0.9  # copies look real, that is the problem
    assert r["alpha_precision"] > 0.95 and r["beta_recall"] > 0.95


@pytest.mark.parametrize("name", ["independent", "fresh"])
def test_synthesizers_that_saw_no_row_are_not_accused(results, name):
    r = results[name]
    assert 0.4 < r["membership_inference"]["auc"] < 0.6
    assert abs(r["linkability"]["risk"]) < 0.05
    assert abs(r["attribute_inference"]["risk"]) < 0.1
    assert abs(r["singling_out"]["risk"]) < 0.08


def test_two_sample_test_and_precision_recall_tell_distributions_apart(results):
    # Independent columns lose x ~ y: a classifier tells them from real rows.
    assert results["independent"]["c2st"]["auc"] > 0.8
    assert results["fresh"]["c2st"]["auc"] < 0.62
    assert results["fresh"]["alpha_precision"] > 0.85
    shifted = _population(800, 5).assign(x=lambda f: f["x"] + 3.0, z=lambda f: f["z"] * 4)
    precision, recall = audit.alpha_precision_beta_recall(TRAIN, shifted, DISCRETE)
    assert precision < 0.7 and recall < 0.7


def test_score_table_reports_the_audit():
    report = score_table(TRAIN, _independent(TRAIN), target="group", holdout=HOLDOUT,
                         discrete_columns=DISCRETE)
    assert 0.4 < report["privacy_audit"]["membership_inference"]["auc"] < 0.6
    text = summary(report)
    assert "membership inference AUC" in text and "C2ST AUC" in text
    assert score_table(TRAIN, TRAIN, holdout=HOLDOUT, discrete_columns=DISCRETE,
                       privacy_audit=False)["privacy_audit"] is None
