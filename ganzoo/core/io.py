"""Writing files so that a crash or a mistake never costs the user data."""

import contextlib
import os
import shutil
import uuid


@contextlib.contextmanager
def atomic_output(path, overwrite=False):
    """Yields a temporary path beside `path`; moves it into place on success.

    Works for files and directories. An exception inside the block removes the
    temporary output and leaves any existing `path` untouched. With
    `overwrite=False` an existing `path` is an error, never silently replaced.
    """
    path = os.fspath(path)
    if os.path.lexists(path) and not overwrite:
        raise FileExistsError(
            f"{path!r} already exists; pass overwrite=True (or --overwrite) to replace it."
        )
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    base = os.path.basename(path)
    # Keep the whole suffix (".weights.h5", ".keras"): writers such as Keras choose
    # or check the format from it.
    dot = base.find(".", 1)
    stem, suffix = (base, "") if dot < 0 else (base[:dot], base[dot:])
    tmp = os.path.join(parent, f".{stem}.tmp-{uuid.uuid4().hex[:8]}{suffix}")
    try:
        yield tmp
        if not os.path.lexists(tmp):
            raise RuntimeError(f"Nothing was written for {path!r}.")
        _replace(tmp, path)
    finally:
        _remove(tmp)


def _replace(src, dst):
    if os.path.isdir(src) and os.path.lexists(dst):
        # Directories cannot be swapped in one step: move the old one aside first
        # so that the new one is complete before the old one is deleted.
        old = dst + f".old-{uuid.uuid4().hex[:8]}"
        os.replace(dst, old)
        os.replace(src, dst)
        _remove(old)
    else:
        os.replace(src, dst)


def _remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.remove(path)


def write_bytes_atomic(path, data, overwrite=True):
    with atomic_output(path, overwrite=overwrite) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())


def write_text_atomic(path, text, overwrite=True):
    write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite)


__all__ = ["atomic_output", "write_bytes_atomic", "write_text_atomic"]
