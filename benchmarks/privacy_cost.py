"""What differential privacy (DP-SGD on the discriminator, `ganzoo.core.privacy`) costs
per training step, against the same model's plain step in the same run: the tabular
GAN with TabularAugmenter's defaults (batch 500, pac 10: one clipped gradient per packed
group of 10 rows, WGAN-GP, its critic updates sharing one generated batch; and the step
of a private fit's defaults, BCE with one row per unit, against that default) on
../shared/data/tabular/benefits.csv and diamonds.csv, and the conditional 28x28 DCGAN
(batch 64) on mnist8k, one discriminator and one generator update per step.

    python benchmarks/privacy_cost.py                    # ~5 min on 2 cores
    python benchmarks/privacy_cost.py --steps 20 --rounds 3

Variants are timed in turns (round-robin, best of the rounds). Per-example gradients are
`tape.jacobian` vectorised with pfor; a convolution's filter gradient has no vectorised
rule in TensorFlow and runs as a loop over the examples.
"""

import argparse
import os

import pandas as pd

from common import SHARED, fit_timer, load_mnist8k, print_table

from ganzoo.core.privacy import DifferentialPrivacy

TABLES = {"benefits": ("tabular/benefits.csv", "ui"), "diamonds": ("tabular/diamonds.csv", "price")}


def tabular_runner(name, privacy, steps, loss, pac=None):
    from ganzoo.tabular import TabularAugmenter
    from ganzoo.tabular.data import dataset_from_arrays
    from ganzoo.tabular.model import TabularGAN
    from ganzoo.tabular.sampler import ConditionalSampler
    from ganzoo.tabular.transformer import DataTransformer

    table = pd.read_csv(os.path.join(SHARED, TABLES[name][0]))
    p = TabularAugmenter().params
    transformer = DataTransformer(max_modes=p["max_modes"], seed=0,
                                  continuous_encoding=p["continuous_encoding"])
    transformer.fit(table)
    matrix = transformer.transform(table)
    sampler = ConditionalSampler(matrix, transformer.output_spans, seed=0)
    gan = TabularGAN(spans=[(s.kind, s.size) for s in transformer.output_spans],
                     discrete_index=sampler.discrete_data_index() if sampler.has_conditions else (),
                     latent_dim=p["latent_dim"], generator_dims=p["generator_dims"],
                     discriminator_dims=p["discriminator_dims"], pac=pac or p["pac"],
                     discriminator_dropout=p["discriminator_dropout"], seed=0,
                     generator_ema=p["generator_ema"], privacy=privacy,
                     condition_frequencies=[list(f) for f in sampler.freq_prob]
                     if sampler.has_conditions else None)
    gan.compile(learning_rate=p["learning_rate"], loss=loss,
                n_critic=p["n_critic"] if loss == "wgan-gp" else None,
                share_fakes=p["share_fakes"], steps_per_execution=steps)
    data = dataset_from_arrays(matrix, sampler, p["batch_size"], seed=0,
                               uniform=privacy is not None).repeat()
    return gan, data


def dcgan_runner(privacy, steps):
    from ganzoo.image import DCGAN, dataset_from_arrays

    images, labels = load_mnist8k()
    gan = DCGAN((28, 28, 1), num_classes=10, seed=0, privacy=privacy)
    gan.compile(steps_per_execution=steps)
    return gan, dataset_from_arrays(images, labels, batch_size=64, seed=0).repeat()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="steps per timed round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--models", default="benefits,diamonds,dcgan")
    parser.add_argument("--tabular-losses", default="wgan-gp,bce",
                        help="the tabular GAN's losses (wgan-gp: the default, 5 critic "
                             "updates; bce: one)")
    args = parser.parse_args()
    from ganzoo.tabular import defaults

    runs = {}  # (model, loss, discriminator) -> timer; "plain" is each pair's baseline
    for model in args.models.split(","):
        for loss in (["bce"] if model == "dcgan" else args.tabular_losses.split(",")):
            for private in (False, True):
                privacy = DifferentialPrivacy(1.0, 1.0) if private else None
                built = (dcgan_runner(privacy, args.steps) if model == "dcgan"
                         else tabular_runner(model, privacy, args.steps, loss))
                runs[(model, loss, "DP-SGD" if private else "plain")] = fit_timer(
                    *built, args.steps)
        if model != "dcgan":
            # What a user's fit costs: TabularAugmenter(epsilon=...)'s step (its own
            # loss and pac) against the plain default's.
            built = tabular_runner(model, DifferentialPrivacy(1.0, 1.0), args.steps,
                                   defaults.PRIVATE_LOSS, pac=defaults.PRIVATE_PAC)
            runs[(model, defaults.LOSS, f"private defaults ({defaults.PRIVATE_LOSS}, pac "
                                        f"{defaults.PRIVATE_PAC}, DP-SGD)")] = fit_timer(
                *built, args.steps)
    best = {key: float("inf") for key in runs}
    for _ in range(args.rounds):
        for key, run in runs.items():
            best[key] = min(best[key], run())
    rows = [(model, loss, kind, f"{1000 * seconds:.0f}",
             f"{seconds / best[(model, loss, 'plain')]:.2f}x")
            for (model, loss, kind), seconds in best.items()]
    print_table(f"Step cost with and without differential privacy, best of {args.rounds} "
                f"rounds of {args.steps} steps", ("model", "loss", "discriminator",
                                                  "ms / step", "vs plain"), rows)


if __name__ == "__main__":
    main()
