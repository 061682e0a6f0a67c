"""Pretrained generators as presets: plain directories of config, weights and metadata.

    gan = ganzoo.from_preset("dcgan_digits")            # bundled with the package
    gan = ganzoo.from_preset("path/to/my_preset")       # a local directory
    gan = ganzoo.from_preset("https://host/presets/x/") # downloaded once, cached, verified
    ganzoo.save_preset(gan, "my_preset")
"""

import difflib
import os
import urllib.parse

from ganzoo.presets.download import COMPLETE, cache_root, fetch_preset
from ganzoo.presets.format import (FORMAT_VERSION, PresetError, load_preset_directory,
                                   read_metadata, save_preset, verify_files)

BUNDLED_DIR = os.path.join(os.path.dirname(__file__), "bundled")
#: The preset `ganzoo.augment` (and the `ganzoo augment` command) generates with when
#: none is given, by domain.
AUGMENTATION_PRESETS = {"image": "dcgan_digits", "audio": "specgan_digits"}


def bundled_presets():
    """Names of the presets shipped inside the package."""
    if not os.path.isdir(BUNDLED_DIR):
        return []
    return sorted(name for name in os.listdir(BUNDLED_DIR)
                  if os.path.isfile(os.path.join(BUNDLED_DIR, name, "metadata.json")))


def resolve_preset(source, cache_dir=None, progress=True):
    """The local directory of `source`: a bundled name, a directory, or an http(s) URL."""
    source = os.fspath(source)
    if urllib.parse.urlparse(source).scheme in ("http", "https"):
        return fetch_preset(source, cache_dir, progress=progress)
    if os.path.isdir(source):
        return source
    if source in bundled_presets():
        return os.path.join(BUNDLED_DIR, source)
    if os.sep in source or "/" in source or os.path.exists(source):
        raise PresetError(f"No preset directory at {source!r}.")
    close = difflib.get_close_matches(source, bundled_presets(), n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise PresetError(f"Unknown preset {source!r}.{hint} Bundled presets: "
                      f"{', '.join(bundled_presets()) or 'none'}; a local directory or an "
                      "http(s) URL also works.")


def from_preset(source, precision=None, cache_dir=None, verify=True, progress=True):
    """Loads a ganzoo model from a preset.

    Args:
        source: a bundled preset name (see `ganzoo presets`), a preset directory, or
            an http(s) URL of one (downloaded once into `$GANZOO_HOME`, default
            `~/.cache/ganzoo`, and used offline after that).
        precision: overrides the preset's compute precision (`"float32"`,
            `"mixed_float16"`, `"mixed_bfloat16"`, `"auto"`).
        cache_dir: cache root for downloads (default `$GANZOO_HOME`).
        verify: check every file's sha256 before loading.

    Raises:
        PresetError: unknown name (with close names), missing or corrupt files, a bad
            checksum, an HTTP error, a truncated download, or a preset from a newer ganzoo.
    """
    directory = resolve_preset(source, cache_dir, progress=progress)
    if verify and urllib.parse.urlparse(os.fspath(source)).scheme in ("http", "https"):
        try:
            verify_files(directory, read_metadata(directory))
        except PresetError:
            # A cached copy damaged since it was downloaded: fetch it again, once.
            os.remove(os.path.join(directory, COMPLETE))
            directory = fetch_preset(source, cache_dir, progress=progress)
    return load_preset_directory(directory, precision=precision, verify=verify)


def preset_metadata(source, cache_dir=None):
    """The metadata of a preset, without loading its weights."""
    return read_metadata(resolve_preset(source, cache_dir, progress=False))


def save_preview(model, path, seed=0):
    """A PNG of what the model makes (a sample grid, spectrograms, ...), one row per
    class for a conditional model."""
    return model.save_preview(path, seed=seed)


__all__ = ["FORMAT_VERSION", "PresetError", "bundled_presets", "cache_root", "fetch_preset",
           "from_preset", "preset_metadata", "read_metadata", "resolve_preset", "save_preset",
           "save_preview", "verify_files"]
