"""Synthetic-table quality: ganzoo's TabularAugmenter vs CTGAN, SDV's TVAE and
GaussianCopula and an independent-columns baseline, on ../shared/data/tabular (80/20
split: synthesizers fit on the 80%, the 20% is the holdout).

Every row is scored by `ganzoo.metrics.score_table` (SDMetrics' definitions, checked in
`score_table_check.py`) against the 80% the synthesizer saw: column shapes, pair trends
(all pairs and the strongly related ones), ML efficacy (a gradient-boosting model
trained on the synthetic rows, tested on the holdout), exact copies of training rows,
the distance-to-closest-record ratio (synthetic rows' distance to their nearest
training row over holdout rows'; below 1: closer than unseen real rows), and the
membership-inference attack's AUC (`ganzoo.tabular.audit`; 0.5: members look unseen). Each
synthesizer fits in a fresh process; fit seconds are whole fits.

    python benchmarks/tabular_quality.py                   # both data sets, 1 seed
    python benchmarks/tabular_quality.py --seeds 3 --data benefits

The baselines are optional comparisons, never ganzoo dependencies; in a virtual
environment with ganzoo: pip install torch==2.13.0 sdv   (sdv 2.0.0 brings ctgan 0.12.1),
or in one of their own (`--sdv-python ../sdv/bin/python`; tables travel as CSV):

    python -m venv ../sdv && ../sdv/bin/pip install torch==2.13.0 && ../sdv/bin/pip install sdv

Besides the two shared tables, two that scikit-learn bundles (`--data breast_cancer
--data diabetes`) check settings on tables none of them was chosen on.

Differential privacy (`--private 1,3,10`): ganzoo's `TabularAugmenter(epsilon=e)` against
smartnoise-synth's MST, AIM, DP-CTGAN and PATE-CTGAN at each epsilon, and a table and a
plot of utility against epsilon (benchmarks/results/private_tables_TABLE.png). smartnoise's
transformers read the discrete columns' values from the rows without spending budget;
ganzoo's row "ganzoo" is told them (`categories=`), "ganzoo, nothing declared" releases
them privately.
smartnoise-sql pins pandas < 3, so smartnoise lives in a virtual environment of its own:

    python -m venv ../sn && ../sn/bin/pip install torch==2.13.0 && \
        ../sn/bin/pip install smartnoise-synth==1.0.8 packaging
    python benchmarks/tabular_quality.py --private 1,3,10 --smartnoise-python ../sn/bin/python

`--cache DIR` keeps every baseline's samples (keyed by the rows it fitted, its settings and
seed) so that a later run, or one stopped half-way, refits only ganzoo; `--first-seed 1
--seeds 2` runs split seeds 1 and 2.
"""

import argparse
import time
import warnings

import numpy as np
import pandas as pd

from report import SHARED, print_table

DATASETS = {
    # name: (file, or "sklearn:NAME" for a table scikit-learn bundles, target, task, rows
    # to sample (None: all), the baselines' epochs (CTGAN's and TVAE's default); ganzoo
    # runs its own default schedule)
    "benefits": ("tabular/benefits.csv", "ui", "classification", None, 300),
    "diamonds": ("tabular/diamonds.csv", "price", "regression", 10_000, 300),
    # Checks no setting was chosen on (issue 34): small, all-numeric tables.
    "breast_cancer": ("sklearn:breast_cancer", "diagnosis", "classification", None, 300),
    "diabetes": ("sklearn:diabetes", "progression", "regression", None, 300),
}


# --------------------------------------------------------------- synthesizers


