"""Turn finished recipe runs into preset folders with model cards.

`package_preset(name, runs_dir)` takes the model of the preset's last run
(`final.keras` of a training run, `model.keras` of a conversion run),
measures its accuracy on the offline test split, its ANN counterpart's
accuracy, spike rates and op counts / energy against its ANN
(`snnzoo.energy.compare`), and writes `<root>/<path>/` = `model.keras`,
`card.json`, `sha256.json` via a temporary folder and a rename.
"""

import datetime
import os
import shlex
import shutil

import numpy as np

from snnzoo.version import __version__
from snnzoo import io as snnzoo_io
from snnzoo.data.frontend import frontend
from snnzoo.energy.estimator import rate_timesteps
from snnzoo.presets import evaluation
from snnzoo.presets import registry
from snnzoo.presets import store
from snnzoo.presets.store import INT8_SOURCE_FILE

ENERGY_SAMPLES = 256
ENERGY_PROFILE = "horowitz45_fp32"
#: The memory-aware, bit-matched view every card carries beside the
#: compute-only fp32 one (the presets ship int8 files).
MEMORY_PROFILE = "horowitz45_int8_sram"


def commands(runs):
    """Shell commands that reproduce `runs` (a preset's `runs` list)."""
    out = []
    for run in runs:
        parts = ["python", run["recipe"], "--config", run["config"]]
        for flag, value in sorted(run.get("flags", {}).items()):
            parts += [f"--{flag}", value]
        out.append(" ".join(shlex.quote(p) for p in parts))
    return out


def _run_model_file(run_dir):
    for name in ("model.keras", "final.keras"):
        if os.path.exists(os.path.join(run_dir, name)):
            return os.path.join(run_dir, name)
    raise FileNotFoundError(f"{run_dir} holds no finished run (model.keras or "
                            "final.keras); run the preset's commands first.")


def _timesteps(model):
    for layer in model.layers:
        cell = getattr(layer, "cell", None)
        if cell is not None and hasattr(cell, "timesteps"):
            return int(cell.timesteps)
    return None


def _architecture(model):
    rows = []
    for layer in model.layers:
        if not layer.weights and "input" in layer.__class__.__name__.lower():
            continue
        cell = getattr(layer, "cell", None)
        row = {"name": layer.name, "class": layer.__class__.__name__,
               "params": int(layer.count_params())}
        if cell is not None:
            row["cell"] = cell.__class__.__name__
            if hasattr(cell, "units"):
                row["units"] = int(cell.units)
        elif hasattr(layer, "units"):
            row["units"] = int(layer.units)
        rows.append(row)
    return rows


def _versions():
    import keras

    out = {"snnzoo": __version__, "keras": keras.__version__,
           "numpy": np.__version__, "backend": keras.backend.backend()}
    for mod in ("tensorflow", "jax"):
        try:
            out[mod] = __import__(mod).__version__
        except ImportError:
            pass
    return out


def _energy(model, x, ann_model):
    report = evaluation.energy_report(model, x[:ENERGY_SAMPLES], ann_model, ENERGY_PROFILE)
    d = report.to_dict()
    out = {"profile": ENERGY_PROFILE, "samples": int(min(len(x), ENERGY_SAMPLES)),
           "per_sample": {k: d["total"][k] for k in ("macs", "acs", "ops", "energy_j")}}
    rates = {name: row["output_rate"] for name, row in d["layers"].items()
             if row.get("output_rate") is not None}
    if "ann" in d:
        out["ann"] = {"model": d["options"].get("ann"),
                      "per_sample": {k: d["ann"]["total"][k]
                                     for k in ("macs", "acs", "ops", "energy_j")}}
        out["energy_ratio"] = d["ratio"]["energy"]
        out["op_ratio"] = d["ratio"]["ops"]
    return out, rates


def _against_ann(report):
    return {"ann_energy_j": report.to_dict()["ann"]["total"]["energy_j"],
            "energy_ratio": report.ratio["energy"], "crossover": report.crossover()}


