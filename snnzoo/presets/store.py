"""Preset folders: locate, verify sha256, load (Keras safe mode), read cards.

A preset folder holds `model.keras`, `card.json` and `sha256.json`
(`{file: sha256}` for every other file in the folder, exported TFLite
files included). Every listed file is hashed and compared before anything
is deserialized.
"""

import os

import keras

# Importing these registers every snnzoo class with Keras, so that a
# `.keras` file names them in safe mode.
from snnzoo import activations  # noqa: F401
from snnzoo import cells  # noqa: F401
from snnzoo import constraints  # noqa: F401
from snnzoo import initializers  # noqa: F401
from snnzoo import io as snnzoo_io
from snnzoo import layers  # noqa: F401
from snnzoo import losses  # noqa: F401
from snnzoo import regularizers  # noqa: F401
from snnzoo import validation
from snnzoo.presets import registry

SHA_FILE = snnzoo_io.SHA_FILE
MODEL_FILE = "model.keras"
CARD_FILE = "card.json"
INT8_SOURCE_FILE = "model_int8_source.keras"
ENV_VAR = "SNNZOO_PRESETS"


class PresetIntegrityError(snnzoo_io.IntegrityError):
    """A preset file is missing or fails its sha256."""


def presets_root():
    """The folder that holds the exported presets.

    Returns:
        `$SNNZOO_PRESETS` when set, else the repository's `exported_models/`.
    """
    root = os.environ.get(ENV_VAR)
    if root:
        return root
    return os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), "exported_models")


def path(name_or_dir):
    """The folder of a preset.

    Args:
        name_or_dir: a registered preset name, or a preset folder.

    Returns:
        The absolute folder path.

    Raises:
        ValueError: `name_or_dir` is empty, not a string, or an unknown name
            (the message lists the registered presets).
        FileNotFoundError: a path that is not a folder, or a registered
            preset whose folder is missing under `presets_root()`.
    """
    if not isinstance(name_or_dir, (str, os.PathLike)) or not os.fspath(name_or_dir):
        raise ValueError(f"`name_or_dir`: expected a preset name or a preset folder; got "
                         f"{name_or_dir!r}. Presets: {', '.join(registry.list_presets())}.")
    name_or_dir = os.fspath(name_or_dir)
    if os.path.isdir(name_or_dir):
        return os.path.abspath(name_or_dir)
    if os.sep in name_or_dir or name_or_dir.startswith("."):
        raise FileNotFoundError(f"No preset folder at {name_or_dir!r}.")
    entry = registry.get(name_or_dir)
    folder = os.path.join(presets_root(), entry["path"])
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"Preset {name_or_dir!r} is registered but its folder {folder} is missing "
            f"(set ${ENV_VAR} to the folder that holds the exported models).")
    return folder


def verify(folder):
    """Check every file of a preset folder against its `sha256.json`.

    Args:
        folder: a preset folder.

    Returns:
        `{file name: sha256}` of the folder's listed files.

    Raises:
        PresetIntegrityError: a listed file is missing or its sha256
            differs; a file in the folder is not listed (every shipped file,
            the exported `.tflite` and `.nir` files included, must be
            hashed); or `model.keras` / `card.json` are not listed.
    """
    hashes = verify_files(folder, required=(MODEL_FILE, CARD_FILE))
    unlisted = sorted(set(_folder_files(folder)) - set(hashes))
    if unlisted:
        raise PresetIntegrityError(
            f"{os.path.join(folder, SHA_FILE)} does not list {', '.join(unlisted)}; every file "
            "of a preset folder must be hashed (refusing unverified files).")
    return hashes


def _folder_files(folder):
    """Every file under `folder` that `write_sha256` hashes (relative paths)."""
    for dirpath, _, files in os.walk(folder):
        for name in sorted(files):
            if name == SHA_FILE or snnzoo_io.is_temporary(name) or ".tmp" in name:
                continue
            yield os.path.relpath(os.path.join(dirpath, name), folder)


