"""Precision / recall and density / coverage of every bundled preset, beside FD, on the
bundled evaluators' features, with real-vs-real rows as the baseline of the same run.

Each preset writes 1,000 samples (seed 2, 100 per class) scored against the "report" half
of its evaluator's held-out split (`examples/train_presets.py` chose `specgan_digits` on
the other half); the real row scores the "select" half's real examples against the same
report half, so it shows what a perfect generator would get with this many examples.

    python preset_scores.py
"""


import numpy as np

from report import digit_splits, print_table, spoken_clips

from ganzoo.core.evaluator import held_out_half


def real_halves(domain):
    """(select half, report half) of the held-out real examples, as evaluator inputs."""
    if domain == "image":
        _, (x, _) = digit_splits()
        return [x[held_out_half(len(x), split)] for split in ("select", "report")]
    clips, is_val = spoken_clips()
    held_out = np.flatnonzero(is_val)
    return [clips.waveforms(held_out[held_out_half(len(held_out), split)])
            for split in ("select", "report")]


def evaluator_for(domain):
    if domain == "image":
        from ganzoo.image.evaluator import default_evaluator
    else:
        from ganzoo.audio.evaluator import default_evaluator
    return default_evaluator()


def row(name, real_features, features):
    from ganzoo.metrics import density_coverage, frechet_distance, precision_recall

    scores = {"frechet_distance": frechet_distance(real_features, features),
              **precision_recall(real_features, features, k=3),
              **density_coverage(real_features, features, k=5)}
    return [name, str(len(features)), f"{scores['frechet_distance']:.2f}",
            f"{scores['precision']:.3f}", f"{scores['recall']:.3f}",
            f"{scores['density']:.3f}", f"{scores['coverage']:.3f}"]


def main():
    import ganzoo

    rows, domains = [], set()
    for name in ("dcgan_digits", "specgan_digits", "wavegan_digits"):
        gan = ganzoo.from_preset(name)
        evaluator = evaluator_for(gan.domain)
        select, report = real_halves(gan.domain)
        report_features, _ = evaluator.features_and_logits(report)
        wanted = np.arange(1000, dtype="int32") % 10
        fake_features, _ = evaluator.features_and_logits(gan.generate(1000, labels=wanted, seed=2))
        if gan.domain not in domains:
            domains.add(gan.domain)
            rows.append(row(f"real ({gan.domain})", report_features,
                            evaluator.features_and_logits(select)[0]))
        rows.append(row(name, report_features, fake_features))
        print(" | ".join(rows[-1]), flush=True)
    print_table("Bundled presets against the 'report' half of the held-out split (evaluator "
                "features; precision / recall k=3, density / coverage k=5)",
                ["samples of", "n", "FD", "precision", "recall", "density", "coverage"], rows)


if __name__ == "__main__":
    main()
