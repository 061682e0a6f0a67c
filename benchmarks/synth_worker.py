"""Fits one synthesizer in a process of its own (run by tabular_quality.py) and writes
its samples and its fit time.

Each synthesizer gets a fresh process: PyTorch and TensorFlow each bring an OpenMP
runtime and thread pools that stay busy for a while after their work, and sharing a
process (or running beside an idle one) made either timing up to 1.8x worse here.

    python synth_worker.py {ganzoo,ctgan,tvae,gaussian_copula} TRAIN.pkl SAMPLES.pkl \
        RESULT.json --epochs N
"""

import argparse
import json
import os
import time

import numpy as np
import pandas as pd


def fit_ganzoo(train, discrete, epochs, seed, options=None):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from ganzoo.tabular import TabularAugmenter

    # epochs 0: TabularAugmenter's default schedule
    # The small-op thread pools, which the library sets only when asked: a benchmark
    # process is ours to configure (its tables were measured with them).
    settings = {"epochs": epochs or None, "batch_size": 500, "cpu_threads": "auto",
                **(options or {})}
    if settings.pop("declare_categories", False):
        # A private fit told the discrete columns' values as public knowledge (what
        # smartnoise's transformers take from the rows without spending budget).
        settings["categories"] = {c: sorted(train[c].dropna().unique().tolist())
                                  for c in discrete}
    model = TabularAugmenter(seed=seed, verbose=False, **settings)
    start = time.perf_counter()
    model.fit(train, discrete_columns=discrete)
    seconds = time.perf_counter() - start
    return model.sample(len(train), seed=seed), seconds, len(model.history.history["g_loss"])


def fit_ctgan(train, discrete, epochs, seed, options=None):
    import torch
    from ctgan import CTGAN

    if (options or {}).get("threads"):  # PyTorch's intra-op threads (default: all cores)
        torch.set_num_threads(int(options["threads"]))
    torch.manual_seed(seed)
    np.random.seed(seed)
    model = CTGAN(epochs=epochs, batch_size=500, verbose=False)
    start = time.perf_counter()
    model.fit(train, discrete_columns=discrete)
    seconds = time.perf_counter() - start
    return model.sample(len(train)), seconds


def sdv_metadata(train, discrete):
    from sdv.metadata import Metadata

    return Metadata.load_from_dict({"tables": {"table": {"columns": {
        c: {"sdtype": "categorical" if c in discrete else "numerical"} for c in train.columns}}}})


def fit_sdv(synthesizer_class, train, discrete, seed, **kwargs):
    """An SDV 2 single-table synthesizer at its defaults (but `kwargs`)."""
    import torch

    torch.manual_seed(seed)
    np.random.seed(seed)
    model = synthesizer_class(sdv_metadata(train, discrete), **kwargs)
    start = time.perf_counter()
    model.fit({"table": train})  # SDV 2 takes and returns {table name: frame}
    seconds = time.perf_counter() - start
    return model.sample(len(train))["table"], seconds


def fit_tvae(train, discrete, epochs, seed, options=None):
    from sdv.single_table import TVAESynthesizer

    return fit_sdv(TVAESynthesizer, train, discrete, seed, epochs=epochs)


def fit_gaussian_copula(train, discrete, epochs, seed, options=None):
    from sdv.single_table import GaussianCopulaSynthesizer

    return fit_sdv(GaussianCopulaSynthesizer, train, discrete, seed)


def fit_smartnoise(train, discrete, epochs, seed, options=None):
    """A smartnoise-synth 1.0.8 synthesizer (options: synth = mst, aim, dpctgan or
    patectgan; epsilon) at its defaults; `preprocessor_eps` (what its transformer may
    spend inferring continuous columns' bounds) is the share ganzoo's statistics spend
    (`defaults.PRIVATE_PREPROCESSING_SHARE`, 0.2). Its transformer takes discrete
    columns' categories from the rows without spending budget. Runs in its own virtual
    environment (smartnoise-sql pins pandas < 3)."""
    import torch
    from snsynth import Synthesizer

    options = dict(options or {})
    epsilon = float(options.pop("epsilon"))
    torch.manual_seed(seed)
    np.random.seed(seed)
    model = Synthesizer.create(options.pop("synth"), epsilon=epsilon, **options)
    start = time.perf_counter()
    model.fit(train, categorical_columns=discrete,
              continuous_columns=[c for c in train.columns if c not in discrete],
              preprocessor_eps=0.2 * epsilon, nullable=bool(train.isna().any().any()))
    seconds = time.perf_counter() - start
    return model.sample(len(train)), seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("synthesizer",
                        choices=("ganzoo", "ctgan", "tvae", "gaussian_copula", "smartnoise"))
    parser.add_argument("train")
    parser.add_argument("samples")
    parser.add_argument("result")
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--discrete", default="")
    parser.add_argument("--options", default="",
                        help="KEY=VALUE,... for TabularAugmenter; threads=N for ctgan")
    args = parser.parse_args()
    options = {}
    for item in filter(None, args.options.split(",")):
        key, _, value = item.partition("=")
        options[key] = json.loads(value) if value[:1].isdigit() or value in (
            "true", "false", "null") else value
    fit = {"ganzoo": fit_ganzoo, "ctgan": fit_ctgan, "tvae": fit_tvae,
           "gaussian_copula": fit_gaussian_copula, "smartnoise": fit_smartnoise}[args.synthesizer]
    # CSV between environments of different pandas versions (smartnoise's), else pickle
    read, write = (("read_csv", "to_csv") if args.train.endswith(".csv")
                   else ("read_pickle", "to_pickle"))
    train = getattr(pd, read)(args.train)
    discrete = [c for c in args.discrete.split(",") if c]
    samples, seconds, *ran = fit(train, discrete, args.epochs, args.seed, options)
    epochs = ran[0] if ran else args.epochs
    if write == "to_csv":
        samples.to_csv(args.samples, index=False)
    else:
        samples.to_pickle(args.samples)
    with open(args.result, "w") as f:
        json.dump({"seconds": seconds, "epochs": epochs, "seconds_per_epoch": seconds / max(epochs, 1)}, f)


if __name__ == "__main__":
    main()
