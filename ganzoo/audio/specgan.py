"""SpecGAN (Donahue et al. 2019): the shared adversarial core on 128x128 log-magnitude
spectrograms, with the image domain's DCGAN networks, inverted to waveforms by
Griffin-Lim inside the graph (`ganzoo.audio.spectrogram`)."""

import numpy as np
import keras
import tensorflow as tf

from ganzoo.audio import augmentation, spectrogram
from ganzoo.audio.data import AudioClips
from ganzoo.audio.samples import AudioSamples
from ganzoo.core import conditioning
from ganzoo.core.adversarial import AdversarialModel
from ganzoo.core.precision import resolve_policy
from ganzoo.image import networks as image_networks

#: The one slice length whose spectrogram is square (128 frames x 128 bins).
SLICE_LENGTH = 16384


@keras.saving.register_keras_serializable(package="ganzoo")
class SpecGAN(AudioSamples, AdversarialModel):
    """Spectrogram GAN for one-second sounds, optionally class-conditional.

    Args:
        num_classes / class_names: make the model class-conditional (names let
            `generate(labels="seven")` take them).
        sample_rate: the rate of the audio (the normalization statistics are fitted at it).
        slice_length: samples per clip (16384: 128 STFT frames of hop 128).
        model_size: width of the DCGAN networks (`ganzoo.image.networks`) at 128x128.
        latent_dim: size of z (100 in the paper).
        griffin_lim_iterations, griffin_lim_momentum: the inversion (0 momentum: the
            original Griffin-Lim; 0.99: the fast variant).
        spectrogram_statistics: `{"mean": [...], "std": [...]}` per frequency bin, as
            `adapt` fits them and `get_config` records them (so that a preset holding
            only the generator's weights generates in the right scale).
        precision, seed, generator_ema, class_loss_weight: see `AdversarialModel`.
        discriminator_augment, discriminator_augment_p, ...: discriminator
            augmentation (`AdversarialModel`), of
            `ganzoo.audio.augmentation.SPECTROGRAM_POLICIES`; "default" is all three.

    Call `adapt(waveforms)` (or train with `ganzoo.audio.spectrogram_dataset`, which fits
    it) before training: the per-bin statistics are part of the model.
    """

    builds_own_networks = True
    augmentation_policies = augmentation.SPECTROGRAM_POLICIES
    default_augmentation = augmentation.SPECTROGRAM_DEFAULT

    def __init__(self, num_classes=None, class_names=None, sample_rate=16000,
                 slice_length=SLICE_LENGTH, model_size=16, latent_dim=100, precision=None,
                 class_loss_weight=None, griffin_lim_iterations=32, griffin_lim_momentum=0.99,
                 spectrogram_statistics=None, **kwargs):
        if int(slice_length) != SLICE_LENGTH:
            raise ValueError(f"SpecGAN makes slices of {SLICE_LENGTH} samples (a 128x128 "
                             f"spectrogram), got slice_length={slice_length}.")
        self.slice_length = SLICE_LENGTH
        self.sample_rate = int(sample_rate)
        if self.sample_rate < 1000:
            raise ValueError(f"sample_rate must be in Hz (e.g. 16000), got {sample_rate}.")
        self.model_size = int(model_size)
        self.griffin_lim_iterations = int(griffin_lim_iterations)
        self.griffin_lim_momentum = float(griffin_lim_momentum)
        num_classes, class_names = conditioning.check_classes(num_classes, class_names)
        policy = resolve_policy(precision)
        self.precision = policy.name
        shape = (spectrogram.frames_for(SLICE_LENGTH), spectrogram.FRAME_LENGTH // 2, 1)
        self.normalization = spectrogram.SpectrogramNormalization(
            shape[1], self.sample_rate, name="spectrogram_normalization")
        if spectrogram_statistics is not None:
            self.normalization.set_statistics(spectrogram_statistics["mean"],
                                              spectrogram_statistics["std"])
        super().__init__(
            generator=image_networks.build_generator(shape, latent_dim, num_classes,
                                                     self.model_size, dtype=policy),
            discriminator=image_networks.build_discriminator(
                shape, num_classes, self.model_size, dtype=policy,
                auxiliary_classifier=class_loss_weight is not None),
            latent_dim=latent_dim, num_classes=num_classes, class_names=class_names,
            class_loss_weight=class_loss_weight, **kwargs)

    @property
    def griffin_lim_iterations(self):
        return self._griffin_lim_iterations

    @griffin_lim_iterations.setter
    def griffin_lim_iterations(self, value):
        # The count is part of the traced generation function: trace again.
        self._griffin_lim_iterations = int(value)
        self._generate_fn = None

    # ------------------------------------------------------------ spectrograms

    def spectrograms(self, waveforms):
        """Normalized spectrograms `[n, 128, 128, 1]` in [-1, 1] of waveforms (the
        generator's training targets)."""
        return self.normalization(spectrogram.log_magnitude(waveforms))[..., None]

    def adapt(self, waveforms, sample_rate=None, batch_size=256):
        """Fits the per-bin statistics on training waveforms `[n, samples]` (or
        `AudioClips`) at `sample_rate` (default: the model's)."""
        if isinstance(waveforms, AudioClips):
            sample_rate = waveforms.sample_rate if sample_rate is None else sample_rate
            waveforms = first_slices(waveforms, self.slice_length)
        waveforms = np.asarray(waveforms, "float32")
        batches = tf.data.Dataset.from_tensor_slices(waveforms).batch(batch_size).map(
            spectrogram.log_magnitude)
        self.normalization.adapt(batches, sample_rate=sample_rate or self.sample_rate)
        return self

    @property
    def adapted(self):
        """Whether the spectrogram statistics have been fitted (`adapt`)."""
        return bool(self.normalization.adapted.numpy())

    def generate_from_latent(self, z, labels=None, batch_size=256, verbose=False,
                             postprocess=True):
        if not self.adapted:
            raise ValueError("This SpecGAN's spectrogram statistics were never fitted: "
                             "call adapt(training_waveforms) (spectrogram_dataset does) "
                             "before training and generating.")
        return super().generate_from_latent(z, labels, batch_size, verbose, postprocess)

    def postprocess(self, generated):
        """Normalized spectrograms -> waveforms `[n, slice_length]` (Griffin-Lim)."""
        magnitude = tf.exp(self.normalization.invert(generated[..., 0])) - spectrogram.LOG_FLOOR
        return spectrogram.griffin_lim(tf.maximum(magnitude, 0.0), self.slice_length,
                                       self.griffin_lim_iterations, self.griffin_lim_momentum)

    def serving_layers(self):
        return [self.generator, self.normalization]

    def generate_spectrograms(self, n, labels=None, seed=None, batch_size=256):
        """`n` normalized spectrograms `[n, 128, 128]` in [-1, 1], without the cost of
        inversion: for classifiers trained on spectrogram features directly."""
        return self.generate(n, labels, seed, batch_size, postprocess=False)[..., 0]

    def get_config(self):
        return {**super().get_config(), "sample_rate": self.sample_rate,
                "slice_length": self.slice_length, "model_size": self.model_size,
                "precision": self.precision,
                "griffin_lim_iterations": self.griffin_lim_iterations,
                "griffin_lim_momentum": self.griffin_lim_momentum,
                "spectrogram_statistics": self.normalization.statistics()}


def first_slices(clips, slice_length):
    """Each clip's first `slice_length` samples (zero-padded), `[n, slice_length]`."""
    return np.stack([np.pad(clips.clip(i)[:slice_length],
                            (0, max(0, slice_length - int(clips.lengths[i]))))
                     for i in range(len(clips))]).astype("float32")


def spectrogram_dataset(model, clips, batch_size=64, shuffle=True, seed=None, adapt=True):
    """A training dataset of `(spectrograms [b, 128, 128, 1], labels)` for `model`: each
    clip's spectrogram computed once (fitting the model's statistics first, unless
    `adapt=False`), kept in memory, shuffled every epoch."""
    from ganzoo.core import distribute
    from ganzoo.core.pipeline import fit_batch_size

    if clips.sample_rate != model.sample_rate:
        raise ValueError(f"The clips are at {clips.sample_rate} Hz; the model is for "
                         f"{model.sample_rate} Hz.")
    waves = first_slices(clips, model.slice_length)
    if adapt:
        model.adapt(waves)
    specs = np.concatenate([model.spectrograms(waves[i:i + 256]).numpy()
                            for i in range(0, len(waves), 256)])
    batch_size = fit_batch_size(len(specs), batch_size, "clips")
    tensors = specs if clips.labels is None or not model.conditional else (specs, clips.labels)
    ds = tf.data.Dataset.from_tensor_slices(tensors)
    if shuffle:
        ds = ds.shuffle(len(specs), seed=distribute.shuffle_seed(seed),
                        reshuffle_each_iteration=True)
    ds = ds.batch(batch_size, drop_remainder=True)
    return distribute.shard_by_data(ds.prefetch(tf.data.AUTOTUNE))
