"""Synthetic-table quality: ganzoo's TabularAugmenter vs the `ctgan` package vs an
independent-columns baseline, on ../shared/data/tabular (80/20 split, scored on the
real 20%).

    python benchmarks/tabular_quality.py                   # both data sets, 1 seed
    python benchmarks/tabular_quality.py --seeds 3 --data benefits

`ctgan` is an optional comparison, never a ganzoo dependency:
    pip install torch==2.13.0 ctgan==0.12.1
"""

import argparse
import itertools
import time
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from report import SHARED, print_table

DATASETS = {
    # name: (file, target, task, rows to sample (None: all), epochs as in the issue)
    "benefits": ("tabular/benefits.csv", "ui", "classification", None, 300),
    "diamonds": ("tabular/diamonds.csv", "price", "regression", 10_000, 100),
}


# --------------------------------------------------------------- synthesizers


def independent_columns(train, n, seed):
    """Each column sampled alone from its own marginal: perfect shapes, no relations."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({c: train[c].to_numpy()[rng.integers(0, len(train), n)]
                         for c in train.columns})


GANZOO_OPTIONS = []  # KEY=VALUE settings of TabularAugmenter, from --ganzoo-option
GANZOO_VARIANTS = []  # further settings to compare, from --ganzoo-variant


def fit_and_sample(synthesizer, train, discrete, epochs, seed, options=None):
    """Runs synth_worker.py in a fresh process; returns (samples, seconds per epoch)."""
    import json
    import os
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        paths = [os.path.join(tmp, name) for name in ("train.pkl", "samples.pkl", "result.json")]
        train.to_pickle(paths[0])
        worker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "synth_worker.py")
        subprocess.run([sys.executable, worker, synthesizer, *paths, "--epochs", str(epochs),
                        "--seed", str(seed), "--discrete", ",".join(discrete),
                        "--options", ",".join((GANZOO_OPTIONS if synthesizer == "ganzoo" else [])
                                              + list(options or []))], check=True)
        with open(paths[2]) as f:
            result = json.load(f)
        return pd.read_pickle(paths[1]), result["seconds_per_epoch"]


# --------------------------------------------------------------------- scores


def discrete_columns_of(frame):
    return [c for c in frame.columns
            if frame[c].dtype == object or str(frame[c].dtype) in ("str", "string", "category",
                                                                    "bool")]


def column_shapes(real, synth, discrete):
    scores = []
    for c in real.columns:
        if c in discrete:
            p = real[c].astype(str).value_counts(normalize=True)
            q = synth[c].astype(str).value_counts(normalize=True)
            scores.append(1 - 0.5 * p.subtract(q, fill_value=0).abs().sum())
        else:
            scores.append(1 - stats.ks_2samp(real[c].dropna(), synth[c].dropna()).statistic)
    return float(np.mean(scores))


def _binned(real, synth, c, discrete):
    if c in discrete:
        return real[c].astype(str), synth[c].astype(str)
    edges = np.unique(np.quantile(real[c].dropna(), np.linspace(0, 1, 11)))
    cut = lambda s: pd.Series(np.digitize(s.to_numpy(dtype=float), edges[1:-1]), index=s.index)
    return cut(real[c]), cut(synth[c])


def _cramers_v(a, b):
    table = pd.crosstab(a, b).to_numpy()
    if min(table.shape) < 2:
        return 0.0
    chi2 = stats.chi2_contingency(table, correction=False)[0]
    return float(np.sqrt(chi2 / (table.sum() * (min(table.shape) - 1))))


def pair_trends(real, synth, discrete):
    """All pairs, and the strongly related ones (|r| > 0.5 or Cramer's V > 0.3)."""
    all_scores, strong = [], []
    for a, b in itertools.combinations(real.columns, 2):
        if a not in discrete and b not in discrete:
            r_real = real[[a, b]].corr().iloc[0, 1]
            r_synth = synth[[a, b]].astype(float).corr().iloc[0, 1]
            score = 1 - abs(r_real - (0 if np.isnan(r_synth) else r_synth)) / 2
            is_strong = abs(r_real) > 0.5
        else:
            ra, sa = _binned(real, synth, a, discrete)
            rb, sb = _binned(real, synth, b, discrete)
            p = pd.crosstab(ra, rb, normalize=True).stack()
            q = pd.crosstab(sa, sb, normalize=True).stack()
            score = 1 - 0.5 * p.subtract(q, fill_value=0).abs().sum()
            is_strong = _cramers_v(ra, rb) > 0.3
        all_scores.append(score)
        if is_strong:
            strong.append(score)
    return float(np.mean(all_scores)), (float(np.mean(strong)) if strong else float("nan")), len(strong)


def ml_efficacy(train, test, target, task, discrete):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.metrics import f1_score, r2_score

    def prepare(frame):
        x = frame.drop(columns=[target]).copy()
        for c in x.columns:
            if c in discrete:
                x[c] = pd.Categorical(x[c].astype(str), categories=sorted(
                    set(train[c].astype(str)) | set(test[c].astype(str))))
        return x

    x_train, x_test = prepare(train), prepare(test)
    if task == "classification":
        model = HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=0)
        y_train = train[target].astype(str)
        if y_train.nunique() < 2:
            return 0.0
        model.fit(x_train, y_train)
        return float(f1_score(test[target].astype(str), model.predict(x_test), average="macro"))
    model = HistGradientBoostingRegressor(categorical_features="from_dtype", random_state=0)
    model.fit(x_train, train[target].astype(float))
    return float(r2_score(test[target].astype(float), model.predict(x_test)))


