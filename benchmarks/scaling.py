"""Scaling out on one machine: DCGAN training throughput on 1 device, on 2 logical devices
(MirroredStrategy) and on 2 worker processes (MultiWorkerMirroredStrategy over
127.0.0.1), at the same global batch. Every variant runs in fresh processes, since
device layout and TF_CONFIG are fixed when TensorFlow starts.

    python benchmarks/scaling.py --steps 60 --rounds 2

On a 2-core CPU there is no spare hardware to scale onto: the table measures what the
distribution machinery costs here; on a multi-GPU or multi-node machine the same
script measures the speed-up.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

from report import SHARED, print_table  # noqa: E402

BATCH = 64


def worker(args):
    """One process of one variant: trains `steps` steps and prints images/s as JSON."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import numpy as np
    import tensorflow as tf

    if args.variant == "mirrored":
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    import keras

    from ganzoo.core import distribute
    from ganzoo.image import DCGAN, dataset_from_arrays

    with np.load(os.path.join(SHARED, "mnist8k.npz")) as data:
        images, labels = data["images"], data["labels"].astype("int32")
    if args.variant == "mirrored":
        strategy = tf.distribute.MirroredStrategy(tf.config.list_logical_devices("CPU"))
    else:
        strategy = distribute.strategy_for_environment()
    keras.utils.set_random_seed(0)
    with strategy.scope():
        gan = DCGAN(image_shape=(28, 28, 1), num_classes=10, precision=args.precision, seed=0)
        gan.compile(steps_per_execution=1)  # as under any strategy: compare like with like
    dataset = dataset_from_arrays(images, labels, batch_size=BATCH, seed=0).repeat()
    gan.fit(dataset, epochs=1, steps_per_epoch=4, verbose=0)  # trace and warm up
    start = time.perf_counter()
    gan.fit(dataset, epochs=1, steps_per_epoch=args.steps, verbose=0)
    seconds = time.perf_counter() - start
    if distribute.is_chief():
        print(json.dumps({"images_per_s": args.steps * BATCH / seconds}), flush=True)


def run_variant(variant, steps, precision):
    from ganzoo.core.distribute import local_cluster

    argv = [sys.executable, os.path.abspath(__file__), "--worker", variant, "--steps", str(steps),
            "--precision", precision]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    configs = local_cluster(2) if variant == "2 workers" else [None]
    processes = []
    for config in configs:
        worker_env = dict(env)
        if config:
            worker_env["TF_CONFIG"] = config
        processes.append(subprocess.Popen(argv, env=worker_env, stdout=subprocess.PIPE,
                                          stderr=subprocess.DEVNULL, text=True))
    outputs = [p.communicate()[0] for p in processes]
    if any(p.returncode for p in processes):
        raise SystemExit(f"{variant} failed: exit codes {[p.returncode for p in processes]}")
    line = [ln for ln in outputs[0].splitlines() if ln.startswith("{")][-1]
    return json.loads(line)["images_per_s"]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2, help="best of this many runs each")
    parser.add_argument("--precision", default="float32")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        args.variant = args.worker
        return worker(args)
    variants = ["1 device", "mirrored", "2 workers"]
    best = {v: 0.0 for v in variants}
    for _ in range(args.rounds):  # interleaved, since this machine's speed drifts
        for variant in variants:
            best[variant] = max(best[variant], run_variant(variant, args.steps, args.precision))
    names = {"1 device": "1 device (default strategy)",
             "mirrored": "2 logical CPU devices (MirroredStrategy)",
             "2 workers": "2 worker processes on 127.0.0.1 (MultiWorkerMirroredStrategy)"}
    print_table(
        f"DCGAN 28x28 conditional, global batch {BATCH}, {args.precision}, steps_per_execution 1, "
        f"{args.steps} steps, "
        f"best of {args.rounds} interleaved rounds, {len(os.sched_getaffinity(0))} CPU cores",
        ["variant", "images/s", "vs 1 device"],
        [[names[v], f"{best[v]:.0f}", f"{best[v] / best['1 device']:.2f}x"] for v in variants])


if __name__ == "__main__":
    main()
