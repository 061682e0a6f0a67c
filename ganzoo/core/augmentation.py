"""Differentiable augmentation of everything the discriminator sees.

With little data the discriminator memorises the real examples and its feedback to the
generator stops meaning anything. DiffAugment (Zhao et al. 2020) transforms every batch
the discriminator judges, real and generated alike, in both steps, with ops the
generator's gradient flows through, so the generator is still asked for un-augmented
samples. ADA (Karras et al. 2020) applies each transform with a probability `p` that it
adjusts while training: up while the discriminator is too sure of the real examples
(the mean sign of its real logits above a target), down otherwise.

A model declares the transforms that make sense for its samples
(`augmentation_policies`, a name -> function dict: `ganzoo.image.augmentation`,
`ganzoo.audio.augmentation`); the core applies them (`DiscriminatorAugmentation`).
A transform is `policy(x, draws)`, transforming every example of the batch `x`, with
its random numbers from `draws` (stateless, keyed by the model's seed and the step, one
draw for the global batch of which each replica takes its slice: repeatable, the same
on one device or on several, and different between replicas).
"""

import tensorflow as tf

from ganzoo.core import noise

ADAPTIVE = "adaptive"
#: Each transform's default probability per example: ADA's, which starts at 0, so a
#: short run is not made worse (`benchmarks/small_data.py`: a fixed 0.3 was 1.25x worse
#: than none at 4,000 steps on 500 digits, adaptive 0.61-0.84x at 1,000-20,000).
DEFAULT_PROBABILITY = ADAPTIVE
#: ADA's target for the mean sign of the real logits: with label smoothing and an
#: auxiliary classifier a discriminator that has memorised its examples stays near
#: +0.5 on them, so ADA's own 0.6 never raised p.
DEFAULT_TARGET = 0.3


class Draws:
    """Random numbers for one augmented batch: every call a fresh stateless draw,
    one value (or `tail`-shaped array) per example."""

    def __init__(self, batch_size, seed_pair):
        self.batch_size = batch_size
        self.seed_pair = seed_pair
        self._calls = 0

    def uniform(self, tail=(), minval=0.0, maxval=1.0):
        seed = tf.random.experimental.stateless_fold_in(self.seed_pair, self._calls)
        self._calls += 1
        u = noise.replica_slice(tf.random.stateless_uniform, self.batch_size, list(tail),
                                seed)
        return minval + (maxval - minval) * u

    def integers(self, low, high):
        """Integers in `[low, high]` (both included), int32, one per example."""
        u = self.uniform()
        return tf.cast(tf.floor(u * tf.cast(high - low + 1, tf.float32)), tf.int32) + low


def per_example(values, x, axis=None):
    """`values` `[batch]` shaped to broadcast over `x` (along `axis` when values is
    `[batch, x.shape[axis]]`)."""
    shape = [-1] + [1] * (x.shape.rank - 1)
    if axis is not None:
        shape[axis] = x.shape[axis]
    return tf.reshape(tf.cast(values, x.dtype), shape)


def shift(x, draws, axis, max_shift, fill=0.0):
    """Shifts each example by a random whole number of steps in `[-max_shift,
    max_shift]` along `axis`, filling what comes in with `fill`."""
    n = x.shape[axis]
    offsets = draws.integers(-max_shift, max_shift)
    source = tf.range(n)[None, :] - offsets[:, None]
    inside = (source >= 0) & (source < n)
    moved = tf.gather(x, tf.clip_by_value(source, 0, n - 1), axis=axis, batch_dims=1)
    inside = per_example(inside, x, axis)
    return moved * inside + fill * (1 - inside)


def _run(n, start, width):
    """`[batch, n]` booleans: positions `[start, start + width)` of each example."""
    positions = tf.range(n)[None, :]
    return (positions >= start[:, None]) & (positions < (start + width)[:, None])