def verify_files(folder, names=None, required=()):
    """Check `names` (default: every listed file) in `folder` against
    `folder/sha256.json`; returns `{name: sha256}` of the files checked."""
    sha_path = os.path.join(folder, SHA_FILE)
    if not os.path.isfile(sha_path):
        raise PresetIntegrityError(f"{folder} has no {SHA_FILE}; refusing to load an "
                                   "unverified file.")
    hashes = snnzoo_io.read_json(sha_path)
    for name in tuple(required) + tuple(names or ()):
        if name not in hashes:
            raise PresetIntegrityError(f"{sha_path} does not list {name}.")
    checked = {n: hashes[n] for n in (names if names is not None else sorted(hashes))}
    for name, expected in checked.items():
        file = os.path.join(folder, name)
        if os.path.islink(file) and not os.path.exists(file):
            raise PresetIntegrityError(f"{file} is a symbolic link to "
                                       f"{os.readlink(file)!r}, which does not exist.")
        if not os.path.isfile(file):
            raise PresetIntegrityError(f"{file} is listed in {SHA_FILE} but missing.")
        actual = snnzoo_io.sha256_file(file)
        if actual != expected:
            raise PresetIntegrityError(
                f"{file} failed its sha256 check: expected {expected}, got {actual}. "
                "The file is corrupted or was modified; re-fetch it.")
    return checked


def write_sha256(folder):
    """(Re)write `folder/sha256.json` over every file in the folder, atomically."""
    hashes = {name: snnzoo_io.sha256_file(os.path.join(folder, name))
              for name in _folder_files(folder)}
    snnzoo_io.write_json(os.path.join(folder, SHA_FILE), dict(sorted(hashes.items())))
    return hashes


def write_card_record(folder, key, record):
    """Set the card's `key` record to `record` and re-hash the folder."""
    card_path = os.path.join(folder, CARD_FILE)
    card_data = snnzoo_io.read_json(card_path)
    card_data[key] = record
    snnzoo_io.write_json(card_path, card_data)
    write_sha256(folder)


def card(name_or_dir, verify_hashes=True):
    """The preset's model card.

    Args:
        name_or_dir: a registered preset name, or a preset folder.
        verify_hashes: check every file's sha256 first (`verify`).

    Returns:
        The card as a dict (`card.json`).

    Raises:
        ValueError: an unknown preset name.
        FileNotFoundError: the preset folder is missing.
        PresetIntegrityError: a file fails its sha256 (with `verify_hashes`).
    """
    folder = path(name_or_dir)
    if verify_hashes:
        verify(folder)
    return snnzoo_io.read_json(os.path.join(folder, CARD_FILE))


def load_model(path, compile=False):
    """Load a `.keras` file with snnzoo layers, in Keras safe mode (no arbitrary
    code). Importing this module has registered every snnzoo class.
    `snnzoo.load_model` is this function.

    Args:
        path: a `.keras` file.
        compile: restore the training configuration as well.

    Returns:
        The `keras.Model`.

    Raises:
        ValueError: `path` is not a string path ending in `.keras`.
        FileNotFoundError: no file at `path`.
    """
    path = validation.existing_file(path, "path", ".keras")
    return keras.saving.load_model(path, compile=compile, safe_mode=True)


def load(name_or_dir, compile=False, int8_source=False):
    """Load a preset: a registered name or a preset folder (keras-hub style).

    The sha256 of every file is verified first; the model is deserialized
    with `safe_mode=True` (no arbitrary code).

    Args:
        name_or_dir: a registered preset name (`list_presets()`), or a preset
            folder.
        compile: restore the training configuration as well.
        int8_source: load the model the preset's int8 files are exported from
            (`model_int8_source.keras`: membranes bounded for int8, see
            `snnzoo.quantization.prepare_for_int8`) where the preset ships one,
            else the float model itself.

    Returns:
        The `keras.Model`.

    Raises:
        ValueError: an unknown preset name.
        FileNotFoundError: the preset folder is missing.
        PresetIntegrityError: a file fails its sha256, or the folder of a
            registered name holds another preset's card.

    Example:
    >>> model = snnzoo.presets.load("lif_fsdd_2x128")
    """
    folder = path(name_or_dir)
    verify(folder)
    if not os.path.isdir(name_or_dir):  # a registered name: its card must say so
        found = snnzoo_io.read_json(os.path.join(folder, CARD_FILE)).get("name")
        if found != name_or_dir:
            raise PresetIntegrityError(
                f"`name`: preset {name_or_dir!r} was asked for but {folder} holds the card "
                f"of {found!r}; the folder holds another preset's files.")
    file = INT8_SOURCE_FILE if int8_source and os.path.isfile(
        os.path.join(folder, INT8_SOURCE_FILE)) else MODEL_FILE
    return keras.saving.load_model(os.path.join(folder, file), compile=compile, safe_mode=True)
