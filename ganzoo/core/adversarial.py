"""The adversarial core: one `keras.Model` and one `train_step` for every domain.

A domain model (image DCGAN, audio WaveGAN, tabular GAN) builds the two networks, passes
them here, and declares what the rest of the package needs of it
(`ganzoo.core.contract`). Training is the textbook alternation, read top to bottom in
`train_step`:

    (a) sample z, generate, update the discriminator on real and fake examples;
    (b) sample a fresh z, update only the generator through the discriminator.

Losses are reduced over the *global* batch (`tf.nn.compute_average_loss`) and the
latent noise of a step is drawn for the global batch and sliced per replica
(`ganzoo.core.noise`), so one step computes the same numbers on one device or on
several. The generator's weight average lives in `ganzoo.core.weight_average`.
"""

import contextlib

import numpy as np
import tensorflow as tf
import keras

from ganzoo.core import conditioning, distribute, io, noise, random_state
from ganzoo.core.augmentation import DEFAULT_PROBABILITY, DiscriminatorAugmentation
from ganzoo.core.contract import ModelContract
from ganzoo.core import losses as losses_lib
from ganzoo.core.weight_average import DEFAULT_DECAY, GeneratorAverage, check_decay


def _default_optimizer(loss):
    if isinstance(loss, losses_lib.WassersteinGP):
        # Gulrajani et al.: Adam(1e-4, beta_1=0.5, beta_2=0.9).
        return keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9)
    # Radford et al.: Adam(2e-4, beta_1=0.5).
    return keras.optimizers.Adam(2e-4, beta_1=0.5)


def _densify(grads):
    # Embedding gradients arrive as IndexedSlices whose length differs between
    # replicas (the gradient penalty adds lookups); all-reducing them needs one shape.
    return [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g for g in grads]


def _uses_float16(network):
    return any(
        layer.dtype_policy.compute_dtype == "float16"
        for layer in network._flatten_layers()
    )


