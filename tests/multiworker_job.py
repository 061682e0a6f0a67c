"""One worker of a multi-worker test job (TF_CONFIG comes from the environment).

    python tests/multiworker_job.py train OUT [--epochs 4] [--kill-worker 1 --kill-epoch 2]
    python tests/multiworker_job.py ids OUT

`train` trains a tiny DCGAN under MultiWorkerMirroredStrategy with the chief-aware ganzoo
callbacks; chief-only outputs go to OUT/worker_<i>/ so a test can see who wrote what,
while the backup directory OUT/backup is shared, as on a cluster. Every worker writes
OUT/weights_<i>.npz and appends the epochs it ran to OUT/epochs_<i>.txt.
`ids` iterates one epoch of the distributed DCGAN input pipeline and writes the indices
of the examples this worker saw to OUT/ids_<i>.json.
"""

import argparse
import json
import os
import signal

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from ganzoo import callbacks as gz_callbacks  # noqa: E402
from ganzoo.core import distribute  # noqa: E402
from ganzoo.image import DCGAN, dataset_from_arrays  # noqa: E402

N, SIDE, GLOBAL_BATCH = 96, 16, 16


def images_with_ids():
    """Image i is constant with value i (uint8), so the index survives the pipeline."""
    ids = np.arange(N, dtype="uint8")
    images = np.broadcast_to(ids[:, None, None, None], (N, SIDE, SIDE, 1)).copy()
    return images, (np.arange(N) % 2).astype("int32")


class EpochLog(keras.callbacks.Callback):
    def __init__(self, path):
        super().__init__()
        self.path = path

    def on_epoch_end(self, epoch, logs=None):
        with open(self.path, "a") as f:
            f.write(f"{epoch}\n")


class KillSelf(keras.callbacks.Callback):
    """SIGKILL in the middle of an epoch: no cleanup, no final writes, as a crash."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch, self.current = epoch, -1

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.current == self.epoch and batch >= 2:
            os.kill(os.getpid(), signal.SIGKILL)


def train(args, strategy, worker):
    images, labels = images_with_ids()
    own = os.path.join(args.out, f"worker_{worker}")
    with strategy.scope():
        gan = DCGAN(image_shape=(SIDE, SIDE, 1), num_classes=2, latent_dim=8, model_size=4, seed=3)
        gan.compile()
    data = dataset_from_arrays(images, labels, batch_size=GLOBAL_BATCH, seed=1)
    callbacks = [gz_callbacks.BackupAndRestore(os.path.join(args.out, "backup")),
                 gz_callbacks.SampleGrid(os.path.join(own, "grids"), per_class=2),
                 gz_callbacks.LossCurve(os.path.join(own, "loss.png"),
                                        csv_path=os.path.join(own, "history.csv")),
                 EpochLog(os.path.join(args.out, f"epochs_{worker}.txt"))]
    if args.kill_worker == worker:
        callbacks.append(KillSelf(args.kill_epoch))
    gan.fit(data, epochs=args.epochs, verbose=0, callbacks=callbacks)
    if distribute.is_chief():
        gan.save(os.path.join(own, "model.keras"))
    weights = {f"w{i}": w.numpy() for i, w in enumerate(gan.weights)}
    weights["g_steps"] = gan.g_optimizer.iterations.numpy()
    np.savez(os.path.join(args.out, f"weights_{worker}.npz"), **weights)


def ids(args, strategy, worker):
    from ganzoo.audio.data import AudioClips, dataset_from_clips

    images, labels = images_with_ids()
    # Clip i is constant with value i / 1000.
    clips = AudioClips(np.repeat(np.arange(N, dtype="float32") / 1000, 64),
                       np.arange(N) * 64, np.full(N, 64), 16000, labels=labels)
    pipelines = {
        "images": (dataset_from_arrays(images, labels, batch_size=GLOBAL_BATCH),
                   lambda x: (x[:, 0, 0, 0] + 1.0) * 127.5),
        "audio": (dataset_from_clips(clips, slice_length=64, batch_size=GLOBAL_BATCH),
                  lambda x: x[:, 0] * 1000),
    }
    seen = {}
    for name, (data, decode) in pipelines.items():
        seen[name] = []
        for epoch in range(2):
            epoch_ids = []
            for batch, _ in strategy.experimental_distribute_dataset(data):
                for local in strategy.experimental_local_results(batch):
                    epoch_ids += [int(round(float(v))) for v in decode(local.numpy())]
            seen[name].append(epoch_ids)
    with open(os.path.join(args.out, f"ids_{worker}.json"), "w") as f:
        json.dump(seen, f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("train", "ids"))
    parser.add_argument("out")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--kill-worker", type=int, default=-1)
    parser.add_argument("--kill-epoch", type=int, default=-1)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    keras.utils.set_random_seed(0)
    keras.config.disable_traceback_filtering()
    strategy = distribute.strategy_for_environment(collective_timeout=30)
    assert isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy), strategy
    worker = distribute.worker_index()
    (train if args.mode == "train" else ids)(args, strategy, worker)


if __name__ == "__main__":
    main()
