"""What each term of the toolbox costs per training step, against the plain step in the
same run: the conditional 28x28 DCGAN (ganzoo's default networks, batch 64) on
../shared/data/mnist8k.npz, one discriminator and one generator update per step.

    python benchmarks/toolbox_cost.py                   # ~4 min on 2 cores
    python benchmarks/toolbox_cost.py --steps 96 --rounds 3

Variants are timed in turns (round-robin, best of the rounds), so a machine that slows
down during the run slows every variant alike. Quality is not measured here
(`benchmarks/small_data.py` does that).
"""

import argparse

from common import fit_timer, load_mnist8k, print_table

from ganzoo.image import DCGAN, dataset_from_arrays

BATCH = 64
VARIANTS = {
    "plain (bce)": ({}, {"loss": "bce"}),
    "hinge": ({}, {"loss": "hinge"}),
    "R1, every step": ({"r1_weight": 1.0}, {"loss": "bce"}),
    "R1, every 16 steps": ({"r1_weight": 1.0, "r1_every": 16}, {"loss": "bce"}),
    "LeCam": ({"lecam_weight": 0.3}, {"loss": "bce"}),
    "spectral norm": ({"spectral_norm": True}, {"loss": "bce"}),
    "hinge + lazy R1 + LeCam + SN": ({"r1_weight": 1.0, "r1_every": 16, "lecam_weight": 0.3,
                                      "spectral_norm": True}, {"loss": "hinge"}),
}


def runner(images, labels, model_kwargs, compile_kwargs, steps, model_size):
    gan = DCGAN((28, 28, 1), num_classes=10, model_size=model_size, seed=0, **model_kwargs)
    gan.compile(steps_per_execution=steps, **compile_kwargs)
    data = dataset_from_arrays(images, labels, batch_size=BATCH, seed=0).repeat()
    return fit_timer(gan, data, steps)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=48, help="steps per timed round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--model-size", type=int, default=64)
    args = parser.parse_args()
    images, labels = load_mnist8k()
    runs = {name: runner(images, labels, *settings, args.steps, args.model_size)
            for name, settings in VARIANTS.items()}
    best = {name: float("inf") for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            best[name] = min(best[name], run())
    base = best["plain (bce)"]
    rows = [(name, f"{1000 * seconds:.0f}", f"{seconds / base:.2f}x")
            for name, seconds in best.items()]
    print_table(f"DCGAN step cost, batch {BATCH}, model_size {args.model_size}, best of "
                f"{args.rounds} rounds of {args.steps} steps", ("variant", "ms / step", "vs plain"),
                rows)


if __name__ == "__main__":
    main()
