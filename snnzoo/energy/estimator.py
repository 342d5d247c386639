"""`estimate()` and `compare()`: op counts from spikes measured on data."""

import keras
import numpy as np

from snnzoo import validation
from snnzoo.energy import neurobench
from snnzoo.energy.counters import find_counter
from snnzoo.energy.memory import layer_memory
from snnzoo.energy.profiles import get_profile
from snnzoo.energy.profiles import rate_equivalent_bits
from snnzoo.energy.report import EnergyReport
from snnzoo.energy.report import totals
from snnzoo.layers.spike_monitor import SpikeMonitor

_DIRECT = ("once", "per_step")


def _counter_for(layer):
    cell = getattr(layer, "cell", None)
    if isinstance(layer, keras.layers.RNN) and cell is not None:
        fn = find_counter(cell)
        if fn is not None:
            return fn
    return find_counter(layer)


def _measure(model, x, profile, weight_sparsity, direct_macs, ann, batch_size,
             ann_profile=None):
    if direct_macs not in _DIRECT:
        raise ValueError(f"`direct_macs` must be one of {_DIRECT}; got {direct_macs!r}.")
    if ann not in ("gru", "lstm", "rnn"):
        raise ValueError(f"`ann` must be 'gru', 'lstm' or 'rnn'; got {ann!r}.")

    x = validation.model_inputs(model, x, "x")
    counted = [l for l in model.layers if _parts(l)]
    if not counted:
        raise ValueError(f"Model {model.name!r} has no layer the estimator can count.")
    probe = keras.Model(model.inputs, [l.input for l in counted])
    inputs = probe.predict(x, batch_size=batch_size, verbose=0)
    if len(counted) == 1:
        inputs = [inputs]
    ctx = {"weight_sparsity": bool(weight_sparsity), "direct_macs": direct_macs,
           "ann": ann}
    layers, ann_layers = {}, {}
    for layer, layer_in in zip(counted, inputs):
        shape = np.shape(layer_in)
        for name, part in _parts(layer):
            counts, ann_counts, activity = _counter_for(part)(part, np.asarray(layer_in), ctx)
            layers[name] = {**_row(counts, profile, part, shape), **activity}
            ann_layers[name] = _row(ann_counts, ann_profile or profile, part, shape, ann)
    return layers, ann_layers


def _row(counts, profile, layer, shape, ann_family=None):
    """A report row: counts, compute energy, memory traffic and energy
    (`snnzoo.energy.memory`; zero energy for a compute-only profile), and
    `energy_j` = compute + memory."""

    row = {**counts, **totals(counts, profile)}
    row.update(layer_memory(layer, counts, shape, profile, ann_family))
    row["compute_energy_j"] = row["energy_j"]
    row["energy_j"] += row["memory_energy_j"]
    return row


def _parts(layer):
    """`[(name, layer)]` to count for a model layer: itself, or the forward
    and backward layers of a `Bidirectional` wrapper (each run as it runs)."""
    if isinstance(layer, keras.layers.Bidirectional):
        return [(f"{layer.name}/{side}", sub) for side, sub in
                (("forward", layer.forward_layer), ("backward", layer.backward_layer))
                if _counter_for(sub) is not None]
    return [(layer.name, layer)] if _counter_for(layer) is not None else []


def _neurobench(model, x, batch_size):
    """NeuroBench-convention counts of `model` on `x` (see
    `snnzoo.energy.neurobench`); activation sparsity where the model marks
    its spikes with `SpikeMonitor` layers."""

    ops = neurobench.synaptic_ops(model, x, batch_size)
    out = {k: ops[k] for k in ("effective_macs", "effective_acs", "synaptic_ops")}
    if any(isinstance(layer, SpikeMonitor) for layer in model.layers):
        out["activation_sparsity"] = neurobench.activation_sparsity(model, x, batch_size)
    return out


def estimate(model, x, profile="horowitz45_fp32", weight_sparsity=False,
             direct_macs="once", batch_size=128, neurobench=False):
    """Operation counts and energy of a model on inputs, per sample.

    Runs the model on `x`, measures every layer's input and output spike
    rates and counts, per sample over the whole sequence, MACs (real-valued
    inputs), ACs (one per spike per fan-out synapse; signed spikes by
    magnitude), neuron-level multiplies and adds, and energy under `profile`.

    Args:
        model: a Keras model (snnzoo cells, converted LSTMs, Keras LSTM/GRU/
            SimpleRNN/Dense layers).
        x: NumPy inputs of the model (a representative batch).
        profile: name from `profiles()` or a `Profile`.
        weight_sparsity: zero weights cost nothing (fan-out counts nonzeros).
        direct_macs: "once" (default: a direct-encoded first layer computes
            `W x` once per element and reuses it for the T SNN steps) or
            "per_step" (T times).
        batch_size: inference batch size.
        neurobench: also count in NeuroBench's conventions (effective
            synaptic ops, activation sparsity; `snnzoo.energy.neurobench`),
            reported beside snnzoo's own totals.

    Returns:
        `EnergyReport`; `to_dict()` has `{"layers": ..., "total": {"macs",
        "acs", "ops", "energy_j", ...}}` (and `"neurobench"` if asked).

    Raises:
        ValueError: an unknown `profile` or `direct_macs`, `x` that does not
            fit the model, or a model with no layer the estimator can count.
    """
    profile = get_profile(profile)
    layers, _ = _measure(model, x, profile, weight_sparsity, direct_macs, "gru",
                         batch_size)
    return EnergyReport(profile, layers, options={
        "weight_sparsity": weight_sparsity, "direct_macs": direct_macs,
        "samples": int(len(x))},
        neurobench=_neurobench(model, x, batch_size) if neurobench else None)


