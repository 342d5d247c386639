"""Helpers shared by the subcommands: loading models and arrays by name or path."""

import os


class CommandError(Exception):
    """A user error: printed as one line `snnzoo <command>: <message>`."""


def is_preset(name):
    from snnzoo import presets

    return isinstance(name, str) and name in presets.BUILTIN_PRESETS


def preset_name(name):
    from snnzoo import presets

    if not is_preset(name):
        raise CommandError(f"unknown preset {name!r}; expected one of: "
                           f"{', '.join(presets.list_presets())}.")
    return name


def load_model(name_or_path):
    """A registered preset name (sha256-verified), a `.keras` file (safe
    mode) or a `.nir` graph (`snnzoo.nir.load`)."""
    import keras

    from snnzoo import presets

    if is_preset(name_or_path):
        return presets.load(name_or_path)
    if not os.path.isfile(name_or_path):
        raise CommandError(f"{name_or_path!r} is neither a preset name nor a .keras or .nir "
                           f"file. Presets: {', '.join(presets.list_presets())}.")
    if name_or_path.endswith(".nir"):
        import snnzoo.nir

        return snnzoo.nir.load(name_or_path)
    return keras.saving.load_model(name_or_path, safe_mode=True)


def load_array(path, what):
    """A `.npy` array as float32."""
    import numpy as np

    if not os.path.isfile(path):
        raise CommandError(f"no {what} file at {path!r} (expected a .npy array).")
    return np.load(path).astype("float32")
