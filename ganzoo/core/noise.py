"""The training noise: stateless random draws keyed by (model seed, stream, step).

Each kind of draw has its own stream, and the counter is the optimizer step that uses it,
so a run is repeatable for a given seed and resuming from a backup continues the same
sequence. The draw covers the *global* batch and each replica takes its slice, so one
step computes the same numbers on one device or on several.
"""

import tensorflow as tf

#: Latent vectors of the discriminator's fakes, of the generator step, of `test_step`,
#: and the interpolation weights of the gradient penalty.
CRITIC, GENERATOR, EVALUATION, PENALTY = 0, 1, 2, 3
STREAMS = 4
#: Folded into the generator stream's seed for the conditions a private model's
#: generator step draws from its prior (`AdversarialModel.prior_conditions`).
PRIOR_CONDITIONS = 1


def stream_seed(seed, stream, counter):
    """The `[2]` int64 seed of a stateless op for `stream` at step `counter`."""
    return tf.stack([tf.constant(seed * STREAMS + stream, tf.int64),
                     tf.cast(counter, tf.int64)])


def global_batch_noise(sampler, batch_size, tail, seed, stream, counter, dtype=tf.float32):
    """This replica's `[batch_size, *tail]` share of one draw for the global batch.

    `sampler` is a stateless op such as `tf.random.stateless_normal`.
    """
    return replica_slice(sampler, batch_size, tail, stream_seed(seed, stream, counter), dtype)


def replica_slice(sampler, batch_size, tail, seed_pair, dtype=tf.float32):
    """As `global_batch_noise`, from a `[2]` stateless seed."""
    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    shape = tf.concat([[batch_size * replicas], tf.constant(tail, tf.int32)], 0)
    noise = sampler(shape, seed_pair, dtype=dtype)
    if replicas == 1:
        return noise
    replica = tf.distribute.get_replica_context().replica_id_in_sync_group
    return noise[replica * batch_size:(replica + 1) * batch_size]


def latent(batch_size, latent_dim, seed, stream, counter):
    """Standard-normal latent vectors `[batch_size, latent_dim]`."""
    return global_batch_noise(tf.random.stateless_normal, batch_size, [latent_dim], seed,
                              stream, counter)
