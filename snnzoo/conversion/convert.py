"""`convert(model, method, timesteps, ...)`: ANN LSTM -> hybrid / spiking LSTM."""

import keras
import numpy as np

from snnzoo import validation
from snnzoo.cells.hard_lstm_cell import HardLSTMCell
from snnzoo.cells.hybrid_lstm_cell import HybridLSTMCell
from snnzoo.cells.spiking_lstm_cell import SpikingLSTMCell
from snnzoo.conversion.registry import find_converter
from snnzoo.conversion.registry import methods
from snnzoo.conversion.registry import register_converter
from snnzoo.layers.spiking_rnn import SpikingRNN
from snnzoo.layers.spiking_rnn import SpikingRNN as _RNN
from snnzoo.neurons.encoders import check_timesteps

_RNN_KEYS = ("return_sequences", "return_state", "go_backwards", "stateful",
             "unroll", "name")


def _rnn_kwargs(layer):
    config = layer.get_config()
    return {k: config[k] for k in _RNN_KEYS if k in config}


def _copy(layer):
    return layer.__class__.from_config(layer.get_config())


class _Context:
    """What converters need besides the layer: options and calibration."""

    def __init__(self, method, timesteps, options, calibration):
        self.method = method
        self.timesteps = timesteps
        self.options = options
        self.calibration = calibration  # layer name -> calibrated threshold
        self.previous_threshold = None  # V_th of the last converted layer
        self.weights = {}  # new layer name -> [arrays]


@register_converter(HardLSTMCell, "hybrid")
def _to_hybrid(layer, ctx):
    cell = layer.cell
    new_cell = HybridLSTMCell(
        cell.units,
        timesteps=ctx.timesteps,
        initial_membrane=ctx.options.get("initial_membrane", "zero"),
        integer=ctx.options.get("integer", False),
        cell_clip=cell.cell_clip,
        name=cell.name,
    )
    ctx.weights[layer.name] = [np.asarray(cell.kernel),
                               np.asarray(cell.recurrent_kernel),
                               np.asarray(cell.bias)]
    return SpikingRNN(new_cell, **_rnn_kwargs(layer))


@register_converter(HardLSTMCell, "spiking")
def _to_spiking(layer, ctx):
    cell = layer.cell
    threshold = ctx.calibration[layer.name]
    first = ctx.previous_threshold is None
    opts = ctx.options
    new_cell = SpikingLSTMCell(
        cell.units,
        timesteps=ctx.timesteps,
        input_mode="analog" if first else "spikes",
        spike_mode=opts.get("spike_mode", "ternary"),
        bias_shift=opts.get("bias_shift", True),
        neuron=opts.get("neuron", "if"),
        schedule=opts.get("schedule", "serial"),
        threshold_initializer=threshold,
        cell_clip=cell.cell_clip,
        name=cell.name,
    )
    kernel = np.asarray(cell.kernel)
    if not first:
        kernel = kernel * ctx.previous_threshold  # spikes have unit amplitude
    ctx.weights[layer.name] = [
        kernel,
        np.asarray(cell.recurrent_kernel) * threshold,
        np.asarray(cell.bias),
        np.asarray(threshold, "float32"),
        np.asarray(1.0, "float32"),
    ]
    ctx.previous_threshold = threshold
    ctx.last_spiking_units = cell.units
    return SpikingRNN(new_cell, **_rnn_kwargs(layer))


def _dense_after_spikes(layer, ctx):
    """A Dense reading the spike train `(T * n)` of a spiking LSTM: tile its
    kernel over T and scale by `V_th / T`, so it computes `h_hat @ K`."""
    T, theta = ctx.timesteps, ctx.previous_threshold
    kernel = np.asarray(layer.kernel)
    if kernel.shape[0] != ctx.last_spiking_units:
        raise ValueError(
            f"Dense layer {layer.name!r} after a spiking LSTM expects "
            f"{ctx.last_spiking_units} inputs; its kernel has {kernel.shape[0]}."
        )
    new = _copy(layer)
    weights = [np.tile(kernel * theta / T, (T, 1))]
    if layer.use_bias:
        weights.append(np.asarray(layer.bias))
    ctx.weights[layer.name] = weights
    return new


def _is_rnn_with(layer, cell_class):
    return isinstance(layer, keras.layers.RNN) and isinstance(
        getattr(layer, "cell", None), cell_class
    )