def memory_view(name, model=None, samples=ENERGY_SAMPLES, profile=MEMORY_PROFILE):
    """The card's memory-aware energy of preset `name` (against the same
    ANN as `energy`): compute, memory and total energy per sample, the
    ANN's, their ratio and the crossover spike rate; plus NeuroBench-
    convention synaptic ops where NeuroBench defines them. A rate-coded
    preset (T SNN steps per element) also gets `rate_equivalent_qnn`: the
    same against the quantized ANN of ceil(log2(T + 1))-bit activations
    (Yan, Bai & Wong 2024)."""
    model = model if model is not None else store.load(name)
    report = evaluation.preset_energy(name, samples, profile, model=model)
    t = report.total
    view = {"profile": profile, "samples": int(report.options["samples"]),
            "per_sample": {k: t[k] for k in ("compute_energy_j", "memory_energy_j",
                                             "energy_j")}}
    if report.ann:
        view.update(_against_ann(report))
    if report.ann and rate_timesteps(model):
        qnn = evaluation.preset_energy(name, samples, profile, model=model, ann_bits="rate")
        view["rate_equivalent_qnn"] = {"ann_profile": qnn.options["ann_profile"],
                                       "activation_bits": qnn.options["ann_activation_bits"],
                                       **_against_ann(qnn)}
    try:  # NeuroBench has no convention for an SNN loop inside each step
        nb = evaluation.preset_energy(name, samples, ENERGY_PROFILE, model=model,
                                      neurobench=True).neurobench
    except ValueError as err:
        nb = {"not_defined": str(err)}
    return {"memory_aware": view, "neurobench": nb}


def refresh_energy_views(name, root=None):
    """Add (or refresh) `energy_views` in preset `name`'s shipped card and
    re-record the folder's sha256; returns the new views."""
    folder = store.path(os.path.join(root or store.presets_root(),
                                     registry.get(name)["path"]))
    card_path = os.path.join(folder, store.CARD_FILE)
    store.verify_files(folder, [store.CARD_FILE, store.MODEL_FILE])
    card = snnzoo_io.read_json(card_path)
    card["energy_views"] = memory_view(name, model=store.load(folder))
    snnzoo_io.write_json(card_path, card)
    store.write_sha256(folder)
    return card["energy_views"]


def _frontend(spec):
    try:
        return frontend(spec["dataset"], **spec.get("options", {}))
    except ValueError:  # a dataset without a described front end
        return None


def build_card(name, model, run_dirs, ann_model=None, ann_accuracy=None):
    """The card dict of preset `name` for `model` (see the module docstring)."""
    entry = registry.get(name)
    meta = entry["metadata"]
    spec = meta["evaluation"]
    x, y = evaluation.evaluation_data(spec)
    acc = evaluation.accuracy(model, x, y)
    kind = meta["kind"]
    if kind == "ann":
        energy_out, rates = _energy(model, x, None)
    elif kind == "converted":
        energy_out, rates = _energy(model, x, ann_model)
    else:
        energy_out, rates = _energy(model, x, "auto")
    train_metrics = snnzoo_io.read_json(os.path.join(run_dirs[0], "metrics.json"))
    last = snnzoo_io.read_json(os.path.join(run_dirs[-1], "metrics.json"))
    config = snnzoo_io.read_json(os.path.join(run_dirs[0], "config.json"))
    card = {
        "name": name, "family": meta["family"], "kind": kind,
        "description": meta["description"], "task": meta["task"],
        "data": meta["data"], "evaluation": spec,
        "dataset_sizes": {"train": train_metrics["train_samples"],
                          "validation": train_metrics["validation_samples"],
                          "test": int(len(y))},
        "input_shape": [int(d) for d in model.input_shape[1:]],
        "sequence_length": int(model.input_shape[1]),
        "timesteps": _timesteps(model),
        "architecture": _architecture(model),
        "params": int(model.count_params()),
        "metrics": {"test_accuracy": round(100 * acc, 2)},
        "energy": energy_out,
        "spike_rates": rates,
        "training": {"commands": commands(meta["runs"]),
                     "configs": [r["config"] for r in meta["runs"]],
                     "seed": config["seed"], "epochs": config["epochs"]},
        "versions": _versions(),
        "date": datetime.date.today().isoformat(),
        "paper": meta.get("paper"),
        # What a device computes to make one input frame (incl. any
        # train-split standardisation), recorded so that bundles and runners
        # need no dataset.
        "frontend": _frontend(spec),
    }
    if rates:
        card["metrics"]["mean_spike_rate"] = round(float(np.mean(list(rates.values()))), 4)
    if meta.get("ann"):
        card["metrics"]["ann_preset"] = meta["ann"]
        card["metrics"]["ann_test_accuracy"] = round(100 * ann_accuracy, 2)
    if kind == "converted" and "converted" in last:
        card["metrics"]["converted_accuracy_before_fine_tuning"] = round(100 * last["converted"], 2)
    if "accuracy" in last and isinstance(last["accuracy"], dict):
        card["metrics"]["accuracy_vs_timesteps"] = {
            str(k): round(100 * v, 2) for k, v in last["accuracy"].items()}
    if kind == "converted":
        card["training"]["finetune_epochs"] = snnzoo_io.read_json(
            os.path.join(run_dirs[-1], "conversion.json")).get("finetune_epochs", 0)
    return card


