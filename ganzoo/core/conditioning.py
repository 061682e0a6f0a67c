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


def check_classes(num_classes=None, class_names=None):
    """`(num_classes, class_names)` checked against each other; names imply the count."""
    if class_names is not None:
        class_names = [str(name) for name in class_names]
        if len(set(class_names)) != len(class_names):
            raise ValueError(f"class_names must be unique, got {class_names}.")
        if num_classes is None:
            num_classes = len(class_names)
        if len(class_names) != int(num_classes):
            raise ValueError(f"{len(class_names)} class_names for {num_classes} classes.")
    if num_classes is not None:
        num_classes = int(num_classes)
        if num_classes < 2:
            raise ValueError(f"num_classes must be at least 2, got {num_classes}.")
    return num_classes, class_names


def check_auxiliary_classifier(discriminator, class_loss_weight, num_classes):
    """The checked `class_loss_weight`: a positive weight needs a conditional model and
    a discriminator with a second output of `[batch, num_classes]` class logits; a
    discriminator with two outputs needs a weight."""
    weight = None if class_loss_weight is None else float(class_loss_weight)
    # A subclassed discriminator has no symbolic outputs to check.
    outputs = getattr(discriminator, "outputs", None)
    if not outputs:
        return weight
    if weight is None:
        if len(outputs) != 1:
            raise ValueError(
                f"The discriminator has {len(outputs)} outputs: pass class_loss_weight "
                "for a discriminator with an auxiliary classifier (logit, class logits).")
        return None
    if not weight > 0:
        raise ValueError(f"class_loss_weight must be positive, got {class_loss_weight}.")
    if num_classes is None:
        raise ValueError("class_loss_weight needs a class-conditional model (num_classes).")
    if len(outputs) != 2 or outputs[1].shape[-1] != num_classes:
        raise ValueError(
            "class_loss_weight needs a discriminator with two outputs: the logit and "
            f"[batch, {num_classes}] class logits (an auxiliary classifier).")
    return weight
