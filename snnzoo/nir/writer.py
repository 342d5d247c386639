"""`snnzoo.nir.export`: a Keras model of snnzoo layers -> a `nir.NIRGraph`."""

import numpy as np

from snnzoo import io
from snnzoo import validation
from snnzoo.nir import conventions
from snnzoo.nir import mapping
from snnzoo.nir import neurons

#: Layers that are the identity at inference and are left out of the graph.
_IDENTITY_LAYERS = ("InputLayer", "SpikeMonitor", "Dropout")


def export(model, path=None, dt=1e-4, form="portable", gain="neuron"):
    """A NIR graph of `model`, written to `path` (a `.nir` file) if given.

    Covers chains of `Dense` (time-distributed) and `SpikingRNN` layers with
    `LIFCell`, `CubaLIFCell` and `LeakyReadoutCell`; `SpikeMonitor` and
    `Dropout` are skipped, a final `TimeReduce` is the graph's
    `metadata["readout"]`. A recurrent layer is a subgraph `input -> neuron
    -> output` with a recurrent `Linear`, as snnTorch writes it.

    Args:
        model: a built Keras model (a chain of the layers above).
        path: optional `.nir` file, written atomically with `nir.write`.
        dt: the step the continuous-time parameters are stated for (1e-4 s,
            what snnTorch's importer assumes). See `snnzoo.nir.mapping`.
        form: "portable" (NIR's `LIF`/`CubaLIF` nodes, which every NIR
            tool reads, with NIR's reset to `v_reset`: see
            `snnzoo.nir.CONVENTIONS`) or "exact" (`LI` membrane (+ `LI`
            synapse), `Threshold` and a `Scale(-v_th)` self-connection: the
            subtractive reset spelled out).
        gain: "neuron" (weights as trained; Cuba-LIF's `1 - beta` sits in
            `r = 1`) or "weights" (folded into the incoming weights, so that
            `r = tau_mem/dt` as snnTorch writes and requires). LIF and
            leaky readouts are the same either way.

    Returns:
        `nir.NIRGraph`, with the conventions in its `metadata`.

    Raises:
        ValueError: `dt` is not above 0, an unknown `form` or `gain` (or
            `gain="weights"` with the exact form), layer names that give
            duplicate node names, or a layer NIR cannot express.
    """
    import nir

    dt = validation.number(dt, "dt", 0.0, low_open=True)
    _choice(form, "form", ("portable", "exact"))
    _choice(gain, "gain", ("neuron", "weights"))
    if form == "exact" and gain == "weights":
        raise ValueError('`gain`: expected "neuron" with form="exact" (the exact form keeps the '
                         'trained weights; "weights" is for importers of the portable form); '
                         'got \'weights\'.')
    layers, readout = _chain(model)
    _check_finite(layers)
    width = int(model.inputs[0].shape[-1])
    nodes, edges, prev = {"input": nir.Input(input_type=np.array([width]))}, [], "input"
    for layer in layers:
        new_nodes, new_edges, first, last, width = _layer_nodes(layer, dt, form, gain)
        if set(new_nodes) & set(nodes):
            raise ValueError(f"`model`: layer names give duplicate NIR node names "
                             f"{sorted(set(new_nodes) & set(nodes))}; rename the layers.")
        nodes.update(new_nodes)
        edges += [(prev, first)] + new_edges
        prev = last
    nodes["output"] = nir.Output(output_type=np.array([width]))
    edges.append((prev, "output"))
    metadata = conventions.metadata(dt, form, gain, readout)
    graph = nir.NIRGraph(nodes=nodes, edges=edges, metadata=metadata)
    if path is not None:
        write(graph, path)
    return graph


def write(graph, path):
    """Write a NIR graph to a file, atomically (`nir.write` on a temporary file,
    then a rename).

    Args:
        graph: a `nir.NIRGraph`.
        path: the `.nir` file.

    Returns:
        The path written.

    Raises:
        ValueError: `path` is not a writable `.nir` path.
    """
    import nir

    path = validation.output_path(path, "path", ".nir")
    with io.atomic_write(path, mode=None) as tmp:
        nir.write(tmp, graph)
    return path