def convert(model, method, timesteps, calibration_data=None, **options):
    """Convert every `HardLSTMCell` layer of `model` to a spiking counterpart.

    Args:
        model: a built Keras model (Sequential or functional) containing
            `keras.layers.RNN` / `SpikingRNN` layers with `HardLSTMCell`s.
        method: "hybrid" (Ponghiran & Roy 2021) or "spiking" (Datta et al.
            2022, reconstruction).
        timesteps: int T, SNN steps per sequence element.
        calibration_data: inputs of `model` (NumPy array), required for
            "spiking": each layer's threshold is the `percentile`-th
            percentile of |h| on these inputs.
        **options: hybrid: `initial_membrane` ("zero" | "half"), `integer`
            (bool). spiking: `spike_mode` ("ternary" | "binary"),
            `bias_shift` (bool), `neuron` ("if" | "lif"), `schedule`
            ("serial" | "pipelined"), `percentile` (99.7).

    Returns:
        A new model with the same inputs and outputs; the source model is
        left unchanged. Layers other than converted LSTMs are copied with
        their weights (a Dense reading a spiking LSTM's spike train gets its
        kernel tiled over T and scaled by V_th / T).
    """
    _check_convert_arguments(model, method, timesteps, calibration_data, options)
    calibration = {}
    if method == "spiking":
        calibration = calibrate_thresholds(
            model, calibration_data, options.get("percentile", 99.7),
            signed=options.get("spike_mode", "ternary") == "ternary",
        )
    ctx = _Context(method, timesteps, options, calibration)
    new_model = keras.models.clone_model(
        model, clone_function=lambda layer: _convert_layer(layer, ctx))
    for layer in new_model.layers:
        if layer.name in ctx.weights and ctx.weights[layer.name]:
            layer.set_weights(ctx.weights[layer.name])
    return new_model


OPTIONS = {"hybrid": {"initial_membrane", "integer"},
           "spiking": {"spike_mode", "bias_shift", "neuron", "percentile", "schedule"}}


def _check_convert_arguments(model, method, timesteps, calibration_data, options):
    if method not in methods():
        raise ValueError(f"Unknown conversion method {method!r}; expected one "
                         f"of {methods()}.")
    check_timesteps(timesteps)
    unknown = set(options) - OPTIONS[method]
    if unknown:
        raise ValueError(f"Unknown options for method {method!r}: "
                         f"{sorted(unknown)}; expected {sorted(OPTIONS[method])}.")
    if not any(_is_rnn_with(l, HardLSTMCell) for l in model.layers):
        raise ValueError(f"Model {model.name!r} has no RNN layer with a "
                         "HardLSTMCell to convert.")
    if method == "spiking" and calibration_data is None:
        raise ValueError("method='spiking' needs `calibration_data` (model "
                         "inputs) to set the thresholds.")
    if calibration_data is not None:  # before anything runs: the source stays usable
        validation.model_inputs(model, calibration_data, "calibration_data")


def _convert_layer(layer, ctx):
    """The clone of one layer: a registered converter for RNN layers, a
    rescaled Dense after a spiking layer, a plain copy otherwise."""
    method = ctx.method
    fn = find_converter(getattr(layer, "cell", None), method) \
        if isinstance(layer, keras.layers.RNN) else None
    if fn is not None:
        return fn(layer, ctx)
    if (method == "spiking" and ctx.previous_threshold is not None
            and isinstance(layer, keras.layers.Dense)):
        return _dense_after_spikes(layer, ctx)
    if isinstance(layer, keras.layers.RNN):
        raise ValueError(f"No {method!r} converter for layer {layer.name!r} "
                         f"with cell {type(layer.cell).__name__}.")
    new = _copy(layer)
    ctx.weights[layer.name] = layer.get_weights()
    return new


def calibrate_thresholds(model, x, percentile=99.7, signed=True, batch_size=256):
    """Per-LSTM-layer spike thresholds from the activations of calibration data.

    Args:
        model: a Keras model with `HardLSTMCell` layers.
        x: calibration inputs `(n, time, features)`.
        percentile: the percentile of the hidden state taken as threshold, in
            [0, 100].
        signed: take |h| (ternary spikes); False takes max(h, 0).
        batch_size: inference batch size.

    Returns:
        `{layer name: threshold}`, each at least 1e-3.

    Raises:
        ValueError: `x` does not fit the model's input or holds NaN, or
            `percentile` is outside [0, 100].
    """

    x = validation.model_inputs(model, x, "calibration_data")
    validation.number(percentile, "percentile", 0.0, 100.0)
    lstm_layers = [l for l in model.layers if _is_rnn_with(l, HardLSTMCell)]
    probe = keras.Model(model.inputs, [l.input for l in lstm_layers])
    inputs = probe.predict(x, batch_size=batch_size, verbose=0)
    if len(lstm_layers) == 1:
        inputs = [inputs]
    thresholds = {}
    for layer, seq in zip(lstm_layers, inputs):
        runner = _RNN(layer.cell, return_sequences=True)
        h = np.concatenate([
            np.asarray(runner(seq[i:i + batch_size]))
            for i in range(0, len(seq), batch_size)
        ])
        values = np.abs(h) if signed else np.maximum(h, 0)
        theta = float(np.percentile(values, percentile))
        thresholds[layer.name] = max(theta, 1e-3)
    return thresholds
