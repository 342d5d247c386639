"""Preparing a model for full-int8 export: bounded membranes, and
quantization-aware fine-tuning with Keras-native fake quantization.

- `prepare_for_int8(model, x, y)`: a copy with bounded membranes and
  currents, fine-tuned to keep the float accuracy (the int8 source of the
  spiking presets).
- `qat_fine_tune(model, x, y)`: fine-tuning through `FakeQuantStreaming`.

tensorflow-model-optimization 0.8.1 only accepts tf_keras models
(`quantize_model` raises ValueError on Keras 3 models, measured), so QAT
here is built on `keras.quantizers.fake_quant_with_min_max_vars`: the
model is streamed frame by frame as its `StepGraph` and every tensor that
crosses a step boundary of the int8 step graph (the input frame, every
recurrent state, the output) is fake-quantized to 8 bits with the range the
TFLite calibrator would see (min/max over representative data). Errors
that post-training quantization lets accumulate through the recurrence are
then seen, and compensated, during training (straight-through gradients,
surrogate spikes). Weights are left to the converter's per-channel int8.
"""

import keras
import numpy as np

from snnzoo import backend
from snnzoo import validation
from snnzoo.conversion.fine_tune import fine_tune
from snnzoo.models.step_graph import StepGraph
from snnzoo.neurons.lif import normalize_bounds
from snnzoo.quantization.fake_quant_streaming import FakeQuantStreaming


