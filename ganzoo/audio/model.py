"""WaveGAN: the shared adversarial core with WaveGAN networks."""

import keras

from ganzoo.audio import layers as wave_layers
from ganzoo.audio import networks
from ganzoo.core.adversarial import AdversarialModel
from ganzoo.core.precision import resolve_policy


@keras.saving.register_keras_serializable(package="ganzoo")
class WaveGAN(AdversarialModel):
    """Raw-waveform GAN for one-shot sounds, optionally class-conditional.

    Args:
        slice_length: samples per clip, 16384 (~1 s at 16 kHz), 32768 or 65536.
        sample_rate: the rate the clips are played at (any; 16000, 22050, 44100, ...).
        num_classes / class_names: make the model class-conditional; `class_names`
            lets `generate(labels="seven")` take names.
        model_size: `d` of the paper (64 there; 16 or 32 train on a CPU).
        latent_dim: size of z (100 in the paper).
        phase_shuffle: phase-shuffle radius in the discriminator (2 in the paper).
        precision: "float32", "mixed_float16", "mixed_bfloat16", "auto" or None
            (Keras' global policy).
        conv_method: how the strided convolutions are computed: "auto" (the fastest
            measured for each layer's shape on this kind of device), "native",
            "phase" or "matmul" (see `ganzoo.audio.layers`); weights and results are
            the same whichever is used.
        class_loss_weight: give the conditional discriminator an auxiliary classifier
            with this loss weight (AC-GAN; see `AdversarialModel`). None: projection only.

    The default loss is WGAN-GP (lambda 10, 5 critic steps, Adam(1e-4, 0.5, 0.9)) as in
    the paper; `compile(loss="bce")` selects the shared BCE with label smoothing.
    """

    default_loss = "wgan-gp"

    def __init__(self, slice_length=16384, sample_rate=16000, num_classes=None,
                 class_names=None, model_size=64, latent_dim=100, phase_shuffle=2,
                 precision=None, seed=None, conv_method="auto", class_loss_weight=None,
                 generator=None, discriminator=None, **kwargs):
        del generator, discriminator  # rebuilt from the arguments
        self.slice_length = networks.check_slice_length(slice_length)
        self.sample_rate = int(sample_rate)
        if self.sample_rate < 1000:
            raise ValueError(f"sample_rate must be in Hz (e.g. 16000), got {sample_rate}.")
        if class_names is not None:
            class_names = [str(c) for c in class_names]
            if num_classes is None:
                num_classes = len(class_names)
            if len(class_names) != num_classes:
                raise ValueError(f"{len(class_names)} class_names for {num_classes} classes.")
        self.class_names = class_names
        self.model_size = int(model_size)
        self.phase_shuffle = int(phase_shuffle)
        self.conv_method = wave_layers.check_method(conv_method)
        policy = resolve_policy(precision)
        self.precision = policy.name
        classifier = class_loss_weight is not None
        super().__init__(
            generator=networks.build_generator(self.slice_length, latent_dim, self.model_size,
                                               num_classes, dtype=policy,
                                               conv_method=self.conv_method),
            discriminator=networks.build_discriminator(self.slice_length, self.model_size,
                                                       num_classes, self.phase_shuffle,
                                                       dtype=policy, seed=seed,
                                                       conv_method=self.conv_method,
                                                       auxiliary_classifier=classifier),
            latent_dim=latent_dim, num_classes=num_classes, seed=seed,
            class_loss_weight=class_loss_weight, **kwargs,
        )

    def resolve_labels(self, n, labels):
        """Like the core's, but also takes class names ("seven")."""
        if self.class_names and labels is not None:
            if isinstance(labels, str):
                labels = self._class_index(labels)
            elif isinstance(labels, (list, tuple)) and any(isinstance(l, str) for l in labels):
                labels = [self._class_index(l) if isinstance(l, str) else l for l in labels]
        return super().resolve_labels(n, labels)

    def _class_index(self, name):
        if name not in self.class_names:
            raise ValueError(f"Unknown class {name!r}; this model knows {self.class_names}.")
        return self.class_names.index(name)

    def get_config(self):
        config = keras.Model.get_config(self)
        config.update({
            "slice_length": self.slice_length, "sample_rate": self.sample_rate,
            "num_classes": self.num_classes, "class_names": self.class_names,
            "model_size": self.model_size, "latent_dim": self.latent_dim,
            "phase_shuffle": self.phase_shuffle, "precision": self.precision, "seed": self.seed,
            "conv_method": self.conv_method,
            "generator_ema": self.generator_ema,
            "class_loss_weight": self.class_loss_weight,
        })
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)
