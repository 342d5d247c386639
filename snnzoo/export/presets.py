"""Export every preset to LiteRT and record the verification in the manifest."""

import os
import time

import numpy as np

from snnzoo.export import manifest
from snnzoo.export.step_graph import StepGraph
from snnzoo.export.tflite import export_tflite
from snnzoo.export.verify import spike_agreement
from snnzoo.export.verify import verify
from snnzoo.presets import evaluation
from snnzoo.presets import registry
from snnzoo.presets import store

SPIKE_CHECK_SAMPLES = 16


def training_data(name):
    """The train split of a preset's dataset (same preprocessing)."""
    from snnzoo import data

    spec = registry.get(name)["metadata"]["evaluation"]
    return data.load(spec["dataset"], "train", **spec.get("options", {}))


def representative_data(name, samples=200, seed=0):
    """Training inputs of a preset (its dataset's train split, the same
    preprocessing as training): the int8 calibration data."""
    from snnzoo import data

    spec = registry.get(name)["metadata"]["evaluation"]
    x, _ = data.load(spec["dataset"], "train", **spec.get("options", {}))
    picks = np.random.default_rng(seed).choice(len(x), min(samples, len(x)), replace=False)
    return np.asarray(x[np.sort(picks)], "float32")


def artifact_name(quantization, mode):
    return f"model_{quantization}_{mode}.tflite"


def export_preset(name, quantizations=("float32", "int8"), modes=("step", "sequence"),
                  root=None, max_test_samples=None, progress=True):
    """Export preset `name` in every (quantization, mode), verify each file
    against the Keras model on the test split, add the files to the preset's
    `sha256.json` and their entries to `manifest.json`. Returns the entries.

    A preset whose registry entry has `metadata["int8_preparation"]`
    (`prepare_for_int8` arguments) is exported to int8 from the prepared
    model, saved as `model_int8_source.keras` beside the preset; its entries
    record the preparation and both float accuracies. Verification always
    compares with the preset's own float model."""
    from tqdm.auto import tqdm

    root = root or store.presets_root()
    folder = os.path.join(root, registry.get(name)["path"])
    model = store.load(folder)
    x, y = evaluation.evaluation_data(registry.get(name)["metadata"]["evaluation"], root)
    if max_test_samples:
        x, y = x[:max_test_samples], y[:max_test_samples]
    rep = representative_data(name) if "int8" in quantizations else None
    graph = StepGraph(model)
    prep = registry.get(name)["metadata"].get("int8_preparation")
    int8_model, preparation = model, None
    if prep and "int8" in quantizations:
        from snnzoo.export.qat import prepare_for_int8
        from snnzoo.training.trainer import save_model_atomic

        xtr, ytr = training_data(name)
        int8_model, history = prepare_for_int8(model, xtr, ytr, **prep)
        save_model_atomic(int8_model, os.path.join(folder, "model_int8_source.keras"))
        preparation = dict(prep, final_train_loss=float(history.history["loss"][-1]),
                           source="model_int8_source.keras",
                           float_accuracy_before=float(evaluation.accuracy(model, x, y)),
                           float_accuracy_after=float(evaluation.accuracy(int8_model, x, y)))
    entries = []
    jobs = [(q, m) for q in quantizations for m in modes]
    for quantization, mode in tqdm(jobs, desc=f"export {name}", disable=not progress):
        path = os.path.join(folder, artifact_name(quantization, mode))
        start = time.perf_counter()
        source = int8_model if quantization == "int8" else model
        info = export_tflite(source, path, quantization, mode, representative_data=rep)
        seconds = time.perf_counter() - start
        check = verify(model, path, x, y)
        if mode == "step":
            reference = graph if source is model else StepGraph(source)
            agreement = spike_agreement(reference, path, x[:SPIKE_CHECK_SAMPLES])
            if agreement is not None:
                check["spike_agreement"] = agreement
                check["spike_agreement_samples"] = min(SPIKE_CHECK_SAMPLES, len(x))
        entries.append({
            "preset": name, "file": os.path.relpath(path, root),
            "sha256": store.sha256_of(path), "bytes": info["bytes"],
            "quantization": quantization, "mode": mode,
            "inputs": info["inputs"], "outputs": info["outputs"],
            "state_names": info["state_names"], "ops": info["ops"],
            "float_tensors": info["float_tensors"], "verification": check,
            "convert_seconds": round(seconds, 1)})
        if quantization == "int8" and preparation:
            entries[-1]["int8_preparation"] = preparation
    store.write_sha256(folder)
    manifest.update(entries, root)
    return entries
