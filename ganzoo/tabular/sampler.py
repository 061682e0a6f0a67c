"""The conditional vector and training-by-sampling (Xu et al. 2019).

Each training row is drawn by first picking a discrete column uniformly, then one of
its categories with probability proportional to the log of its frequency, then a real
row that has that category. The generator is told the (column, category) pair through
the conditional vector, so rare categories are seen often enough to be learned.

Training draws run as TensorFlow ops (stateless, keyed by a seed pair), so the input
pipeline never calls back into Python; generation draws use NumPy.
"""

import numpy as np
import tensorflow as tf


def category_logits(probabilities):
    """`[columns, widest]` float32 log-probabilities of each discrete column's
    categories (`probabilities`: one list per column), padded with -1e9."""
    sizes = [len(p) for p in probabilities]
    logits = np.full((len(sizes), max(sizes)), -1e9, "float32")
    for c, p in enumerate(probabilities):
        with np.errstate(divide="ignore"):
            logits[c, :sizes[c]] = np.maximum(np.log(np.asarray(p, "float64")), -1e9)
    return logits


def draw_conditions(logits, cond_start, cond_dim, n, column_seed, category_seed):
    """`(conditional vectors [n, cond_dim], column, category)`: a discrete column
    uniformly, then a category by `logits` (`category_logits`); stateless seed pairs."""
    column = tf.random.stateless_uniform([n], column_seed, maxval=int(logits.shape[0]),
                                         dtype=tf.int64)
    category = tf.random.stateless_categorical(tf.gather(logits, column), 1, category_seed,
                                               dtype=tf.int64)[:, 0]
    return tf.one_hot(tf.gather(cond_start, column) + category, cond_dim), column, category


class ConditionalSampler:
    """Args:
        matrix: the transformed training data `[n, dim]`.
        spans: `DataTransformer.output_spans`.
        seed: seed of the sampling.
    """

    def __init__(self, matrix, spans, seed=0, frequencies=None):
        self.rng = np.random.default_rng(seed)
        self._tensors = None
        self.columns = []  # (name, start in matrix, start in cond vector, size)
        data_start = cond_start = 0
        for span in spans:
            if span.discrete:
                self.columns.append((span.column, data_start, cond_start, span.size))
                cond_start += span.size
            data_start += span.size
        self.cond_dim = cond_start
        # Per category: the rows that have it, and its log-frequency weight.
        self.rows_by_category = []
        self.log_prob, self.freq_prob = [], []
        for c, (_, start, _, size) in enumerate(self.columns):
            if matrix is None:  # generation only: the fitted frequencies suffice
                counts = np.asarray(frequencies[c], dtype="float64")
            else:
                category = matrix[:, start:start + size].argmax(axis=1)
                order = np.argsort(category, kind="stable")
                counts = np.bincount(category, minlength=size)
                self.rows_by_category.append(np.split(order, np.cumsum(counts)[:-1]))
            log_freq = np.log(counts + 1.0)  # used for training only
            self.log_prob.append(log_freq / log_freq.sum())
            self.freq_prob.append(counts / counts.sum())

    @property
    def has_conditions(self):
        return self.cond_dim > 0

    def _choose(self, probabilities, n):
        u = self.rng.random((n, 1))
        return np.minimum((np.cumsum(probabilities, axis=1) < u).sum(axis=1),
                          probabilities.shape[1] - 1)

    def _training_tables(self):
        """Tensors of `sample_training`: per (column, category) its log-frequency
        weight (as a logit), and where its rows lie in one flat pool of row indices.

        Made once, eagerly, so that a traced function captures them by reference: a
        constant made while tracing would be copied into the graph (several times
        over, for a large table's pool of rows)."""
        if self._tensors is None:
            logits = category_logits(self.log_prob)
            counts = np.zeros(logits.shape, "int64")
            pools = []
            for c, (_, _, _, size) in enumerate(self.columns):
                counts[c, :size] = [len(rows) for rows in self.rows_by_category[c]]
                pools.extend(self.rows_by_category[c])
            firsts = (np.cumsum(counts.ravel()) - counts.ravel()).reshape(counts.shape)
            tables = {
                "logits": logits, "counts": counts, "firsts": firsts,
                "pool": np.concatenate(pools).astype("int64", copy=False),
                "cond_start": np.array([start for _, _, start, _ in self.columns], "int64"),
            }
            with tf.init_scope():
                self._tensors = {name: tf.constant(value) for name, value in tables.items()}
        return self._tensors

    def sample_training(self, n, seed):
        """`n` conditional vectors `[n, cond_dim]` and, for each, the index of a real
        row that agrees; `seed` is a stateless seed pair (the same pair, the same draw)."""
        t = self._training_tables()
        seeds = tf.random.experimental.stateless_split(tf.cast(seed, tf.int64), 3)
        cond, column, category = draw_conditions(t["logits"], t["cond_start"], self.cond_dim,
                                                 n, seeds[0], seeds[1])
        picked = tf.stack([column, category], axis=1)
        count = tf.gather_nd(t["counts"], picked)
        u = tf.random.stateless_uniform([n], seeds[2], dtype=tf.float64)
        offset = tf.minimum(tf.cast(u * tf.cast(count, tf.float64), tf.int64), count - 1)
        rows = tf.gather(t["pool"], tf.gather_nd(t["firsts"], picked) + offset)
        return cond, rows

    def own_conditions(self, rows, seed):
        """Conditional vectors of training rows drawn uniformly (how a private model
        trains: no row is drawn more often for its category): each row's own category
        in one discrete column drawn uniformly. `rows`: `[n, dim]` of the matrix."""
        index = tf.constant(self.discrete_data_index())
        owner = tf.constant(np.concatenate([np.full(size, c) for c, (*_, size)
                                            in enumerate(self.columns)]), tf.int64)
        column = tf.random.stateless_uniform([tf.shape(rows)[0]], tf.cast(seed, tf.int64),
                                             maxval=len(self.columns), dtype=tf.int64)
        mask = tf.cast(tf.equal(owner[None, :], column[:, None]), rows.dtype)
        return tf.gather(rows, index, axis=1) * mask

    def sample_original(self, n):
        """Conditional vectors for unconditioned generation: a column uniformly, a
        category by its real frequency, so the output keeps the data's proportions."""
        columns = self.rng.integers(0, len(self.columns), size=n)
        cond = np.zeros((n, self.cond_dim), dtype="float32")
        for c, (_, _, cond_start, size) in enumerate(self.columns):
            picked = np.flatnonzero(columns == c)
            if len(picked):
                probs = np.broadcast_to(self.freq_prob[c], (len(picked), size))
                cond[picked, cond_start + self._choose(probs, len(picked))] = 1.0
        return cond

    def condition_on(self, column, category_index, n):
        """`n` conditional vectors that all ask for one category of one column."""
        for name, _, cond_start, size in self.columns:
            if name == column:
                cond = np.zeros((n, self.cond_dim), dtype="float32")
                cond[:, cond_start + category_index] = 1.0
                return cond
        raise ValueError(f"Column {column!r} is not a discrete column.")

    def discrete_data_index(self):
        """Matrix columns of the discrete spans, in conditional-vector order."""
        return np.concatenate([np.arange(start, start + size)
                               for _, start, _, size in self.columns]).astype("int32")
