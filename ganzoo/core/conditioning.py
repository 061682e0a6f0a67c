"""How class labels enter the two networks, shared by the image and audio models.

Generator: a learned label embedding concatenated to z. Discriminator: one logit from
the features plus a projection of a label embedding onto them (Miyato & Koyama 2018),
which conditions better than concatenating one-hot planes and costs almost nothing.
Optionally the discriminator also classifies its input (an auxiliary classifier, Odena
et al. 2017, "AC-GAN"): a second output of class logits, which the adversarial core
trains on real examples and through which it asks the generator for the requested class.
"""

import keras
from keras import layers


def generator_inputs(latent_dim, num_classes=None, dtype=None):
    """The generator's inputs and the tensor its first layer reads."""
    z = keras.Input((latent_dim,), name="latent")
    if num_classes is None:
        return z, z
    label = keras.Input((), dtype="int32", name="label")
    embedded = layers.Embedding(num_classes, latent_dim, dtype=dtype, name="label_embedding")(label)
    return [z, label], layers.Concatenate(dtype=dtype)([z, embedded])


def discriminator_model(sample, features, num_classes=None, name="discriminator",
                        auxiliary_classifier=False):
    """A discriminator ending in one float32 logit (conditioned by projection) and,
    with `auxiliary_classifier`, float32 class logits `[batch, num_classes]` as a
    second output."""
    logit = layers.Dense(1, dtype="float32", name="logit")(features)
    if num_classes is None:
        if auxiliary_classifier:
            raise ValueError("An auxiliary classifier needs num_classes (a conditional model).")
        return keras.Model(sample, logit, name=name)
    label = keras.Input((), dtype="int32", name="label")
    embedded = layers.Embedding(num_classes, features.shape[-1], dtype="float32",
                                name="label_projection")(label)
    projection = layers.Dot(axes=1, dtype="float32")([features, embedded])
    logit = layers.Add(dtype="float32", name="conditional_logit")([logit, projection])
    if auxiliary_classifier:
        class_logits = layers.Dense(num_classes, dtype="float32", name="class_logits")(features)
        return keras.Model([sample, label], [logit, class_logits], name=name)
    return keras.Model([sample, label], logit, name=name)
