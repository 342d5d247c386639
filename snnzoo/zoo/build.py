"""The one path that builds a preset's exported artifacts.

`build_artifacts(name, quantizations, modes)` is what `recipes/export_presets.py`
(every shipped artifact), `snnzoo export NAME` and the tests call. For each
(quantization, mode) it:

1. picks the source model: the preset's float model, or for int8 the
   preset's int8 preparation (`metadata["int8_preparation"]`: bounded
   membranes + fine-tuning, `snnzoo.quantization.int8.prepare_for_int8`),
   whose result ships as `model_int8_source.keras` (sha256-listed) and is
   re-run only when asked (`reprepare=True`, which needs the training set);
2. calibrates int8 graphs on the preset's shipped calibration set
   (`metadata["calibration"]`: a few hundred real training inputs as
   float16, sha256-listed; no dataset download, no espeak-ng);
3. exports (`snnzoo.export.export_tflite`), verifies the file against the
   preset's float Keras model on its test split (and spike agreement for
   step graphs), and returns a manifest entry;
4. when writing into the preset folder, records the files in the folder's
   `sha256.json` and the entries in `manifest.json`.
"""

import os

import numpy as np

from snnzoo import data
from snnzoo import export
from snnzoo import io as snnzoo_io
from snnzoo.export.bundle import manifest
from snnzoo.export.runtime.micro import tflm_report
from snnzoo.models.step_graph import StepGraph
from snnzoo.presets import evaluation
from snnzoo.presets.evaluation import calibration_data
from snnzoo.presets import store
from snnzoo.presets.spec import PresetSpec
from snnzoo.quantization.int8 import floor_membranes
from snnzoo.quantization.int8 import copy_model
from snnzoo.quantization.int8 import prepare_for_int8
from snnzoo.quantization.int8 import qat_fine_tune

SPIKE_CHECK_SAMPLES = 16


def artifact_name(quantization, mode):
    return f"model_{quantization}_{mode}.tflite"


def write_calibration(name, root=None):
    """Write preset `name`'s calibration set from its dataset's train split
    (the same preprocessing as training): `samples` inputs drawn with
    `seed`, in their dataset order, stored as float16; recorded in the
    folder's `sha256.json`. Returns the file path."""
    preset = PresetSpec.resolve(name, root)
    spec, root = preset.calibration, preset.root
    x, _ = data.load(spec["dataset"], spec["split"], **spec.get("options", {}))
    picks = np.random.default_rng(spec["seed"]).choice(
        len(x), min(spec["samples"], len(x)), replace=False)
    file = os.path.join(root, spec["file"])
    snnzoo_io.save_npz(file, x=np.asarray(x[np.sort(picks)], "float16"),
                       spec=repr(sorted(spec.items())))
    store.write_sha256(os.path.dirname(file))
    return file


def training_data(preset):
    """The train split of a preset's calibration dataset (for re-preparing)."""
    spec = preset.calibration
    return data.load(spec["dataset"], spec["split"], **spec.get("options", {}))


def int8_source(preset, model, reprepare=False):
    """`(model, preparation)`: what int8 files of `name` are exported from.

    Without `int8_preparation` in the registry: the float model, None.
    With it (`membrane_floor` for hybrid LSTMs: a copy with bounded FC
    membranes, no training; `qat`: a copy fine-tuned through 8-bit fake
    quantization of every step-boundary tensor, `qat_fine_tune`'s
    arguments; otherwise `prepare_for_int8`'s arguments): the
    shipped `model_int8_source.keras` (sha256-verified), or,
    with `reprepare=True`, a fresh `prepare_for_int8` run on the training
    set, saved there. `preparation` records the arguments and source file.
    """
    import keras

    prep, folder = preset.int8_preparation, preset.folder
    if not prep:
        return model, None
    path = os.path.join(folder, store.INT8_SOURCE_FILE)
    preparation = dict(prep, source=store.INT8_SOURCE_FILE)
    fresh = reprepare or not os.path.isfile(path)
    if fresh and "membrane_floor" in prep:
        snnzoo_io.save_model(floor_membranes(model, prep["membrane_floor"]), path)
    elif fresh:
        prepared, history = _trained_source(preset, model, prep)
        snnzoo_io.save_model(prepared, path)
        preparation["final_train_loss"] = float(history.history["loss"][-1])
    else:
        store.verify_files(folder, [store.INT8_SOURCE_FILE])
    prepared = keras.saving.load_model(path, safe_mode=True, compile=False)
    return prepared, preparation


