"""Settings of a private TabularAugmenter compared on one split (how issue 34's private
schedule was chosen): each variant fits `repeats` times (seeds seed, seed + 100, ...;
DP-SGD's noise comes from the operating system in any case) and prints the mean column
shapes, strong-pair trends and ML efficacy, and each fit's ML efficacy.

    python benchmarks/private_levers.py TABLE EPSILON SPLIT_SEEDS REPEATS VARIANT_JSON...
    python benchmarks/private_levers.py diamonds 3 0 2 '{}' '{"epochs": 125}'

The first variant is the reference ('{}': the defaults); choose on one split seed and
report on others (`tabular_quality.py --first-seed 1 --seeds 2 --private ...`).
"""

import json
import sys
import warnings

import numpy as np

from synth_worker import fit_ganzoo
from tabular_quality import load_table, scored, split


def main(table, epsilon, seeds, repeats, variants):
    frame, target, _, _, discrete = load_table(table)
    for seed in seeds:
        train, test = split(frame, seed)
        test = test.reset_index(drop=True)
        reference = None
        for variant in variants:
            runs = []
            for r in range(repeats):
                # As the "ganzoo" row of tabular_quality.py (discrete values declared).
                options = {"epsilon": epsilon, "declare_categories": True, **variant}
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    samples, seconds, _ = fit_ganzoo(train, discrete, 0, seed + 100 * r,
                                                     options)
                row = scored(train, test, target, samples, discrete, seed)
                runs.append((row["shapes"], row["strong"], row["ml"], seconds))
            runs = np.array(runs)
            mean = runs.mean(axis=0)
            reference = mean if reference is None else reference
            print(f"{table} epsilon={epsilon:g} split seed {seed} {json.dumps(variant)}: "
                  f"shapes {mean[0]:.3f} strong pairs {mean[1]:.3f} "
                  f"({mean[1] - reference[1]:+.3f}) ML {mean[2]:.3f} "
                  f"({mean[2] - reference[2]:+.3f}; each {' '.join(f'{x:.3f}' for x in runs[:, 2])}) "
                  f"fit {mean[3]:.0f} s", flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    main(sys.argv[1], float(sys.argv[2]), [int(s) for s in sys.argv[3].split(",")],
         int(sys.argv[4]), [json.loads(v) for v in sys.argv[5:]])
