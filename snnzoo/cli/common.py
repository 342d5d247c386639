"""Helpers shared by the subcommands: flag types, loading models and arrays
by name or path. Every flag is checked when the command line is parsed or
at the start of `run`, before any model loads or any file is written."""

import argparse
import difflib
import os
import sys


class CommandError(Exception):
    """A user error: printed as one line `snnzoo <command>: <message>`."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line `snnzoo <command>: <message>`
    (exit 2), as every other error of the CLI is."""

    def error(self, message):
        print(f"{self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def _flag_number(kind, low, low_open=False):
    """An argparse `type=`: the flag's text as a `kind` (int or float) checked
    by `snnzoo.validation.number`; the error says what was expected."""
    from snnzoo import validation

    def parse(text):
        try:
            value = kind(text)
            return validation.number(value, "flag", low=low, integer=kind is int,
                                     low_open=low_open)
        except ValueError:
            noun = "an integer" if kind is int else "a finite number"
            sign = ">" if low_open else ">="
            raise argparse.ArgumentTypeError(f"expected {noun} {sign} {low}; got {text!r}")
    parse.__name__ = kind.__name__
    return parse


#: Flag types: counts (samples, epochs, T, batch size) and positive reals.
positive_int = _flag_number(int, 1)
nonnegative_int = _flag_number(int, 0)
positive_float = _flag_number(float, 0.0, low_open=True)


def output_folder(path, flag):
    """`path` as an output folder: absent (it is made) or a folder, never a file."""
    if os.path.exists(path) and not os.path.isdir(path):
        raise CommandError(f"{flag}: expected a folder (existing or new); {path!r} is a file.")
    return path


def input_file(path, flag, what="a .npy array"):
    """`path` if it names an existing file (checked before any work)."""
    if path is not None and not os.path.isfile(path):
        raise CommandError(f"{flag}: no file at {path!r} (expected {what}).")
    return path


def check_model(name_or_path):
    """A preset name or an existing model file; an unknown name is refused
    with the closest preset names."""
    from snnzoo import presets

    if is_preset(name_or_path) or os.path.isfile(name_or_path):
        return name_or_path
    names = presets.list_presets()
    close = difflib.get_close_matches(name_or_path, names, n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else f" Presets: {', '.join(names)}."
    if name_or_path.endswith((".keras", ".nir")) or os.sep in name_or_path:
        raise CommandError(f"no model file at {name_or_path!r}.")
    raise CommandError(f"unknown preset {name_or_path!r} (and no such file).{hint}")


def is_preset(name):
    from snnzoo import presets

    return isinstance(name, str) and name in presets.BUILTIN_PRESETS


def preset_name(name):
    from snnzoo import presets

    if not is_preset(name):
        close = difflib.get_close_matches(name, presets.list_presets(), n=3, cutoff=0.6)
        hint = (f" Did you mean {', '.join(close)}?" if close
                else f" Expected one of: {', '.join(presets.list_presets())}.")
        raise CommandError(f"unknown preset {name!r}.{hint}")
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
