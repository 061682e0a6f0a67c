"""A privacy audit of a synthetic table: attacks an adversary holding the synthetic rows
could run, scored on the training rows (members) against real rows the synthesizer
never saw (the holdout). A synthesizer that leaks scores higher on members; one that
does not scores the same on both. `audit` runs them all; `score_table` calls it when it
has a holdout.

- Membership inference (DOMIAS' idea, van Breugel et al. 2023): a row is called a member
  where the synthetic rows are dense around it and a reference sample of the population
  (half of the holdout) is not: score = log distance to the nearest reference row - log
  distance to the nearest synthetic row. AUC over members and the other half of the
  holdout (0.5: no better than a coin). The plain distance attack (nearest synthetic
  row only) is reported beside it.
- Anonymeter's three risks (Giomi et al. 2023), each as the attack's success on training
  rows minus its success on holdout rows (the same number of each):
  singling out (predicates that single out one synthetic row, of three columns or
  more, match exactly one real row), linkability (the nearest synthetic row on one half of the columns is
  the nearest on the other half too), attribute inference (the nearest synthetic row on
  the other columns gives the secret column's value: the target, else the last column;
  numbers within 5%).
- TabSyn's protocol metrics: alpha-precision and beta-recall (Alaa et al. 2022; here in
  the Gower embedding, with balls around the mean, not their learned one-class
  embedding): how the synthetic rows fill the real rows' quantile balls and the other
  way round, 1 at a perfect match; and a classifier two-sample test (C2ST: a gradient-
  boosting classifier's cross-validated ROC AUC telling training rows from synthetic
  ones; SDMetrics' detection score 1 - (2 max(AUC, 0.5) - 1), 1: indistinguishable).

Distances are Gower distances (`ganzoo.tabular.quality`).
"""

import numpy as np
import pandas as pd

#: Rows per side of each attack (sampled when more): enough for AUCs within about 0.02.
ATTACK_ROWS = 1000
#: Predicates tried by the singling-out attack, and the columns each one uses.
PREDICATES, PREDICATE_COLUMNS = 500, 3
#: A guessed number counts as right within this relative tolerance (anonymeter's).
NUMBER_TOLERANCE = 0.05
#: Rows per side of the two-sample test.
C2ST_ROWS = 5000


def _sample(frame, n, rng):
    if len(frame) <= n:
        return frame.reset_index(drop=True)
    return frame.iloc[np.sort(rng.choice(len(frame), n, replace=False))].reset_index(drop=True)


def _nearest(reference, queries, k=1):
    """(distances, indices) of each query row's nearest reference rows (L1 / width)."""
    from sklearn.neighbors import NearestNeighbors

    index = NearestNeighbors(n_neighbors=k, metric="manhattan", algorithm="brute").fit(reference)
    distances, indices = index.kneighbors(queries)
    return distances / max(reference.shape[1], 1), indices


