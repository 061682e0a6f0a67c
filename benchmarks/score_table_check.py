"""`ganzoo.metrics.score_table` against SDMetrics' QualityReport on the same frames.

Both score column shapes (KS / TV complements) and column pair trends (correlation and
contingency similarity) of a synthetic table against the real one. SDMetrics 0.32's
"Column Pair Trends" averages only the strongly related pairs (|r| > 0.5, Cramer's V >
0.3): score_table's `strong_score`. Where they differ, the last columns say why: the
same pairs scored with SDMetrics' binning (each table's numeric columns cut over their
own range) reproduce its figure. Here each shared
table's 80% training split is the real frame; the synthetic frames are the other 20%
(real rows: near-perfect), independent columns (right shapes, no relations) and SDV's
GaussianCopula (fitted in seconds), so the check covers good and bad tables. Both tools
get the same column types: discrete = ganzoo's `discrete_columns_of`.

SDMetrics is an optional comparison, never a ganzoo dependency:
    pip install torch==2.13.0 sdv          (sdv 2.0.0 brings sdmetrics 0.32)
    python benchmarks/score_table_check.py
"""

import time
import warnings

import numpy as np
import pandas as pd

from report import print_table
from tabular_quality import independent_columns, load_table, split


def sdmetrics_scores(real, synthetic, discrete):
    from sdmetrics.reports.single_table import QualityReport

    metadata = {"columns": {c: {"sdtype": "categorical" if c in discrete else "numerical"}
                            for c in real.columns}}
    report = QualityReport()
    report.generate(real, synthetic, metadata, verbose=False)
    properties = report.get_properties().set_index("Property")["Score"]
    return float(properties["Column Shapes"]), float(properties["Column Pair Trends"])


def gaussian_copula(train, discrete, seed):
    from sdv.metadata import Metadata
    from sdv.single_table import GaussianCopulaSynthesizer

    metadata = Metadata.load_from_dict({"tables": {"table": {"columns": {
        c: {"sdtype": "categorical" if c in discrete else "numerical"} for c in train.columns}}}})
    np.random.seed(seed)
    model = GaussianCopulaSynthesizer(metadata)
    model.fit({"table": train})  # SDV 2 takes and returns {table name: frame}
    return model.sample(len(train))["table"]


def main():
    from ganzoo.tabular import quality

    rows, worst = [], 0.0
    start = time.time()
    for name in ("benefits", "diamonds"):
        frame, target, _, _, _ = load_table(name)
        train, test = split(frame, 0)
        discrete = quality.discrete_columns_of(train, target)
        frames = {"real 20%": test.reset_index(drop=True),
                  "independent columns": independent_columns(train, len(train), 0),
                  "SDV GaussianCopula": gaussian_copula(train, discrete, 0)}
        for label, synthetic in frames.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                theirs = sdmetrics_scores(train, synthetic, discrete)
            report = quality.score_table(train, synthetic, discrete_columns=discrete)
            shapes, strong = report["column_shapes"]["score"], report["pair_trends"]["strong_score"]
            own = quality.pair_trends(train, synthetic, discrete, synthetic_bins="own")
            strong_own = np.mean([p["score"] for p in own if p["strong"]])
            worst = max(worst, abs(shapes - theirs[0]), abs(strong_own - theirs[1]))
            rows.append([name if not rows or rows[-1][0] != name else "", label,
                         f"{shapes:.4f}", f"{theirs[0]:.4f}", f"{strong:.4f}",
                         f"{theirs[1]:.4f}", f"{strong - theirs[1]:+.4f}", f"{strong_own:.4f}",
                         f"{strong_own - theirs[1]:+.4f}"])
            print(" | ".join(rows[-1]), flush=True)
    import sdmetrics

    print_table(f"score_table vs SDMetrics {sdmetrics.__version__} QualityReport, real = the "
                f"80% training split ({(time.time() - start) / 60:.1f} min); largest "
                f"difference of shapes and of strong pairs with SDMetrics' binning: {worst:.4f}",
                ["table", "synthetic frame", "shapes ganzoo", "shapes SDMetrics",
                 "strong pairs ganzoo", "pair trends SDMetrics", "diff",
                 "ganzoo, SDMetrics' binning", "diff"], rows)


if __name__ == "__main__":
    main()