def band(draws, n, width):
    """`[batch, n]` booleans: one random run of `width` positions per example (it may
    run over either edge, as DiffAugment's cutout does)."""
    centre = draws.integers(0, n - 1 + (1 - width % 2))
    return _run(n, centre - width // 2, width)


def random_band_mask(x, draws, axis, max_width, fill=0.0):
    """Sets a band of up to `max_width` positions along `axis` to `fill` (SpecAugment's
    time and frequency masks)."""
    n = x.shape[axis]
    width = draws.integers(0, max_width)
    masked = per_example(_run(n, draws.integers(0, n - 1), width), x, axis)
    return x * (1 - masked) + fill * masked


def check_policies(names, available, default=(), model_name="This model"):
    """The policy names as a tuple, from a list or "a,b" ("default": the model's
    default set); a clear error for unknown ones."""
    if isinstance(names, str):
        names = [name.strip() for name in names.split(",") if name.strip()]
    if not available:
        raise ValueError(f"{model_name} has no discriminator augmentations.")
    if list(names) == ["default"]:
        names = default
    names = tuple(str(name) for name in names)
    if not names:
        raise ValueError(f"discriminator_augment names no transform; give e.g. "
                         f"{','.join(available)}.")
    unknown = [name for name in names if name not in available]
    if unknown:
        raise ValueError(f"Unknown augmentation {unknown[0]!r} for {model_name}; "
                         f"it has {', '.join(available)}.")
    return names


def check_probability(p):
    """A probability in [0, 1] or "adaptive"."""
    if isinstance(p, str):
        if p.strip().lower() == ADAPTIVE:
            return ADAPTIVE
        try:
            p = float(p)
        except ValueError:
            raise ValueError(f"discriminator_augment_p must be a probability in [0, 1] or "
                             f"'adaptive', got {p!r}.") from None
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"discriminator_augment_p must be in [0, 1] or 'adaptive', got {p}.")
    return p


class DiscriminatorAugmentation:
    """The transforms `names` of `policies`, each applied to an example with
    probability `probability` (a number, or "adaptive": ADA's heuristic with `target`
    for the mean sign of the real logits; `p` moves by at most 1 per `speed` real
    examples seen).

    The adaptive probability is a weight of `model` (named `augment_p`), so it is saved and
    restored with the model and its backups; `p` is the same on every replica.
    """

    def __init__(self, model, policies, names, probability=DEFAULT_PROBABILITY, target=DEFAULT_TARGET,
                 speed=20_000, default=()):
        self.names = check_policies(names, list(policies), default, type(model).__name__)
        self.policies = [policies[name] for name in self.names]
        self.probability = check_probability(probability)
        self.target = float(target)
        if not 0.0 <= self.target < 1.0:
            raise ValueError(f"discriminator_augment_target is a mean sign of real logits in [0, 1), "
                             f"got {target}.")
        self.speed = float(speed)
        if not self.speed > 0:
            raise ValueError(f"discriminator_augment_speed must be a positive number of examples, "
                             f"got {speed}.")
        self.p = None
        if self.probability == ADAPTIVE:
            # Starts at 0: nothing is augmented until the discriminator overfits.
            self.p = model.add_weight(name="augment_p", shape=(), initializer="zeros",
                                      trainable=False, dtype="float32", autocast=False,
                                      aggregation="only_first_replica")

    @property
    def adaptive(self):
        return self.p is not None

    def current_p(self):
        return tf.convert_to_tensor(self.p) if self.adaptive else tf.constant(
            self.probability, tf.float32)

    def __call__(self, x, seed_pair):
        """`x` as the discriminator sees it: each transform applied per example with
        probability p (every example when p is fixed at 1, as DiffAugment does)."""
        draws = Draws(tf.shape(x)[0], seed_pair)
        always = not self.adaptive and self.probability == 1.0
        if not self.adaptive and self.probability == 0.0:
            return x
        p = self.current_p()
        for policy in self.policies:
            transformed = policy(x, draws)
            if always:
                x = transformed
            else:
                chosen = draws.uniform() < p
                x = tf.where(per_example(chosen, x) > 0, transformed, x)
        return x

    def adapt(self, real_logits):
        """One ADA update from this step's real logits (reduced over all replicas)."""
        if not self.adaptive:
            return
        context = tf.distribute.get_replica_context()
        signs = tf.reduce_sum(tf.sign(tf.cast(real_logits, tf.float32)))
        count = tf.cast(tf.size(real_logits), tf.float32)
        signs, count = context.all_reduce(tf.distribute.ReduceOp.SUM, [signs, count])
        overfitting = signs / count
        step = tf.sign(overfitting - self.target) * count / self.speed
        self.p.assign(tf.clip_by_value(self.p + step, 0.0, 1.0))

    def get_config(self):
        return {"discriminator_augment": list(self.names),
                "discriminator_augment_p": self.probability,
                "discriminator_augment_target": self.target,
                "discriminator_augment_speed": self.speed}
