"""`ganzoo augment`: a CSV table in, synthetic rows out, with the tabular augmenter."""

import os


def add_parser(sub, parents):
    p = sub.add_parser(
        "augment", parents=parents,
        help="synthesize rows of a CSV table with a tabular GAN",
        description="Fit a conditional tabular GAN (CTGAN family) on a CSV file and write "
                    "synthetic rows. The output holds only synthetic rows unless --with-real.")
    p.add_argument("csv", help="the real table (CSV with a header row)")
    p.add_argument("--out", required=True, help="output CSV")
    p.add_argument("--rows", type=int, default=0, help="synthetic rows to write")
    p.add_argument("--condition", action="append", default=[], metavar="COL=VALUE",
                   help="only rows with this value in this discrete column (repeatable)")
    p.add_argument("--balance", metavar="COL",
                   help="add rows of the minority classes of COL until all classes are even")
    p.add_argument("--with-real", action="store_true", help="write the real rows too, first")
    p.add_argument("--epochs", type=int, default=None,
                   help="passes over the table (default: 300, or enough for 6,000 steps)")
    p.add_argument("--encoding", choices=("quantile", "mode"),
                   help="how continuous columns are encoded: a Gaussian-copula transform "
                        "(quantile, the augmenter's default) or CTGAN's mode-specific "
                        "normalization")
    p.add_argument("--batch-size", type=int, help="rows per step (the augmenter's: 500)")
    p.add_argument("--discrete", default="", help="comma-separated columns to treat as discrete")
    p.add_argument("--save", metavar="DIR", help="also save the fitted augmenter here")
    p.add_argument("--load", metavar="DIR", help="use a saved augmenter instead of fitting")
    p.add_argument("--no-calibrate", action="store_true",
                   help="write the generator's own column distributions, without matching "
                        "them to the data's after training")
    p.add_argument("--report", metavar="DIR",
                   help="also score the synthetic rows against the real ones: report.json "
                        "(column shapes, pair trends, exact copies; ML efficacy and the "
                        "distance to the closest record with a holdout) and two PNGs")
    p.add_argument("--target", metavar="COL",
                   help="with --report: the column to predict for ML efficacy "
                        "(default: the --balance column)")
    p.add_argument("--holdout", metavar="CSV",
                   help="with --report: real rows the augmenter never saw")
    p.add_argument("--holdout-fraction", type=float, metavar="F",
                   help="with --report: keep this share of the rows out of fitting, as the "
                        "holdout")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--overwrite", action="store_true",
                   help="replace existing --out / --save / --report")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(run=run)


def run(args):
    import pandas as pd

    from ganzoo.core.io import atomic_output
    from ganzoo.tabular import TabularAugmenter
    from ganzoo.tabular.data import read_csv

    for path, what in ((args.out, "--out"), (args.save, "--save"), (args.report, "--report")):
        if path and os.path.exists(path) and not args.overwrite:
            raise FileExistsError(f"{what} {path!r} already exists; pass --overwrite to replace it.")
    if not args.rows and not args.balance:
        raise ValueError("Ask for --rows N and/or --balance COLUMN.")
    check_report_options(args)
    real = read_csv(args.csv)
    real, holdout = split_holdout(real, args)
    if args.balance and args.balance not in real.columns:
        raise ValueError(f"--balance: unknown column {args.balance!r} in {args.csv!r}.")
    if args.load:
        augmenter = TabularAugmenter.load(args.load)
    else:
        discrete = [c for c in args.discrete.split(",") if c]
        if args.balance and args.balance not in discrete:
            discrete.append(args.balance)
        given = {"epochs": args.epochs, "batch_size": args.batch_size,
                 "continuous_encoding": args.encoding}
        augmenter = TabularAugmenter(**{k: v for k, v in given.items() if v is not None},
                                     calibrate=not args.no_calibrate, seed=args.seed,
                                     # a command owns its process: the small-op pools
                                     cpu_threads="auto", verbose=not args.quiet)
        augmenter.fit(real, discrete_columns=discrete or None)
    if args.save:
        augmenter.save(args.save, overwrite=args.overwrite)
    try:
        conditions = augmenter.parse_conditions(args.condition)
    except ValueError as e:
        raise ValueError(f"--condition: {e}") from None
    parts = []
    if args.balance:
        balanced = augmenter.augment(real, target=args.balance, balance=True, seed=args.seed)
        parts.append(balanced.iloc[len(real):])
    if args.rows:
        parts.append(augmenter.sample(args.rows, conditions=conditions or None, seed=args.seed))
    synthetic = pd.concat(parts, ignore_index=True)
    table = pd.concat([real, synthetic], ignore_index=True) if args.with_real else synthetic
    with atomic_output(args.out, overwrite=args.overwrite) as tmp:
        table.to_csv(tmp, index=False)
    print(f"Wrote {len(synthetic)} synthetic rows"
          f"{f' and {len(real)} real rows' if args.with_real else ''} to {args.out}")
    if args.save:
        print(f"Saved the augmenter to {args.save}")
    if args.report:
        write_report(args, real, synthetic, holdout)
    return 0


def check_report_options(args):
    if not args.report:
        for option in ("target", "holdout", "holdout_fraction"):
            if getattr(args, option) is not None:
                raise ValueError(f"--{option.replace('_', '-')} only makes sense with --report DIR.")
        return
    if args.holdout and args.holdout_fraction is not None:
        raise ValueError("Give --holdout CSV or --holdout-fraction F, not both.")
    if args.holdout_fraction is not None:
        if not 0 < args.holdout_fraction < 1:
            raise ValueError(f"--holdout-fraction must be between 0 and 1, got "
                             f"{args.holdout_fraction}.")
        if args.load:
            raise ValueError("--holdout-fraction keeps rows out of fitting, but --load "
                             "skips fitting; give --holdout CSV with rows the loaded "
                             "augmenter never saw.")


def split_holdout(real, args):
    """(rows to fit on, holdout rows or None)."""
    import numpy as np

    from ganzoo.tabular.data import read_csv

    if args.holdout:
        return real, read_csv(args.holdout)
    if args.holdout_fraction is None:
        return real, None
    order = np.random.default_rng(args.seed).permutation(len(real))
    n_holdout = int(round(args.holdout_fraction * len(real)))
    if n_holdout < 1 or n_holdout >= len(real):
        raise ValueError(f"--holdout-fraction {args.holdout_fraction} of {len(real)} rows "
                         "leaves no holdout or nothing to fit on.")
    return (real.iloc[order[n_holdout:]].reset_index(drop=True),
            real.iloc[order[:n_holdout]].reset_index(drop=True))


def write_report(args, real, synthetic, holdout):
    from ganzoo.tabular import quality

    target = args.target or args.balance
    given = {c for c in args.discrete.split(",") if c}
    discrete = [c for c in real.columns
                if c in given or c in quality.discrete_columns_of(real, target)]
    report = quality.score_table(real, synthetic, target=target, holdout=holdout,
                                 discrete_columns=discrete, seed=args.seed)
    quality.save_report(report, real, synthetic, args.report, overwrite=args.overwrite)
    print(f"Report in {args.report}:\n{quality.summary(report)}")
