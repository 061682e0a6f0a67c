"""How good is a synthetic table, and is it private? Scores to run on your own data.

    report = ganzoo.metrics.score_table(real, synthetic, target="label", holdout=unseen)
    ganzoo.tabular.quality.save_report(report, real, synthetic, "report/")

`real` is what the synthesizer learned from; `holdout` is real rows it never saw. The
scores follow SDMetrics' definitions, so figures compare with published ones:

- column shapes: per column 1 - the Kolmogorov-Smirnov statistic (numeric) or 1 - the
  total variation distance of the category shares (discrete), averaged;
- pair trends: per pair of columns 1 - |r_real - r_synthetic| / 2 (Pearson, numeric
  pairs) or 1 - the total variation distance of the joint shares (otherwise, numeric
  columns cut into 10 equal-width bins over the real range), averaged over all pairs;
  and over the strongly related pairs only (|r| > 0.5 or Cramer's V > 0.3 in the real
  data), where a synthesizer that learned only the marginals fails: SDMetrics'
  QualityReport (0.32) calls this mean "Column Pair Trends";
- ML efficacy (with `target` and `holdout`): a gradient-boosting model trained on the
  synthetic rows vs one trained on the real rows, both tested on the holdout (macro F1
  for a discrete target, R^2 for a numeric one);
- exact copies: the share of synthetic rows identical to a real row;
- a privacy audit (with `holdout`): `ganzoo.tabular.audit`;
- distance to the closest record (with `holdout`): each synthetic row's distance to its
  nearest real row against each holdout row's distance to its nearest real row (Gower
  distance: range-scaled absolute differences, 0/1 category mismatches, averaged over
  columns). A ratio of means below 1 says the synthetic rows sit closer to the training
  rows than unseen real rows do: copied or memorised rather than learned.
"""

import itertools
import json

import numpy as np
import pandas as pd

#: Pairs count as strongly related above these in the real data.
STRONG_CORRELATION, STRONG_CRAMERS_V = 0.5, 0.3
#: Numeric columns are cut into this many equal-width bins for contingency tables.
BINS = 10
#: Rows compared in the distance-to-closest-record check (sampled when more).
DCR_ROWS = 5_000


def _labels(series):
    """A column as category strings, missing values one category of their own (pandas'
    string dtype would otherwise keep them missing)."""
    return series.astype(object).where(series.notna(), "<missing>").map(str)


def discrete_columns_of(frame, target=None):
    """Columns to treat as categories: non-numeric ones (and a target that is, or that
    has at most 20 distinct integer values)."""
    discrete = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])
                or pd.api.types.is_bool_dtype(frame[c])]
    if target is not None and target not in discrete:
        values = frame[target].dropna()
        if pd.api.types.is_integer_dtype(values) and values.nunique() <= 20:
            discrete.append(target)
    return discrete


def _check_frames(real, synthetic, holdout):
    for name, frame in (("real", real), ("synthetic", synthetic), ("holdout", holdout)):
        if frame is None:
            continue
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}.")
        if len(frame) == 0:
            raise ValueError(f"The {name} table has no rows.")
        missing = sorted(set(real.columns) - set(frame.columns))
        if missing:
            raise ValueError(f"The {name} table lacks the column(s) {missing}.")


def column_shapes(real, synthetic, discrete):
    """{column: similarity of its distribution in [0, 1]}."""
    from scipy import stats

    scores = {}
    for c in real.columns:
        if c in discrete:
            p = _labels(real[c]).value_counts(normalize=True)
            q = _labels(synthetic[c]).value_counts(normalize=True)
            scores[c] = float(1 - 0.5 * p.subtract(q, fill_value=0).abs().sum())
        else:
            a, b = real[c].dropna().astype(float), synthetic[c].dropna().astype(float)
            scores[c] = float(1 - stats.ks_2samp(a, b).statistic) if len(a) and len(b) else 0.0
    return scores


