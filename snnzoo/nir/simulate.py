"""`snnzoo.nir.simulate`: NIR's semantics, stepped in NumPy (the reference).

Each node's ODE is stepped with forward Euler at `dt`; nodes run in the
order of the graph with its cycles removed, and each cycle edge delivers
the previous step's output (see `snnzoo.nir.CONVENTIONS`). Thresholds are
strict (`v > v_threshold`), as NIR defines them. Float64 throughout. This is
independent of snnzoo's Keras cells and is what the tests and
`benchmarks/nir_interop.py` hold the bridge against.
"""

import numpy as np

from snnzoo import validation
from snnzoo.nir import graphs


def simulate(graph, x, dt=None, record=()):
    """Run a NIR graph on inputs in NumPy, by NIR's forward-Euler semantics.

    Args:
        graph: a `nir.NIRGraph`.
        x: inputs `(batch, time, features)`.
        dt: the step (default: the graph's `metadata["dt"]`, else 1e-4).
        record: top-level node names whose sequences to return as well (a
            subgraph's value is its output).

    Returns:
        The output sequence `(batch, time, outputs)`, or `(output, {name:
        sequence})` when `record` names nodes.

    Raises:
        ValueError: `graph` is not a `nir.NIRGraph`, or `x` is not a finite
            3-D array.
    """
    import nir

    if not isinstance(graph, nir.NIRGraph):
        validation.fail("graph", "a nir.NIRGraph", graph)
    dt = graphs.graph_dt(graph, dt)
    x = validation.array(x, "x", ndim=3, dtype="float64")
    nodes, edges = graphs.flatten(graph)
    order, delayed = graphs.schedule(nodes, edges)
    sources = {name: [s for s, d in edges if d == name] for name in nodes}
    states = {}
    prev = _before_start(nodes, order, sources, x.shape[0])
    outputs, recorded = [], {name: [] for name in record}
    for t in range(x.shape[1]):
        now = {}
        for name in order:
            total = _node_input(name, sources[name], now, prev, delayed, x[:, t])
            now[name] = _step(nodes[name], total, states, name, dt)
        prev = now
        outputs.append(now[graphs.output_name(nodes)])
        for name in record:
            recorded[name].append(now[graphs.top_output(graph, name)])
    out = np.stack(outputs, axis=1)
    if not record:
        return out
    return out, {k: np.stack(v, axis=1) for k, v in recorded.items()}


def _before_start(nodes, order, sources, batch):
    """Every node's value at t = -1, what cycle edges deliver at t = 0:
    neurons at rest (0), stateless nodes evaluated on that (an Affine in a
    recurrence gives its bias, as in snnTorch's RSynaptic)."""
    values = {}
    for name in order:
        node = nodes[name]
        kind = type(node).__name__
        if kind in ("Affine", "Linear"):
            total = sum((values.get(s, 0.0) for s in sources[name]), 0.0)
            u = np.broadcast_to(total, (batch, node.weight.shape[1]))
            values[name] = _step(node, u, {}, name, 1.0)
        elif kind in ("Scale", "Input", "Output", "Identity"):
            values[name] = sum((values.get(s, 0.0) for s in sources[name]), 0.0) * (
                node.scale if kind == "Scale" else 1.0)
        else:
            values[name] = 0.0
    return values


def _node_input(name, sources, now, prev, delayed, x_t):
    if not sources:
        return x_t
    total = 0.0
    for s in sources:
        value = prev.get(s) if (s, name) in delayed else now.get(s)
        if value is not None:
            total = total + value
    return total


def _step(node, u, states, name, dt):
    """One Euler step of `node` on input `u`; keeps its state in `states`."""
    kind = type(node).__name__
    if kind in ("Input", "Output", "Identity"):
        return u
    if kind == "Affine":
        return u @ node.weight.T + node.bias
    if kind == "Linear":
        return u @ node.weight.T
    if kind == "Scale":
        return u * node.scale
    if kind == "Threshold":
        return (u > node.threshold).astype(np.float64)
    if kind == "CubaLIF" or kind == "CubaLI":
        i = states.get(name + "/i", 0.0)
        i = i + dt / node.tau_syn * (-i + node.w_in * u)
        states[name + "/i"] = i
        return _membrane(node, node.r * i, states, name, dt, node.tau_mem)
    if kind in ("LIF", "LI", "IF", "I"):
        return _membrane(node, node.r * u, states, name, dt, getattr(node, "tau", None))
    raise ValueError(f"`graph`: node {name!r} is a {kind}, which snnzoo.nir.simulate does "
                     f"not step (Affine, Linear, Scale, Threshold, LI, LIF, IF, I, CubaLI, "
                     f"CubaLIF).")


def _membrane(node, drive, states, name, dt, tau):
    v = states.get(name + "/v", 0.0)
    if tau is None:  # IF, I: dv/dt = r I
        v = v + dt * drive
    else:
        v = v + dt / tau * (node.v_leak - v + drive)
    if not hasattr(node, "v_threshold"):
        states[name + "/v"] = v
        return v
    z = (v > node.v_threshold).astype(np.float64)
    states[name + "/v"] = np.where(z > 0, node.v_reset, v)
    return z