def membership_inference(real, synthetic, holdout, discrete, seed=0):
    """AUC of the density-ratio attack and of the distance attack."""
    from sklearn.metrics import roc_auc_score

    from ganzoo.tabular.quality import _gower_matrix

    rng = np.random.default_rng(seed)
    shuffled = holdout.iloc[rng.permutation(len(holdout))].reset_index(drop=True)
    reference, non_members = shuffled.iloc[:len(shuffled) // 2], shuffled.iloc[len(shuffled) // 2:]
    n = min(len(non_members), len(real), ATTACK_ROWS)
    members, non_members = _sample(real, n, rng), _sample(non_members, n, rng)
    embed = lambda frame: _gower_matrix(frame, real, discrete)  # noqa: E731
    candidates = embed(pd.concat([members, non_members], ignore_index=True))
    is_member = np.r_[np.ones(n), np.zeros(n)]
    to_synthetic = _nearest(embed(_sample(synthetic, 20 * ATTACK_ROWS, rng)), candidates)[0][:, 0]
    to_reference = _nearest(embed(reference), candidates)[0][:, 0]
    tiny = 1e-6
    density_ratio = np.log(to_reference + tiny) - np.log(to_synthetic + tiny)
    return {"auc": float(roc_auc_score(is_member, density_ratio)),
            "distance_auc": float(roc_auc_score(is_member, -to_synthetic)),
            "rows": int(n)}


def _columns_as_arrays(frame, discrete):
    """Each column as a NumPy array: category labels, or float numbers."""
    from ganzoo.tabular.quality import _labels

    return {c: (_labels(frame[c]).to_numpy() if c in discrete
                else frame[c].astype(float).to_numpy()) for c in frame.columns}


def _match(arrays, predicate):
    match = None
    for c, op, value in predicate:
        values = arrays[c]
        hit = (values == value) if op == "==" else (values <= value) if op == "<=" else (
            values >= value)
        match = hit if match is None else match & hit
    return match


def singling_out(real, synthetic, holdout, discrete, seed=0):
    """Share of predicates that single out one synthetic row (built from it: a category
    equal, a number at most or at least its value, towards the nearer tail; columns
    added until only that row matches) that also match exactly one row, among training
    rows and among as many holdout rows."""
    rng = np.random.default_rng(seed)
    n = min(len(real), len(holdout))
    sides = [_columns_as_arrays(frame, discrete) for frame in
             (_sample(real, n, rng), _sample(holdout, n, rng))]
    pool = _columns_as_arrays(synthetic, discrete)
    columns = list(real.columns)
    medians = {c: float(np.nanmedian(pool[c])) for c in columns if c not in discrete}
    hits, found = np.zeros(2), 0
    for _ in range(5 * PREDICATES):
        i = int(rng.integers(len(synthetic)))
        predicate = []
        for c in rng.permutation(columns):
            value = pool[c][i]
            if c in discrete or np.isnan(value):
                predicate.append((c, "==", value))  # NaN matches nothing: a rare gap
            else:
                predicate.append((c, ">=" if value > medians[c] else "<=", value))
            if len(predicate) >= PREDICATE_COLUMNS and _match(pool, predicate).sum() == 1:
                break
        else:
            continue  # the row's values are not unique in the synthetic table
        found += 1
        for side, arrays in enumerate(sides):
            hits[side] += _match(arrays, predicate).sum() == 1
        if found == PREDICATES:
            break
    if not found:
        return None
    train, control = hits / found
    return {"training": float(train), "holdout": float(control), "risk": float(train - control),
            "predicates": found}


def linkability(real, synthetic, holdout, discrete, seed=0):
    """Share of rows whose nearest synthetic row on one half of the columns is also the
    nearest on the other half, for training rows and holdout rows."""
    from ganzoo.tabular.quality import _gower_matrix

    rng = np.random.default_rng(seed)
    columns = list(real.columns)
    if len(columns) < 2:
        return None
    order = rng.permutation(columns)
    halves = [list(order[:len(columns) // 2]), list(order[len(columns) // 2:])]
    n = min(len(real), len(holdout), ATTACK_ROWS)
    pool = _sample(synthetic, 20 * ATTACK_ROWS, rng)
    rates = []
    for frame in (_sample(real, n, rng), _sample(holdout, n, rng)):
        nearest = [_nearest(_gower_matrix(pool[h], real[h], discrete),
                            _gower_matrix(frame[h], real[h], discrete))[1][:, 0] for h in halves]
        rates.append(float(np.mean(nearest[0] == nearest[1])))
    return {"training": rates[0], "holdout": rates[1], "risk": rates[0] - rates[1]}


def attribute_inference(real, synthetic, holdout, discrete, secret, seed=0):
    """Share of rows whose `secret` column the nearest synthetic row on the other
    columns gives right, for training rows and holdout rows."""
    from ganzoo.tabular.quality import _gower_matrix, _labels

    rng = np.random.default_rng(seed)
    known = [c for c in real.columns if c != secret]
    if not known:
        return None
    n = min(len(real), len(holdout), ATTACK_ROWS)
    pool = _sample(synthetic, 20 * ATTACK_ROWS, rng)
    rates = []
    for frame in (_sample(real, n, rng), _sample(holdout, n, rng)):
        index = _nearest(_gower_matrix(pool[known], real[known], discrete),
                         _gower_matrix(frame[known], real[known], discrete))[1][:, 0]
        guess = pool[secret].iloc[index].reset_index(drop=True)
        if secret in discrete:
            right = (_labels(guess) == _labels(frame[secret])).to_numpy()
        else:
            truth, guessed = frame[secret].astype(float).to_numpy(), guess.astype(float).to_numpy()
            right = np.abs(guessed - truth) <= NUMBER_TOLERANCE * np.abs(truth)
        rates.append(float(np.mean(right)))
    return {"secret": secret, "training": rates[0], "holdout": rates[1],
            "risk": rates[0] - rates[1]}


def alpha_precision_beta_recall(real, synthetic, discrete, seed=0, levels=30):
    """(alpha-precision, beta-recall): 1 - 2 x the mean gap between each quantile level
    and the share of the other table's rows inside that quantile's ball."""
    from ganzoo.tabular.quality import _gower_matrix

    rng = np.random.default_rng(seed)
    a = _gower_matrix(_sample(real, C2ST_ROWS, rng), real, discrete)
    b = _gower_matrix(_sample(synthetic, C2ST_ROWS, rng), real, discrete)
    grid = np.linspace(0.02, 0.98, levels)

    def filled(support, other):
        center = support.mean(axis=0)
        radius = np.abs(support - center).sum(axis=1)
        inside = np.abs(other - center).sum(axis=1)
        shares = np.array([(inside <= np.quantile(radius, q)).mean() for q in grid])
        return float(1 - 2 * np.mean(np.abs(shares - grid)))

    return filled(a, b), filled(b, a)


def classifier_two_sample_test(real, synthetic, discrete, seed=0):
    """Cross-validated ROC AUC of a classifier telling real rows from synthetic ones,
    and SDMetrics' detection score of it."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import cross_val_score

    from ganzoo.tabular.quality import _labels, _model_inputs

    rng = np.random.default_rng(seed)
    n = min(len(real), len(synthetic), C2ST_ROWS)
    both = pd.concat([_sample(real, n, rng), _sample(synthetic[list(real.columns)], n, rng)],
                     ignore_index=True)
    both["__synthetic__"] = np.r_[np.zeros(n), np.ones(n)].astype(int)
    categories = {c: sorted(set(_labels(both[c]))) for c in discrete}
    x = _model_inputs(both, "__synthetic__", discrete, categories)
    model = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=seed)
    auc = float(np.mean(cross_val_score(model, x, both["__synthetic__"], cv=3,
                                        scoring="roc_auc")))
    return {"auc": auc, "detection_score": 1.0 - (2 * max(auc, 0.5) - 1.0)}


def audit(real, synthetic, holdout, discrete, target=None, seed=0):
    """Every attack and protocol metric, as a JSON-ready dict."""
    secret = target if target is not None else real.columns[-1]
    precision, recall = alpha_precision_beta_recall(real, synthetic, discrete, seed)
    return {
        "membership_inference": membership_inference(real, synthetic, holdout, discrete, seed),
        "singling_out": singling_out(real, synthetic, holdout, discrete, seed),
        "linkability": linkability(real, synthetic, holdout, discrete, seed),
        "attribute_inference": attribute_inference(real, synthetic, holdout, discrete, secret,
                                                   seed),
        "alpha_precision": precision, "beta_recall": recall,
        "c2st": classifier_two_sample_test(real, synthetic, discrete, seed),
    }


__all__ = ["alpha_precision_beta_recall", "attribute_inference", "audit",
           "classifier_two_sample_test", "linkability", "membership_inference", "singling_out"]
