"""Sample-quality measures computed from a classifier's features and logits (public as
`ganzoo.metrics`).

Written for ganzoo (TF-GAN, which had them, no longer imports on TF >= 2.16).
"""

import numpy as np


def feature_statistics(features):
    """Mean and covariance of `[n, d]` features (float64), the sufficient
    statistics of the Frechet distance."""
    features = _as_2d(features, "features")
    if len(features) < 2:
        raise ValueError("At least 2 feature vectors are needed for a covariance.")
    return features.mean(axis=0), np.cov(features, rowvar=False)


def frechet_distance(features_a, features_b):
    """Frechet distance between Gaussians fitted to two sets of features.

    d^2 = |mu_a - mu_b|^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)), as in the FID of
    Heusel et al. 2017. Either argument may also be a `(mean, covariance)` pair.
    """
    mu_a, cov_a = _stats(features_a)
    mu_b, cov_b = _stats(features_b)
    if mu_a.shape != mu_b.shape:
        raise ValueError(
            f"Feature sizes differ: {mu_a.shape[0]} and {mu_b.shape[0]}."
        )
    return frechet_distance_from_statistics(mu_a, cov_a, mu_b, cov_b)


def frechet_distance_from_statistics(mu_a, cov_a, mu_b, cov_b):
    # Tr((S_a S_b)^(1/2)) = Tr((A S_b A)^(1/2)) with A = S_a^(1/2); A S_b A is
    # symmetric positive semi-definite, so a symmetric eigen-solver is exact and
    # stable where a general matrix square root returns complex round-off.
    root_a = _psd_sqrt(cov_a)
    middle = root_a @ cov_b @ root_a
    eigenvalues = np.linalg.eigvalsh((middle + middle.T) / 2.0)
    trace_sqrt = np.sqrt(np.clip(eigenvalues, 0.0, None)).sum()
    diff = mu_a - mu_b
    value = diff @ diff + np.trace(cov_a) + np.trace(cov_b) - 2.0 * trace_sqrt
    return float(max(value, 0.0))


def classifier_score(logits, splits=1, return_std=False):
    """The classifier ("Inception") score exp(E_x KL(p(y|x) || p(y))).

    Ranges from 1 (every sample gets the same class distribution) to the number of
    classes (confident and evenly spread). With `splits > 1` the score is computed
    on that many disjoint chunks and their mean (and std) is returned.
    """
    logits = _as_2d(logits, "logits")
    if splits < 1 or splits > len(logits):
        raise ValueError(f"splits must be in [1, {len(logits)}], got {splits}.")
    scores = [_score(chunk) for chunk in np.array_split(logits, splits)]
    mean = float(np.mean(scores))
    return (mean, float(np.std(scores))) if return_std else mean


def precision_recall(real_features, fake_features, k=3, batch_size=1000):
    """Precision and recall of generated samples (Kynkaanniemi et al. 2019).

    Each real example's neighbourhood is the ball reaching its k-th nearest real
    neighbour; precision is the share of generated examples inside at least one real
    ball (how realistic), recall the share of real examples inside at least one ball of
    the generated set (how much of the data's variety is covered). FD alone cannot tell
    a sharp collapsed generator (high precision, low recall) from a varied blurry one.
    Returns `{"precision": p, "recall": r}`.
    """
    real = _as_2d(real_features, "real_features")
    fake = _as_2d(fake_features, "fake_features")
    _check_k(k, real, fake)
    real_radii = _kth_neighbour_distance(real, k, batch_size)
    fake_radii = _kth_neighbour_distance(fake, k, batch_size)
    return {"precision": float(_inside_any_ball(fake, real, real_radii, batch_size).mean()),
            "recall": float(_inside_any_ball(real, fake, fake_radii, batch_size).mean())}


def density_coverage(real_features, fake_features, k=5, batch_size=1000):
    """Density and coverage of generated samples (Naeem et al. 2020).

    With the same real balls as `precision_recall`: density is the average number of
    real balls a generated example falls in, divided by k (about 1 when generated and
    real examples are spread alike; above 1 where generated ones crowd into dense real
    regions), coverage the share of real balls that hold at least one generated example.
    Unlike recall, neither is inflated by a few generated outliers.
    Returns `{"density": d, "coverage": c}`.
    """
    real = _as_2d(real_features, "real_features")
    fake = _as_2d(fake_features, "fake_features")
    _check_k(k, real, fake)
    radii = _kth_neighbour_distance(real, k, batch_size)
    counts = np.zeros(len(fake))
    covered = np.zeros(len(real), dtype=bool)
    for start in range(0, len(fake), batch_size):
        inside = _distances(fake[start:start + batch_size], real) <= radii[None, :]
        counts[start:start + batch_size] = inside.sum(axis=1)
        covered |= inside.any(axis=0)
    return {"density": float(counts.mean() / k), "coverage": float(covered.mean())}


