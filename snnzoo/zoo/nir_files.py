"""The `model.nir` a preset ships (LIF and Cuba-LIF presets).

`write_nir(name)` exports the preset's float model to NIR twice:

- `model.nir`: the form other tools import (portable LIF/CubaLIF nodes,
  Cuba-LIF gain folded into the weights as snnTorch's importer requires,
  dt = 1e-4 s). Under NIR's semantics these neurons reset to zero in the
  spiking step, not by subtraction as trained, and accuracy drops.
- `model_exact.nir`: the exact form (the subtractive reset spelled out as
  LI + Threshold + Scale), whose NIR semantics are the preset's.

It checks both, records the measured facts in the card under `nir` and
re-records the folder's sha256.
"""

import os

import numpy as np

import snnzoo.nir
from snnzoo.presets import evaluation
from snnzoo.presets import registry
from snnzoo.presets import store

#: The shipped files and how each is written.
SHIPPED = {"model.nir": {"dt": 1e-4, "form": "portable", "gain": "weights"},
           "model_exact.nir": {"dt": 1e-4, "form": "exact", "gain": "neuron"}}


def write_nir(name, root=None):
    """Write `model.nir` and `model_exact.nir` into preset `name`'s folder;
    returns the card's `nir` record (one entry per file). Raises `ValueError` for presets whose cells have no NIR
    primitive (the message names the cell)."""

    folder = store.path(os.path.join(root or store.presets_root(),
                                     registry.get(name)["path"]))
    store.verify_files(folder, [store.CARD_FILE, store.MODEL_FILE])
    model = store.load(folder)
    x, y = evaluation.evaluation_data(registry.get(name)["metadata"]["evaluation"], root)
    graphs = {f: snnzoo.nir.export(model, **how) for f, how in SHIPPED.items()}
    record = {f: dict(SHIPPED[f], **nir_facts(model, g, x, y)) for f, g in graphs.items()}
    for file, graph in graphs.items():
        snnzoo.nir.write(graph, os.path.join(folder, file))
    store.write_card_record(folder, "nir", record)
    return record


def nir_facts(model, graph, x, y, batch_size=128):
    """Measured on `(x, y)`: the Keras model loaded back from `graph`
    against `model` (spikes of every spiking layer, predictions), and the
    accuracy of `graph` under NIR's own semantics (reset to zero in the
    spiking step, `snnzoo.nir.simulate`), which is what a NIR tool runs."""
    import keras

    back = snnzoo.nir.load(graph)
    names = [la.name for la in model.layers if type(la).__name__ == "SpikingRNN"
             and la.cell.__class__.__name__ != "LeakyReadoutCell"]
    ref = keras.Model(model.inputs, [model.get_layer(n).output for n in names] + [model.output])
    got = keras.Model(back.inputs, [back.get_layer(n).output for n in names] + [back.output])
    same_spikes = total = same_pred = correct = keras_correct = 0
    for i in range(0, len(x), batch_size):
        a = [np.asarray(t) for t in ref.predict_on_batch(x[i:i + batch_size])]
        b = [np.asarray(t) for t in got.predict_on_batch(x[i:i + batch_size])]
        same_spikes += sum(int(np.sum(p == q)) for p, q in zip(a[:-1], b[:-1]))
        total += sum(p.size for p in a[:-1])
        same_pred += int(np.sum(a[-1].argmax(-1) == b[-1].argmax(-1)))
        keras_correct += int(np.sum(a[-1].argmax(-1) == y[i:i + batch_size]))
        nir_out = snnzoo.nir.simulate(graph, x[i:i + batch_size]).max(axis=1)
        correct += int(np.sum(nir_out.argmax(-1) == y[i:i + batch_size]))
    return {"samples": int(len(x)), "round_trip_spike_agreement": same_spikes / total,
            "round_trip_prediction_agreement": same_pred / len(x),
            "nir_semantics_accuracy": correct / len(x),
            "keras_accuracy": keras_correct / len(x)}


def load_graph(name, file="model.nir", root=None):
    """The `nir.NIRGraph` of preset `name`'s shipped `file`, after checking
    its sha256 against the folder's record."""
    import nir

    if file not in SHIPPED:
        raise ValueError(f"`file`: expected one of {sorted(SHIPPED)}; got {file!r}.")
    folder = store.path(os.path.join(root or store.presets_root(),
                                     registry.get(name)["path"]))
    store.verify_files(folder, [file], required=(file,))
    return nir.read(os.path.join(folder, file))
