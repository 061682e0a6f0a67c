"""Writing generated samples as files: one per sample, in one folder per class.

The layout is what `keras.utils.image_dataset_from_directory` and
`audio_dataset_from_directory` read. Every file is written atomically, and existing
files are never replaced unless asked.
"""

import os


def sample_paths(out, labels, class_folder, extension, count):
    """`out/CLASS/NNNNN.ext` for labelled samples (`class_folder(label)` names the
    folder), `out/NNNNN.ext` for `count` unlabelled ones."""
    if os.path.isfile(out):
        raise ValueError(f"--out {out!r} is a file; give a folder.")
    if labels is None:
        return [os.path.join(out, f"{i:05d}{extension}") for i in range(count)]
    return [os.path.join(out, class_folder(int(label)), f"{i:05d}{extension}")
            for i, label in enumerate(labels)]


def write_files(paths, write, overwrite=False, progress=True):
    """Calls `write(i, path)` for every path, after checking that none exists (unless
    `overwrite`), so that nothing is half-replaced."""
    from tqdm.auto import tqdm

    clashes = [p for p in paths if os.path.exists(p)]
    if clashes and not overwrite:
        raise FileExistsError(f"{clashes[0]!r} already exists; pass --overwrite to replace it.")
    for i, path in enumerate(tqdm(paths, desc="writing", unit="file", leave=False,
                                  disable=not progress or len(paths) < 200)):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        write(i, path)