def independent_columns(train, n, seed):
    """Each column sampled alone from its own marginal: perfect shapes, no relations."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({c: train[c].to_numpy()[rng.integers(0, len(train), n)]
                         for c in train.columns})


GANZOO_OPTIONS = []  # KEY=VALUE settings of TabularAugmenter, from --ganzoo-option
GANZOO_VARIANTS = []  # further settings to compare, from --ganzoo-variant


SMARTNOISE_PYTHON = [None]  # the smartnoise environment's interpreter (--smartnoise-python)
SDV_PYTHON = [None]  # an environment with sdv / ctgan but not ganzoo (--sdv-python)
SMARTNOISE_TIMEOUT = [None]  # seconds a smartnoise fit may take (--smartnoise-timeout)
LEFT_OUT = []  # "label (why)" of the baseline fits that did not finish
CACHE = [None]  # a folder of baselines' samples, reused by later runs (--cache)


def _cache_paths(synthesizer, train, epochs, seed, options):
    """Where a baseline's samples and result are kept: keyed by the training rows
    themselves, so a changed split or table never reuses stale samples."""
    import hashlib
    import os

    rows = pd.util.hash_pandas_object(train, index=False).to_numpy().tobytes()
    key = hashlib.sha256(rows + repr((synthesizer, epochs, seed, sorted(options or []),
                                      list(train.columns))).encode()).hexdigest()[:20]
    stem = os.path.join(CACHE[0], f"{synthesizer}-{key}")
    return stem + ".csv", stem + ".json"


def _with_dtypes_of(train, samples):
    """Samples read back from CSV, with the training table's dtypes where they apply
    (integer columns stay as read: a synthesizer may leave them with missing values)."""
    return samples.astype({c: train[c].dtype for c in train.columns
                           if train[c].dtype.kind not in "iu"}, errors="ignore")


def fit_and_sample(synthesizer, train, discrete, epochs, seed, options=None, total=False):
    """Runs synth_worker.py in a fresh process; returns (samples, seconds per epoch),
    or (samples, fit seconds) with `total`."""
    import json
    import os
    import subprocess
    import sys
    import tempfile

    # Another environment (smartnoise's has another pandas): tables travel as CSV there.
    foreign = synthesizer == "smartnoise" or (synthesizer != "ganzoo" and SDV_PYTHON[0])
    cached = None
    if CACHE[0] and synthesizer != "ganzoo":  # ganzoo is what is measured: always refit
        cached = _cache_paths(synthesizer, train, epochs, seed, options)
        if os.path.exists(cached[1]):
            with open(cached[1]) as f:
                result = json.load(f)
            samples = _with_dtypes_of(train, pd.read_csv(cached[0]))
            return samples, result["seconds" if total else "seconds_per_epoch"]
    suffix = ".csv" if foreign else ".pkl"
    with tempfile.TemporaryDirectory() as tmp:
        paths = [os.path.join(tmp, name) for name in
                 ("train" + suffix, "samples" + suffix, "result.json")]
        if foreign:
            train.to_csv(paths[0], index=False)
        else:
            train.to_pickle(paths[0])
        worker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "synth_worker.py")
        python = (SMARTNOISE_PYTHON[0] if synthesizer == "smartnoise" else SDV_PYTHON[0]
                  ) if foreign else sys.executable
        command = [python, worker, synthesizer, *paths, "--epochs", str(epochs),
                   "--seed", str(seed), "--discrete", ",".join(discrete),
                   "--options", ",".join((GANZOO_OPTIONS if synthesizer == "ganzoo" else [])
                                         + list(options or []))]
        if synthesizer != "smartnoise":
            subprocess.run(command, check=True)
        else:  # a baseline that fails or runs past its time is a row left out, not a crash
            try:
                subprocess.run(command, check=True, timeout=SMARTNOISE_TIMEOUT[0])
            except (subprocess.TimeoutExpired, subprocess.CalledProcessError) as e:
                why = ("over --smartnoise-timeout" if isinstance(e, subprocess.TimeoutExpired)
                       else f"exit {e.returncode}")
                LEFT_OUT.append(f"{','.join(options or [])} seed {seed} ({why})")
                return None
        with open(paths[2]) as f:
            result = json.load(f)
        samples = pd.read_csv(paths[1]) if foreign else pd.read_pickle(paths[1])
        if cached:  # the CSV first, the result last: a result marks a whole entry
            os.makedirs(CACHE[0], exist_ok=True)
            samples.to_csv(cached[0] + ".part", index=False)
            os.replace(cached[0] + ".part", cached[0])
            with open(cached[1] + ".part", "w") as f:
                json.dump(result, f)
            os.replace(cached[1] + ".part", cached[1])
        if foreign:
            samples = _with_dtypes_of(train, samples)
        return samples, result["seconds" if total else "seconds_per_epoch"]


# --------------------------------------------------------------------- scores


def discrete_columns_of(frame):
    from ganzoo.tabular.quality import discrete_columns_of as library_rule

    return library_rule(frame)


# ------------------------------------------------------------------------ run


def sklearn_table(name):
    """A table scikit-learn ships (no download): breast_cancer (569 rows, 30 numbers,
    the diagnosis as words) or diabetes (442 rows, 10 numbers in their own units, sex a
    category, a year's disease progression)."""
    from sklearn import datasets

    if name == "breast_cancer":
        bunch = datasets.load_breast_cancer(as_frame=True)
        frame = bunch.frame.drop(columns="target")
        frame["diagnosis"] = np.asarray(bunch.target_names)[bunch.target]
        return frame
    frame = datasets.load_diabetes(as_frame=True, scaled=False).frame
    frame["sex"] = frame["sex"].map({1.0: "one", 2.0: "two"})
    return frame.rename(columns={"target": "progression"})


def load_table(name):
    """A data set as the benchmarks use it: (frame, target, task, epochs, discrete columns)."""
    path, target, task, sample_rows, epochs = DATASETS[name]
    frame = (sklearn_table(path.split(":", 1)[1]) if path.startswith("sklearn:")
             else pd.read_csv(f"{SHARED}/{path}"))
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


#: The baselines: (row label, synth_worker name, epochs: None = the data set's, or fixed).
BASELINES = [("CTGAN 0.12", "ctgan", None), ("SDV TVAE (300 epochs)", "tvae", 300),
             ("SDV GaussianCopula", "gaussian_copula", None)]


def scored(train, test, target, synth, discrete, seed):
    from ganzoo.tabular.quality import score_table

    report = score_table(train, synth, target=target, holdout=test, discrete_columns=discrete,
                         seed=seed)
    return dict(shapes=report["column_shapes"]["score"], pairs=report["pair_trends"]["score"],
                strong=report["pair_trends"]["strong_score"],
                ml=report["ml_efficacy"]["synthetic_trained"],
                real_ml=report["ml_efficacy"]["real_trained"],
                copies=report["exact_copies"], dcr=report["distance_to_closest_record"]["ratio"],
                mia=report["privacy_audit"]["membership_inference"]["auc"],
                n_strong=report["pair_trends"]["strong_pairs"])


#: smartnoise-synth's synthesizers (Synthesizer.create names) and their row labels.
SMARTNOISE = {"mst": "smartnoise MST", "aim": "smartnoise AIM",
              "dpctgan": "smartnoise DP-CTGAN", "patectgan": "smartnoise PATE-CTGAN"}


def private_synthesizers(train, discrete, seed, epsilons, smartnoise):
    """{label: (samples, fit seconds)} of every private synthesizer at every epsilon."""
    synths = {}
    for epsilon in epsilons:
        # Told the discrete columns' values, as smartnoise's transformers take them;
        # and told nothing (undeclared values are released only above a threshold).
        synths[f"ganzoo epsilon={epsilon:g}"] = fit_and_sample(
            "ganzoo", train, discrete, 0, seed, [f"epsilon={epsilon}", "declare_categories=true"],
            total=True)
        synths[f"ganzoo, nothing declared epsilon={epsilon:g}"] = fit_and_sample(
            "ganzoo", train, discrete, 0, seed, [f"epsilon={epsilon}"], total=True)
        for synth in smartnoise:
            synths[f"{SMARTNOISE[synth]} epsilon={epsilon:g}"] = fit_and_sample(
                "smartnoise", train, discrete, 0, seed, [f"synth={synth}", f"epsilon={epsilon}"],
                total=True)
    return synths


def evaluate(name, seeds, epochs_override, baselines, epsilons=(), smartnoise=()):
    frame, target, task, epochs, discrete = load_table(name)
    epochs = epochs_override or epochs
    results, n_strong = {}, 0
    for seed in seeds:
        train, test = split(frame, seed)
        test = test.reset_index(drop=True)
        synths = {"independent columns": (independent_columns(train, len(train), seed), np.nan)}
        ganzoo_epochs = epochs_override or 0  # 0: TabularAugmenter's default schedule
        if epsilons:
            synths.update(private_synthesizers(train, discrete, seed, epsilons, smartnoise))
        else:
            synths["ganzoo TabularAugmenter"] = fit_and_sample("ganzoo", train, discrete,
                                                               ganzoo_epochs, seed, total=True)
        for variant in GANZOO_VARIANTS:
            synths[f"ganzoo {variant}"] = fit_and_sample(
                "ganzoo", train, discrete, ganzoo_epochs, seed, variant.split(","), total=True)
        for label, worker, fixed_epochs in baselines:
            synths[label] = fit_and_sample(worker, train, discrete, fixed_epochs or epochs, seed,
                                           total=True)
        synths = {label: fitted for label, fitted in synths.items() if fitted is not None}
        reference = None
        for label, (synth, seconds) in synths.items():
            row = scored(train, test, target, synth, discrete, seed)
            n_strong = row.pop("n_strong")
            if reference is None:
                # The holdout itself as the "synthetic" table: what real unseen rows score
                # (its ML efficacy is the real-trained model's; its distance ratio 1).
                from ganzoo.tabular.quality import column_shapes, pair_trends

                pairs = pair_trends(train, test, discrete)
                reference = dict(shapes=np.mean(list(column_shapes(train, test, discrete).values())),
                                 pairs=np.mean([p["score"] for p in pairs]),
                                 strong=np.mean([p["score"] for p in pairs if p["strong"]]),
                                 ml=row["real_ml"], copies=np.nan, dcr=1.0, mia=np.nan,
                                 seconds=np.nan)
                results.setdefault("real 20% holdout (reference)", []).append(reference)
            row.pop("real_ml")
            row["seconds"] = seconds
            results.setdefault(label, []).append(row)
            print(f"  {name} seed {seed} {label}: " + ", ".join(
                f"{k} {v:.3f}" for k, v in row.items() if v is not None), flush=True)
    metric = "macro F1" if task == "classification" else "R^2"
    rows = []
    ctgan = results.get("CTGAN 0.12")
    for label, runs in results.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # nan timings of the baselines
            values = {k: [np.nan if r[k] is None else r[k] for r in runs] for k in runs[0]}
            mean = {k: np.nanmean(v) for k, v in values.items()}
            spread = {k: np.nanstd(v) for k, v in values.items()}
        fmt = lambda k: "-" if np.isnan(mean[k]) else f"{mean[k]:.3f}" + (
            f"±{spread[k]:.3f}" if len(runs) > 1 else "")
        vs = "-"
        if ctgan and not np.isnan(mean["seconds"]):
            vs = f"{mean['seconds'] / np.mean([r['seconds'] for r in ctgan]):.2f}x"
        rows.append([label, fmt("shapes"), fmt("pairs"), fmt("strong"), fmt("ml"),
                     "-" if np.isnan(mean["copies"]) else f"{mean['copies']:.3f}", fmt("dcr"),
                     "-" if np.isnan(mean["mia"]) else fmt("mia"),
                     "-" if np.isnan(mean["seconds"]) else f"{mean['seconds']:.1f}", vs])
    if epsilons:
        plot_against_epsilon(name, results, epsilons, metric)
    print_table(
        f"{name}: {len(frame)} rows, target {target!r}, baselines {epochs} epochs, ganzoo "
        f"{epochs_override or 'its default schedule'}, batch 500, "
        f"seeds {seeds}; {n_strong} strongly related column pairs; scored against the 80% "
        f"each synthesizer fitted on, ML efficacy and distances on the 20% holdout",
        ["synthesizer", "column shapes", "pair trends", "strong pairs", f"ML efficacy ({metric})",
         "copied rows", "DCR ratio", "MIA AUC", "fit s", "fit vs CTGAN"], rows)
    for item in LEFT_OUT:
        print(f"left out: {item}")
    LEFT_OUT.clear()


def plot_against_epsilon(name, results, epsilons, metric):
    """Strong-pair trends and ML efficacy of each private synthesizer against epsilon,
    the independent-columns and real-holdout rows as lines of reference."""
    import os

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    families = sorted({label.rsplit(" epsilon=", 1)[0] for label in results if " epsilon=" in label})
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, key, title in zip(axes, ("strong", "ml"), ("strong-pair trends", f"ML efficacy ({metric})")):
        for family in families:
            points = [(e, np.mean([r[key] for r in results[f"{family} epsilon={e:g}"]]))
                      for e in epsilons if f"{family} epsilon={e:g}" in results]
            ax.plot(*zip(*points), marker="o", label=family)
        for label, style in (("independent columns", ":"), ("real 20% holdout (reference)", "--")):
            if label in results:
                ax.axhline(np.mean([r[key] for r in results[label]]), color="gray",
                           linestyle=style, label=label)
        ax.set_xscale("log")
        ax.set_xticks(epsilons, [f"{e:g}" for e in epsilons])
        ax.minorticks_off()
        ax.set_xlabel("epsilon")
        ax.set_title(f"{name}: {title}")
    axes[1].legend(fontsize=7)
    fig.tight_layout()
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
    path = os.path.join(folder, f"private_tables_{name}.png")
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", choices=sorted(DATASETS), action="append")
    parser.add_argument("--seeds", type=int, default=1, help="how many split seeds")
    parser.add_argument("--first-seed", type=int, default=0,
                        help="the first split seed (seeds run from it)")
    parser.add_argument("--cache", metavar="DIR",
                        help="keep the baselines' samples here and reuse them when the same "
                             "baseline fits the same rows again (ganzoo always refits)")
    parser.add_argument("--epochs", type=int, help="override the per-data-set epochs")
    parser.add_argument("--baselines", default="ctgan,tvae,gaussian_copula",
                        help="comma-separated, of ctgan, tvae, gaussian_copula ('' for none)")
    parser.add_argument("--ganzoo-option", action="append", default=[], metavar="KEY=VALUE",
                        help="a TabularAugmenter setting to try, e.g. n_critic=1")
    parser.add_argument("--ganzoo-variant", action="append", default=[], metavar="KEY=VALUE,...",
                        help="also fit ganzoo with these settings, as a row of its own")
    parser.add_argument("--private", metavar="EPSILONS",
                        help="comma-separated epsilons: private synthesizers only (ganzoo's "
                             "and smartnoise's), a table and a plot against epsilon")
    parser.add_argument("--smartnoise", default="mst,aim,dpctgan,patectgan",
                        help=f"smartnoise synthesizers with --private, of {sorted(SMARTNOISE)}")
    parser.add_argument("--smartnoise-python", metavar="PATH",
                        help="the python of a virtual environment with smartnoise-synth")
    parser.add_argument("--sdv-python", metavar="PATH",
                        help="the python of a virtual environment with sdv (torch==2.13.0, "
                             "then sdv), for the baselines; default: this one")
    parser.add_argument("--smartnoise-timeout", type=float, metavar="SECONDS",
                        help="leave out a smartnoise fit that takes longer (AIM at large "
                             "epsilons can take tens of minutes)")
    args = parser.parse_args()
    epsilons = [float(e) for e in args.private.split(",")] if args.private else []
    smartnoise = [s for s in args.smartnoise.split(",") if s] if epsilons else []
    if smartnoise:
        if not args.smartnoise_python:
            print("no --smartnoise-python (see this file's docstring): no smartnoise rows.")
            smartnoise = []
        SMARTNOISE_PYTHON[0] = args.smartnoise_python
        SMARTNOISE_TIMEOUT[0] = args.smartnoise_timeout
    CACHE[0] = args.cache
    GANZOO_OPTIONS.extend(args.ganzoo_option)
    GANZOO_VARIANTS.extend(args.ganzoo_variant)
    import importlib.util

    wanted = [b for b in args.baselines.split(",") if b]
    baselines = []
    for label, worker, epochs in BASELINES:
        if worker not in wanted:
            continue
        package = "ctgan" if worker == "ctgan" else "sdv"
        if args.sdv_python:
            SDV_PYTHON[0] = args.sdv_python
        elif importlib.util.find_spec(package) is None:
            print(f"{package} is not installed (pip install torch==2.13.0 sdv): no {label} row.")
            continue
        baselines.append((label, worker, epochs))
    for name in args.data or sorted(DATASETS):
        seeds = list(range(args.first_seed, args.first_seed + args.seeds))
        evaluate(name, seeds, args.epochs, baselines, epsilons, smartnoise)


if __name__ == "__main__":
    main()
