"""TabularAugmenter fit speed.

Default: with and without XLA (`jit_compile`) and bfloat16, on
../shared/data/tabular/benefits.csv (batch 500, WGAN-GP, 3 critic steps). Seconds per
epoch after the first (which compiles); variants interleaved, best of the rounds.

`--vs-ctgan`: whole fits as `tabular_quality.py` times them (fit seconds / epochs, at
the issue's epochs, each fit in a fresh process) for ganzoo's settings and the `ctgan`
package, on both data sets, interleaved, best of the rounds. Run it on a quiet
machine: a second busy process slows PyTorch's threads far more than TensorFlow's.

    python benchmarks/tabular_speed.py --epochs 12 --rounds 2
    python benchmarks/tabular_speed.py --vs-ctgan --rounds 2
    python benchmarks/tabular_speed.py --vs-ctgan --variant '' --variant cpu_threads=null \
        --ctgan-variant threads=1
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from report import SHARED, print_table  # noqa: E402

from ganzoo.tabular import TabularAugmenter  # noqa: E402


class EpochTimes(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.times = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.times.append(time.perf_counter() - self.start)


def seconds_per_epoch(frame, epochs, precision, jit):
    augmenter = TabularAugmenter(epochs=epochs, precision=precision, jit_compile=jit, seed=0,
                                 cpu_threads="auto", verbose=False)
    timer = EpochTimes()
    augmenter.fit(frame, callbacks=[timer])
    return float(np.median(timer.times[1:]))


def versus_ctgan(rounds, variants, ctgan_variants=()):
    from tabular_quality import DATASETS, fit_and_sample, load_table, split

    rows = []
    for name in sorted(DATASETS):
        frame, _, _, epochs, discrete = load_table(name)
        train, _ = split(frame, seed=0)
        runs = [("ctgan 0.12", "ctgan", [])] + [
            (f"ctgan 0.12 {' '.join(v)}", "ctgan", v) for v in ctgan_variants] + [
            (f"ganzoo {' '.join(v) or '(defaults)'}", "ganzoo", v) for v in variants]
        best = {label: np.inf for label, _, _ in runs}
        for _ in range(rounds):
            for label, synthesizer, options in runs:
                _, per_epoch = fit_and_sample(synthesizer, train, discrete, epochs, 0, options)
                print(f"  {name} {label}: {per_epoch:.3f} s/epoch", flush=True)
                best[label] = min(best[label], per_epoch)
        for label, _, _ in runs:
            rows.append([name, f"{len(train)} x {epochs} epochs", label, f"{best[label]:.3f}",
                         f"{best[label] / best['ctgan 0.12']:.2f}x"])
    print_table(f"Fit seconds per epoch (whole fit / epochs, batch 500), best of {rounds} "
                f"interleaved rounds, {len(os.sched_getaffinity(0))} CPU cores",
                ["data", "rows x epochs", "synthesizer", "s/epoch", "vs ctgan"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--vs-ctgan", action="store_true")
    parser.add_argument("--variant", action="append", default=[], metavar="KEY=VALUE,...",
                        help="ganzoo settings to time against ctgan (default: the defaults)")
    parser.add_argument("--ctgan-variant", action="append", default=[], metavar="threads=N",
                        help="ctgan settings timed beside its defaults (threads: PyTorch's)")
    args = parser.parse_args()
    if args.vs_ctgan:
        versus_ctgan(args.rounds, [v.split(",") if v else [] for v in args.variant or [""]],
                     [v.split(",") for v in args.ctgan_variant if v])
        return
    frame = pd.read_csv(os.path.join(SHARED, "tabular", "benefits.csv"))
    variants = [("float32", False), ("float32", True), ("mixed_bfloat16", False),
                ("mixed_bfloat16", True)]
    best = {v: np.inf for v in variants}
    for _ in range(args.rounds):
        for precision, jit in variants:
            best[(precision, jit)] = min(best[(precision, jit)],
                                         seconds_per_epoch(frame, args.epochs, precision, jit))
    base = best[("float32", False)]
    print_table(
        f"TabularAugmenter on benefits.csv ({len(frame)} rows), batch 500, median s/epoch "
        f"after the first of {args.epochs}, best of {args.rounds} interleaved rounds, "
        f"{len(os.sched_getaffinity(0))} CPU cores",
        ["precision", "jit_compile", "s/epoch", "vs float32"],
        [[p, "XLA" if j else "no", f"{best[(p, j)]:.3f}", f"{best[(p, j)] / base:.2f}x"]
         for p, j in variants])


if __name__ == "__main__":
    main()