def rate_timesteps(model):
    """The SNN steps per element of `model`'s rate-coded layers (converted
    spiking or hybrid LSTMs: their cells' `timesteps`), or None if it has
    none with more than one step."""
    steps = set()
    for layer in model.layers:
        for part in (getattr(layer, "forward_layer", None), getattr(layer, "backward_layer", None),
                     layer):
            t = getattr(getattr(part, "cell", None), "timesteps", None)
            if isinstance(t, int) and t > 1:
                steps.add(t)
    return max(steps) if steps else None


def ann_profile(profile, snn_model, ann_bits):
    """The profile of the ANN side of `compare`: `profile` itself for
    `ann_bits=None`; the quantized ANN of `ann_bits` activation bits; or,
    for `ann_bits="rate"`, the one equivalent to `snn_model`'s rate code
    (ceil(log2(T + 1)) bits, `profiles.rate_equivalent_bits`)."""

    if ann_bits is None:
        return profile
    if ann_bits != "rate" and (isinstance(ann_bits, bool)
                               or not isinstance(ann_bits, (int, np.integer))):
        raise ValueError(f"`ann_bits` must be None, an int or 'rate'; got {ann_bits!r}.")
    if ann_bits == "rate":
        t = rate_timesteps(snn_model)
        if t is None:
            raise ValueError(
                f"`ann_bits`='rate' needs a rate-coded SNN (a converted spiking or hybrid "
                f"LSTM with timesteps > 1); model {snn_model.name!r} has none. Its spikes "
                "code time, not counts, so no equivalent activation width follows from T.")
        ann_bits = rate_equivalent_bits(t)
    return profile.for_activation_bits(ann_bits)


def compare(snn_model, x, ann_model=None, profile="horowitz45_fp32", ann="auto",
            weight_sparsity=False, direct_macs="once", batch_size=128, neurobench=False,
            ann_bits=None):
    """Energy of a spiking model against its iso-architecture ANN.

    Without `ann_model`, every layer's iso-architecture counterpart is
    counted analytically: a dense LSTM (`4mn + 4n^2 + 3n` MAC per element)
    for hard/hybrid/spiking LSTM layers, and for Dampfhoffer's cells the
    `ann` family. With `ann_model`, that model is estimated on the same `x`
    and its layers are listed in the report's `ann` part.

    Args:
        snn_model: the spiking Keras model.
        x: representative NumPy inputs of the model.
        ann_model: optional ANN to measure instead of the analytic counterpart.
        profile: name from `profiles()` or a `Profile`.
        ann: the analytic ANN family of Dampfhoffer's cells: "auto" (GRU),
            "gru", "lstm" or "rnn".
        weight_sparsity: zero weights cost nothing (see `estimate`).
        direct_macs: "once" or "per_step" (see `estimate`).
        batch_size: inference batch size.
        neurobench: also count `snn_model` in NeuroBench's conventions.
        ann_bits: None (the ANN at the profile's widths: bit-matched), an int
            (a quantized ANN with that many activation bits), or "rate": the
            quantized ANN equivalent to the SNN's rate code, ceil(log2(T + 1))
            bits for T SNN steps per element (Yan, Bai & Wong 2024's fair
            baseline). The ANN side then runs under
            `profile.for_activation_bits(bits)`; needs an integer profile.

    Returns:
        `EnergyReport` with `ann` and `ratio` = ANN / SNN (energy and ops).

    Raises:
        ValueError: an unknown `profile`, `ann`, `direct_macs` or `ann_bits`;
            `ann_bits` on a float profile or "rate" on a model without a rate
            code; `x` that does not fit the model; or a model with no layer
            the estimator can count.
    """
    profile = get_profile(profile)
    family = "gru" if ann == "auto" else ann
    baseline = ann_profile(profile, snn_model, ann_bits)
    layers, ann_layers = _measure(snn_model, x, profile, weight_sparsity,
                                  direct_macs, family, batch_size, baseline)
    if ann_model is not None:
        other, _ = _measure(ann_model, x, baseline, False, direct_macs, family,
                            batch_size)
        ann_layers = other
    return EnergyReport(profile, layers, ann=ann_layers, options={
        "weight_sparsity": weight_sparsity, "direct_macs": direct_macs,
        "ann": family if ann_model is None else ann_model.name,
        "ann_profile": baseline.name, "ann_activation_bits": baseline.activation_bits,
        "samples": int(len(x))},
        neurobench=_neurobench(snn_model, x, batch_size) if neurobench else None)
