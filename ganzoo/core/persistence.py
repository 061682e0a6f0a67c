"""Saving, exporting and the config of an `AdversarialModel`.

`Persistence` is a part of `AdversarialModel`: atomic `.keras` files, the generator as a
SavedModel for serving, and the core's fields in the Keras config (a domain model adds
its own in `get_config` and reads files of earlier ganzoo versions in `upgrade_config`).
"""

import warnings

import keras
import tensorflow as tf

from ganzoo.core import io

#: Constructor arguments renamed in ganzoo 0.6 (old name -> new name). Files saved
#: before keep loading; passing an old name warns until 0.7 removes it.
RENAMED = {
    "augment": "discriminator_augment",
    "augment_p": "discriminator_augment_p",
    "augment_target": "discriminator_augment_target",
    "augment_speed": "discriminator_augment_speed",
}


def take_renamed_arguments(kwargs, warn):
    """Pops the arguments of `RENAMED`'s old names from `kwargs`; returns them under
    their new names."""
    renamed = {}
    for old, new in RENAMED.items():
        if old in kwargs:
            if warn:
                warnings.warn(f"{old}= is deprecated (ganzoo 0.6) and goes in 0.7; use {new}=.",
                              DeprecationWarning, stacklevel=4)
            renamed[new] = kwargs.pop(old)
    return renamed


class Persistence:

    #: True for domain models that rebuild their networks from their own arguments,
    #: so that their config does not carry the networks.
    builds_own_networks = False

    def save(self, filepath, overwrite=True, **kwargs):
        """Saves a `.keras` file atomically: an interrupted save leaves no file."""
        with io.atomic_output(filepath, overwrite=overwrite) as tmp:
            super().save(tmp, overwrite=True, **kwargs)

    def export(self, filepath, overwrite=False, **kwargs):
        """Writes the generator as a TensorFlow SavedModel for serving.

        The `serving_default` signature takes `latent` float32 `[n, latent_dim]`
        (and `labels` int32 `[n]` when conditional) and returns `samples` float32.
        The SavedModel loads with `tf.saved_model.load` and needs no ganzoo.
        """
        latent_spec = tf.TensorSpec([None, self.latent_dim], tf.float32, name="latent")
        generator = self.generator

        archive = keras.export.ExportArchive()
        for layer in self.serving_layers():
            archive.track(layer)
        if self.conditional:
            label_spec = tf.TensorSpec([None], tf.int32, name="labels")

            def serve(latent, labels):
                samples = self.postprocess(generator([latent, labels], training=False))
                return {"samples": tf.cast(samples, tf.float32)}

            archive.add_endpoint("serve", serve, input_signature=[latent_spec, label_spec])
        else:

            def serve(latent):
                samples = self.postprocess(generator(latent, training=False))
                return {"samples": tf.cast(samples, tf.float32)}

            archive.add_endpoint("serve", serve, input_signature=[latent_spec])
        with io.atomic_output(filepath, overwrite=overwrite) as tmp, \
                self.averaged_generator_weights():
            archive.write_out(tmp, verbose=False)

    def get_config(self):
        config = super().get_config()
        config.update({
            "latent_dim": self.latent_dim,
            "num_classes": self.num_classes,
            "class_names": self.class_names,
            "condition_dim": self.condition_dim,
            "seed": self.seed,
            "generator_ema": self.generator_ema,
            "class_loss_weight": self.class_loss_weight,
            "r1_weight": self.r1_weight, "r1_every": self.r1_every,
            "lecam_weight": self.lecam_weight, "lecam_decay": self.lecam_decay,
            "spectral_norm": self.spectral_norm,
            "privacy": None if self.privacy is None else self.privacy.get_config(),
        })
        if self.augmentation is not None:
            config.update(self.augmentation.get_config())
        if not self.builds_own_networks:
            config["generator"] = keras.saving.serialize_keras_object(self.generator)
            config["discriminator"] = keras.saving.serialize_keras_object(self.discriminator)
        return config

    @classmethod
    def upgrade_config(cls, config):
        """A config saved by an earlier ganzoo, in today's terms."""
        # Models saved before the weight average existed (ganzoo 0.2) kept none.
        config.setdefault("generator_ema", None)
        config.update(take_renamed_arguments(config, warn=False))  # names before 0.6
        return config

    @classmethod
    def from_config(cls, config):
        config = cls.upgrade_config(dict(config))
        for key in ("generator", "discriminator"):
            if key in config:
                config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)


__all__ = ["Persistence"]