@keras.saving.register_keras_serializable(package="ganzoo")
class AdversarialModel(ModelContract, keras.Model):
    """A generator and a discriminator trained against each other.

    Args:
        generator: a Keras model mapping latent vectors `[batch, latent_dim]` (and,
            when conditional, a condition `[batch]` or `[batch, k]`) to samples.
        discriminator: a Keras model mapping samples (and the same condition) to
            one logit per example (or per packed group of examples).
        latent_dim: size of the latent vector.
        num_classes: number of classes when the model is class-conditional: integer
            labels in `[0, num_classes)` then enter both networks.
        class_names: names of those classes (e.g. the sub-folders the data came
            from): `generate(labels="seven")` takes them, and sample folders use them.
            Implies `num_classes` when that is omitted.
        condition_dim: instead of class labels, the width of a condition vector
            `[batch, condition_dim]` (the tabular GAN's one-hot categories).
        seed: seed of the latent noise used in training; when omitted, drawn from
            Python's generator as Keras draws its layers' seeds, so
            `keras.utils.set_random_seed` makes a run repeatable. Training and
            generation read no global generator (`ganzoo.core.random_state`).
        generator_ema: decay of an exponential moving average of the generator's
            weights (default 0.999), or None. Outside `fit` (generate, export, save,
            presets) the generator holds the average; see `ganzoo.core.weight_average`.
        class_loss_weight: for a conditional model whose discriminator has a second
            output of class logits (an auxiliary classifier, AC-GAN): the weight of
            its cross-entropy, learned on real examples by the discriminator and
            asked of generated ones by the generator. Pulls generated samples
            towards their requested class where the projection alone leaves
            them ambiguous. None without such a head.
        augment: differentiable augmentation of every batch the discriminator sees,
            real and generated, in both steps (DiffAugment / ADA, for small data):
            names of the model's `augmentation_policies` (a list or "a,b"), or
            "default"; None (the default) trains without.
        augment_p: the probability of each transform per example: a number (0.3 by
            default; DiffAugment's 1.0 collapsed the variety of the samples in
            `benchmarks/small_data.py`, where 0.3 gave the best Frechet distance at
            every size) or "adaptive" (ADA: p starts at 0, rises while
            the mean sign of the real logits is above `augment_target` and falls
            while below; logged as the metric `aug_p`).
        augment_target, augment_speed: ADA's target (0.6) and how fast p moves: by
            at most 1 per `augment_speed` discriminator outputs on real examples
            (20,000: ADA's 500,000 is 2% of its runs; CPU runs here see ~10^5 examples).

    What the rest of the package asks of a model (its domain, how its samples are
    written and previewed) is `ganzoo.core.contract.ModelContract`.
    """

    default_loss = "bce"
    #: Training iterations per compiled call (`compile(steps_per_execution=...)`):
    #: fewer host round trips, which dominate with small networks.
    default_steps_per_execution = 8
    #: True for domain models that rebuild their networks from their own arguments,
    #: so that their config does not carry the networks.
    builds_own_networks = False

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim,
        num_classes=None,
        class_names=None,
        condition_dim=None,
        seed=None,
        generator_ema=DEFAULT_DECAY,
        class_loss_weight=None,
        augment=None,
        augment_p=DEFAULT_PROBABILITY,
        augment_target=0.6,
        augment_speed=20_000,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.num_classes, self.class_names = conditioning.check_classes(num_classes, class_names)
        self.condition_dim = None if condition_dim is None else int(condition_dim)
        if self.num_classes is not None and self.condition_dim is not None:
            raise ValueError("Give num_classes (class labels) or condition_dim (condition "
                             "vectors), not both.")
        self.seed = random_state.keras_style_seed() if seed is None else int(seed)
        self.adversarial_loss = None
        self.g_optimizer = None
        self.d_optimizer = None
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_acc_tracker = keras.metrics.Mean(name="d_real_acc")
        self.d_fake_acc_tracker = keras.metrics.Mean(name="d_fake_acc")
        self.gp_tracker = keras.metrics.Mean(name="gradient_penalty")
        self.d_class_acc_tracker = keras.metrics.Mean(name="d_class_acc")
        self.g_class_acc_tracker = keras.metrics.Mean(name="g_class_acc")
        self.aug_p_tracker = keras.metrics.Mean(name="aug_p")
        self.class_loss_weight = conditioning.check_auxiliary_classifier(
            self.discriminator, class_loss_weight, self.num_classes)
        self._generate_fn = None
        self.generator_ema = check_decay(generator_ema)
        self.generator_average = (None if self.generator_ema is None else
                                  GeneratorAverage(self, generator, self.generator_ema))
        self.augmentation = None if augment is None else DiscriminatorAugmentation(
            self, self.augmentation_policies, augment, augment_p, augment_target,
            augment_speed, default=self.default_augmentation)
        self.built = True

    @property
    def conditional(self):
        return self.num_classes is not None or self.condition_dim is not None

    # -------------------------------------------------------- weight averaging

    @contextlib.contextmanager
    def averaged_generator_weights(self):
        """A context in which the generator holds the averaged weights (a no-op
        without `generator_ema`); what was there before comes back afterwards."""
        if self.generator_average is None:
            yield self.generator
            return
        with self.generator_average.holding(True) as generator:
            yield generator

    @contextlib.contextmanager
    def _training_generator_weights(self):
        # Training moves the trained weights; the average is what is left in place after.
        if self.generator_average is None:
            yield
            return
        self.generator_average.put(False)
        try:
            yield
        finally:
            self.generator_average.put(True)

    def reset_generator_ema(self):
        """Takes the generator's current weights as the average (after loading
        generator-only weights, e.g. from a preset)."""
        if self.generator_average is not None:
            self.generator_average.reset()

    # ------------------------------------------------------------------ compile

    def compile(
        self,
        g_optimizer=None,
        d_optimizer=None,
        loss=None,
        label_smoothing=None,
        n_critic=None,
        gradient_penalty_weight=None,
        share_fakes=False,
        **kwargs,
    ):
        """Configures training.

        Args:
            g_optimizer, d_optimizer: optimizers (instances, names or configs). The
                defaults follow the loss: Adam(2e-4, beta_1=0.5) for `"bce"` and
                Adam(1e-4, beta_1=0.5, beta_2=0.9) for `"wgan-gp"`.
            loss: `"bce"` (binary cross-entropy, one-sided label smoothing) or
                `"wgan-gp"` (critic with gradient penalty), or an
                `ganzoo.core.losses.AdversarialLoss`. Defaults to the model's own.
            label_smoothing: real target is `1 - label_smoothing` (bce; default 0.1).
            n_critic: discriminator updates per generator update (bce 1, wgan-gp 5).
            gradient_penalty_weight: lambda of WGAN-GP (default 10).
            share_fakes: the `n_critic` discriminator updates of one iteration judge
                one generated batch (one generator pass per iteration instead of
                `n_critic`). Worth it where the generator costs more than the
                critic, as in the tabular GAN; fresh batches (False) otherwise.
            **kwargs: passed to `keras.Model.compile` (`steps_per_execution`,
                `jit_compile`, `run_eagerly`).
        """
        self.adversarial_loss = losses_lib.get(
            loss or self.default_loss,
            label_smoothing=label_smoothing,
            n_critic=n_critic,
            gradient_penalty_weight=gradient_penalty_weight,
        )
        self.share_fakes = bool(share_fakes)
        self.g_optimizer = self._make_optimizer(g_optimizer, self.generator)
        self.d_optimizer = self._make_optimizer(d_optimizer, self.discriminator)
        if self.g_optimizer is self.d_optimizer:
            raise ValueError(
                "g_optimizer and d_optimizer must be two optimizer objects: "
                "an optimizer holds per-variable state for one network."
            )
        if "steps_per_execution" not in kwargs:
            # Keras' multi-step loop fails under tf.distribute when the data ends
            # inside an execution ("You must feed a value for placeholder"): one step
            # per call there.
            kwargs["steps_per_execution"] = (
                1 if tf.distribute.has_strategy() else self.default_steps_per_execution)
        # No `optimizer`: Keras would otherwise create (and save) an unused RMSprop.
        super().compile(optimizer=None, **kwargs)
        # Build now so that weights saved with optimizer state (BackupAndRestore,
        # .keras files) load into existing variables.
        self.g_optimizer.build(self.generator.trainable_variables)
        self.d_optimizer.build(self.discriminator.trainable_variables)

    def _make_optimizer(self, optimizer, network):
        if optimizer is None:
            optimizer = _default_optimizer(self.adversarial_loss)
        else:
            optimizer = keras.optimizers.get(optimizer)
        if _uses_float16(network) and not isinstance(
            optimizer, keras.optimizers.LossScaleOptimizer
        ):
            optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
        return optimizer

    def get_compile_config(self):
        if self.adversarial_loss is None:
            return None
        return {
            "g_optimizer": keras.saving.serialize_keras_object(self.g_optimizer),
            "d_optimizer": keras.saving.serialize_keras_object(self.d_optimizer),
            "loss": losses_lib.serialize(self.adversarial_loss),
            "share_fakes": self.share_fakes,
            "steps_per_execution": self.steps_per_execution,
            "jit_compile": self.jit_compile,
        }

    def compile_from_config(self, config):
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        self.compile(**config)

    @property
    def metrics(self):
        trackers = [
            self.d_loss_tracker,
            self.g_loss_tracker,
            self.d_real_acc_tracker,
            self.d_fake_acc_tracker,
        ]
        if self.adversarial_loss and self.adversarial_loss.gradient_penalty_weight:
            trackers.append(self.gp_tracker)
        if self.class_loss_weight:
            trackers += [self.d_class_acc_tracker, self.g_class_acc_tracker]
        if self.augmentation is not None:
            trackers.append(self.aug_p_tracker)
        return trackers

    # ---------------------------------------------------------------- training

    @staticmethod
    def _logs(metrics):
        logs = {m.name: m.result() for m in metrics}
        if distribute.in_multi_worker_mode():
            # Keras averages each log over workers with `reduce(MEAN, axis=0)`, which
            # needs an axis to reduce: give every scalar one.
            logs = {name: tf.reshape(value, [1]) for name, value in logs.items()}
        return logs

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # Keras' symbolic build averages a first batch across replicas, which fails
        # under MultiWorkerMirroredStrategy (keras-team/keras#20585). Both networks and
        # both optimizers are built by the constructor and compile(), so there is
        # nothing left for it to build.
        if self.built and self.adversarial_loss is not None:
            return
        super()._maybe_symbolic_build(iterator=iterator, data_batch=data_batch)

    def fit(self, x=None, *args, **kwargs):
        # ganzoo's pipelines shuffle themselves; Keras would warn on every tf.data input.
        if isinstance(x, tf.data.Dataset):
            kwargs.setdefault("shuffle", False)
        with self._training_generator_weights():
            return super().fit(x, *args, **kwargs)

    def train_on_batch(self, *args, **kwargs):
        with self._training_generator_weights():
            return super().train_on_batch(*args, **kwargs)

    def train_step(self, data):
        real, condition = self._unpack(data)
        batch_size = tf.shape(real)[0]
        fake = None
        if self.share_fakes:
            fake = self._generate_for_critic(real, condition)
        for _ in range(self.adversarial_loss.n_critic):
            self.discriminator_step(real, condition, fake=fake)
        self.generator_step(batch_size, condition)
        return self._logs(self.metrics)

    def discriminator_step(self, real, condition=None, fake=None):
        """(a): one discriminator update on real and generated examples (`fake`, or a
        batch generated now)."""
        if fake is None:
            fake = self._generate_for_critic(real, condition)
        real, fake = (self._augment(real, noise.CRITIC, self.d_optimizer.iterations, 1),
                      self._augment(fake, noise.CRITIC, self.d_optimizer.iterations, 2))
        with tf.GradientTape() as tape:
            real_logits, fake_logits, real_class_logits = self._discriminate_real_and_fake(
                real, fake, condition
            )
            per_example = self.adversarial_loss.discriminator_loss(
                real_logits, fake_logits
            )
            loss = tf.nn.compute_average_loss(per_example)
            if self.class_loss_weight:
                # The classifier learns from real examples only: fakes would teach it
                # the generator's mistakes (as in later AC-GAN variants).
                loss += self.class_loss_weight * self._class_loss(
                    condition, real_class_logits, self.d_class_acc_tracker)
            if self.adversarial_loss.gradient_penalty_weight:
                penalty = tf.nn.compute_average_loss(
                    self._gradient_penalty(real, fake, condition)
                )
                loss += self.adversarial_loss.gradient_penalty_weight * penalty
                self.gp_tracker.update_state(self._unscale(penalty))
            scaled = self.d_optimizer.scale_loss(loss)
        variables = self.discriminator.trainable_variables
        grads = _densify(tape.gradient(scaled, variables))
        self.d_optimizer.apply_gradients(zip(grads, variables))
        self.d_loss_tracker.update_state(self._unscale(loss))
        self.d_real_acc_tracker.update_state(
            tf.reduce_mean(tf.cast(real_logits > 0, tf.float32))
        )
        self.d_fake_acc_tracker.update_state(
            tf.reduce_mean(tf.cast(fake_logits < 0, tf.float32))
        )
        if self.augmentation is not None:
            self.augmentation.adapt(real_logits)
            self.aug_p_tracker.update_state(self.augmentation.current_p())
        return loss

    def _augment(self, samples, stream, counter, part):
        """`samples` as the discriminator sees them (unchanged without `augment`)."""
        if self.augmentation is None:
            return samples
        seed = tf.random.experimental.stateless_fold_in(
            noise.stream_seed(self.seed, stream, counter), part)
        return self.augmentation(samples, seed)

    def _generate_for_critic(self, real, condition):
        batch_size = tf.shape(real)[0]
        z = noise.latent(batch_size, self.latent_dim, self.seed, noise.CRITIC,
                         self.d_optimizer.iterations)
        fake = self.generator(self._generator_inputs(z, condition), training=True)
        return tf.stop_gradient(tf.cast(fake, real.dtype))

    def generator_step(self, batch_size, condition=None):
        """(b): one generator update through the (untouched) discriminator."""
        z = noise.latent(batch_size, self.latent_dim, self.seed, noise.GENERATOR,
                         self.g_optimizer.iterations)
        with tf.GradientTape() as tape:
            fake = self.generator(self._generator_inputs(z, condition), training=True)
            seen = self._augment(fake, noise.GENERATOR, self.g_optimizer.iterations, 1)
            fake_logits, fake_class_logits = self._discriminator_outputs(seen, condition)
            per_example = self.adversarial_loss.generator_loss(fake_logits)
            loss = tf.nn.compute_average_loss(per_example)
            if self.class_loss_weight:
                loss += self.class_loss_weight * self._class_loss(
                    condition, fake_class_logits, self.g_class_acc_tracker)
            extra = self.generator_penalty(fake, condition)
            if extra is not None:
                loss += tf.nn.compute_average_loss(extra)
            scaled = self.g_optimizer.scale_loss(loss)
        variables = self.generator.trainable_variables
        grads = _densify(tape.gradient(scaled, variables))
        self.g_optimizer.apply_gradients(zip(grads, variables))
        if self.generator_average is not None:
            self.generator_average.update(self.g_optimizer.iterations)
        self.g_loss_tracker.update_state(self._unscale(loss))
        return loss

    def generator_penalty(self, fake, condition):
        """Per-example extra generator loss; domains override (e.g. CTGAN's
        conditional cross-entropy). None means no extra term."""
        return None

    def test_step(self, data):
        real, condition = self._unpack(data)
        batch_size = tf.shape(real)[0]
        z = noise.latent(batch_size, self.latent_dim, self.seed, noise.EVALUATION,
                         self.d_optimizer.iterations)
        fake = self.generator(self._generator_inputs(z, condition), training=False)
        real_logits, fake_logits, _ = self._discriminate_real_and_fake(
            real, tf.cast(fake, real.dtype), condition, training=False
        )
        d_loss = tf.nn.compute_average_loss(
            self.adversarial_loss.discriminator_loss(real_logits, fake_logits)
        )
        g_loss = tf.nn.compute_average_loss(
            self.adversarial_loss.generator_loss(fake_logits)
        )
        self.d_loss_tracker.update_state(self._unscale(d_loss))
        self.g_loss_tracker.update_state(self._unscale(g_loss))
        self.d_real_acc_tracker.update_state(
            tf.reduce_mean(tf.cast(real_logits > 0, tf.float32))
        )
        self.d_fake_acc_tracker.update_state(
            tf.reduce_mean(tf.cast(fake_logits < 0, tf.float32))
        )
        return self._logs(self.metrics[:4])

    # ------------------------------------------------------------------ pieces

    def _unpack(self, data):
        real, condition, _ = keras.utils.unpack_x_y_sample_weight(data)
        if isinstance(real, (list, tuple)) and len(real) == 2 and condition is None:
            real, condition = real
        if self.conditional and condition is None:
            raise ValueError(
                f"{type(self).__name__} is class-conditional (num_classes="
                f"{self.num_classes}) but the data has no labels: pass a dataset "
                "of (samples, labels) pairs."
            )
        if not self.conditional:
            condition = None
        return real, condition

    def _generator_inputs(self, z, condition):
        return z if condition is None else [z, condition]

    def _discriminator_outputs(self, samples, condition, training=True):
        """The adversarial logits and the class logits (None without an auxiliary
        classifier), float32."""
        inputs = samples if condition is None else [samples, condition]
        outputs = self.discriminator(inputs, training=training)
        if not self.class_loss_weight:
            return tf.cast(outputs, tf.float32), None
        logits, class_logits = outputs
        return tf.cast(logits, tf.float32), tf.cast(class_logits, tf.float32)

    def _discriminate(self, samples, condition, training=True):
        return self._discriminator_outputs(samples, condition, training)[0]

    def _discriminate_real_and_fake(self, real, fake, condition, training=True):
        """Real and fake logits, and the real examples' class logits (or None)."""
        # One pass over the concatenated batch: fewer, larger kernels.
        both = tf.concat([real, fake], axis=0)
        cond = None if condition is None else tf.concat([condition, condition], 0)
        logits, class_logits = self._discriminator_outputs(both, cond, training=training)
        real_logits, fake_logits = tf.split(logits, 2, axis=0)
        if class_logits is not None:
            class_logits = tf.split(class_logits, 2, axis=0)[0]
        return real_logits, fake_logits, class_logits

    def _class_loss(self, labels, class_logits, accuracy_tracker):
        labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
        accuracy_tracker.update_state(tf.reduce_mean(tf.cast(
            tf.equal(tf.argmax(class_logits, axis=-1, output_type=tf.int32), labels),
            tf.float32)))
        return tf.nn.compute_average_loss(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=class_logits))

    def _gradient_penalty(self, real, fake, condition):
        batch_size = tf.shape(real)[0]
        alpha = noise.global_batch_noise(
            tf.random.stateless_uniform, batch_size, [1] * (real.shape.rank - 1), self.seed,
            noise.PENALTY, self.d_optimizer.iterations, dtype=real.dtype)
        mixed = real + alpha * (fake - real)
        with tf.GradientTape() as tape:
            tape.watch(mixed)
            logits = self._discriminate(mixed, condition)
        grads = tf.cast(tape.gradient(logits, mixed), tf.float32)
        # One norm per discriminator output: per example, or per packed group of
        # examples for a PacGAN discriminator.
        grads = tf.reshape(grads, [tf.shape(logits)[0], -1])
        norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1) + 1e-12)
        return tf.square(norm - 1.0)

    @staticmethod
    def _unscale(loss):
        # Metrics report the global-batch mean, not the per-replica share.
        return loss * tf.distribute.get_strategy().num_replicas_in_sync

    # -------------------------------------------------------------- inference

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def sample_latent(self, n, seed=None):
        """`n` latent vectors, float32 NumPy, repeatable for a given `seed` (fresh
        entropy when None)."""
        return np.random.default_rng(seed).standard_normal(
            (int(n), self.latent_dim)
        ).astype("float32")

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
                raise ValueError(
                    f"{type(self).__name__} is unconditional: it takes no labels."
                )
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
                f"{self.num_classes} classes (0..{self.num_classes - 1})."
            )
        return labels.astype("int32")

    def _class_index(self, name):
        if name not in self.class_names:
            raise ValueError(f"Unknown class {name!r}; this model knows {self.class_names}.")
        return self.class_names.index(name)

    def generate(self, n, labels=None, seed=None, batch_size=256, verbose=False,
                 postprocess=True):
        """Generates `n` samples as a float32 NumPy array.

        Args:
            n: number of samples.
            labels: for a conditional model, one label for all, or `n` labels;
                None spreads the samples evenly over the classes.
            seed: makes the output repeatable (the same seed gives the same samples,
                also after saving and loading the model).
            batch_size: samples generated per forward pass.
            verbose: show a progress bar (worth it for thousands of samples).
            postprocess: False returns the generator's raw output (SpecGAN's
                spectrograms before their inversion).
        """
        n = int(n)
        if n < 1:
            raise ValueError(f"n must be a positive number of samples, got {n}.")
        labels = self.resolve_labels(n, labels)
        z = self.sample_latent(n, seed)
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

    # ------------------------------------------------------------ persistence

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

    # ------------------------------------------------------------------ config

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
        # Models saved before the weight average existed kept none.
        config.setdefault("generator_ema", None)
        return config

    @classmethod
    def from_config(cls, config):
        config = cls.upgrade_config(dict(config))
        for key in ("generator", "discriminator"):
            if key in config:
                config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
