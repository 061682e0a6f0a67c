"""Builds the second spoken-digit evaluator (`ganzoo.audio.selection`: a dense network on
MFCC statistics, another kind of listener than the bundled log-mel CNN) on the bundled
evaluator's training split of ../shared/data/spoken_digits, into a run folder (never
bundled), and prints the figures `specgan_digits`' targets are stated against: both
evaluators on the real held-out clips ("select" half vs "report" half) and on the
shipped preset's clips, on the report half.

    python examples/spoken_selection_evaluator.py [--out runs/selection_spoken_evaluator]
"""

import argparse
import json
import os

import numpy as np

from ganzoo.audio.selection import SelectionSpokenDigitEvaluator, score_against
from ganzoo.core.evaluator import held_out_half

from evaluator_splits import spoken_clips, waveforms

#: In the repository's runs/, wherever the script is run from.
FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                      SelectionSpokenDigitEvaluator.assets)
_LOADED = {}


def selection_spoken_evaluator(folder=FOLDER):
    """The evaluator in `folder`, trained there first if it is not (on the clips the
    bundled evaluator trained on; the held-out ones stay unheard), loaded once per process."""
    if not os.path.exists(os.path.join(folder, SelectionSpokenDigitEvaluator.weights_file)):
        clips, held_out = spoken_clips()
        train = np.flatnonzero(~held_out)
        x = SelectionSpokenDigitEvaluator.model_inputs(waveforms(clips, train))
        info = SelectionSpokenDigitEvaluator.train(x, clips.labels[train], folder, seed=1)
        print("selection evaluator trained:", json.dumps(info), flush=True)
    if folder not in _LOADED:
        _LOADED[folder] = SelectionSpokenDigitEvaluator(folder)
    return _LOADED[folder]


def report_half():
    """(waveforms, labels) of the held-out clips' report half, and of the select half."""
    clips, held_out = spoken_clips()
    held = np.flatnonzero(held_out)
    halves = {}
    for half in ("select", "report"):
        pick = held[held_out_half(len(held), half)]
        halves[half] = waveforms(clips, pick), clips.labels[pick]
    return halves


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=FOLDER)
    parser.add_argument("--preset", default="specgan_digits")
    args = parser.parse_args()
    import ganzoo
    from ganzoo.audio.evaluator import default_evaluator
    from ganzoo.metrics import precision_recall

    second = selection_spoken_evaluator(args.out)
    bundled = default_evaluator()
    halves = report_half()
    (x_sel, y_sel), (x_rep, y_rep) = halves["select"], halves["report"]
    rows = {}
    for name, evaluator in (("bundled", bundled), ("second", second)):
        real = evaluator.features_and_logits(x_rep)[0]
        rows[name] = {"real": score_against(evaluator, x_sel, y_sel, real)}
        rows[name]["real"].update(precision_recall(real, evaluator.features_and_logits(x_sel)[0], k=3))
    # The ceiling of SpecGAN's representation: the select half through its spectrogram
    # and Griffin-Lim (32 iterations, as the presets invert), what a generator that made
    # real spectrograms exactly would score.
    from ganzoo.audio import SpecGAN

    clips, held_out = spoken_clips()
    inverter = SpecGAN(model_size=2, latent_dim=4)  # only its statistics and inversion
    inverter.adapt(waveforms(clips, np.flatnonzero(~held_out)))
    specs = inverter.spectrograms(x_sel)
    rebuilt = np.concatenate([inverter.postprocess(specs[i:i + 100]).numpy()
                              for i in range(0, len(specs), 100)]).reshape(len(x_sel), -1)
    for name, evaluator in (("bundled", bundled), ("second", second)):
        real = evaluator.features_and_logits(x_rep)[0]
        scores = score_against(evaluator, rebuilt, y_sel, real)
        scores.update(precision_recall(real, evaluator.features_and_logits(rebuilt)[0], k=3))
        rows[name]["real via GL 32"] = scores
    wanted = np.arange(1000) % 10
    fake = ganzoo.from_preset(args.preset).generate(1000, labels=wanted, seed=2)
    fake = np.asarray(fake).reshape(len(fake), -1)
    for name, evaluator in (("bundled", bundled), ("second", second)):
        real = evaluator.features_and_logits(x_rep)[0]
        scores = score_against(evaluator, fake, wanted, real)
        scores.update(precision_recall(real, evaluator.features_and_logits(fake)[0], k=3))
        rows[name][args.preset] = scores
    print(f"{len(y_rep)} report-half clips; 'real' = the {len(y_sel)} select-half clips "
          "('via GL 32': through SpecGAN's spectrogram and Griffin-Lim); "
          f"{args.preset}: 1,000 clips (seed 2, 100 per word)")
    print("evaluator  clips            FD      label acc  precision  recall")
    for name, by in rows.items():
        for what, s in by.items():
            print(f"{name:<10} {what:<16} {s['frechet_distance']:<7.2f} "
                  f"{s['label_accuracy']:<10.3f} {s['precision']:<10.3f} {s['recall']:.3f}")


if __name__ == "__main__":
    main()
