"""Remote presets: downloaded once into a cache, verified, then used offline.

A preset URL names a directory holding `metadata.json` (or that file itself). The
metadata lists every other file with its sha256 and size. Each file downloads into a
`.part` file (resumed with an HTTP Range request when the server allows, restarted when
it does not), is verified, and only then renamed into place; the cache entry counts as
complete only once its `.complete` marker exists, written last. A killed download
therefore never leaves anything that is taken for a cached preset.
"""

import hashlib
import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request

from ganzoo.core.io import write_bytes_atomic
from ganzoo.presets.format import METADATA, PresetError, check_format_version, sha256_of

COMPLETE = ".complete"
_CHUNK = 1 << 16


def cache_root():
    """`$GANZOO_HOME`, else `~/.cache/ganzoo`."""
    return os.environ.get("GANZOO_HOME") or os.path.join(os.path.expanduser("~"), ".cache",
                                                         "ganzoo")


def cache_dir_for(url, root=None):
    base = url.rstrip("/").rsplit("/", 1)[-1] or "preset"
    key = hashlib.sha256(url.encode()).hexdigest()[:12]
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in base)
    return os.path.join(root or cache_root(), "presets", f"{safe}-{key}")


def _base_url(url):
    if url.endswith("/" + METADATA):
        return url[: -len(METADATA)]
    return url if url.endswith("/") else url + "/"


def _open(url, timeout, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as e:
        if e.code == 416:
            return e  # Range past the end: the .part file is already whole
        reason = "not found" if e.code == 404 else e.reason
        raise PresetError(f"Cannot download {url}: HTTP {e.code} ({reason}).") from None
    except (urllib.error.URLError, OSError) as e:
        raise PresetError(f"Cannot reach {url}: {getattr(e, 'reason', e)}. The preset is not "
                          "in the cache yet, so it needs the network once.") from None


def _fetch_file(url, path, expected, timeout, progress):
    """Downloads `url` to `path` via `path.part`, resuming a previous partial download."""
    part = path + ".part"
    have = os.path.getsize(part) if os.path.exists(part) else 0
    total = expected.get("bytes")
    if total is not None and have > total:
        os.remove(part)
        have = 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    response = _open(url, timeout, headers)
    status = getattr(response, "status", None) or response.getcode()
    if status == 416:
        response.close()
    else:
        mode = "ab"
        if status != 206:  # the server ignored the Range: start again
            have, mode = 0, "wb"
        length = response.headers.get("Content-Length")
        if total is None and length is not None:
            total = have + int(length)
        bar = _progress_bar(os.path.basename(path), total, have, progress)
        received = have
        try:
            with response, open(part, mode) as f:
                while True:
                    try:
                        chunk = response.read(_CHUNK)
                    except (http.client.IncompleteRead, OSError) as e:
                        raise PresetError(
                            f"The download of {url} was cut off after {received} bytes "
                            f"({type(e).__name__}). Run again to resume it.") from None
                    if not chunk:
                        break
                    f.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
                f.flush()
                os.fsync(f.fileno())
        finally:
            bar.close()
    size = os.path.getsize(part)
    if total is not None and size < total:
        raise PresetError(f"The download of {url} is truncated: {size} of {total} bytes. "
                          "Run again to resume it.")
    digest = sha256_of(part)
    if digest != expected["sha256"]:
        os.remove(part)  # a wrong file must not be resumed from
        raise PresetError(f"Checksum mismatch for {url}: sha256 {digest}, the preset's metadata "
                          f"says {expected['sha256']}. The partial file was deleted; if this "
                          "repeats, the file on the server is corrupt.")
    os.replace(part, path)


def _progress_bar(name, total, initial, enabled):
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, unit="B", unit_scale=True, desc=name,
                disable=not enabled, leave=False)


def fetch_preset(url, cache_root_dir=None, timeout=60, progress=True):
    """Returns the local cache directory of the preset at `url`, downloading what is
    missing. A complete cache entry is used without touching the network."""
    if urllib.parse.urlparse(url).scheme not in ("http", "https"):
        raise PresetError(f"Not an http(s) URL: {url!r}.")
    directory = cache_dir_for(url, cache_root_dir)
    if os.path.exists(os.path.join(directory, COMPLETE)):
        return directory
    os.makedirs(directory, exist_ok=True)
    base = _base_url(url)
    with _open(base + METADATA, timeout) as response:
        raw = response.read()
    try:
        info = json.loads(raw)
        files = info["files"]
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError):
        raise PresetError(f"{base + METADATA} is not a ganzoo preset's metadata.") from None
    check_format_version(info, url)
    for name, expected in files.items():
        if os.path.basename(name) != name or name in (METADATA, COMPLETE):
            raise PresetError(f"The metadata at {url} lists an unsafe file name {name!r}.")
        path = os.path.join(directory, name)
        if os.path.exists(path) and sha256_of(path) == expected["sha256"]:
            continue
        _fetch_file(base + urllib.parse.quote(name), path, expected, timeout, progress)
    write_bytes_atomic(os.path.join(directory, METADATA), raw)
    write_bytes_atomic(os.path.join(directory, COMPLETE), hashlib.sha256(raw).hexdigest().encode())
    return directory
