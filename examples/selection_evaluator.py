"""Builds the second digit evaluator (`ganzoo.image.selection`), which chooses a preset's
snapshot without the bundled one, on the 6,400 training digits of ../shared/data, into
a run folder (never bundled).

    python examples/selection_evaluator.py --out runs/selection_evaluator
"""

import argparse
import json
import os

import numpy as np

from ganzoo.image.evaluator import _as_model_input
from ganzoo.image.selection import SelectionDigitEvaluator

from evaluator_splits import digit_splits

#: In the repository's runs/, wherever the script is run from.
FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                      SelectionDigitEvaluator.assets)
_LOADED = {}


def selection_evaluator(folder=FOLDER):
    """The evaluator in `folder`, trained there first if it is not; each folder's is
    loaded once per process, as the bundled evaluator is."""
    if not os.path.exists(os.path.join(folder, SelectionDigitEvaluator.weights_file)):
        (x, y), _ = digit_splits()
        info = SelectionDigitEvaluator.train(_as_model_input(x), y, folder, seed=1)
        print("selection evaluator trained:", json.dumps(info), flush=True)
    if folder not in _LOADED:
        _LOADED[folder] = SelectionDigitEvaluator(folder)
    return _LOADED[folder]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=FOLDER)
    args = parser.parse_args()
    evaluator = selection_evaluator(args.out)
    _, (x_val, y_val) = digit_splits()
    accuracy = float(np.mean(evaluator.predict(x_val) == y_val))
    print(f"accuracy on the 1,600 held-out digits: {accuracy:.4f}")


if __name__ == "__main__":
    main()
