"""The preset format: a plain directory anyone can inspect.

    config.json        the model, serialized by Keras (`serialize_keras_object`)
    model.weights.h5   Keras weights of the whole model, or of the generator only
    metadata.json      versions, parameter counts, training data and recipe, the evaluator's
                       scores, licence, and the sha256 and size of every other file

Loading verifies every listed file against its sha256 before Keras reads it.
"""

import datetime
import hashlib
import json
import os
import platform

import numpy as np

from ganzoo.core.io import atomic_output, write_text_atomic

#: Raised (by readers) to the version of the format this ganzoo writes; a preset with a
#: higher number was written by a newer ganzoo and may hold what this one cannot read.
FORMAT_VERSION = 1
CONFIG, WEIGHTS, METADATA = "config.json", "model.weights.h5", "metadata.json"
_CHUNK = 1 << 20


class PresetError(ValueError):
    """A preset that cannot be used: missing, corrupt, or from a newer ganzoo."""


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _versions():
    import keras
    import tensorflow as tf

    from ganzoo._version import __version__

    return {"ganzoo": __version__, "keras": keras.__version__,
            "tensorflow": tf.__version__, "python": platform.python_version()}


def _store_float16(path):
    """Rewrites a Keras weights file with its float32 arrays as float16: half the bytes.
    Keras casts them back to each variable's dtype on load. (A new file: HDF5 does not
    give back the space of arrays deleted in place.)"""
    import h5py

    def copy(source, target):
        for key, value in source.attrs.items():
            target.attrs[key] = value
        for name, item in source.items():
            if isinstance(item, h5py.Group):
                copy(item, target.create_group(name))
            else:
                data = item[()]
                if item.dtype == np.float32:
                    data = data.astype(np.float16)
                created = target.create_dataset(name, data=data)
                for key, value in item.attrs.items():
                    created.attrs[key] = value

    with atomic_output(path, overwrite=True) as tmp:
        with h5py.File(path, "r") as source, h5py.File(tmp, "w") as target:
            copy(source, target)


def save_preset(model, directory, metadata=None, weights="all", weights_dtype="float32",
                precision=None, overwrite=False):
    """Writes `model` (a ganzoo `AdversarialModel`) as a preset directory.

    Args:
        model: the model; it must be built (any constructed ganzoo model is).
        directory: where to write; it appears complete or not at all.
        metadata: extra JSON-able facts to record (description, training data, scores,
            licence...); the format's own fields take precedence.
        weights: `"all"` (generator and discriminator: fine-tuning continues from
            here) or `"generator"` (half the size; enough to generate).
        weights_dtype: `"float32"`, or `"float16"` to halve the file (generation is
            unaffected in practice; the variables stay float32 after loading).
        precision: overrides the precision recorded in the config, e.g. `"auto"` so
            that whoever loads the preset computes in what suits their machine.
    """
    import keras

    from ganzoo.core.adversarial import AdversarialModel

    if not isinstance(model, AdversarialModel):
        raise TypeError(f"save_preset expects a ganzoo model, got {type(model).__name__}.")
    if weights not in ("all", "generator"):
        raise ValueError(f"weights must be 'all' or 'generator', got {weights!r}.")
    if weights_dtype not in ("float32", "float16"):
        raise ValueError(f"weights_dtype must be 'float32' or 'float16', got {weights_dtype!r}.")
    config = keras.saving.serialize_keras_object(model)
    config.pop("compile_config", None)  # presets load for generation and fine-tuning alike
    if precision is not None:
        config["config"]["precision"] = precision
        config["config"].pop("dtype", None)
    with atomic_output(directory, overwrite=overwrite) as tmp:
        os.makedirs(tmp)
        with open(os.path.join(tmp, CONFIG), "w") as f:
            json.dump(config, f, indent=2)
        weights_path = os.path.join(tmp, WEIGHTS)
        if weights == "all":
            model.save_weights(weights_path)
        else:
            with model.averaged_generator_weights():
                model.generator.save_weights(weights_path)
        if weights_dtype == "float16":
            _store_float16(weights_path)
        info = dict(metadata or {})
        info.update({
            "format_version": FORMAT_VERSION,
            "name": info.get("name") or os.path.basename(os.path.normpath(directory)),
            "domain": model.domain or "other",
            "class_name": type(model).__name__,
            "versions": _versions(),
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "parameters": {"generator": int(model.generator.count_params()),
                           "discriminator": int(model.discriminator.count_params())},
            "weights": weights,
            "weights_dtype": weights_dtype,
            "num_classes": model.num_classes,
            "files": {name: {"sha256": sha256_of(os.path.join(tmp, name)),
                             "bytes": os.path.getsize(os.path.join(tmp, name))}
                      for name in (CONFIG, WEIGHTS)},
        })
        if model.class_names:
            info["class_names"] = list(model.class_names)
        info.update(model.sample_facts())
        write_text_atomic(os.path.join(tmp, METADATA), json.dumps(info, indent=2))
    return directory


def read_metadata(directory):
    path = os.path.join(directory, METADATA)
    if not os.path.isfile(path):
        raise PresetError(f"{directory!r} is not a ganzoo preset: it has no {METADATA}.")
    try:
        with open(path) as f:
            info = json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise PresetError(f"{path!r} is not valid JSON ({e}); the preset is corrupt.") from None
    if not isinstance(info, dict) or "files" not in info or "format_version" not in info:
        raise PresetError(f"{path!r} lacks `files` / `format_version`; not a ganzoo preset.")
    check_format_version(info, directory)
    return info


def check_format_version(info, where):
    from ganzoo._version import __version__

    version = info.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        made_by = info.get("versions", {}).get("ganzoo", "a newer version")
        raise PresetError(
            f"The preset at {where!r} was written by ganzoo {made_by} in preset format "
            f"{version}; this ganzoo ({__version__}) reads format {FORMAT_VERSION} "
            "at most. Upgrade: pip install -U ganzoo")


def verify_files(directory, info):
    """Checks every file listed in the metadata: present, right size, right sha256."""
    for name, expected in info["files"].items():
        if os.path.basename(name) != name:
            raise PresetError(f"Preset metadata lists {name!r}, which is not a plain file name.")
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            raise PresetError(f"The preset at {directory!r} is missing {name}.")
        size = os.path.getsize(path)
        if "bytes" in expected and size != expected["bytes"]:
            raise PresetError(f"{path!r} has {size} bytes, the metadata says "
                              f"{expected['bytes']}: the file is truncated or altered.")
        digest = sha256_of(path)
        if digest != expected["sha256"]:
            raise PresetError(f"Checksum mismatch for {path!r}: sha256 {digest}, the metadata "
                              f"says {expected['sha256']}. The file is corrupt or altered.")


def load_preset_directory(directory, precision=None, verify=True):
    import keras

    from ganzoo import models

    models.import_all()  # registers the model classes with Keras
    info = read_metadata(directory)
    if verify:
        verify_files(directory, info)
    with open(os.path.join(directory, CONFIG)) as f:
        config = json.load(f)
    if precision is not None:
        config["config"]["precision"] = precision
        config["config"].pop("dtype", None)
    model = keras.saving.deserialize_keras_object(config)
    if info.get("weights") == "generator":
        model.generator.load_weights(os.path.join(directory, WEIGHTS))
        model.reset_generator_ema()  # the file holds the weights to generate with
    else:
        model.load_weights(os.path.join(directory, WEIGHTS))
    model.preset_metadata = info
    return model
