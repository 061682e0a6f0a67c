"""The terms of the two networks' losses.

A network's loss is the weighted sum of the model's terms (`AdversarialModel.loss_terms`):
each term says what it adds to the discriminator's loss and to the generator's, given a
`Judgement` (a batch and what the discriminator made of it), or None where it adds
nothing. A term reduces its per-example values with `model.average`: their mean over
the *global* batch (`tf.nn.compute_average_loss`), so a term is correct on one device
and under `tf.distribute`; while a private discriminator update is traced, the values
themselves (`ganzoo.core.privacy` clips each example's gradient). A domain adds its own
terms through `AdversarialModel.domain_terms` (the tabular GAN's conditional
cross-entropy); a new regulariser is a new term, not a branch in the training step.
"""

import tensorflow as tf

from ganzoo.core import noise


class Judgement:
    """One batch as the discriminator saw it and its float32 outputs.

    For the discriminator's update `real` and `fake` are what it judged (augmented where
    the model augments); for the generator's, `real` is None and `generated` is the
    generator's own output before any augmentation."""

    def __init__(self, real, fake, condition, real_logits, fake_logits,
                 real_class_logits=None, fake_class_logits=None, generated=None):
        self.real, self.fake, self.condition = real, fake, condition
        self.real_logits, self.fake_logits = real_logits, fake_logits
        self.real_class_logits, self.fake_class_logits = real_class_logits, fake_class_logits
        self.generated = generated


class LossTerm:
    """A named, weighted term of the losses. Subclasses override `discriminator` and / or
    `generator`; `model.update_metric(name, value)` logs what a term measures on the way."""

    #: What the term is called (`model.loss_terms` lists them by it).
    name = None
    #: Whether it differentiates the discriminator with respect to its inputs (a
    #: private update then needs whole per-example gradients, `ganzoo.core.privacy`).
    second_order = False

    def __init__(self, weight=1.0):
        self.weight = float(weight)

    def discriminator(self, model, judged):
        """This term's share of the discriminator's loss (unweighted), or None."""
        return None

    def generator(self, model, judged):
        """This term's share of the generator's loss (unweighted), or None."""
        return None

    def __repr__(self):
        return f"{type(self).__name__}(weight={self.weight})"


def weighted_sum(terms, network, model, judged):
    """The loss of `network` ("discriminator" or "generator"): the weighted sum of what
    each term adds to it, in the terms' order."""
    total = None
    for term in terms:
        value = getattr(term, network)(model, judged)
        if value is None:
            continue
        total = term.weight * value if total is None else total + term.weight * value
    return total


class Adversarial(LossTerm):
    """The adversarial loss (`ganzoo.core.losses`: BCE with label smoothing, WGAN)."""

    name = "adversarial"

    def __init__(self, loss):
        super().__init__(1.0)
        self.loss = loss

    def discriminator(self, model, judged):
        return model.average(
            self.loss.discriminator_loss(judged.real_logits, judged.fake_logits))

    def generator(self, model, judged):
        return model.average(self.loss.generator_loss(judged.fake_logits))


class ClassLoss(LossTerm):
    """The auxiliary classifier's cross-entropy (AC-GAN): the discriminator learns the
    class of real examples only (fakes would teach it the generator's mistakes), and the
    generator is asked for samples classified as requested. Logs `d_class_acc` /
    `g_class_acc`."""

    name = "class_loss"

    def discriminator(self, model, judged):
        return _cross_entropy(model, judged.condition, judged.real_class_logits, "d_class_acc")

    def generator(self, model, judged):
        return _cross_entropy(model, judged.condition, judged.fake_class_logits, "g_class_acc")


def _cross_entropy(model, labels, class_logits, accuracy_metric):
    labels = tf.cast(tf.reshape(labels, [-1]), tf.int32)
    predicted = tf.argmax(class_logits, axis=-1, output_type=tf.int32)
    model.update_metric(accuracy_metric, tf.reduce_mean(tf.cast(tf.equal(predicted, labels), tf.float32)))
    return model.average(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=class_logits))


class GradientPenalty(LossTerm):
    """WGAN-GP's penalty: the discriminator's gradient norm at points between real and
    fake examples, pulled towards 1 (one norm per discriminator output: per example, or
    per packed group for a PacGAN discriminator). Logs `gradient_penalty` (unweighted)."""

    name = "gradient_penalty"
    second_order = True

    def discriminator(self, model, judged):
        penalty = model.average(
            gradient_penalty(model, judged.real, judged.fake, judged.condition))
        model.update_metric("gradient_penalty", model.unscale(penalty))
        return penalty