def copied_rows(train, synth):
    """Fraction of synthetic rows identical to some real training row."""
    key = lambda f: pd.util.hash_pandas_object(f.astype(str), index=False)
    return float(key(synth).isin(set(key(train))).mean())


# ------------------------------------------------------------------------ run


def load_table(name):
    """A data set as the benchmarks use it: (frame, target, task, epochs, discrete columns)."""
    path, target, task, sample_rows, epochs = DATASETS[name]
    frame = pd.read_csv(f"{SHARED}/{path}")
    if sample_rows:
        frame = frame.sample(sample_rows, random_state=0).reset_index(drop=True)
    discrete = discrete_columns_of(frame)
    if task == "classification" and target not in discrete:
        discrete.append(target)
    return frame, target, task, epochs, discrete


def split(frame, seed):
    """The 80% the synthesizers train on (newly indexed) and the real 20% they are scored on."""
    order = np.random.default_rng(seed).permutation(len(frame))
    cut = int(0.8 * len(frame))
    return frame.iloc[order[:cut]].reset_index(drop=True), frame.iloc[order[cut:]]


def evaluate(name, data, seeds, epochs_override, with_ctgan):
    frame, target, task, epochs, discrete = load_table(name)
    epochs = epochs_override or epochs
    results = {}
    for seed in seeds:
        train, test = split(frame, seed)
        synths = {"real 80% (reference)": (train, float("nan"))}
        synths["independent columns"] = (independent_columns(train, len(train), seed), float("nan"))
        synths["ganzoo TabularAugmenter"] = fit_and_sample("ganzoo", train, discrete, epochs, seed)
        for variant in GANZOO_VARIANTS:
            synths[f"ganzoo {variant}"] = fit_and_sample("ganzoo", train, discrete, epochs, seed,
                                                         variant.split(","))
        if with_ctgan:
            synths["ctgan 0.12"] = fit_and_sample("ctgan", train, discrete, epochs, seed)
        for label, (synth, per_epoch) in synths.items():
            shapes = column_shapes(test, synth, discrete)
            pairs, strong, n_strong = pair_trends(test, synth, discrete)
            row = dict(shapes=shapes, pairs=pairs, strong=strong,
                       ml=ml_efficacy(synth, test, target, task, discrete),
                       copies=copied_rows(train, synth), s_per_epoch=per_epoch)
            results.setdefault(label, []).append(row)
            print(f"  {name} seed {seed} {label}: " + ", ".join(f"{k} {v:.3f}" for k, v in row.items()),
                  flush=True)
    metric = "macro F1" if task == "classification" else "R^2"
    rows = []
    ctgan = results.get("ctgan 0.12")
    for label, runs in results.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # nan timings of the baselines
            mean = {k: np.nanmean([r[k] for r in runs]) for k in runs[0]}
            spread = {k: np.nanstd([r[k] for r in runs]) for k in runs[0]}
        fmt = lambda k: f"{mean[k]:.3f}" + (f"±{spread[k]:.3f}" if len(runs) > 1 else "")
        vs = "-"
        if ctgan and label.startswith("ganzoo"):
            vs = f"{mean['s_per_epoch'] / np.mean([r['s_per_epoch'] for r in ctgan]):.2f}x"
        rows.append([label, fmt("shapes"), fmt("pairs"), fmt("strong"), fmt("ml"),
                     f"{mean['copies']:.3f}",
                     "-" if np.isnan(mean["s_per_epoch"]) else f"{mean['s_per_epoch']:.3f}", vs])
    print_table(
        f"{name}: {len(frame)} rows, target {target!r}, {epochs} epochs, batch 500, seeds {seeds}; "
        f"{n_strong} strongly related column pairs",
        ["synthesizer", "column shapes", "pair trends", "strong pairs", f"ML efficacy ({metric})",
         "copied rows", "s/epoch", "time vs ctgan"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", choices=sorted(DATASETS), action="append")
    parser.add_argument("--seeds", type=int, default=1)
    parser.add_argument("--epochs", type=int, help="override the per-data-set epochs")
    parser.add_argument("--no-ctgan", action="store_true")
    parser.add_argument("--ganzoo-option", action="append", default=[], metavar="KEY=VALUE",
                        help="a TabularAugmenter setting to try, e.g. n_critic=1")
    parser.add_argument("--ganzoo-variant", action="append", default=[], metavar="KEY=VALUE,...",
                        help="also fit ganzoo with these settings, as a row of its own")
    args = parser.parse_args()
    GANZOO_OPTIONS.extend(args.ganzoo_option)
    GANZOO_VARIANTS.extend(args.ganzoo_variant)
    with_ctgan = not args.no_ctgan
    if with_ctgan:
        import importlib.util

        if importlib.util.find_spec("ctgan") is None:
            print("ctgan is not installed (pip install torch==2.13.0 ctgan==0.12.1): skipping it.")
            with_ctgan = False
    for name in args.data or sorted(DATASETS):
        evaluate(name, None, list(range(args.seeds)), args.epochs, with_ctgan)


if __name__ == "__main__":
    main()