def _codes(real, synthetic, column, discrete, synthetic_bins="real"):
    """A column of both tables as category labels. Numeric columns are cut into equal-
    width bins over the real range (`synthetic_bins="own"`: the synthetic column over
    its own range, as SDMetrics' QualityReport does, so a bin can mean different values
    in the two tables)."""
    if column in discrete:
        return _labels(real[column]), _labels(synthetic[column])

    def edges_of(series):
        values = series.dropna().astype(float)
        return np.histogram_bin_edges(values, bins=BINS) if len(values) else np.zeros(2)

    def cut(series, edges):
        x = series.astype(float).to_numpy()
        codes = np.clip(np.digitize(x, edges[1:-1]), 0, BINS - 1).astype(object)
        codes[np.isnan(x)] = "missing"
        return pd.Series(codes.astype(str), index=series.index)

    real_edges = edges_of(real[column])
    own = edges_of(synthetic[column]) if synthetic_bins == "own" else real_edges
    return cut(real[column], real_edges), cut(synthetic[column], own)


def _cramers_v(a, b):
    from scipy import stats

    table = pd.crosstab(a, b).to_numpy()
    if min(table.shape) < 2:
        return 0.0
    chi2 = stats.chi2_contingency(table, correction=False)[0]
    return float(np.sqrt(chi2 / (table.sum() * (min(table.shape) - 1))))


def _correlation(frame, a, b):
    pair = frame[[a, b]].astype(float).dropna()
    if len(pair) < 2 or pair[a].std() == 0 or pair[b].std() == 0:
        return 0.0
    return float(np.corrcoef(pair[a], pair[b])[0, 1])


def pair_trends(real, synthetic, discrete, synthetic_bins="real"):
    """One dict per pair of columns: its score in [0, 1], which metric, whether the
    pair is strongly related in the real data, and the association in both tables
    (Pearson r for numeric pairs, Cramer's V otherwise). `synthetic_bins`: see
    `_codes` ("own" only to reproduce SDMetrics' figures)."""
    pairs = []
    for a, b in itertools.combinations(real.columns, 2):
        if a not in discrete and b not in discrete:
            r_real, r_synth = _correlation(real, a, b), _correlation(synthetic, a, b)
            pairs.append(dict(columns=[a, b], metric="correlation",
                              score=1 - abs(r_real - r_synth) / 2,
                              real=r_real, synthetic=r_synth,
                              strong=abs(r_real) > STRONG_CORRELATION))
            continue
        ra, sa = _codes(real, synthetic, a, discrete, synthetic_bins)
        rb, sb = _codes(real, synthetic, b, discrete, synthetic_bins)
        p = pd.crosstab(ra, rb, normalize=True).stack()
        q = pd.crosstab(sa, sb, normalize=True).stack()
        v_real, v_synth = _cramers_v(ra, rb), _cramers_v(sa, sb)
        pairs.append(dict(columns=[a, b], metric="contingency",
                          score=float(1 - 0.5 * p.subtract(q, fill_value=0).abs().sum()),
                          real=v_real, synthetic=v_synth, strong=v_real > STRONG_CRAMERS_V))
    return pairs


def _model_inputs(frame, target, discrete, categories):
    x = frame.drop(columns=[target]).copy()
    for c in x.columns:
        if c in discrete:
            x[c] = pd.Categorical(_labels(x[c]), categories=categories[c])
        else:
            x[c] = x[c].astype(float)
    return x


