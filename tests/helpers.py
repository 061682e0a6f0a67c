"""Tiny networks (and a by-hand loss) for testing the adversarial core on its own."""

import keras
import numpy as np
from keras import layers

from ganzoo.core.adversarial import AdversarialModel


def tiny_gan(latent_dim=4, features=6, num_classes=None, seed=7, classifier=False, **kwargs):
    """A tiny GAN on `features`-vectors; `classifier` gives the discriminator an
    auxiliary classifier output (pass `class_loss_weight` too)."""
    z = keras.Input((latent_dim,))
    if num_classes is None:
        g_in, h = z, z
    else:
        label = keras.Input((), dtype="int32")
        h = layers.Concatenate()([z, layers.Embedding(num_classes, 3)(label)])
        g_in = [z, label]
    h = layers.Dense(8, activation="relu")(h)
    generator = keras.Model(g_in, layers.Dense(features, activation="tanh")(h))
    x = keras.Input((features,))
    if num_classes is None:
        d_in, h = x, x
    else:
        label = keras.Input((), dtype="int32")
        h = layers.Concatenate()([x, layers.Embedding(num_classes, 3)(label)])
        d_in = [x, label]
    h = layers.Dense(8)(h)
    h = layers.LeakyReLU(0.2)(h)
    outputs = layers.Dense(1)(h)
    if classifier:
        outputs = [outputs, layers.Dense(num_classes)(h)]
    discriminator = keras.Model(d_in, outputs)
    return AdversarialModel(generator, discriminator, latent_dim=latent_dim,
                            num_classes=num_classes, seed=seed, **kwargs)


def bce(target, logit):
    """Binary cross-entropy of a logit against a (smoothed) target, by hand."""
    p = 1 / (1 + np.exp(-np.asarray(logit, dtype="float64")))
    return -(target * np.log(p) + (1 - target) * np.log(1 - p))
