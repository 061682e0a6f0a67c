"""How TabularAugmenter scales with rows and columns: the data transformer's fit, seconds
per training epoch, generation rows/s and peak memory, at 10k, 50k and 200k rows and at
10 vs 50 columns.

Tables are ../shared/data/tabular/diamonds.csv (53,940 rows, 10 columns) resampled
with noise (numeric values moved by 1% of their column's spread, a few categories
swapped), and widened to 50 columns with noisy copies of its columns. Each
configuration runs in a fresh process, so its peak memory (ru_maxrss) is its own.
Memory is read two ways, in units of the transformed float32 matrix: the fit's peak
above what the process held before it (TensorFlow and the table), which includes a
fixed cost (the Keras model, its traced functions, the calibration's fixed sample);
and how much that peak grows per MB the matrix grows, against the smallest table of
the same width. If memory is bounded by the batch beyond the copies of the table the
training must hold, the growth stays at those copies (about 2: the NumPy matrix while
TensorFlow's copy is filled) however large the table.

    python benchmarks/tabular_scale.py                 # ~10 min on 2 cores
    python benchmarks/tabular_scale.py --rows 10000 --columns 10
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from report import SHARED, print_table


def make_table(rows, columns, seed=0):
    """diamonds resampled to `rows` rows with noise, widened to `columns` columns."""
    rng = np.random.default_rng(seed)
    base = pd.read_csv(os.path.join(SHARED, "tabular", "diamonds.csv"))
    table = base.iloc[rng.integers(0, len(base), rows)].reset_index(drop=True)
    numeric = [c for c in base.columns if pd.api.types.is_numeric_dtype(base[c])]
    discrete = [c for c in base.columns if c not in numeric]

    def noisy(column, series):
        if column in numeric:
            moved = series + rng.normal(0, 0.01 * base[column].std(), rows)
            return moved.round().astype(base[column].dtype) if pd.api.types.is_integer_dtype(
                base[column]) else moved
        swap = rng.random(rows) < 0.02
        return series.where(~swap, base[column].to_numpy()[rng.integers(0, len(base), rows)])

    table = pd.DataFrame({c: noisy(c, table[c]) for c in table.columns})
    extra = {}
    for i in range(columns - len(base.columns)):
        source = base.columns[i % len(base.columns)]
        extra[f"{source}_{i}"] = noisy(source, table[source])
    return pd.concat([table, pd.DataFrame(extra)], axis=1)


def measure(rows, columns, epochs, generate):
    """One configuration, in this process: a dict of timings and memory."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from ganzoo.tabular import TabularAugmenter
    from ganzoo.tabular.transformer import DataTransformer

    table = make_table(rows, columns)
    # What the process holds before the augmenter starts (TensorFlow, the table): the
    # fit's own memory is the peak above it.
    before_mb = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    discrete = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])]
    augmenter = TabularAugmenter(epochs=epochs, seed=0, cpu_threads="auto", verbose=False)
    encoding = augmenter.params["continuous_encoding"]

    def time_transformer(encoding):
        start = time.perf_counter()
        matrix = DataTransformer(seed=0, continuous_encoding=encoding).fit(
            table, discrete).transform(table)
        return matrix, time.perf_counter() - start

    matrix, transformer_seconds = time_transformer(encoding)
    matrix_mb, width = matrix.nbytes / 2**20, int(matrix.shape[1])
    del matrix  # fit makes its own

    seconds = []

    import keras

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            seconds.append(time.perf_counter() - self.start)

    start = time.perf_counter()
    augmenter.fit(table, discrete_columns=discrete, callbacks=[EpochTimer()])
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    augmenter.sample(generate, seed=0)
    generate_seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # CTGAN's mode-specific normalization for comparison (its mixture fits are the slow
    # part of a transformer), after the peak is read: its wider matrix is not the fit's.
    mode_matrix, mode_seconds = time_transformer("mode")
    return {"rows": rows, "columns": columns, "matrix_mb": matrix_mb,
            "width": width, "encoding": encoding, "transformer_s": transformer_seconds,
            "mode_transformer_s": mode_seconds, "mode_width": int(mode_matrix.shape[1]),
            # The first epoch traces the training step; the rest are the steady state.
            "epoch_s": float(np.median(seconds[1:] if len(seconds) > 1 else seconds)),
            "fit_s": fit_seconds, "generate_rows_s": generate / generate_seconds,
            "peak_mb": peak_mb, "before_mb": before_mb}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="10000,50000,200000")
    parser.add_argument("--columns", default="10,50")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--generate", type=int, default=50_000, help="rows to generate")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure(int(args.rows), int(args.columns), args.epochs, args.generate)))
        return
    results, begin = [], time.time()
    for columns in (int(c) for c in args.columns.split(",")):
        for rows in (int(r) for r in args.rows.split(",")):
            out = subprocess.run([sys.executable, __file__, "--worker", "--rows", str(rows),
                                  "--columns", str(columns), "--epochs", str(args.epochs),
                                  "--generate", str(args.generate)],
                                 check=True, capture_output=True, text=True).stdout
            results.append(json.loads(out.strip().splitlines()[-1]))
            print(results[-1], flush=True)
    base = {r["columns"]: r for r in results if r["rows"] == min(x["rows"] for x in results)}

    def growth(r, b):
        if r is b:
            return "-"
        extra_peak = (r["peak_mb"] - r["before_mb"]) - (b["peak_mb"] - b["before_mb"])
        return f"{extra_peak / (r['matrix_mb'] - b['matrix_mb']):.1f}"
    rows = []
    for r in results:
        b = base[r["columns"]]
        rows.append([f"{r['rows']:,}", str(r["columns"]), str(r["width"]),
                     f"{r['transformer_s']:.1f}", f"{r['mode_transformer_s']:.1f}",
                     f"{r['epoch_s']:.2f}",
                     f"{r['epoch_s'] / r['rows'] * 1e6:.1f}",
                     f"{(r['epoch_s'] / r['rows']) / (b['epoch_s'] / b['rows']):.2f}x",
                     f"{r['generate_rows_s']:,.0f}", f"{r['matrix_mb']:.0f}",
                     f"{r['before_mb']:.0f}", f"{r['peak_mb']:.0f}",
                     f"{(r['peak_mb'] - r['before_mb']) / r['matrix_mb']:.1f}",
                     growth(r, b)])
    print_table(f"TabularAugmenter at scale: diamonds resampled with noise, batch 500, "
                f"{args.epochs} epochs (epoch s: median of epochs 2..), {args.generate:,} rows "
                f"generated ({(time.time() - begin) / 60:.1f} min)",
                ["rows", "columns", "matrix width",
                 f"transformer s ({results[0]['encoding']}, default)", "transformer s (mode)",
                 "epoch s",
                 "us per row-epoch", "vs smallest", "generated rows/s", "matrix MB",
                 "MB before fit", "peak MB", "(peak - before) / matrix",
                 "peak growth / matrix growth"], rows)


if __name__ == "__main__":
    main()