def ml_efficacy(real, synthetic, holdout, target, discrete, seed=0):
    """Holdout score of a gradient-boosting model trained on the synthetic rows, and of
    one trained on the real rows (the ceiling)."""
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.metrics import f1_score, r2_score

    classification = target in discrete
    categories = {c: sorted(set().union(*(_labels(f[c]) for f in (real, synthetic, holdout))))
                  for c in discrete if c != target}
    x_test = _model_inputs(holdout, target, discrete, categories)

    def fit_and_score(train):
        x = _model_inputs(train, target, discrete, categories)
        if classification:
            y = _labels(train[target])
            if y.nunique() < 2:  # a synthesizer that lost all but one class
                return 0.0
            model = HistGradientBoostingClassifier(categorical_features="from_dtype",
                                                   random_state=seed).fit(x, y)
            return float(f1_score(_labels(holdout[target]), model.predict(x_test),
                                  average="macro"))
        keep = train[target].notna()
        model = HistGradientBoostingRegressor(categorical_features="from_dtype",
                                              random_state=seed).fit(x[keep],
                                                                     train[target][keep])
        kept = holdout[target].notna()
        return float(r2_score(holdout[target][kept].astype(float),
                              model.predict(x_test[kept])))

    synthetic_score, real_score = fit_and_score(synthetic), fit_and_score(real)
    return {"task": "classification" if classification else "regression",
            "metric": "macro F1" if classification else "R^2",
            "synthetic_trained": synthetic_score, "real_trained": real_score,
            "ratio": synthetic_score / real_score if real_score > 0 else None}


def _row_keys(frame, columns):
    return pd.util.hash_pandas_object(_labels(frame[columns]), index=False)


def exact_copies(real, synthetic):
    """The share of synthetic rows identical to some real row."""
    columns = list(real.columns)
    return float(_row_keys(synthetic, columns).isin(set(_row_keys(real, columns))).mean())


def _gower_matrix(frame, reference, discrete):
    """Rows of `frame` as vectors whose L1 distance / column count is the Gower
    distance: numeric columns scaled by `reference`'s range (a missing value sits one
    range away from every present one), categories one-hot at weight 1/2."""
    parts = []
    for c in reference.columns:
        if c in discrete:
            levels = sorted(_labels(reference[c]).unique())
            codes = pd.Categorical(_labels(frame[c]), categories=levels)
            onehot = np.zeros((len(frame), len(levels) + 1), "float32")
            index = np.where(codes.codes < 0, len(levels), codes.codes)  # unseen level
            onehot[np.arange(len(frame)), index] = 0.5
            parts.append(onehot)
            continue
        values = reference[c].astype(float)
        low, span = values.min(), values.max() - values.min()
        x = (frame[c].astype(float).to_numpy() - low) / (span if span > 0 else 1.0)
        missing = np.isnan(x)
        parts.append(np.stack([np.where(missing, 0.0, x), missing.astype(float)], 1)
                     .astype("float32"))
    return np.concatenate(parts, axis=1)


def distance_to_closest_record(real, synthetic, holdout, discrete, max_rows=DCR_ROWS, seed=0):
    """Mean and median distance of synthetic and of holdout rows to their closest real
    row, and the ratio of the means (>= 1: no closer than unseen real rows)."""
    from sklearn.neighbors import NearestNeighbors

    rng = np.random.default_rng(seed)

    def sample(frame):
        if len(frame) <= max_rows:
            return frame
        return frame.iloc[np.sort(rng.choice(len(frame), max_rows, replace=False))]

    reference = _gower_matrix(real, real, discrete)
    # Brute force in sklearn's memory-bounded chunks: exact, and fine for sparse one-hots.
    index = NearestNeighbors(n_neighbors=1, metric="manhattan", algorithm="brute").fit(reference)
    width = len(real.columns)

    def distances(frame):
        return index.kneighbors(_gower_matrix(sample(frame), real, discrete))[0][:, 0] / width

    d_synth, d_holdout = distances(synthetic), distances(holdout)
    return {"synthetic_mean": float(d_synth.mean()), "synthetic_median": float(np.median(d_synth)),
            "holdout_mean": float(d_holdout.mean()), "holdout_median": float(np.median(d_holdout)),
            "ratio": float(d_synth.mean() / d_holdout.mean()) if d_holdout.mean() > 0 else None,
            "rows_compared": [int(min(len(synthetic), max_rows)), int(min(len(holdout), max_rows))]}


def _mean(values):
    values = list(values)
    return float(np.mean(values)) if values else None


