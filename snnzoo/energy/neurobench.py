"""Counts in NeuroBench's conventions, beside snnzoo's own.

NeuroBench (v2.3, `SynapticOperations` and `ActivationSparsity`) counts
differently from `snnzoo.energy.estimate`:

- effective synaptic operations only: a product whose input or weight is
  zero is skipped (snnzoo counts every synapse of a layer unless
  `weight_sparsity=True`);
- an input element that is non-zero counts once per non-zero fan-out
  weight, whatever its magnitude (a spike count of 2 is one AC);
- inputs that are spikes (here: integer-valued, as in snnzoo) give ACs,
  any other input gives MACs;
- a recurrent layer's input at step t is its output at step t-1: the
  initial state is zero (never counted) and the outputs of the last step
  are never fed back (snnzoo counts the recurrent fan-out of every spike,
  the last step's included);
- bias additions and neuron updates (leak, reset, gates) are not counted.

`activation_sparsity` is NeuroBench's: 1 - (non-zero activations / all
activations) over every spiking layer's output (here the `SpikeMonitor`
layers), all samples and steps.

Counts are per sample over the whole sequence. Layers: `Dense` (applied
per step) and RNN layers (also inside `Bidirectional`) whose cell has a
`kernel` and optionally a `recurrent_kernel` (HardLSTM, LIF, Cuba-LIF,
SpikGRU, adaptive LIF, leaky readout, Keras LSTM/GRU/SimpleRNN). The hybrid
and spiking LSTM cells run an inner SNN loop per step that NeuroBench's
conventions do not define; they are refused.
"""

import keras
import numpy as np

from snnzoo import validation
from snnzoo.energy.counters import _sequence_outputs
from snnzoo.layers.spike_monitor import record_spikes

_INNER_LOOP_CELLS = ("HybridLSTMCell", "SpikingLSTMCell")


def _effective(x, kernel):
    """`(macs, acs)` per sample of `x` (batch, ..., m) through `kernel`
    (m, k): non-zero inputs times their non-zero fan-out."""
    x = np.asarray(x, "float64")
    fan_out = np.count_nonzero(np.asarray(kernel), axis=1).astype("float64")
    nonzero = (x != 0).reshape(-1, x.shape[-1]).sum(0)
    ops = float(nonzero @ fan_out) / x.shape[0]
    spiking = bool(np.all(np.round(x) == x))
    return (0.0, ops) if spiking else (ops, 0.0)


def _rnn_ops(layer, x):
    cell = layer.cell
    if type(cell).__name__ in _INNER_LOOP_CELLS:
        raise ValueError(f"Layer {layer.name!r}: NeuroBench's conventions are not defined for "
                         f"{type(cell).__name__} (an SNN loop inside every step).")
    macs, acs = _effective(x, cell.kernel)
    recurrent = getattr(cell, "recurrent_kernel", None)
    if recurrent is not None and getattr(cell, "recurrent", True):
        units = np.asarray(recurrent).shape[0]
        fed_back = _sequence_outputs(layer, x)[:, :-1, :units]  # steps 0..T-2
        rec_macs, rec_acs = _effective(fed_back, recurrent)
        macs, acs = macs + rec_macs, acs + rec_acs
    return macs, acs


def _layer_ops(layer, x):
    if isinstance(layer, keras.layers.Dense):
        return _effective(x, layer.kernel)
    return _rnn_ops(layer, x)


def _counted(model):
    """`[(model layer, [(name, part)])]` of the layers NeuroBench counts."""
    out = []
    for layer in model.layers:
        parts = ([(f"{layer.name}/{s}", sub) for s, sub in
                  (("forward", layer.forward_layer), ("backward", layer.backward_layer))]
                 if isinstance(layer, keras.layers.Bidirectional) else [(layer.name, layer)])
        parts = [(n, p) for n, p in parts if isinstance(p, keras.layers.Dense) or (
            isinstance(p, keras.layers.RNN) and hasattr(p.cell, "kernel"))]
        if parts:
            out.append((layer, parts))
    return out


def synaptic_ops(model, x, batch_size=128):
    """NeuroBench-convention synaptic operations of `model` on `x`, per
    sample: `{"effective_macs", "effective_acs", "synaptic_ops", "layers":
    {name: (macs, acs)}}` (see the module docstring)."""

    x = validation.model_inputs(model, x, "x")
    counted = _counted(model)
    if not counted:
        raise ValueError(f"`model`: expected Dense or RNN layers to count; {model.name!r} "
                         "has none.")
    probe = keras.Model(model.inputs, [layer.input for layer, _ in counted])
    inputs = probe.predict(x, batch_size=batch_size, verbose=0)
    inputs = inputs if len(counted) > 1 else [inputs]
    layers = {}
    for (_, parts), layer_in in zip(counted, inputs):
        for name, part in parts:
            layers[name] = _layer_ops(part, np.asarray(layer_in))
    macs = sum(m for m, _ in layers.values())
    acs = sum(a for _, a in layers.values())
    return {"effective_macs": macs, "effective_acs": acs, "synaptic_ops": macs + acs,
            "layers": layers}


def activation_sparsity(model, x, batch_size=64):
    """NeuroBench's activation sparsity: 1 - non-zero / all spike-layer
    outputs (every `SpikeMonitor` of `model`), over `x`."""

    recorded = record_spikes(model, x, batch_size)
    nonzero = sum(int(np.count_nonzero(v)) for v in recorded.values())
    total = sum(int(np.size(v)) for v in recorded.values())
    return 1.0 - nonzero / total
