"""`ganzoo presets [NAME]`: the bundled presets, from their metadata alone (no
TensorFlow is loaded)."""

import json

_SCORE_NAMES = {"frechet_distance": "FD", "classifier_score": "CS",
                "label_accuracy": "label acc"}


def add_parser(sub, parents):
    p = sub.add_parser(
        "presets", parents=parents, help="list the bundled pretrained presets",
        description="List the bundled presets (name, domain, size, parameters, scores), or "
                    "show one preset's metadata.")
    p.add_argument("name", nargs="?", help="show this preset's full metadata")
    p.set_defaults(run=run)


def run(args):
    from ganzoo.core.report import format_table
    from ganzoo.presets import bundled_presets, preset_metadata

    if args.name:
        print(json.dumps(preset_metadata(args.name), indent=2))
        return 0
    rows = [_row(name, preset_metadata(name)) for name in bundled_presets()]
    if not rows:
        print("No bundled presets.")
        return 0
    print(format_table(["name", "domain", "size", "parameters", "evaluator scores"], rows))
    print("\nLoad one with ganzoo.from_preset(NAME); `ganzoo presets NAME` shows its metadata.")
    return 0


def _row(name, info):
    size = sum(f["bytes"] for f in info["files"].values())
    params = (sum(info["parameters"].values()) if info.get("weights") == "all"
              else info["parameters"]["generator"])
    scores = info.get("scores", {})
    generated, real = scores.get("generated", {}), scores.get("real_held_out", {})
    text = ", ".join(f"{_SCORE_NAMES.get(k, k)} {v:.3g}"
                     + (f" ({real[k]:.3g} real)" if k in real else "")
                     for k, v in generated.items())
    return [name, info.get("domain", "?"), f"{size / 1e6:.1f} MB", f"{params:,}", text or "-"]
