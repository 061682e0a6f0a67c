"""Distribution on TensorFlow's own engine: which strategy, which worker, local workers.

A multi-worker job is described by `TF_CONFIG` (one per process), as TensorFlow defines it:

    {"cluster": {"worker": ["host1:12345", "host2:12345"]},
     "task": {"type": "worker", "index": 0}}

Worker 0 (or the task of type "chief", when the cluster has one) is the chief: it alone
writes models, backups and sample grids; every worker reads backups from the same
directory, so `--out` must be on storage all workers share.
"""

import json
import os
import socket
import subprocess
import sys

import tensorflow as tf


def tf_config():
    """The parsed `TF_CONFIG`, or None."""
    raw = os.environ.get("TF_CONFIG")
    if not raw:
        return None
    try:
        config = json.loads(raw)
        config["cluster"], config["task"]["type"], config["task"]["index"]
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise ValueError(f"TF_CONFIG is not a valid cluster description ({e}): {raw!r}") from None
    return config


def num_workers():
    config = tf_config()
    if config is None:
        return 1
    cluster = config["cluster"]
    return len(cluster.get("worker", [])) + len(cluster.get("chief", []))


def is_chief():
    """True unless this process is a non-chief worker of a multi-worker job (by
    `TF_CONFIG`, or by the strategy in scope), which must not write shared outputs."""
    extended = getattr(tf.distribute.get_strategy(), "extended", None)
    if not getattr(extended, "should_checkpoint", True):
        return False
    config = tf_config()
    if config is None or num_workers() == 1:
        return True
    task = config["task"]
    if task["type"] == "chief":
        return True
    return task["type"] == "worker" and int(task["index"]) == 0 and \
        "chief" not in config["cluster"]


def worker_index():
    config = tf_config()
    if config is None:
        return 0
    offset = len(config["cluster"].get("chief", [])) if config["task"]["type"] == "worker" else 0
    return offset + int(config["task"]["index"])


def in_multi_worker_mode():
    """True inside the scope of a MultiWorkerMirroredStrategy spanning several workers."""
    strategy = tf.distribute.get_strategy()
    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return False
    return bool(strategy.extended._in_multi_worker_mode())


def sync_batch_norm():
    """Whether batch normalization built now should average its batch statistics over
    all replicas: yes under a strategy with several, so that N devices compute what one
    device would on the global batch, and every worker keeps the same moving averages."""
    return tf.distribute.has_strategy() and tf.distribute.get_strategy().num_replicas_in_sync > 1


def strategy_for_environment(collective_timeout=None):
    """`MultiWorkerMirroredStrategy` when `TF_CONFIG` names several workers,
    `MirroredStrategy` over all GPUs when there are several, else the default one.
    Call it before building any model."""
    if num_workers() > 1:
        options = tf.distribute.experimental.CommunicationOptions(
            timeout_seconds=collective_timeout)
        return tf.distribute.MultiWorkerMirroredStrategy(communication_options=options)
    if len(tf.config.list_logical_devices("GPU")) > 1:
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()


def shuffle_seed(seed):
    """Every worker must shuffle alike, or element-wise sharding would hand some
    examples to two workers and none to others: a fixed seed when there are several."""
    return 0 if seed is None and num_workers() > 1 else seed


def shard_by_data(ds):
    """In-memory and generated pipelines have no files to split: shard by element."""
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return ds.with_options(options)


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def local_cluster(n):
    """TF_CONFIG strings of an n-worker cluster on 127.0.0.1 (worker 0 is the chief)."""
    workers = [f"127.0.0.1:{port}" for port in free_ports(n)]
    return [json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": i}})
            for i in range(n)]


def launch_local_workers(n, argv, env=None, quiet_followers=True):
    """Runs `python argv...` as n worker processes of one job on this machine and
    returns their exit codes (0 for all when the job succeeded). The chief's output
    goes to this terminal; the others' is dropped unless `quiet_followers=False`."""
    processes = []
    for i, config in enumerate(local_cluster(n)):
        worker_env = dict(os.environ if env is None else env, TF_CONFIG=config)
        out = None if i == 0 or not quiet_followers else subprocess.DEVNULL
        processes.append(subprocess.Popen([sys.executable, *argv], env=worker_env,
                                          stdout=out, stderr=out))
    try:
        return [p.wait() for p in processes]
    except KeyboardInterrupt:
        for p in processes:
            p.terminate()
        raise
