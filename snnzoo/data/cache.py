"""Where datasets live, and checksummed downloads through `keras.utils.get_file`.

The cache root is `data_dir`, else `$SNNZOO_DATA`, else `~/.snnzoo/datasets`.
A file that is absent and cannot be downloaded (no network) raises
`DatasetNotFoundError`, which names the URL and the path where a manually
downloaded copy is picked up.
"""

import contextlib
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
        verify(path, file_hash)  # a cached file that fails its record is refused first
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
    first_use = verify(path, file_hash)
    if extract:
        _extract_once(path, folder)
    _record(path, first_use)  # only after a successful extraction
    return path


def _record(path, digest):
    """Record a first-use sha256 (trust on first use), if there is one."""
    if digest is not None:
        snnzoo_io.write_text(path + ".sha256", digest)


def verify(path, file_hash):
    """Check `path` against `file_hash` (or its recorded first-use sha256).

    Returns the sha256 to record when the file has neither (first use); the
    caller records it once the file has proved usable (`fetch`: after a
    successful extraction), so a truncated archive is never trusted."""
    record = path + ".sha256"
    if file_hash is None:
        digest = file_digest(path)
        if not os.path.exists(record):
            return digest
        with open(record) as f:
            file_hash = f.read().strip()
        algorithm, advice = "sha256", f"Delete it and {record} to download it again"
    else:
        algorithm = "sha256" if len(file_hash) == 64 else "md5"
        digest = file_digest(path, algorithm)
        advice = "Delete it to download it again"
    if digest != file_hash:
        raise ValueError(f"{path} failed its {algorithm} check: expected {file_hash}, got "
                         f"{digest}. {advice}.")
    return None


def _extract_once(path, folder):
    marker = path + ".extracted"
    if os.path.exists(marker):
        return
    import shutil

    with reading(path, f"delete it (and {path}.sha256 if present) to download it again"):
        shutil.unpack_archive(path, folder)
    snnzoo_io.write_text(marker, "ok")


@contextlib.contextmanager
def reading(path, advice="check or replace the file"):
    """Turn a reader's low-level error on a corrupt file into a `ValueError`
    that names the file."""
    import shutil
    import struct
    import wave
    import zipfile

    try:
        yield
    except (OSError, EOFError, KeyError, IndexError, ValueError, struct.error,
            zipfile.BadZipFile, shutil.ReadError, wave.Error) as err:
        if isinstance(err, FileNotFoundError):
            raise
        raise ValueError(f"{path} is corrupt or not in the expected format "
                         f"({type(err).__name__}: {err}); {advice}.") from err


