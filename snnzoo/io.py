"""The one home of snnzoo's file writes and hashes.

Every file snnzoo writes goes through `atomic_write`: the content is written
to a temporary file in the destination folder, flushed and fsynced, then
renamed over the destination with `os.replace` (atomic on POSIX and
Windows). A reader therefore sees the old file or the new one, never a
half-written one, and the temporary file is removed if anything fails
(including a `KeyboardInterrupt`).

- `atomic_write(path, mode="wb")`: a context manager yielding the open
  temporary file (or, with `mode=None`, its path, for writers such as
  `numpy.savez` or `keras.Model.save` that open files themselves).
- `write_text`, `write_json`, `read_json`.
- `save_npz(path, **arrays)`, `save_model(model, path)`.
- `sha256_file(path)`: hex digest, read in 1 MiB blocks.
"""

import contextlib
import hashlib
import json
import os
import tempfile

TMP_MARK = ".tmp"
#: A folder's record of its files' sha256: `{file name: hex digest}`.
SHA_FILE = "sha256.json"


class IntegrityError(ValueError):
    """A file is missing, or its bytes fail a recorded sha256."""


@contextlib.contextmanager
def atomic_write(path, mode="wb"):
    """Write `path` atomically (see the module docstring).

    Args:
        path: destination file; its folder is created if missing.
        mode: open mode of the temporary file ("wb", "w"), or None to
            yield the temporary path itself (its suffix is the
            destination's, so writers that check extensions accept it).
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    base = os.path.basename(path)
    stem, suffix = os.path.splitext(base)
    fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=f"{TMP_MARK}{suffix}", dir=folder)
    # mkstemp makes 0600 files: keep the replaced file's mode, else rw-r--r--.
    mode_bits = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o644
    try:
        os.chmod(tmp, mode_bits)
        if mode is None:
            os.close(fd)
            yield tmp
        else:
            with os.fdopen(fd, mode) as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise
    _fsync_folder(folder)


@contextlib.contextmanager
def atomic_folder(path):
    """Build a whole folder, then swap it in for `path` with two renames.

    Yields the path of an empty temporary folder beside `path`; on success
    the old folder (if any) is renamed aside, the new one renamed into place
    and the old one deleted. On failure the temporary folder is removed and
    `path` is untouched.
    """
    import shutil

    path = os.path.abspath(os.fspath(path))
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".{os.path.basename(path)}.", suffix=TMP_MARK, dir=parent)
    os.chmod(tmp, 0o755)  # mkdtemp makes 0700 folders
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if os.path.exists(path):
        old = tempfile.mkdtemp(prefix=f".{os.path.basename(path)}.", suffix=".old", dir=parent)
        os.replace(path, os.path.join(old, "folder"))
    os.replace(tmp, path)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    _fsync_folder(parent)


def promote_folder(new, current, previous):
    """Make folder `new` the `current` one and keep the replaced one as
    `previous` (two renames). A kill between them leaves `previous` and
    `new` intact and no `current`: readers fall back to `previous`."""
    import shutil

    if os.path.isdir(current):
        shutil.rmtree(previous, ignore_errors=True)
        os.replace(current, previous)
    os.replace(new, current)
    _fsync_folder(os.path.dirname(os.path.abspath(current)))


def _fsync_folder(folder):
    """Make the rename durable (POSIX); a no-op where folders cannot be opened."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_text(path, text):
    with atomic_write(path, "w") as f:
        f.write(text)
    return path


def write_json(path, obj, indent=1, sort_keys=False):
    """`obj` as JSON (with a final newline), atomically."""
    return write_text(path, json.dumps(obj, indent=indent, sort_keys=sort_keys) + "\n")


def read_json(path):
    """The JSON document at `path`; a malformed one raises ValueError
    naming the file and where it breaks."""
    with open(path) as f:
        try:
            return json.load(f)
        except json.JSONDecodeError as err:
            raise ValueError(f"{path} is not valid JSON ({err.msg} at line {err.lineno}, "
                             f"column {err.colno}).") from None


def save_npz(path, compressed=True, **arrays):
    """`numpy.savez(_compressed)` to `path`, atomically."""
    import numpy as np

    with atomic_write(path, None) as tmp:
        (np.savez_compressed if compressed else np.savez)(tmp, **arrays)
    return path


def save_model(model, path):
    """`model.save(path)` (a `.keras` file), atomically."""
    if not os.fspath(path).endswith(".keras"):
        raise ValueError(f"`path` must end in .keras; got {path!r}.")
    with atomic_write(path, None) as tmp:
        model.save(tmp)
    return path


def sha256_file(path, chunk=1 << 20):
    """Hex sha256 of a file's bytes."""
    return file_digest(path, "sha256", chunk)


def file_digest(path, algorithm="sha256", chunk=1 << 20):
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def is_temporary(name):
    """Whether a file name is one of `atomic_write`'s temporary files."""
    return os.path.basename(name).startswith(".") and TMP_MARK in name
