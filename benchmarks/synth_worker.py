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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("synthesizer", choices=("ganzoo", "ctgan", "tvae", "gaussian_copula"))
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
           "gaussian_copula": fit_gaussian_copula}[args.synthesizer]
    train = pd.read_pickle(args.train)
    discrete = [c for c in args.discrete.split(",") if c]
    samples, seconds, *ran = fit(train, discrete, args.epochs, args.seed, options)
    epochs = ran[0] if ran else args.epochs
    samples.to_pickle(args.samples)
    with open(args.result, "w") as f:
        json.dump({"seconds": seconds, "epochs": epochs, "seconds_per_epoch": seconds / epochs}, f)


if __name__ == "__main__":
    main()
