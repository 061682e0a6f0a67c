"""The adversarial core: one `keras.Model` and one `train_step` for every domain.

A domain model (image DCGAN, audio WaveGAN, tabular augmenter) only builds the two
networks and passes them here. Training is the textbook alternation:

    (a) sample z, generate, update the discriminator on real and fake examples;
    (b) sample a fresh z, update only the generator through the discriminator.

Losses are reduced over the *global* batch (`tf.nn.compute_average_loss`) and the
latent noise of a step is drawn for the global batch and sliced per replica, so one
step computes the same numbers on one device or on several.
"""

import contextlib

import numpy as np
import tensorflow as tf
import keras

from ganzoo.core import distribute, io
from ganzoo.core import losses as losses_lib


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
class AdversarialModel(keras.Model):
    """A generator and a discriminator trained against each other.

    Args:
        generator: a Keras model mapping latent vectors `[batch, latent_dim]` (and,
            when conditional, a condition `[batch]` or `[batch, k]`) to samples.
        discriminator: a Keras model mapping samples (and the same condition) to
            one logit per example (or per packed group of examples).
        latent_dim: size of the latent vector.
        num_classes: number of classes when the model is class-conditional: integer
            labels in `[0, num_classes)` then enter both networks.
        seed: seed of the latent noise used in training; drawn from NumPy's global
            generator when omitted, so `keras.utils.set_random_seed` makes a run
            repeatable.
        generator_ema: decay of an exponential moving average of the generator's
            weights (e.g. 0.999), or None. Averaged weights give smoother, better
            samples than the last step's (Karras et al. 2018, Yazici et al. 2019).
            Training updates the generator's own weights; outside `fit` (generate,
            export, save, presets) the generator holds the average, and the trained
            weights are kept aside until the next `fit`.
        class_loss_weight: for a conditional model whose discriminator has a second
            output of class logits (an auxiliary classifier, AC-GAN): the weight of
            its cross-entropy, learned on real examples by the discriminator and
            asked of generated ones by the generator. Pulls generated samples
            towards their requested class where the projection alone leaves
            them ambiguous. None without such a head.
    """

    default_loss = "bce"
    #: Training iterations per compiled call (`compile(steps_per_execution=...)`):
    #: fewer host round trips, which dominate with small networks.
    default_steps_per_execution = 8

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim,
        num_classes=None,
        seed=None,
        generator_ema=None,
        class_loss_weight=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.num_classes = None if num_classes is None else int(num_classes)
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        self.seed = int(seed)
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
        self._init_class_loss(class_loss_weight)
        self._generate_fn = None
        self._init_generator_ema(generator_ema)
        self.built = True

    def _init_class_loss(self, weight):
        self.class_loss_weight = None if weight is None else float(weight)
        # A subclassed discriminator has no symbolic outputs to check.
        outputs = getattr(self.discriminator, "outputs", None)
        if not outputs:
            return
        outputs = len(outputs)
        if self.class_loss_weight is None:
            if outputs != 1:
                raise ValueError(
                    f"The discriminator has {outputs} outputs: pass class_loss_weight "
                    "for a discriminator with an auxiliary classifier (logit, class logits).")
            return
        if not self.class_loss_weight > 0:
            raise ValueError(f"class_loss_weight must be positive, got {weight}.")
        if not self.conditional:
            raise ValueError("class_loss_weight needs a class-conditional model (num_classes).")
        if outputs != 2 or self.discriminator.outputs[1].shape[-1] != self.num_classes:
            raise ValueError(
                "class_loss_weight needs a discriminator with two outputs: the logit and "
                f"[batch, {self.num_classes}] class logits (an auxiliary classifier).")

    # -------------------------------------------------------- weight averaging

    def _init_generator_ema(self, decay):
        self.generator_ema = None if decay is None else float(decay)
        self._ema_weights = []
        if self.generator_ema is None:
            return
        if not 0.0 < self.generator_ema < 1.0:
            raise ValueError(f"generator_ema must be a decay in (0, 1), got {decay}.")
        # "only_first_replica": every replica computes the same average, and the
        # update runs inside the replicated step.
        for i, variable in enumerate(self.generator.trainable_variables):
            self._ema_weights.append(self.add_weight(
                shape=variable.shape, dtype="float32", trainable=False,
                initializer=keras.initializers.Constant(variable.numpy()),
                aggregation="only_first_replica", name=f"generator_ema_{i}"))
        # 1 while the generator holds the averaged weights (outside fit).
        self._ema_in_generator = self.add_weight(
            shape=(), dtype="float32", trainable=False, initializer="zeros",
            aggregation="only_first_replica", name="generator_ema_in_generator")

    def _update_generator_ema(self):
        step = tf.cast(self.g_optimizer.iterations, tf.float32)
        # Short runs would otherwise stay near the random initialization.
        decay = tf.minimum(self.generator_ema, (1.0 + step) / (10.0 + step))
        for average, variable in zip(self._ema_weights, self.generator.trainable_variables):
            average.assign_sub((1.0 - decay) * (average - tf.cast(variable, tf.float32)))

    def _swap_generator_ema(self):
        for average, variable in zip(self._ema_weights, self.generator.trainable_variables):
            trained = variable.numpy()
            variable.assign(average.numpy().astype(trained.dtype))
            average.assign(trained.astype("float32"))
        self._ema_in_generator.assign(1.0 - float(self._ema_in_generator.numpy()))

    def _set_generator_weights(self, averaged):
        """Puts the averaged (True) or the trained (False) weights in the generator."""
        if self.generator_ema is not None and bool(self._ema_in_generator.numpy()) != averaged:
            self._swap_generator_ema()

    @contextlib.contextmanager
    def averaged_generator_weights(self):
        """A context in which the generator holds the averaged weights (a no-op
        without `generator_ema`); what was there before comes back afterwards."""
        before = self.generator_ema is not None and bool(self._ema_in_generator.numpy())
        self._set_generator_weights(True)
        try:
            yield self.generator
        finally:
            self._set_generator_weights(before)

    @contextlib.contextmanager
    def _training_generator_weights(self):
        # Training moves the trained weights; the average is what is left in place after.
        self._set_generator_weights(averaged=False)
        try:
            yield
        finally:
            self._set_generator_weights(averaged=True)

    def reset_generator_ema(self):
        """Takes the generator's current weights as the average (after loading
        generator-only weights, e.g. from a preset)."""
        if self.generator_ema is None:
            return
        for average, variable in zip(self._ema_weights, self.generator.trainable_variables):
            average.assign(variable.numpy().astype("float32"))
        self._ema_in_generator.assign(1.0)

    @property
    def conditional(self):
        return self.num_classes is not None

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
        return loss

    def _generate_for_critic(self, real, condition):
        batch_size = tf.shape(real)[0]
        z = self._latent(batch_size, stream=0, counter=self.d_optimizer.iterations)
        fake = self.generator(self._generator_inputs(z, condition), training=True)
        return tf.stop_gradient(tf.cast(fake, real.dtype))

    def generator_step(self, batch_size, condition=None):
        """(b): one generator update through the (untouched) discriminator."""
        z = self._latent(batch_size, stream=1, counter=self.g_optimizer.iterations)
        with tf.GradientTape() as tape:
            fake = self.generator(self._generator_inputs(z, condition), training=True)
            fake_logits, fake_class_logits = self._discriminator_outputs(fake, condition)
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
        if self.generator_ema is not None:
            self._update_generator_ema()
        self.g_loss_tracker.update_state(self._unscale(loss))
        return loss

    def generator_penalty(self, fake, condition):
        """Per-example extra generator loss; domains override (e.g. CTGAN's
        conditional cross-entropy). None means no extra term."""
        return None

    def test_step(self, data):
        real, condition = self._unpack(data)
        batch_size = tf.shape(real)[0]
        z = self._latent(batch_size, stream=2, counter=self.d_optimizer.iterations)
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
        alpha = self._global_noise(
            tf.random.stateless_uniform, batch_size, [1] * (real.shape.rank - 1),
            stream=3, counter=self.d_optimizer.iterations, dtype=real.dtype,
        )
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

    def _seed(self, stream, counter):
        return tf.stack(
            [tf.constant(self.seed * 4 + stream, tf.int64), tf.cast(counter, tf.int64)]
        )

    def _latent(self, batch_size, stream, counter):
        return self._global_noise(
            tf.random.stateless_normal, batch_size, [self.latent_dim], stream, counter
        )

    def _global_noise(self, sampler, batch_size, tail, stream, counter, dtype=tf.float32):
        """Noise for this replica's share of the global batch.

        The whole global batch's noise comes from one stateless draw keyed by the
        optimizer's step, so it does not depend on how many replicas share it.
        """
        seed = self._seed(stream, counter)
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        shape = tf.concat([[batch_size * replicas], tf.constant(tail, tf.int32)], 0)
        noise = sampler(shape, seed, dtype=dtype)
        if replicas == 1:
            return noise
        replica = tf.distribute.get_replica_context().replica_id_in_sync_group
        return noise[replica * batch_size : (replica + 1) * batch_size]

    @staticmethod
    def _unscale(loss):
        # Metrics report the global-batch mean, not the per-replica share.
        return loss * tf.distribute.get_strategy().num_replicas_in_sync

    # -------------------------------------------------------------- inference

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def sample_latent(self, n, seed=None):
        """`n` latent vectors, float32 NumPy, repeatable for a given `seed`."""
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        return np.random.default_rng(seed).standard_normal(
            (int(n), self.latent_dim)
        ).astype("float32")

    def resolve_labels(self, n, labels):
        """Integer labels for `n` samples: None cycles through the classes."""
        if not self.conditional:
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

    def generate(self, n, labels=None, seed=None, batch_size=256, verbose=False):
        """Generates `n` samples as a float32 NumPy array.

        Args:
            n: number of samples.
            labels: for a conditional model, one label for all, or `n` labels;
                None spreads the samples evenly over the classes.
            seed: makes the output repeatable (the same seed gives the same samples,
                also after saving and loading the model).
            batch_size: samples generated per forward pass.
            verbose: show a progress bar (worth it for thousands of samples).
        """
        n = int(n)
        if n < 1:
            raise ValueError(f"n must be a positive number of samples, got {n}.")
        labels = self.resolve_labels(n, labels)
        z = self.sample_latent(n, seed)
        return self.generate_from_latent(z, labels, batch_size=batch_size, verbose=verbose)

    def generate_from_latent(self, z, labels=None, batch_size=256, verbose=False):
        if self._generate_fn is None:
            self._generate_fn = tf.function(
                lambda inputs: tf.cast(self.generator(inputs, training=False), tf.float32),
                reduce_retracing=True,
            )
        with self.averaged_generator_weights():
            return self._generate_batches(z, labels, batch_size, verbose)

    def _generate_batches(self, z, labels, batch_size, verbose):
        out = []
        starts = range(0, len(z), batch_size)
        if verbose and len(starts) > 1:
            from tqdm.auto import tqdm

            starts = tqdm(starts, desc="generating", unit="batch", leave=False)
        for start in starts:
            stop = start + batch_size
            inputs = tf.constant(z[start:stop]) if labels is None else [
                tf.constant(z[start:stop]), tf.constant(labels[start:stop])]
            out.append(self._generate_fn(inputs).numpy())
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
        archive.track(generator)
        if self.conditional:
            label_spec = tf.TensorSpec([None], tf.int32, name="labels")

            def serve(latent, labels):
                samples = generator([latent, labels], training=False)
                return {"samples": tf.cast(samples, tf.float32)}

            archive.add_endpoint("serve", serve, input_signature=[latent_spec, label_spec])
        else:

            def serve(latent):
                samples = generator(latent, training=False)
                return {"samples": tf.cast(samples, tf.float32)}

            archive.add_endpoint("serve", serve, input_signature=[latent_spec])
        with io.atomic_output(filepath, overwrite=overwrite) as tmp, \
                self.averaged_generator_weights():
            archive.write_out(tmp, verbose=False)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "generator": keras.saving.serialize_keras_object(self.generator),
                "discriminator": keras.saving.serialize_keras_object(self.discriminator),
                "latent_dim": self.latent_dim,
                "num_classes": self.num_classes,
                "seed": self.seed,
                "generator_ema": self.generator_ema,
                "class_loss_weight": self.class_loss_weight,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
