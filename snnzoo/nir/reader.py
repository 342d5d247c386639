"""`snnzoo.nir.load`: a NIR graph (or `.nir` file) -> a Keras model."""

import os

import numpy as np

from snnzoo import validation
from snnzoo.layers import TimeReduce
from snnzoo.nir import build
from snnzoo.nir import graphs
from snnzoo.nir import specs

_READOUTS = ("max", "mean", "sum", "last")


def load(graph_or_path, dt=None, reset=None, readout=None, timesteps=None):
    """A Keras model (`SpikingRNN` / `Dense` layers) computing `graph`.

    Reads chains of `Affine`/`Linear`, `LIF`, `IF`, `CubaLIF`, `LI` and
    recurrent subgraphs of them, nested (as snnzoo and NIR's reference
    write them) or flat with a neuron <-> weight cycle (as snnTorch's
    exporter writes them), and snnzoo's exact form. An `Affine` in front of
    a neuron becomes the layer's input kernel; other `Affine`s become
    time-distributed `Dense` layers. Gains other than 1 (`r`, `w_in`) and
    per-neuron thresholds are folded into the weights; see
    `snnzoo.nir.mapping`.

    Args:
        graph_or_path: a `nir.NIRGraph` or a `.nir` file.
        dt: the step to run at; default the graph's `metadata["dt"]`, else
            1e-4 (snnTorch's fixed step).
        reset: None (NIR's reset to zero, or the reset a node's snnzoo
            metadata names), or "subtract" / "zero" for every LIF/CubaLIF
            node (e.g. "subtract" for a network trained in snnTorch with its
            default `reset_mechanism="subtract"`).
        readout: None (the graph's `metadata["readout"]`, if any), False
            (sequence output), or "max", "mean", "sum", "last": a final
            `TimeReduce`.
        timesteps: fix the input length (None: any length).

    Returns:
        A `keras.Model` with input `(batch, timesteps, features)`.

    Raises:
        ValueError: an unknown `reset` or `readout`, `timesteps` that is not
            a positive int, or a graph with nodes the reader does not map.
        FileNotFoundError: no `.nir` file at the path given.
    """
    graph = _graph(graph_or_path)
    dt = graphs.graph_dt(graph, dt)
    if reset is not None and reset not in ("subtract", "zero"):
        validation.fail("reset", 'None, "subtract" or "zero"', reset)
    if readout is None:
        readout = (graph.metadata or {}).get("readout")
    if readout not in (None, False) + _READOUTS:
        validation.fail("readout", f"None, False or one of {_READOUTS}", readout)
    if timesteps is not None:
        timesteps = validation.number(timesteps, "timesteps", 1, integer=True)
    width, items = _chain(graph)
    layers = _layers(items, graph, dt, reset)
    return _build(layers, width, readout, timesteps)


def _graph(graph_or_path):
    import nir

    if isinstance(graph_or_path, nir.NIRGraph):
        return graph_or_path
    path = validation.existing_file(graph_or_path, "graph_or_path", ".nir")
    try:
        # As written (NIR's type inference appends an Output to every leaf).
        declared = nir.read(path, type_check=False)
        graph = nir.read(path)
    except (OSError, KeyError, ValueError, TypeError) as err:
        raise ValueError(f"`graph_or_path`: expected a NIR file; {os.path.basename(path)!r} "
                         f"could not be read ({err}).") from None
    if not any(isinstance(n, nir.Output) for n in declared.nodes.values()):
        raise ValueError(f"`graph_or_path`: expected a NIR graph with an Output node; "
                         f"{os.path.basename(path)!r} declares none (nodes "
                         f"{sorted(declared.nodes)}).")
    return graph


def _chain(graph):
    """`(input width, [node keys in order])`, with flat recurrences as
    `(neuron key, weight key)` pairs."""
    import nir

    start, end = graphs.io_names(graph)
    width = int(np.prod(np.asarray(graph.nodes[start].input_type["input"])))
    succ = {k: [] for k in graph.nodes}
    for s, d in graph.edges:
        succ[s].append(d)
    loops = {s: d for s, d in graph.edges if s in succ.get(d, [])
             and isinstance(graph.nodes[d], (nir.Affine, nir.Linear))
             and succ[d] == [s]}
    items, cur, seen = [], start, {start}
    while True:
        nxt = [d for d in succ[cur] if d != loops.get(cur)]
        if len(nxt) != 1:
            raise ValueError(f"`graph`: expected a chain of layers; node {cur!r} feeds "
                             f"{nxt or 'nothing'}.")
        cur = nxt[0]
        if cur == end:
            return width, items
        if cur in seen:
            raise ValueError(f"`graph`: a cycle through {cur!r} is not a recurrent layer.")
        seen.add(cur)
        items.append((cur, loops.get(cur)))


def _layers(items, graph, dt, reset):
    """Layer descriptions: `("dense", name, W, b)` or `("rnn", name, spec, W, b, U)`."""
    import nir

    out, pending = [], None
    for key, loop in items:
        node = graph.nodes[key]
        if isinstance(node, (nir.Affine, nir.Linear)):
            if pending is not None:
                out.append(("dense",) + pending)
            bias = getattr(node, "bias", None)
            pending = (key, _finite(np.asarray(node.weight, np.float32).T, f"node {key!r}"),
                       None if bias is None else _finite(np.asarray(bias, np.float32),
                                                         f"node {key!r}"))
            continue
        spec, rec = specs.neuron_spec(node, dt, reset, key)
        rec = graph.nodes[loop] if loop else rec
        if spec["cell"] == "LeakyReadoutCell" and rec is not None:
            raise ValueError(f"`graph`: LI node {key!r} has a recurrent weight; snnzoo's leaky "
                             f"readout has none.")
        w, b = (pending[1], pending[2]) if pending else (np.eye(spec["units"]), None)
        out.append(("rnn", key, spec) + _weights(spec, w, b, rec))
        pending = None
    if pending is not None:
        out.append(("dense",) + pending)
    return out


def _weights(spec, kernel, bias, rec):
    """Incoming weights with the spec's gain folded in, float32."""
    units = spec["units"]
    bias = np.zeros(units) if bias is None else np.asarray(bias, np.float64)
    u = None
    if rec is not None:
        u = np.asarray(rec.weight, np.float64).T
        if getattr(rec, "bias", None) is not None:
            bias = bias + rec.bias
    scale = spec["scale"]
    if scale is not None:
        kernel, bias = np.asarray(kernel, np.float64) * scale, bias * scale
        u = None if u is None else u * scale
    bias = bias + spec["offset"]
    f32 = (lambda a: None if a is None else np.asarray(a, np.float32))
    return _finite(f32(kernel)), _finite(f32(bias)), _finite(f32(u))


def _finite(values, what="a weight or bias"):
    if values is not None and not np.isfinite(values).all():
        raise ValueError(f"`graph`: expected finite weights; {what} holds "
                         f"{int(values.size - np.count_nonzero(np.isfinite(values)))} NaN or "
                         "infinite values.")
    return values


def _build(layers, width, readout, timesteps):
    import keras

    x = inputs = keras.Input((timesteps, width), name="inputs")
    for desc in layers:
        x = build.layer(desc)(x)
    if readout:

        x = TimeReduce(readout, name=f"{readout}_over_time")(x)
    model = keras.Model(inputs, x, name="nir_model")
    for desc, layer in zip(layers, model.layers[1:]):
        build.set_weights(layer, desc)
    return model