def _check_k(k, real, fake):
    if int(k) != k or k < 1:
        raise ValueError(f"k must be a positive integer, got {k}.")
    if real.shape[1] != fake.shape[1]:
        raise ValueError(f"Feature sizes differ: {real.shape[1]} and {fake.shape[1]}.")
    if min(len(real), len(fake)) <= k:
        raise ValueError(f"Each set needs more than k={k} examples, got {len(real)} real "
                         f"and {len(fake)} generated.")


def _distances(a, b):
    """Euclidean distances `[len(a), len(b)]`."""
    squared = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    return np.sqrt(np.clip(squared, 0.0, None))


def _kth_neighbour_distance(x, k, batch_size):
    """Each row's distance to its k-th nearest other row."""
    out = np.empty(len(x))
    for start in range(0, len(x), batch_size):
        d = _distances(x[start:start + batch_size], x)
        # Column k of the sorted distances: column 0 is the row itself (distance 0).
        out[start:start + batch_size] = np.partition(d, k, axis=1)[:, k]
    return out


def _inside_any_ball(points, centres, radii, batch_size):
    inside = np.zeros(len(points), dtype=bool)
    for start in range(0, len(points), batch_size):
        d = _distances(points[start:start + batch_size], centres)
        inside[start:start + batch_size] = (d <= radii[None, :]).any(axis=1)
    return inside


def classifier_report(features, logits, reference, labels=None):
    """What the bundled evaluators report for a set of samples: the Frechet distance
    of `features` to the `reference` (mean, covariance) of real data, the classifier
    score, the histogram of predicted classes, and with `labels` (one per sample or one
    for all) the fraction predicted as requested."""
    predicted = np.asarray(logits).argmax(axis=1)
    report = {
        "frechet_distance": frechet_distance(features, reference),
        "classifier_score": classifier_score(logits),
        "class_histogram": (np.bincount(predicted, minlength=np.shape(logits)[1])
                            / len(predicted)).tolist(),
    }
    if labels is not None:
        labels = np.broadcast_to(np.asarray(labels), predicted.shape)
        report["label_accuracy"] = float(np.mean(predicted == labels))
    return report


def save_evaluator_assets(model, train_inputs, out_dir, weights_file, reference_file, info,
                          **extra):
    """Writes a bundled evaluator: its weights, and the mean and covariance of its
    features (`model`'s first output) on the training inputs, with `info` as JSON and
    `extra` arrays (e.g. which examples were held out)."""
    import json
    import os

    os.makedirs(out_dir, exist_ok=True)
    model.save_weights(os.path.join(out_dir, weights_file))
    features = model.predict(train_inputs, verbose=0)[0]
    mean, cov = feature_statistics(features)
    np.savez_compressed(os.path.join(out_dir, reference_file), mean=mean, cov=cov,
                        info=json.dumps(info), **extra)
    return info


def _score(logits):
    log_p = logits - logits.max(axis=1, keepdims=True)
    log_p = log_p - np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    p = np.exp(log_p)
    log_marginal = np.log(p.mean(axis=0) + 1e-30)
    kl = (p * (log_p - log_marginal)).sum(axis=1)
    return float(np.exp(kl.mean()))


def _psd_sqrt(matrix):
    eigenvalues, vectors = np.linalg.eigh((matrix + matrix.T) / 2.0)
    return (vectors * np.sqrt(np.clip(eigenvalues, 0.0, None))) @ vectors.T


def _stats(x):
    if isinstance(x, tuple) and len(x) == 2:
        return np.asarray(x[0], "float64"), np.atleast_2d(np.asarray(x[1], "float64"))
    return feature_statistics(x)


def _as_2d(x, what):
    x = np.asarray(x, dtype="float64")
    if x.ndim != 2 or len(x) == 0:
        raise ValueError(f"{what} must be a non-empty [n, d] array, got shape {x.shape}.")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{what} contain NaN or infinite values.")
    return x
