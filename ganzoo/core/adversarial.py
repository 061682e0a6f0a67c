"""The adversarial core: one `keras.Model` and one `train_step` for every domain.

A domain model (image DCGAN, audio WaveGAN and SpecGAN, tabular GAN) builds the two
networks, passes them here, and declares what the rest of the package needs of it
(`ganzoo.core.contract`). Training is the textbook alternation, read top to bottom in
`train_step`:

    (a) generate, update the discriminator on real and generated examples;
    (b) generate anew, update only the generator through the discriminator.

Each network's loss is the weighted sum of the model's named terms
(`ganzoo.core.terms`: the adversarial loss, the auxiliary classifier's class loss, the
gradient penalty, and a domain's own terms). Losses are means over the *global* batch
and the latent noise of a step is drawn for the global batch and sliced per replica
(`ganzoo.core.noise`), so one step computes the same numbers on one device or on
several. Generation and persistence are parts of their own
(`ganzoo.core.generation`, `ganzoo.core.persistence`); the generator's weight average
lives in `ganzoo.core.weight_average`.
"""

import contextlib

import tensorflow as tf
import keras

from ganzoo.core import conditioning, distribute, noise, persistence, random_state, terms
from ganzoo.core import spectral, terms_options
from ganzoo.core.augmentation import DEFAULT_PROBABILITY, DEFAULT_TARGET, DiscriminatorAugmentation
from ganzoo.core.contract import ModelContract
from ganzoo.core import losses as losses_lib
from ganzoo.core.generation import Generation
from ganzoo.core.persistence import Persistence
from ganzoo.core.privacy import DifferentialPrivacy
from ganzoo.core.weight_average import DEFAULT_DECAY, GeneratorAverage, check_decay

#: Every metric the core logs, by name; `metrics` lists those a model's settings use.
METRICS = ("d_loss", "g_loss", "d_real_acc", "d_fake_acc", "gradient_penalty",
           "r1_penalty", "lecam", "d_class_acc", "g_class_acc", "aug_p")


def default_optimizer(loss):
    """The optimizer a network gets when `compile` is given none."""
    if isinstance(loss, losses_lib.WassersteinGP):
        return keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9)  # Gulrajani et al.
    return keras.optimizers.Adam(2e-4, beta_1=0.5)  # Radford et al.