def _trained_source(preset, model, prep):
    """`(model, history)`: a copy of `model` fine-tuned on the training set,
    through fake quantization (`qat`) or with bounded membranes."""
    x, y = training_data(preset)
    if "qat" in prep:
        prepared = copy_model(model)
        return prepared, qat_fine_tune(prepared, x, y, **prep["qat"])
    return prepare_for_int8(model, x, y, **prep)


def input_grid(card):
    """The int8 frame-input grid a card's front end states (`input_scale`,
    `input_zero_point`: the micro front end's int8 values), else None."""
    front = card.get("frontend") or {}
    if "input_scale" not in front:
        return None
    return float(front["input_scale"]), int(front.get("input_zero_point", 0))


def export_one(model, source, path, quantization, mode, x, y, calibration=None,
               check=True, on_written=None, grid=None):
    """Export `source` to `path` and verify it against `model` on `(x, y)`;
    returns the manifest entry (without `preset` and `file`). `on_written()`
    runs between the two (the preset folder records the new file's sha256
    there, so that the verification opens a recorded file)."""
    import time

    start = time.perf_counter()
    # The hybrid's int8 graphs and the spiking LSTM's int8 speech sequence
    # graph keep a few float tensors: accepted here and recorded as
    # `float_tensors` in the manifest (and printed by `snnzoo export`).
    grid = grid if (quantization, mode) == ("int8", "step") else None
    info = export.export_tflite(source, path, quantization, mode,
                                representative_data=calibration, allow_float_tensors=True,
                                input_grid=grid)
    entry = {"sha256": snnzoo_io.sha256_file(path), "bytes": info["bytes"],
             "quantization": quantization, "mode": mode,
             "inputs": info["inputs"], "outputs": info["outputs"],
             "state_names": info["state_names"], "ops": info["ops"],
             "float_tensors": info["float_tensors"],
             "convert_seconds": round(time.perf_counter() - start, 1)}
    if on_written is not None:
        on_written()
    if check:
        entry["verification"] = export.verify(model, path, x, y)
        if quantization == "int8":
            entry["tflm"] = tflm_report(path, x, y)
        if mode == "step":
            agreement = export.spike_agreement(StepGraph(source), path, x[:SPIKE_CHECK_SAMPLES])
            if agreement is not None:
                entry["verification"]["spike_agreement"] = agreement
                entry["verification"]["spike_agreement_samples"] = min(SPIKE_CHECK_SAMPLES, len(x))
    return entry


def omitted_artifacts(preset, quantizations, folder=None):
    """Records of the int8 artifacts the preset does not ship
    (`metadata["int8_omitted_modes"]`: mode -> reason) when int8 is among
    `quantizations`; an old such file in `folder` is deleted."""
    name, not_shipped = preset.name, preset.int8_omitted_modes
    if "int8" not in quantizations:
        return []
    omitted = []
    # Recorded whatever `modes` asks for: an export of the step graph alone
    # still says why the preset has no int8 sequence graph.
    for mode in (m for m in ("step", "sequence") if m in not_shipped):
        omitted.append({"preset": name, "quantization": "int8", "mode": mode,
                        "reason": not_shipped[mode]})
        old = os.path.join(folder, artifact_name("int8", mode)) if folder else None
        if old and os.path.exists(old):
            os.remove(old)
    return omitted