def gradient_penalty(model, real, fake, condition):
    """Per discriminator output: (||grad D(mix)|| - 1)^2."""
    alpha = noise.global_batch_noise(
        tf.random.stateless_uniform, tf.shape(real)[0], [1] * (real.shape.rank - 1),
        model.seed, noise.PENALTY, model.d_optimizer.iterations, dtype=real.dtype)
    mixed = real + alpha * (fake - real)
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        logits = model.discriminate(mixed, condition)[0]
    grads = tf.cast(tape.gradient(logits, mixed), tf.float32)
    grads = tf.reshape(grads, [tf.shape(logits)[0], -1])
    norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1) + 1e-12)
    return tf.square(norm - 1.0)


class R1Penalty(LossTerm):
    """R1 (Mescheder et al. 2018): the squared norm of the discriminator's gradient at
    real examples (as it sees them), halved: `weight / 2 * |grad D(real)|^2`. With
    `every` > 1 it is computed on every `every`-th discriminator step only and scaled by
    `every` (StyleGAN2's lazy regularisation). Logs `r1_penalty`: the mean squared norm
    on the steps it is computed."""

    name = "r1_penalty"
    second_order = True

    def __init__(self, weight, every=1):
        super().__init__(weight)
        self.every = int(every)

    def discriminator(self, model, judged):
        def penalty():
            squared = model.average(
                squared_gradient_norm(model, judged.real, judged.condition))
            model.update_metric("r1_penalty", model.unscale(squared))
            return 0.5 * self.every * squared

        if self.every == 1:
            return penalty()
        due = tf.equal(model.d_optimizer.iterations % self.every, 0)
        return tf.cond(due, penalty, lambda: model.average(
            tf.zeros_like(tf.reshape(judged.real_logits, [-1]))))


def squared_gradient_norm(model, samples, condition):
    """Per discriminator output: |grad D(samples)|^2 with respect to its examples."""
    with tf.GradientTape() as tape:
        tape.watch(samples)
        logits = model.discriminate(samples, condition)[0]
    grads = tf.cast(tape.gradient(logits, samples), tf.float32)
    grads = tf.reshape(grads, [tf.shape(logits)[0], -1])
    return tf.reduce_sum(tf.square(grads), axis=1)


class LeCam(LossTerm):
    """LeCam regularisation for small data (Tseng et al. 2021, as their code computes
    it): `relu(D(real) - a_fake)^2 + relu(a_real - D(fake))^2`, where `a_real` and
    `a_fake` are moving averages of the discriminator's mean logits on real and on
    generated examples (`LogitAverages`, updated after each use). It keeps the logits
    from drifting apart when the discriminator starts to memorise. Logs `lecam`."""

    name = "lecam"

    def discriminator(self, model, judged):
        averages = model.logit_averages
        real = tf.reshape(judged.real_logits, [-1])
        fake = tf.reshape(judged.fake_logits, [-1])
        value = (model.average(tf.square(tf.nn.relu(real - averages.fake)))
                 + model.average(tf.square(tf.nn.relu(averages.real - fake))))
        model.update_metric("lecam", model.unscale(value))
        averages.update(real, fake, model.d_optimizer.iterations)
        return value


class LogitAverages:
    """Moving averages of the discriminator's mean logit on real (`real`) and generated
    (`fake`) examples, in variables of `owner` (saved with it), the same on every
    replica (means over the global batch)."""

    def __init__(self, owner, decay):
        self.decay = float(decay)
        self.real, self.fake = (owner.add_weight(
            shape=(), dtype="float32", initializer="zeros", trainable=False,
            aggregation="only_first_replica", name=f"lecam_{kind}") for kind in ("real", "fake"))

    def update(self, real_logits, fake_logits, step):
        context = tf.distribute.get_replica_context()
        sums = [tf.reduce_sum(real_logits), tf.reduce_sum(fake_logits),
                tf.cast(tf.size(real_logits), tf.float32), tf.cast(tf.size(fake_logits), tf.float32)]
        real_sum, fake_sum, real_count, fake_count = context.all_reduce(
            tf.distribute.ReduceOp.SUM, sums)
        step = tf.cast(step, tf.float32)
        # Early steps would otherwise hold the averages near their zero start.
        decay = tf.minimum(self.decay, (1.0 + step) / (10.0 + step))
        self.real.assign_sub((1.0 - decay) * (self.real - real_sum / real_count))
        self.fake.assign_sub((1.0 - decay) * (self.fake - fake_sum / fake_count))


__all__ = ["Adversarial", "ClassLoss", "GradientPenalty", "Judgement", "LeCam", "LogitAverages",
           "LossTerm", "R1Penalty", "gradient_penalty", "squared_gradient_norm", "weighted_sum"]