@keras.saving.register_keras_serializable(package="ganzoo")
class AdversarialModel(Generation, Persistence, ModelContract, keras.Model):
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
            weights, or None. Outside `fit` (generate, export, save, presets) the
            generator holds the average; see `ganzoo.core.weight_average`.
        class_loss_weight: for a conditional model whose discriminator has a second
            output of class logits (an auxiliary classifier, AC-GAN): the weight of
            the class loss term (`ganzoo.core.terms.ClassLoss`). None without one.
        discriminator_augment: differentiable augmentation of every batch the
            discriminator sees, real and generated, in both steps (DiffAugment / ADA,
            for small data): names of the model's `augmentation_policies` (a list or
            "a,b"), or "default"; None (the default) trains without. (Named `augment`
            before 0.6; that name is deprecated and goes in 0.7.)
        discriminator_augment_p: the probability of each transform per example: a
            number or "adaptive" (ADA: raised while the discriminator overfits; logged
            as `aug_p`).
        discriminator_augment_target, discriminator_augment_speed: ADA's target and how
            fast p moves (by at most 1 per `speed` discriminator outputs on real
            examples).
        r1_weight, r1_every: the R1 penalty on real examples (`ganzoo.core.terms.R1Penalty`:
            gamma, and every how many discriminator steps it is computed); None: none.
        lecam_weight, lecam_decay: LeCam regularisation (`ganzoo.core.terms.LeCam`) and
            the decay of the logit averages it uses; None: none.
        spectral_norm: spectral normalisation of the discriminator's dense and
            convolution layers (`ganzoo.core.spectral`).

    What the rest of the package asks of a model (its domain, how its samples are
    written and previewed) is `ganzoo.core.contract.ModelContract`.
    """

    default_loss = "bce"
    #: Training iterations per compiled call (`compile(steps_per_execution=...)`):
    #: fewer host round trips, which dominate with small networks.
    default_steps_per_execution = 8

    def __init__(self, generator, discriminator, latent_dim, num_classes=None,
                 class_names=None, condition_dim=None, seed=None, generator_ema=DEFAULT_DECAY,
                 class_loss_weight=None, discriminator_augment=None,
                 discriminator_augment_p=DEFAULT_PROBABILITY, discriminator_augment_target=DEFAULT_TARGET,
                 discriminator_augment_speed=20_000, r1_weight=None, r1_every=1,
                 lecam_weight=None, lecam_decay=0.99, spectral_norm=False, privacy=None,
                 **kwargs):
        renamed = persistence.take_renamed_arguments(kwargs, warn=True)
        discriminator_augment = renamed.get("discriminator_augment", discriminator_augment)
        discriminator_augment_p = renamed.get("discriminator_augment_p", discriminator_augment_p)
        discriminator_augment_target = renamed.get("discriminator_augment_target",
                                                   discriminator_augment_target)
        discriminator_augment_speed = renamed.get("discriminator_augment_speed",
                                                  discriminator_augment_speed)
        super().__init__(**kwargs)
        self.spectral_norm = bool(spectral_norm)
        if self.spectral_norm:
            discriminator = spectral.spectrally_normalized(discriminator)
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
        self.loss_terms = []
        self.g_optimizer = None
        self.d_optimizer = None
        # One attribute per metric (Keras tracks them); `update_metric(name, value)` updates one.
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_acc_tracker = keras.metrics.Mean(name="d_real_acc")
        self.d_fake_acc_tracker = keras.metrics.Mean(name="d_fake_acc")
        self.gp_tracker = keras.metrics.Mean(name="gradient_penalty")
        self.d_class_acc_tracker = keras.metrics.Mean(name="d_class_acc")
        self.g_class_acc_tracker = keras.metrics.Mean(name="g_class_acc")
        self.aug_p_tracker = keras.metrics.Mean(name="aug_p")
        self.r1_tracker = keras.metrics.Mean(name="r1_penalty")
        self.lecam_tracker = keras.metrics.Mean(name="lecam")
        self.r1_weight, self.r1_every = terms_options.check_r1(r1_weight, r1_every)
        self.lecam_weight, self.lecam_decay = terms_options.check_lecam(lecam_weight, lecam_decay)
        self.logit_averages = (None if self.lecam_weight is None else
                               terms.LogitAverages(self, self.lecam_decay))
        self.class_loss_weight = conditioning.check_auxiliary_classifier(
            self.discriminator, class_loss_weight, self.num_classes)
        self._generate_fn = None
        self.generator_ema = check_decay(generator_ema)
        self.generator_average = (None if self.generator_ema is None else
                                  GeneratorAverage(self, generator, self.generator_ema))
        self.augmentation = None if discriminator_augment is None else DiscriminatorAugmentation(
            self, self.augmentation_policies, discriminator_augment, discriminator_augment_p,
            discriminator_augment_target, discriminator_augment_speed,
            default=self.default_augmentation)
        self.privacy = DifferentialPrivacy.get(privacy)
        if self.privacy is not None:
            self.privacy.check_model(self)
        self.built = True

    @property
    def conditional(self):
        return self.num_classes is not None or self.condition_dim is not None

    # ---------------------------------------------------------------- compile

    def compile(self, g_optimizer=None, d_optimizer=None, loss=None, label_smoothing=None,
                n_critic=None, gradient_penalty_weight=None, share_fakes=False, **kwargs):
        """Configures training.

        Args:
            g_optimizer, d_optimizer: optimizers (instances, names or configs); the
                defaults follow the loss (`default_optimizer`).
            loss: `"bce"` (binary cross-entropy, one-sided label smoothing) or
                `"wgan-gp"` (critic with gradient penalty), or an
                `ganzoo.core.losses.AdversarialLoss`. Defaults to the model's own.
            label_smoothing: real target is `1 - label_smoothing` (bce; default 0.1).
            n_critic: discriminator updates per generator update (bce 1, wgan-gp 5).
            gradient_penalty_weight: lambda of WGAN-GP (default 10).
            share_fakes: the `n_critic` discriminator updates of one iteration judge
                one generated batch (one generator pass per iteration instead of
                `n_critic`), where the generator costs more than the critic.
            **kwargs: passed to `keras.Model.compile` (`steps_per_execution`,
                `jit_compile`, `run_eagerly`).
        """
        self.adversarial_loss = losses_lib.get(
            loss or self.default_loss, label_smoothing=label_smoothing, n_critic=n_critic,
            gradient_penalty_weight=gradient_penalty_weight)
        self.loss_terms = self.compose_loss_terms()
        self.share_fakes = bool(share_fakes)
        self.g_optimizer = self._make_optimizer(g_optimizer, self.generator)
        self.d_optimizer = self._make_optimizer(d_optimizer, self.discriminator)
        if self.privacy is not None and isinstance(self.d_optimizer,
                                                   keras.optimizers.LossScaleOptimizer):
            raise ValueError("Differential privacy clips each example's gradient, which loss "
                             "scaling would distort: train in float32 or mixed_bfloat16, "
                             "not mixed_float16.")
        if self.g_optimizer is self.d_optimizer:
            raise ValueError("g_optimizer and d_optimizer must be two optimizer objects: "
                             "an optimizer holds per-variable state for one network.")
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

    def compose_loss_terms(self):
        """The terms of both losses, in the order they are added."""
        composed = [terms.Adversarial(self.adversarial_loss)]
        if self.class_loss_weight:
            composed.append(terms.ClassLoss(self.class_loss_weight))
        if self.adversarial_loss.gradient_penalty_weight:
            composed.append(terms.GradientPenalty(self.adversarial_loss.gradient_penalty_weight))
        if self.r1_weight:
            composed.append(terms.R1Penalty(self.r1_weight, self.r1_every))
        if self.lecam_weight:
            composed.append(terms.LeCam(self.lecam_weight))
        return composed + list(self.domain_terms())

    def domain_terms(self):
        """A domain's own loss terms (e.g. the tabular GAN's conditional cross-entropy)."""
        return ()

    def _make_optimizer(self, optimizer, network):
        optimizer = (default_optimizer(self.adversarial_loss) if optimizer is None
                     else keras.optimizers.get(optimizer))
        if _computes_in_float16(network) and not isinstance(
                optimizer, keras.optimizers.LossScaleOptimizer):
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

    # ---------------------------------------------------------------- metrics

    def _metric(self, name):
        return {"d_loss": self.d_loss_tracker, "g_loss": self.g_loss_tracker,
                "d_real_acc": self.d_real_acc_tracker, "d_fake_acc": self.d_fake_acc_tracker,
                "gradient_penalty": self.gp_tracker, "d_class_acc": self.d_class_acc_tracker,
                "g_class_acc": self.g_class_acc_tracker, "aug_p": self.aug_p_tracker,
                "r1_penalty": self.r1_tracker, "lecam": self.lecam_tracker}[name]

    def update_metric(self, name, value):
        """Adds `value` to the metric `name` (one of `METRICS`)."""
        self._metric(name).update_state(value)

    def metric_names(self):
        """The metrics this model's settings log, in `METRICS` order."""
        used = {"d_loss", "g_loss", "d_real_acc", "d_fake_acc"}
        if self.adversarial_loss and self.adversarial_loss.gradient_penalty_weight:
            used.add("gradient_penalty")
        if self.class_loss_weight:
            used |= {"d_class_acc", "g_class_acc"}
        if self.r1_weight:
            used.add("r1_penalty")
        if self.lecam_weight:
            used.add("lecam")
        if self.augmentation is not None:
            used.add("aug_p")
        return [name for name in METRICS if name in used]

    @property
    def metrics(self):
        return [self._metric(name) for name in self.metric_names()]

    def logs(self, names=None):
        """`{name: result}` of the metrics `names` (default: all this model logs)."""
        logs = {name: self._metric(name).result() for name in (names or self.metric_names())}
        if distribute.in_multi_worker_mode():
            # Keras averages each log over workers with `reduce(MEAN, axis=0)`, which
            # needs an axis to reduce: give every scalar one.
            logs = {name: tf.reshape(value, [1]) for name, value in logs.items()}
        return logs

    def average(self, values):
        """A term's per-example (or per-group) values reduced for the loss: their mean
        over the global batch, or, while a private discriminator update is traced, the
        values themselves (each one's gradient is clipped before they are summed)."""
        if self.privacy is not None and self.privacy.per_example:
            return values
        return tf.nn.compute_average_loss(values)

    @staticmethod
    def unscale(loss):
        """The global-batch mean of a per-replica share (`compute_average_loss`)."""
        return loss * tf.distribute.get_strategy().num_replicas_in_sync

    # --------------------------------------------------------------- training

    def train_step(self, data):
        real, condition = self.unpack(data)
        shared_fake = self.generate_for_critic(real, condition) if self.share_fakes else None
        for _ in range(self.adversarial_loss.n_critic):
            self.discriminator_step(real, condition, fake=shared_fake)
        self.generator_step(tf.shape(real)[0], condition)
        return self.logs()

    def discriminator_step(self, real, condition=None, fake=None):
        """(a): one discriminator update on real and generated examples (`fake`, or a
        batch generated now). Returns its loss."""
        if fake is None:
            fake = self.generate_for_critic(real, condition)
        step = self.d_optimizer.iterations
        real = self.discriminator_view(real, noise.CRITIC, step, 1)
        fake = self.discriminator_view(fake, noise.CRITIC, step, 2)
        if self.privacy is not None:
            loss, judged, grads = self.private_discriminator_gradients(real, fake, condition)
        else:
            with tf.GradientTape() as tape:
                judged = self.judge(real, fake, condition)
                loss = terms.weighted_sum(self.loss_terms, "discriminator", self, judged)
                scaled = self.d_optimizer.scale_loss(loss)
            grads = tape.gradient(scaled, self.discriminator.trainable_variables)
        self._apply(self.d_optimizer, self.discriminator, grads)
        self.update_metric("d_loss", self.unscale(loss))
        self.update_metric("d_real_acc", tf.reduce_mean(tf.cast(judged.real_logits > 0, tf.float32)))
        self.update_metric("d_fake_acc", tf.reduce_mean(tf.cast(judged.fake_logits < 0, tf.float32)))
        if self.augmentation is not None:
            self.augmentation.adapt(judged.real_logits)
            self.update_metric("aug_p", self.augmentation.current_p())
        return loss

    def private_discriminator_gradients(self, real, fake, condition):
        """(mean loss, judgement, gradients) of a DP-SGD discriminator update
        (`ganzoo.core.privacy`): the terms' per-unit losses, each unit's gradient clipped,
        summed and noised."""
        if tf.distribute.get_strategy().num_replicas_in_sync > 1:
            raise ValueError("Differential privacy trains on one device here: the noise "
                             "would be added once per replica.")
        with tf.GradientTape() as tape:
            with self.privacy.per_example_losses(self):
                judged = self.judge(real, fake, condition)
                unit_losses = terms.weighted_sum(self.loss_terms, "discriminator", self, judged)
        grads = self.privacy.gradients(tape, unit_losses, self.discriminator.trainable_variables,
                                       self.d_optimizer.iterations)
        return tf.reduce_mean(unit_losses), judged, grads

    def generator_step(self, batch_size, condition=None):
        """(b): one generator update through the (untouched) discriminator. Returns its
        loss."""
        step = self.g_optimizer.iterations
        if self.privacy is not None and condition is not None:
            # The batch's own labels would reach the generator unclipped.
            condition = self.prior_conditions(batch_size, step)
        z = noise.latent(batch_size, self.latent_dim, self.seed, noise.GENERATOR, step)
        with tf.GradientTape() as tape:
            generated = self.generator(self.generator_inputs(z, condition), training=True)
            seen = self.discriminator_view(generated, noise.GENERATOR, step, 1)
            logits, class_logits = self.discriminate(seen, condition)
            judged = terms.Judgement(None, seen, condition, None, logits,
                                     fake_class_logits=class_logits, generated=generated)
            loss = terms.weighted_sum(self.loss_terms, "generator", self, judged)
            scaled = self.g_optimizer.scale_loss(loss)
        self._apply(self.g_optimizer, self.generator, tape.gradient(
            scaled, self.generator.trainable_variables))
        if self.generator_average is not None:
            self.generator_average.update(self.g_optimizer.iterations)
        self.update_metric("g_loss", self.unscale(loss))
        return loss

    def test_step(self, data):
        real, condition = self.unpack(data)
        z = noise.latent(tf.shape(real)[0], self.latent_dim, self.seed, noise.EVALUATION,
                         self.d_optimizer.iterations)
        fake = self.generator(self.generator_inputs(z, condition), training=False)
        judged = self.judge(real, tf.cast(fake, real.dtype), condition, training=False)
        adversarial = terms.Adversarial(self.adversarial_loss)
        self.update_metric("d_loss", self.unscale(adversarial.discriminator(self, judged)))
        self.update_metric("g_loss", self.unscale(adversarial.generator(self, judged)))
        self.update_metric("d_real_acc", tf.reduce_mean(tf.cast(judged.real_logits > 0, tf.float32)))
        self.update_metric("d_fake_acc", tf.reduce_mean(tf.cast(judged.fake_logits < 0, tf.float32)))
        return self.logs(["d_loss", "g_loss", "d_real_acc", "d_fake_acc"])

    # ----------------------------------------------------------- step pieces

    def unpack(self, data):
        """`(samples, condition)` of a batch (condition None when unconditional)."""
        real, condition, _ = keras.utils.unpack_x_y_sample_weight(data)
        if isinstance(real, (list, tuple)) and len(real) == 2 and condition is None:
            real, condition = real
        if self.conditional and condition is None:
            raise ValueError(
                f"{type(self).__name__} is class-conditional (num_classes="
                f"{self.num_classes}) but the data has no labels: pass a dataset "
                "of (samples, labels) pairs.")
        return real, condition if self.conditional else None

    def prior_conditions(self, batch_size, step):
        """Conditions for a generator update that reads no real data (differential
        privacy): class labels drawn uniformly. Models with condition vectors override
        this with their own (private) prior."""
        if self.num_classes is None:
            raise NotImplementedError(f"{type(self).__name__} has no prior to draw its "
                                      "conditions from under differential privacy.")
        seed = tf.random.experimental.stateless_fold_in(
            noise.stream_seed(self.seed, noise.GENERATOR, step), noise.PRIOR_CONDITIONS)
        return tf.random.stateless_uniform([batch_size], seed, maxval=self.num_classes,
                                           dtype=tf.int32)

    def generator_inputs(self, z, condition):
        return z if condition is None else [z, condition]

    def generate_for_critic(self, real, condition):
        """A generated batch for the discriminator's update (no gradient to the generator)."""
        z = noise.latent(tf.shape(real)[0], self.latent_dim, self.seed, noise.CRITIC,
                         self.d_optimizer.iterations)
        fake = self.generator(self.generator_inputs(z, condition), training=True)
        return tf.stop_gradient(tf.cast(fake, real.dtype))

    def discriminator_view(self, samples, stream, counter, part):
        """`samples` as the discriminator sees them (unchanged without
        `discriminator_augment`)."""
        if self.augmentation is None:
            return samples
        seed = tf.random.experimental.stateless_fold_in(
            noise.stream_seed(self.seed, stream, counter), part)
        return self.augmentation(samples, seed)

    def discriminate(self, samples, condition, training=True):
        """The adversarial logits and the class logits (None without an auxiliary
        classifier), float32."""
        network = self.discriminator if self.privacy is None else self.privacy.network(
            self.discriminator)
        outputs = network(samples if condition is None else [samples, condition],
                          training=training)
        if not self.class_loss_weight:
            return tf.cast(outputs, tf.float32), None
        logits, class_logits = outputs
        return tf.cast(logits, tf.float32), tf.cast(class_logits, tf.float32)

    def judge(self, real, fake, condition, training=True):
        """A `Judgement` of real and fake examples, in one pass over both (fewer, larger
        kernels)."""
        both = tf.concat([real, fake], axis=0)
        doubled = None if condition is None else tf.concat([condition, condition], 0)
        logits, class_logits = self.discriminate(both, doubled, training=training)
        real_logits, fake_logits = tf.split(logits, 2, axis=0)
        real_class_logits = fake_class_logits = None
        if class_logits is not None:
            real_class_logits, fake_class_logits = tf.split(class_logits, 2, axis=0)
        return terms.Judgement(real, fake, condition, real_logits, fake_logits,
                               real_class_logits, fake_class_logits)

    @staticmethod
    def _apply(optimizer, network, grads):
        # Embedding gradients arrive as IndexedSlices whose length differs between
        # replicas (the gradient penalty adds lookups); all-reducing them needs one shape.
        grads = [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g
                 for g in grads]
        optimizer.apply_gradients(zip(grads, network.trainable_variables))

    # ------------------------------------------------------------ fit wrappers

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        # Keras' symbolic build averages a first batch across replicas, which fails
        # under MultiWorkerMirroredStrategy (keras-team/keras#20585). Both networks and
        # both optimizers are built by the constructor and compile(), so there is
        # nothing left for it to build. A private method of Keras: tests/test_keras_private.py
        # fails when its name, signature or call site changes.
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

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)


def _computes_in_float16(network):
    """Whether any layer of `network` (nested ones included) computes in float16."""
    def layers(layer):
        yield layer
        for inner in getattr(layer, "layers", None) or ():
            yield from layers(inner)

    return any(layer.dtype_policy.compute_dtype == "float16" for layer in layers(network))