def build_artifacts(name, quantizations=("float32", "int8"), modes=("step", "sequence"),
                    out_dir=None, root=None, check=True, max_test_samples=None,
                    reprepare=False, progress=True, file_stem=None):
    """Export preset `name` in every (quantization, mode); see the module
    docstring. Returns the list of entries written.

    Args:
        name: a registered preset.
        quantizations, modes: see `snnzoo.export.export_tflite`.
        out_dir: None to write `model_<q>_<mode>.tflite` into the preset
            folder and record them in its `sha256.json` and `manifest.json`
            (what the shipped artifacts are); a folder to write
            `<file_stem or name>_<q>_<mode>.tflite` there and record nothing.
        root: presets root (default `snnzoo.presets.presets_root()`).
        check: verify each file on the test split.
        max_test_samples: verify on fewer test samples.
        reprepare: re-run the int8 preparation instead of using the shipped
            source model.
    """
    import keras
    from tqdm.auto import tqdm

    preset = PresetSpec.resolve(name, root)  # the one registry look-up
    root, folder = preset.root, preset.folder
    # Only what is read is checked: the artifacts themselves are rebuilt.
    store.verify_files(folder, [store.MODEL_FILE, store.CARD_FILE])
    model = keras.saving.load_model(os.path.join(folder, store.MODEL_FILE), safe_mode=True,
                                    compile=False)
    x, y = _test_split(preset, max_test_samples)
    grid = input_grid(store.card(folder, verify_hashes=False))  # verified above
    int8 = "int8" in quantizations
    calibration = calibration_data(name, root, preset.calibration) if int8 else None
    source, preparation = int8_source(preset, model, reprepare) if int8 else (model, None)
    if preparation and check:
        preparation["float_accuracy_before"] = evaluation.accuracy(model, x, y)
        preparation["float_accuracy_after"] = evaluation.accuracy(source, x, y)
    entries = []
    # What the preset folder does not ship; a file asked for elsewhere is built.
    omitted = omitted_artifacts(preset, quantizations, folder) if out_dir is None else []
    skip = {(o["quantization"], o["mode"]) for o in omitted}
    jobs = [(q, m) for q in quantizations for m in modes if (q, m) not in skip]
    for quantization, mode in tqdm(jobs, desc=f"export {name}", disable=not progress):
        file = (os.path.join(folder, artifact_name(quantization, mode)) if out_dir is None
                else os.path.join(out_dir, f"{file_stem or name}_{quantization}_{mode}.tflite"))
        record = (lambda: store.write_sha256(folder)) if out_dir is None else None
        entry = export_one(model, source if quantization == "int8" else model, file,
                           quantization, mode, x, y, calibration, check, record, grid)
        entry = {"preset": name, "file": os.path.relpath(file, root) if out_dir is None
                 else file, **entry}
        if quantization == "int8" and preparation:
            entry["int8_preparation"] = preparation
        entries.append(entry)
    if out_dir is None:
        record_tflm_in_card(folder, entries)
        store.write_sha256(folder)
        manifest.update(entries, root, omitted)
    return entries


def _test_split(preset, max_test_samples=None):
    x, y = evaluation.evaluation_data(preset.evaluation, preset.root)
    return (x[:max_test_samples], y[:max_test_samples]) if max_test_samples else (x, y)


def refresh_tflm(name, root=None, max_test_samples=None):
    """Measure the TFLM facts of preset `name`'s shipped int8 files again
    (`snnzoo.export.runtime.micro.tflm_report` on its test split) without
    re-exporting them; updates their manifest entries and the card.
    Returns the updated entries."""

    preset = PresetSpec.resolve(name, root)
    root, folder = preset.root, preset.folder
    store.verify(folder)  # re-hashing the folder below must not bless an altered file
    x, y = _test_split(preset, max_test_samples)
    entries = [dict(e, tflm=tflm_report(os.path.join(root, e["file"]), x, y))
               for e in manifest.read(root)["artifacts"]
               if e["preset"] == name and e["quantization"] == "int8"]
    record_tflm_in_card(folder, entries)
    store.write_sha256(folder)
    manifest.update(entries, root)
    return entries


def record_tflm_in_card(folder, entries):
    """Copy the TFLite Micro footprint of each int8 file in `entries` (loads,
    arena bytes, flash bytes, MACs per frame, agreement with LiteRT) and its
    int8 accuracy into the card's `tflm` record, keyed by file name."""
    card_path = os.path.join(folder, store.CARD_FILE)
    card = snnzoo_io.read_json(card_path)
    record = dict(card.get("tflm", {}))
    for e in entries:
        if e["quantization"] == "int8" and e.get("tflm"):
            record[os.path.basename(e["file"])] = dict(
                e["tflm"], int8_accuracy=e["verification"]["tflite_accuracy"])
    if record != card.get("tflm", {}):
        card["tflm"] = record
        snnzoo_io.write_json(card_path, card)