def copy_model(model):
    """An independent copy of `model` (its own weights and a fresh trace),
    through a `.keras` round trip in safe mode."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "m.keras")
        model.save(path)
        return keras.saving.load_model(path, safe_mode=True, compile=False)


def calibration_ranges(graph, x):
    """The ranges the int8 calibrator measures, over every frame of the
    sequences `x`.

    Args:
        graph: a `StepGraph`.
        x: representative sequences `(n, time, features)`.

    Returns:
        `{"input": (lo, hi), "states": [(lo, hi), ...], "output": (lo, hi)}`.

    Raises:
        ValueError: `x` does not fit the graph's model, or holds NaN.
    """

    x = validation.model_inputs(graph.model, x, "representative_data")
    states = graph.initial_states(len(x))
    lo_s = [np.inf] * len(states)
    hi_s = [-np.inf] * len(states)
    out_lo, out_hi = np.inf, -np.inf
    for t in range(x.shape[1]):
        out, states = graph.step(x[:, t], states)
        states = [np.asarray(s) for s in states]
        out = np.asarray(out)
        out_lo, out_hi = min(out_lo, out.min()), max(out_hi, out.max())
        for k, s in enumerate(states):
            lo_s[k], hi_s[k] = min(lo_s[k], s.min()), max(hi_s[k], s.max())

    def widen(lo, hi):  # a valid range that contains 0, like the calibrator's
        lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
        return (lo, hi if hi > lo else lo + 1e-3)

    return {"input": widen(x.min(), x.max()),
            "states": [widen(a, b) for a, b in zip(lo_s, hi_s)],
            "output": widen(out_lo, out_hi)}


def qat_fine_tune(model, x, y, representative_data=None, epochs=2, batch_size=64,
                  learning_rate=1e-4, validation_data=None, verbose=0):
    """Fine-tune a model in place through `FakeQuantStreaming` (8-bit fake
    quantization of every step-boundary tensor). Export again with
    `quantization="int8"` afterwards.

    Args:
        model: the float Keras model (changed in place).
        x: training inputs `(n, time, features)`.
        y: integer labels `(n,)`.
        representative_data: the inputs the quantization ranges are measured
            on (default: `x`).
        epochs: fine-tuning epochs.
        batch_size: training batch size.
        learning_rate: Adam's learning rate (> 0).
        validation_data: optional `(x, y)`.
        verbose: Keras' `fit` verbosity.

    Returns:
        The Keras `History`.

    Raises:
        ValueError: `x` or `y` do not fit the model, or `learning_rate` is
            not above 0.
    """

    validation.number(learning_rate, "learning_rate", 0.0, low_open=True)
    x = validation.model_inputs(model, x, "x")
    y = validation.labels(y, "y", length=len(x))
    graph = StepGraph(model)
    rep = x[:200] if representative_data is None else representative_data
    wrapper = FakeQuantStreaming(model, calibration_ranges(graph, rep))
    wrapper.compile(keras.optimizers.Adam(learning_rate),
                    keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                    metrics=["accuracy"], jit_compile=backend.recommended_jit_compile())
    return wrapper.fit(np.asarray(x, "float32"), y, epochs=epochs, batch_size=batch_size,
                       validation_data=validation_data, verbose=verbose)


def bound_membranes(model, membrane_clip=(-4.0, 2.0), current_clip=None):
    """Bound the membranes (and currents) of every spiking cell of a model, in
    place; the leaky readout is left alone.

    Post-training int8 quantization gives each state one scale over its
    calibrated range. An unbounded membrane driven by raw features spans
    about +-120 (measured on the LIF speech preset: scale 0.94 for a
    threshold of 1), so spikes are decided at a resolution of one threshold.
    Bounded membranes ([-4, 2]: scale 0.024) keep int8 spikes faithful.

    Args:
        model: a Keras model with spiking cells.
        membrane_clip: `(low, high)` of every membrane.
        current_clip: None, or `(low, high)` of the synaptic current of the
            cells that have one (Cuba-LIF, SpikGRU).

    Returns:
        The names of the layers changed.
    """

    changed = []
    for layer in model.layers:
        cell = getattr(layer, "cell", None)
        if cell is None or not hasattr(cell, "membrane_clip") or not hasattr(cell, "surrogate"):
            continue
        if type(cell).__name__ == "LeakyReadoutCell":
            continue
        cell.membrane_clip = normalize_bounds(membrane_clip, "membrane_clip")
        if current_clip is not None and cell.has_current:
            cell.current_clip = normalize_bounds(current_clip, "current_clip")
        changed.append(layer.name)
    return changed


def floor_membranes(model, membrane_floor=4.0):
    """A copy of a model whose hybrid LSTM cells hold their FC membranes at or
    above `-membrane_floor` (`HybridLSTMCell(membrane_floor=...)`): the int8
    source of a hybrid LSTM. No training: a neuron whose membrane went that
    far below zero had stopped firing (measured on the sMNIST hybrid preset:
    floors 4, 8 and 16 leave its 93.4% unchanged).

    Args:
        model: a Keras model with a `HybridLSTMCell`.
        membrane_floor: the floor's magnitude (>= 0).

    Returns:
        The new model.

    Raises:
        ValueError: `model` has no `HybridLSTMCell`.
    """
    floored = copy_model(model)
    changed = [layer.name for layer in floored.layers
               if type(getattr(layer, "cell", None)).__name__ == "HybridLSTMCell"]
    if not changed:
        raise ValueError(f"`model`: expected a model with a HybridLSTMCell; {model.name!r} has "
                         "none.")
    for name in changed:
        floored.get_layer(name).cell.membrane_floor = float(membrane_floor)
    return floored


def prepare_for_int8(model, x, y, membrane_clip=(-4.0, 2.0), current_clip=(-8.0, 8.0),
                     epochs=5, batch_size=64, learning_rate=3e-4, validation_data=None,
                     seed=0, verbose=0):
    """A copy of a model with bounded membranes and currents (`bound_membranes`),
    fine-tuned with surrogate gradients so that it keeps the float accuracy:
    the source of int8 exports for spiking cells.

    Args:
        model: a Keras model with spiking cells.
        x: training inputs `(n, time, features)`.
        y: integer labels `(n,)`.
        membrane_clip: `(low, high)` of every membrane.
        current_clip: `(low, high)` of every synaptic current.
        epochs: fine-tuning epochs.
        batch_size: training batch size.
        learning_rate: Adam's learning rate.
        validation_data: optional `(x, y)`.
        seed: seeds the fine-tuning.
        verbose: Keras' `fit` verbosity.

    Returns:
        `(model, history)`: the prepared copy and its Keras `History`.

    Raises:
        ValueError: `model` has no spiking cell with a membrane to bound, or
            `x` / `y` do not fit it.
    """
    prepared = copy_model(model)
    if not bound_membranes(prepared, membrane_clip, current_clip):
        raise ValueError(f"Model {model.name!r} has no spiking cell with a membrane to bound.")
    keras.utils.set_random_seed(seed)
    history = fine_tune(prepared, np.asarray(x, "float32"), y, epochs=epochs,
                        batch_size=batch_size, learning_rate=learning_rate,
                        validation_data=validation_data, verbose=verbose)
    return prepared, history