def score_table(real, synthetic, target=None, holdout=None, discrete_columns=None, seed=0,
                privacy_audit=True):
    """Column shapes, pair trends, ML efficacy, exact copies and the distance to the
    closest record of `synthetic` against `real` (the rows it was made from), as a
    JSON-ready dict. ML efficacy needs `target` and `holdout` (real rows the synthesizer
    never saw); the distance check and the privacy audit (`ganzoo.tabular.audit`:
    membership inference, anonymeter's risks, alpha-precision / beta-recall, C2ST) need
    `holdout`. `discrete_columns` defaults to the non-numeric columns (and an integer
    target with few values)."""
    _check_frames(real, synthetic, holdout)
    if target is not None and target not in real.columns:
        raise ValueError(f"Unknown target column {target!r}; the table has "
                         f"{', '.join(map(str, real.columns))}.")
    columns = list(real.columns)
    synthetic = synthetic[columns]
    holdout = None if holdout is None else holdout[columns]
    discrete = list(discrete_columns) if discrete_columns is not None else discrete_columns_of(
        real, target)
    unknown = sorted(set(discrete) - set(columns))
    if unknown:
        raise ValueError(f"discrete_columns names unknown column(s) {unknown}.")
    shapes = column_shapes(real, synthetic, discrete)
    pairs = pair_trends(real, synthetic, discrete)
    strong = [p["score"] for p in pairs if p["strong"]]
    report = {
        "rows": {"real": len(real), "synthetic": len(synthetic),
                 "holdout": None if holdout is None else len(holdout)},
        "discrete_columns": discrete,
        "column_shapes": {"score": _mean(shapes.values()), "columns": shapes},
        "pair_trends": {"score": _mean(p["score"] for p in pairs),
                        "strong_score": _mean(strong), "strong_pairs": len(strong),
                        "pairs": pairs},
        "exact_copies": exact_copies(real, synthetic),
        "ml_efficacy": None, "distance_to_closest_record": None, "privacy_audit": None,
    }
    if holdout is not None:
        if privacy_audit:
            from ganzoo.tabular.audit import audit

            report["privacy_audit"] = audit(real, synthetic, holdout, discrete, target, seed)
        report["distance_to_closest_record"] = distance_to_closest_record(
            real, synthetic, holdout, discrete, seed=seed)
        if target is not None:
            report["target"] = target
            report["ml_efficacy"] = ml_efficacy(real, synthetic, holdout, target, discrete, seed)
    return report


def summary(report):
    """The report's headline figures, one line each."""
    lines = [f"column shapes {report['column_shapes']['score']:.3f}",
             f"pair trends {report['pair_trends']['score']:.3f}"]
    if report["pair_trends"]["strong_pairs"]:
        lines.append(f"strongly related pairs ({report['pair_trends']['strong_pairs']}) "
                     f"{report['pair_trends']['strong_score']:.3f}")
    lines.append(f"exact copies of real rows {report['exact_copies']:.3f}")
    ml = report["ml_efficacy"]
    if ml:
        lines.append(f"ML efficacy ({ml['metric']} on the holdout): synthetic-trained "
                     f"{ml['synthetic_trained']:.3f}, real-trained {ml['real_trained']:.3f}")
    dcr = report["distance_to_closest_record"]
    if dcr and dcr["ratio"] is not None:
        lines.append(f"distance to closest real row, synthetic / holdout: {dcr['ratio']:.2f} "
                     "(below 1: closer to the training rows than unseen real rows)")
    audit = report.get("privacy_audit")
    if audit:
        mia = audit["membership_inference"]
        lines.append(f"membership inference AUC {mia['auc']:.3f} (distance attack "
                     f"{mia['distance_auc']:.3f}; 0.5: members look like unseen rows)")
        risks = [f"{name.replace('_', ' ')} {audit[name]['risk']:+.3f}"
                 for name in ("singling_out", "linkability", "attribute_inference")
                 if audit[name] is not None]
        lines.append("attack success on training minus holdout rows: " + ", ".join(risks))
        lines.append(f"alpha-precision {audit['alpha_precision']:.3f}, beta-recall "
                     f"{audit['beta_recall']:.3f}; C2ST AUC {audit['c2st']['auc']:.3f} "
                     f"(detection score {audit['c2st']['detection_score']:.3f})")
    if report["ml_efficacy"] is None:
        lines.append("(ML efficacy needs a target and a holdout; the distance check a holdout)"
                     if report["distance_to_closest_record"] is None else
                     "(ML efficacy needs a target column)")
    return "\n".join(lines)


