"""Generation: latent vectors, labels, batches through the (averaged) generator.

`Generation` is a part of `AdversarialModel`; it reads the model's `generator`,
`latent_dim`, `num_classes`, `class_names` and `averaged_generator_weights()`.
"""

import numpy as np
import tensorflow as tf


class Generation:

    def sample_latent(self, n, seed=None, truncation=None):
        """`n` latent vectors, float32 NumPy, repeatable for a given `seed` (fresh
        entropy when None). `truncation=psi` draws each entry from the standard normal
        restricted to [-psi, psi] (BigGAN's truncation trick: fewer, more typical
        samples as psi falls)."""
        shape = (int(n), self.latent_dim)
        rng = np.random.default_rng(seed)
        if truncation is None:
            return rng.standard_normal(shape).astype("float32")
        return truncated_normal(rng, shape, truncation).astype("float32")

    def resolve_labels(self, n, labels):
        """Integer labels for `n` samples from indices or class names ("seven"):
        one for all, `n` of them, or None, which cycles through the classes."""
        if self.class_names and labels is not None:
            if isinstance(labels, str):
                labels = self._class_index(labels)
            elif isinstance(labels, (list, tuple, np.ndarray)) and any(
                    isinstance(label, str) for label in np.asarray(labels, dtype=object).ravel()):
                labels = [self._class_index(label) if isinstance(label, str) else label
                          for label in labels]
        if self.num_classes is None:
            if labels is not None:
                raise ValueError(f"{type(self).__name__} is unconditional: it takes no labels.")
            return None
        if labels is None:
            return np.arange(n, dtype="int32") % self.num_classes
        labels = np.asarray(labels)
        if labels.ndim == 0:
            labels = np.full((n,), labels)
        if labels.shape != (n,):
            raise ValueError(f"Expected {n} labels or one label, got shape {labels.shape}.")
        if not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"Labels must be integers, got dtype {labels.dtype}.")
        bad = labels[(labels < 0) | (labels >= self.num_classes)]
        if bad.size:
            raise ValueError(
                f"Label {int(bad[0])} is out of range: this model has "
                f"{self.num_classes} classes (0..{self.num_classes - 1}).")
        return labels.astype("int32")

    def _class_index(self, name):
        if name not in self.class_names:
            raise ValueError(f"Unknown class {name!r}; this model knows {self.class_names}.")
        return self.class_names.index(name)

    def generate(self, n, labels=None, seed=None, batch_size=256, verbose=False,
                 postprocess=True, truncation=None):
        """Generates `n` samples as a float32 NumPy array.

        Args:
            n: number of samples.
            labels: for a conditional model, one label for all, or `n` labels;
                None spreads the samples evenly over the classes.
            seed: makes the output repeatable (the same seed gives the same samples,
                also after saving and loading the model); None: fresh entropy.
            batch_size: samples generated per forward pass.
            verbose: show a progress bar (worth it for thousands of samples).
            postprocess: False returns the generator's raw output (SpecGAN's
                spectrograms before their inversion).
            truncation: psi > 0 keeps every latent entry within [-psi, psi]
                (`sample_latent`); None: the full normal prior.
        """
        n = int(n)
        if n < 1:
            raise ValueError(f"n must be a positive number of samples, got {n}.")
        labels = self.resolve_labels(n, labels)
        z = self.sample_latent(n, seed, truncation)
        return self.generate_from_latent(z, labels, batch_size=batch_size, verbose=verbose,
                                         postprocess=postprocess)

    def postprocess(self, generated):
        """The model's samples from the generator's output (in-graph): the identity,
        except for models whose generator writes another representation (SpecGAN's
        spectrograms become waveforms). Generation and the SavedModel both use it."""
        return generated

    def serving_layers(self):
        """The layers `export` writes: the generator and whatever `postprocess` reads."""
        return [self.generator]

    def generate_from_latent(self, z, labels=None, batch_size=256, verbose=False,
                             postprocess=True):
        """Samples for the latent vectors `z` (and labels); `postprocess=False` returns
        the generator's raw output."""
        if self._generate_fn is None:
            self._generate_fn = {flag: self._generation_function(flag) for flag in (True, False)}
        with self.averaged_generator_weights():
            return self._generate_batches(self._generate_fn[bool(postprocess)], z, labels,
                                          batch_size, verbose)

    def _generation_function(self, postprocess):
        finish = self.postprocess if postprocess else (lambda generated: generated)
        return tf.function(
            lambda inputs: tf.cast(finish(self.generator(inputs, training=False)), tf.float32),
            reduce_retracing=True)

    def _generate_batches(self, generate, z, labels, batch_size, verbose):
        out = []
        starts = range(0, len(z), batch_size)
        if verbose and len(starts) > 1:
            from tqdm.auto import tqdm

            starts = tqdm(starts, desc="generating", unit="batch", leave=False)
        for start in starts:
            stop = start + batch_size
            inputs = tf.constant(z[start:stop]) if labels is None else [
                tf.constant(z[start:stop]), tf.constant(labels[start:stop])]
            out.append(generate(inputs).numpy())
        return np.concatenate(out, axis=0)


def check_truncation(truncation):
    """`truncation` as a float, or a ValueError that says what it must be."""
    try:
        psi = float(truncation)
    except (TypeError, ValueError):
        psi = float("nan")
    if not psi > 0 or not np.isfinite(psi):
        raise ValueError(f"truncation is the largest |latent| kept, a positive number "
                         f"(about 0.5-2; None for no truncation), got {truncation!r}.")
    return psi


def truncated_normal(rng, shape, truncation):
    """Standard normal draws restricted to [-psi, psi], exactly and in one pass: the
    inverse CDF of a uniform draw on the lower half's kept range, with a random sign
    (the lower half keeps full precision in the far tails)."""
    from scipy.special import ndtr, ndtri

    psi = check_truncation(truncation)
    magnitude = -ndtri(rng.uniform(ndtr(-psi), 0.5, shape))
    return np.where(rng.random(shape) < 0.5, -magnitude, magnitude)


__all__ = ["Generation", "check_truncation", "truncated_normal"]
