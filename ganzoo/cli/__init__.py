"""The `ganzoo` command line: thin commands over the library.

    ganzoo train MODEL [--data ...] --out RUN_DIR      (ganzoo.cli.train)
    ganzoo generate PRESET|RUN_DIR|MODEL.keras --out ... (ganzoo.cli.generate)
    ganzoo presets [NAME]                              (ganzoo.cli.presets)
    ganzoo augment in.csv --rows N --out synth.csv     (ganzoo.cli.augment)

Parsing imports no TensorFlow, so `--help` and `ganzoo presets` answer at once; each
command imports what it uses, after the environment is set to keep TensorFlow's C++
start-up log lines off the terminal (`--verbose` shows them).
"""

import argparse
import os
import sys
import warnings

from ganzoo.cli import augment, generate, presets, train

COMMANDS = (train, generate, presets, augment)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="ganzoo", description="Train GANs and generate augmentation data.")
    parser.add_argument("--version", action="version", version=f"ganzoo {_version()}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--verbose", action="store_true",
                        help="also show TensorFlow's own log lines")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(sub, [common])
    return parser


def _version():
    from ganzoo import __version__

    return __version__


def quiet_tensorflow(verbose=False):
    """TensorFlow's C++ start-up lines (CUDA probing, CPU features, oneDNN notices) go to
    the process's stderr before any log level applies, so, unless `verbose`, TensorFlow
    is imported and its devices are probed with file descriptor 2 pointed at /dev/null.
    Python errors are unaffected: they are printed after it is restored."""
    if verbose or "tensorflow" in sys.modules:
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import tensorflow as tf

        tf.config.list_physical_devices("GPU")
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _one_line_warning(message, category, filename, lineno, file=None, line=None):
    return f"ganzoo: note: {message}\n"


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    if args.command != "presets":  # listing presets reads JSON only
        quiet_tensorflow(args.verbose)
    format_warning = warnings.formatwarning
    if not args.verbose:
        warnings.formatwarning = _one_line_warning
    try:
        return args.run(args) or 0
    except (ValueError, FileExistsError, FileNotFoundError) as e:  # PresetError included
        print(f"ganzoo {args.command}: error: {e}", file=sys.stderr)
        return 2
    finally:
        warnings.formatwarning = format_warning