# ------------------------------------------------------------------- figures


def plot_columns(real, synthetic, discrete, path, max_columns=24, overwrite=True):
    """One panel per column: real vs synthetic histogram (numeric) or category shares."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ganzoo.core.plotting import save_figure

    columns = list(real.columns)[:max_columns]
    cols = min(4, len(columns))
    rows = int(np.ceil(len(columns) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.4 * rows), squeeze=False)
    for ax, c in zip(axes.flat, columns):
        if c in discrete:
            p = _labels(real[c]).value_counts(normalize=True)
            q = _labels(synthetic[c]).value_counts(normalize=True).reindex(p.index, fill_value=0)
            top = p.index[:12]
            at = np.arange(len(top))
            ax.bar(at - 0.2, p[top], 0.4, label="real")
            ax.bar(at + 0.2, q[top], 0.4, label="synthetic")
            ax.set_xticks(at, [str(t)[:10] for t in top], rotation=60, fontsize=6)
        else:
            values = real[c].dropna().astype(float)
            edges = np.histogram_bin_edges(values, bins=30)
            ax.hist(values, edges, density=True, alpha=0.5, label="real")
            ax.hist(synthetic[c].dropna().astype(float).clip(edges[0], edges[-1]), edges,
                    density=True, alpha=0.5, label="synthetic")
            ax.tick_params(labelsize=6)
        ax.set_title(str(c), fontsize=8)
    for ax in list(axes.flat)[len(columns):]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=6)
    return save_figure(fig, path, dpi=110, overwrite=overwrite)


def plot_pair_differences(report, path, overwrite=True):
    """A heatmap of synthetic minus real association for every pair of columns (Pearson r
    for numeric pairs, Cramer's V otherwise), strong pairs outlined."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ganzoo.core.plotting import save_figure

    columns = list(report["column_shapes"]["columns"])
    n = len(columns)
    where = {c: i for i, c in enumerate(columns)}
    grid = np.full((n, n), np.nan)
    fig, ax = plt.subplots(figsize=(1.0 + 0.45 * n, 0.6 + 0.45 * n))
    for p in report["pair_trends"]["pairs"]:
        i, j = where[p["columns"][0]], where[p["columns"][1]]
        grid[i, j] = grid[j, i] = p["synthetic"] - p["real"]
        if p["strong"]:
            for r, c in ((i, j), (j, i)):
                ax.add_patch(plt.Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, lw=1.2))
    image = ax.imshow(grid, cmap="coolwarm", vmin=-1, vmax=1)
    ax.set_xticks(range(n), [str(c)[:12] for c in columns], rotation=70, fontsize=7)
    ax.set_yticks(range(n), [str(c)[:12] for c in columns], fontsize=7)
    ax.set_title("association, synthetic - real (outlined: strongly related)", fontsize=8)
    fig.colorbar(image, ax=ax, fraction=0.046)
    return save_figure(fig, path, dpi=110, overwrite=overwrite)


def save_report(report, real, synthetic, folder, overwrite=False):
    """Writes `report.json`, `columns.png` and `pair_differences.png` into `folder`
    (created whole, atomically: an existing folder needs `overwrite=True`)."""
    import os

    from ganzoo.core.io import atomic_output

    with atomic_output(folder, overwrite=overwrite) as tmp:
        os.makedirs(tmp)
        with open(os.path.join(tmp, "report.json"), "w") as f:
            json.dump(report, f, indent=1, default=_json_default)
        plot_columns(real, synthetic[list(real.columns)], report["discrete_columns"],
                     os.path.join(tmp, "columns.png"))
        plot_pair_differences(report, os.path.join(tmp, "pair_differences.png"))
    return folder


def _json_default(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
