"""The one module of argument checks behind snnzoo's public entry points.

Every check raises `ValueError` (or `snnzoo.io.IntegrityError` for files
that fail their hash) with a message that names the argument, what was
expected and what was received. Checks run once at the entry point, never
inside a layer's per-step `call`.
"""

import math
import os

import numpy as np


def received(value):
    """A short description of `value` for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def fail(name, expected, value):
    raise ValueError(f"`{name}`: expected {expected}; got {received(value)}.")


def array(x, name, ndim=None, features=None, finite=True, nonempty=True, dtype="float32"):
    """`x` as a NumPy array of `dtype` after checking that it is numeric,
    has `ndim` dimensions (an int or a tuple of allowed ranks), a last axis
    of size `features`, at least one sample, and only finite values."""
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as err:
        raise ValueError(f"`{name}`: expected a numeric array; got {received(x)} ({err}).") \
            from None
    if arr.dtype.kind not in "biuf":
        fail(name, "a numeric array", arr)
    ranks = (ndim,) if isinstance(ndim, int) else ndim
    if ranks is not None and arr.ndim not in ranks:
        fail(name, f"an array with {' or '.join(map(str, ranks))} dimensions", arr)
    if nonempty and arr.size == 0:
        fail(name, "a non-empty array", arr)
    if features is not None and arr.shape[-1] != features:
        fail(name, f"a last axis of size {features}", arr)
    if finite and arr.dtype.kind == "f" and not np.isfinite(arr).all():
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"`{name}`: expected finite values; got {bad} NaN or infinite "
                         f"entries in an array of shape {arr.shape}.")
    return arr.astype(dtype) if dtype else arr


def frames(x, name, features, sequence=False):
    """Input of a streaming runner (LiteRT or TFLM): one frame `(features,)`
    or `(1, features)`, or with `sequence` a `(time, features)` sequence of
    at least one frame. Float frames must be finite; int8 frames (already on
    the graph's frame grid) pass as they are. Returns the array."""
    arr = array(x, name, ndim=2 if sequence else (1, 2), features=features, dtype=None)
    if not sequence and arr.ndim == 2 and arr.shape[0] != 1:
        fail(name, f"one frame of shape ({features},) or (1, {features})", arr)
    return arr


def standardization(value, features, name="standardization"):
    """A runner's feature standardisation: None, or `(mean, scale)` of
    `features` finite floats each, every scale > 0 (a preset card's
    `frontend` carries them as `coefficient_mean`/`coefficient_scale`).
    Returns None or the two float32 arrays."""
    if value is None:
        return None
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        fail(name, f"None or a (mean, scale) pair of {features} values each", value)
    mean = array(value[0], f"{name}[0] (mean)", ndim=1, features=features)
    scale = array(value[1], f"{name}[1] (scale)", ndim=1, features=features)
    if not (scale > 0).all():
        fail(f"{name}[1] (scale)", "every scale > 0", scale)
    return mean, scale


def model_inputs(model, x, name="x"):
    """Inputs `x` for `model`'s single input, checked against the built
    model: same rank, every fixed dimension equal, finite, non-empty.
    Returns float32."""
    shape = tuple(model.inputs[0].shape) if getattr(model, "inputs", None) else None
    if shape is None:
        raise ValueError(f"`model`: expected a built Keras model with one input; got "
                         f"{type(model).__name__}.")
    arr = array(x, name, ndim=len(shape))
    if any(e is not None and e != a for e, a in zip(shape[1:], arr.shape[1:])):
        expected = "(n, " + ", ".join("any" if d is None else str(d) for d in shape[1:]) + ")"
        fail(name, f"inputs of shape {expected} for model {model.name!r}", arr)
    return arr


def labels(y, name, length=None, num_classes=None):
    """Integer class labels `y` (1-D, `length` entries, in [0, num_classes))."""
    arr = array(y, name, ndim=1, dtype=None)
    if arr.dtype.kind == "f" and not np.array_equal(arr, np.round(arr)):
        fail(name, "integer class labels", arr)
    arr = arr.astype("int64")
    if length is not None and len(arr) != length:
        fail(name, f"{length} labels (one per input)", arr)
    high = num_classes if num_classes is not None else None
    if arr.min() < 0 or (high is not None and arr.max() >= high):
        span = f"[0, {high})" if high is not None else ">= 0"
        raise ValueError(f"`{name}`: expected labels in {span}; got values from "
                         f"{arr.min()} to {arr.max()}.")
    return arr


def number(value, name, low=None, high=None, integer=False, low_open=False,
           allow_none=False):
    """A finite number (an int if `integer`) in [low, high] ((low, high] with
    `low_open`); None passes when `allow_none`."""
    if value is None and allow_none:
        return None
    kind = "an integer" if integer else "a finite number"
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        fail(name, kind, value)
    if integer and not float(value).is_integer():
        fail(name, kind, value)
    if not math.isfinite(float(value)):
        fail(name, kind, value)
    too_low = low is not None and (value <= low if low_open else value < low)
    if too_low or (high is not None and value > high):
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        fail(name, f"{kind} in {'(' if low_open else '['}{lo}, {hi}]", value)
    return int(value) if integer else float(value)


def name_string(value, name):
    """A non-empty string (a preset, dataset or profile name)."""
    if not isinstance(value, str) or not value:
        fail(name, "a name (a non-empty string)", value)
    return value


def path_inside(path, folder, name):
    """`path` resolved; it must lie inside `folder` (no `..` escapes, no
    absolute paths elsewhere)."""
    full = os.path.realpath(os.path.join(folder, path))
    root = os.path.realpath(folder)
    if os.path.commonpath([full, root]) != root:
        fail(name, f"a path inside {root}", path)
    return full


def existing_file(path, name, suffix=None):
    if not isinstance(path, (str, os.PathLike)):
        fail(name, "a file path", path)
    path = os.fspath(path)
    if suffix and not path.endswith(suffix):
        fail(name, f"a {suffix} file", path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"`{name}`: no file at {path!r}.")
    if os.path.getsize(path) == 0:
        fail(name, "a non-empty file", path)
    return path


def output_path(path, name, suffix=None):
    """A file path to write: a string or path-like, ending in `suffix`, not
    an existing folder."""
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        fail(name, "a file path", path)
    path = os.fspath(path)
    if suffix and not path.endswith(suffix):
        fail(name, f"a path ending in {suffix}", path)
    if os.path.isdir(path):
        fail(name, "a file path, not a folder", path)
    return path


def json_object(text, name):
    """The dict a JSON-object string `text` (e.g. a recipe flag) holds."""
    import json

    try:
        value = json.loads(text)
    except (TypeError, json.JSONDecodeError) as err:
        fail(name, f"a JSON object ({err})", text)
    if not isinstance(value, dict):
        fail(name, "a JSON object", text)
    return value
