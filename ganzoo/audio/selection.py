"""A second spoken-digit evaluator, for choosing `specgan_digits`' snapshots without the
bundled one.

The bundled evaluator and SpecGAN's auxiliary classifier are the same kind of network,
a CNN on the log-mel image; a generator trained against one and chosen with the other
fools both. This one listens otherwise: a small dense network on the statistics over
time of MFCCs and their differences (`ganzoo.audio.features.MFCCStatistics`), no
training augmentation, trained on the bundled evaluator's training split only, and FD
is taken against real held-out clips the caller gives (`score_against`). It is rebuilt
on demand into a run folder, never bundled (`examples/spoken_selection_evaluator.py`).
"""

import os

from ganzoo.audio.evaluator import SLICE, SAMPLE_RATE, SpokenDigitEvaluator, WORDS
from ganzoo.core.evaluator import score_against


class SelectionSpokenDigitEvaluator(SpokenDigitEvaluator):
    assets = os.path.join("runs", "selection_spoken_evaluator")
    weights_file = "selection_spoken_classifier.weights.h5"
    reference_file = "selection_spoken_reference.npz"
    train_epochs = 60
    batch_size = 500

    @classmethod
    def build_network(cls):
        import keras
        from keras import layers

        from ganzoo.audio.features import MFCCStatistics

        waveform = keras.Input((SLICE,), name="waveform")
        x = layers.BatchNormalization()(MFCCStatistics(SAMPLE_RATE, name="mfcc_stats")(waveform))
        x = layers.Dense(256, activation="relu")(x)
        features = layers.Dense(128, activation="relu", name="features")(layers.Dropout(0.2)(x))
        logits = layers.Dense(len(WORDS), name="logits")(layers.Dropout(0.3)(features))
        return keras.Model(waveform, [features, logits], name="selection_spoken_classifier")

    @staticmethod
    def training_transform(wave, label):
        return wave, label


__all__ = ["SelectionSpokenDigitEvaluator", "score_against"]
