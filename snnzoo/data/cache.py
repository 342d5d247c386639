"""Where datasets live, and checksummed downloads through `keras.utils.get_file`.

The cache root is `data_dir`, else `$SNNZOO_DATA`, else `~/.snnzoo/datasets`.
A file that is absent and cannot be downloaded (no network) raises
`DatasetNotFoundError`, which names the URL and the path where a manually
downloaded copy is picked up.
"""

import os

import keras

from snnzoo import io as snnzoo_io


class DatasetNotFoundError(FileNotFoundError):
    """A dataset file is neither cached nor downloadable right now."""


def data_home(data_dir=None):
    root = data_dir or os.environ.get("SNNZOO_DATA") or os.path.join(
        os.path.expanduser("~"), ".snnzoo", "datasets")
    os.makedirs(root, exist_ok=True)
    return root


file_digest = snnzoo_io.file_digest


def fetch(fname, url, subdir, data_dir=None, file_hash=None, extract=False):
    """Return the local path of `fname`, downloading and verifying it if needed.

    Args:
        fname: file name in the cache.
        url: where the file is published.
        subdir: cache subfolder (one per dataset).
        file_hash: the published sha256 (64 hex) or md5 (32 hex). `None`
            when the publisher gives none: the sha256 of the first download
            is then recorded next to the file (`<fname>.sha256`) and checked
            on every later use (trust on first use).
        extract: extract the archive once, next to it.

    Raises:
        DatasetNotFoundError: offline and not cached.
        ValueError: a cached file fails its checksum.
    """
    folder = os.path.join(data_home(data_dir), subdir)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, fname)
    if os.path.exists(path):
        verify(path, file_hash)
    try:
        path = keras.utils.get_file(
            fname=fname, origin=url, file_hash=file_hash,
            cache_dir=data_home(data_dir), cache_subdir=subdir, extract=False)
    except Exception as err:  # network errors differ by platform
        if os.path.exists(path):
            raise
        raise DatasetNotFoundError(
            f"Could not download {url} ({type(err).__name__}: {err}). Download "
            f"it by hand and place it at {path}, or pass data_dir= pointing to "
            "a folder that holds it."
        ) from None
    verify(path, file_hash)
    if extract:
        _extract_once(path, folder)
    return path


def verify(path, file_hash):
    """Check `path` against `file_hash` (or its recorded first-use sha256)."""
    record = path + ".sha256"
    if file_hash is None:
        digest = file_digest(path)
        if os.path.exists(record):
            with open(record) as f:
                file_hash = f.read().strip()
        else:
            _write_atomic(record, digest)
            return
        algorithm = "sha256"
    else:
        algorithm = "sha256" if len(file_hash) == 64 else "md5"
        digest = file_digest(path, algorithm)
    if digest != file_hash:
        raise ValueError(
            f"{path} failed its {algorithm} check: expected {file_hash}, got "
            f"{digest}. Delete it to download it again."
        )


def _extract_once(path, folder):
    marker = path + ".extracted"
    if os.path.exists(marker):
        return
    import shutil

    shutil.unpack_archive(path, folder)
    _write_atomic(marker, "ok")


def _write_atomic(path, text):
    snnzoo_io.write_text(path, text)