def _keep_exports(old_folder, new_folder, model):
    """Carry the exported files (`.tflite` and `.nir` files, the int8 source
    model) over when the old preset holds the very same weights (re-packaging
    a card must not discard valid exports); returns whether it did."""
    import keras

    old_model = os.path.join(old_folder, store.MODEL_FILE)
    if not os.path.exists(old_model):
        return False
    old = keras.saving.load_model(old_model, safe_mode=True, compile=False)
    same = len(old.weights) == len(model.weights) and all(
        np.array_equal(a, b) for a, b in zip(old.get_weights(), model.get_weights()))
    if not same:
        return False
    for name in sorted(os.listdir(old_folder)):
        if name.endswith((".tflite", ".nir")) or name == INT8_SOURCE_FILE:
            shutil.copyfile(os.path.join(old_folder, name), os.path.join(new_folder, name))
    return True


def package_preset(name, runs_dir="runs", root=None):
    """Write the preset folder of `name` from its finished runs, with the
    card's energy views (`refresh_energy_views`); returns the card. The
    exported files (`recipes/export_presets.py`) and NIR files
    (`recipes/export_nir.py`) are rebuilt separately."""
    import keras  # snnzoo's classes are registered by snnzoo.presets.store

    entry = registry.get(name)
    meta = entry["metadata"]
    root = root or store.presets_root()
    spec = meta["evaluation"]
    if "file" in spec and not os.path.exists(os.path.join(root, spec["file"])):
        evaluation.write_shipped(spec, root)
    run_dirs = [os.path.join(runs_dir, r["config"]) for r in meta["runs"]]
    model_file = _run_model_file(run_dirs[-1])
    model = keras.saving.load_model(model_file, safe_mode=True, compile=False)
    ann_model, ann_acc = None, None
    if meta.get("ann"):
        ann_model = store.load(os.path.join(root, registry.get(meta["ann"])["path"]))
        x, y = evaluation.evaluation_data(spec, root)
        ann_acc = evaluation.accuracy(ann_model, x, y)
    card = build_card(name, model, run_dirs, ann_model, ann_acc)
    folder = os.path.join(root, entry["path"])
    with snnzoo_io.atomic_folder(folder) as tmp:
        # Re-saved from the compile=False load: no optimizer state in the preset.
        model.save(os.path.join(tmp, store.MODEL_FILE))
        if _keep_exports(folder, tmp, model):  # and the card's records of the kept files
            old_card = store.card(folder)
            card.update({k: old_card[k] for k in ("tflm", "nir") if k in old_card})
        snnzoo_io.write_json(os.path.join(tmp, store.CARD_FILE), card)
        store.write_sha256(tmp)
    card["energy_views"] = refresh_energy_views(name, root)
    return card