def _choice(value, name, allowed):
    if value not in allowed:
        validation.fail(name, " or ".join(repr(a) for a in allowed), value)


def _chain(model):
    """The layers of `model` in order, checked to form a single chain."""
    if not hasattr(model, "layers") or not getattr(model, "inputs", None):
        validation.fail("model", "a built Keras model", model)
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        validation.fail("model", "a model with one input and one output", model)
    layers = [la for la in model.layers if type(la).__name__ != "InputLayer"]
    prev = model.inputs[0]
    kept, readout = [], None
    for i, layer in enumerate(layers):
        if layer.input is not prev:
            raise ValueError(f"`model`: expected a chain of layers (each fed by the one "
                             f"before); layer {layer.name!r} is not.")
        prev = layer.output
        kind = type(layer).__name__
        if kind == "TimeReduce" and i == len(layers) - 1:
            readout = layer.mode
        elif kind not in _IDENTITY_LAYERS:
            kept.append(layer)
    return kept, readout


def _check_finite(layers):
    """Refuse NaN or infinite weights before any node is written."""
    for layer in layers:
        for weight in layer.weights:
            values = np.asarray(weight)
            if values.dtype.kind == "f" and not np.isfinite(values).all():
                bad = int(values.size - np.count_nonzero(np.isfinite(values)))
                raise ValueError(f"`model`: weight {weight.path!r} holds {bad} NaN or infinite "
                                 f"values; NIR files carry finite parameters only.")


def _layer_nodes(layer, dt, form, gain):
    """`(nodes, edges, first, last, width)` of one layer; a recurrence lives
    inside the neuron's subgraph."""

    kind = type(layer).__name__
    if kind == "Dense":
        _check_dense(layer)
        return {layer.name: _affine(layer.kernel, layer.bias)}, [], layer.name, layer.name, \
            layer.units
    if kind != "SpikingRNN":
        raise ValueError(f"`model`: layer {layer.name!r} ({kind}) has no NIR form; "
                         f"expected Dense, SpikingRNN, SpikeMonitor, Dropout or a final "
                         f"TimeReduce.")
    cell = _check_rnn(layer)
    w_in = f"{layer.name}_w_in"
    kernel, bias, rec = neurons.incoming(cell, gain)
    nodes = {w_in: _affine(kernel, bias), layer.name: neurons.node(cell, rec, dt, form, gain)}
    return nodes, [(w_in, layer.name)], w_in, layer.name, cell.units


def _affine(kernel, bias):
    import nir

    w = np.asarray(kernel, np.float32).T.copy()
    if bias is None:
        return nir.Linear(weight=w)
    return nir.Affine(weight=w, bias=np.asarray(bias, np.float32).copy())


def _check_dense(layer):
    act = getattr(layer.activation, "__name__", str(layer.activation))
    if act != "linear":
        raise ValueError(f"`model`: Dense layer {layer.name!r} has activation {act!r}; NIR's "
                         f"Affine is linear (put the nonlinearity in a spiking layer).")


def _check_rnn(layer):
    cell = layer.cell
    kind = type(cell).__name__
    if getattr(cell, "nir_neuron", None) is None:
        why = getattr(cell, "nir_missing", "it is not an snnzoo cell")
        raise ValueError(f"`model`: layer {layer.name!r} uses {kind}, which has no NIR "
                         f"primitive: {why}.")
    bad = [f"{k}={v!r}" for k, v in (("go_backwards", layer.go_backwards),
                                      ("return_sequences", not layer.return_sequences))
           if v]
    bad += [f"{k}={getattr(cell, k)!r}" for k in ("ternary", "membrane_clip", "current_clip",
                                                  "return_membrane")
            if getattr(cell, k, None)]
    if bad:
        raise ValueError(f"`model`: layer {layer.name!r} ({kind}) has {', '.join(bad)}, "
                         f"which NIR cannot express (time runs forward, every step is "
                         f"output, spikes are binary, states are not clipped).")
    return cell
