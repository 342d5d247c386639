"""NIR neuron nodes -> snnzoo cell specifications (reader side).

A spec is a dict: `cell` (class name), `units`, leaks (`beta`, `alpha`),
`threshold`, `reset`, and `scale`/`offset`: what the incoming weights and
bias are multiplied by and what is added to the bias so that the NIR
neuron's discrete update becomes snnzoo's (see `snnzoo.nir.mapping`).
"""

import numpy as np

from snnzoo.nir import graphs
from snnzoo.nir import mapping


def neuron_spec(node, dt, reset, name):
    """Spec of a top-level neuron node or neuron subgraph, and its recurrent
    weight node (or None)."""
    import nir

    if isinstance(node, nir.NIRGraph):
        if any(isinstance(n, nir.Threshold) for n in node.nodes.values()):
            return exact_spec(node, dt, name)
        return _portable_subgraph(node, dt, reset, name)
    return _single(node, dt, reset, name), None


def _single(node, dt, reset, name):
    kind = type(node).__name__
    if kind == "LI":
        beta = mapping.leak_from_tau(node.tau, dt, f"{name}.tau")
        gain = mapping.euler_gain(node.tau, node.r, dt)
        return _spec("LeakyReadoutCell", beta, None, None, gain,
                     dt / np.asarray(node.tau, np.float64) * node.v_leak, None)
    if kind not in ("LIF", "IF", "CubaLIF"):
        raise ValueError(f"`graph`: node {name!r} is a {kind}; snnzoo.nir.load reads Affine, "
                         f"Linear, LIF, IF, CubaLIF, LI and recurrent subgraphs of them.")
    if np.any(np.asarray(node.v_reset) != 0):
        raise ValueError(f"`graph`: node {name!r} resets to v_reset != 0; snnzoo neurons reset "
                         f"to 0 or by subtraction.")
    reset = reset or (node.metadata or {}).get("reset", "zero")
    if kind == "CubaLIF":
        if np.any(np.asarray(node.v_leak) != 0):
            raise ValueError(f"`graph`: CubaLIF node {name!r} has v_leak != 0, which snnzoo's "
                             f"Cuba-LIF cannot represent exactly.")
        alpha = mapping.leak_from_tau(node.tau_syn, dt, f"{name}.tau_syn")
        beta = mapping.membrane_leak(mapping.leak_from_tau(node.tau_mem, dt, f"{name}.tau_mem"))
        gain = mapping.cuba_gain(node.tau_syn, node.tau_mem, node.r, node.w_in, beta, dt)
        return _spec("CubaLIFCell", beta, alpha, node.v_threshold, gain, 0.0, reset)
    if kind == "IF":
        beta, gain, offset = np.ones_like(node.r, np.float64), dt * node.r, 0.0
    else:
        beta = mapping.leak_from_tau(node.tau, dt, f"{name}.tau")
        gain = mapping.euler_gain(node.tau, node.r, dt)
        offset = dt / np.asarray(node.tau, np.float64) * node.v_leak
    return _spec("LIFCell", beta, None, node.v_threshold, gain, offset, reset)


def _spec(cell, beta, alpha, threshold, gain, offset, reset):
    beta = np.asarray(beta, np.float64)
    spec = {"cell": cell, "units": int(beta.size), "beta": beta, "alpha": alpha,
            "reset": reset, "threshold": 1.0}
    scale = np.broadcast_to(np.asarray(gain, np.float64), beta.shape).copy()
    offset = np.broadcast_to(np.asarray(offset, np.float64), beta.shape).copy()
    if threshold is not None:
        th = np.broadcast_to(np.asarray(threshold, np.float64), beta.shape)
        if not np.all(np.isfinite(th) & (th > 0)):
            raise ValueError(f"`graph`: expected finite, positive v_threshold values; got "
                             f"{np.asarray(threshold).ravel()[:8]} (snnzoo needs positive "
                             "thresholds).")
        if np.all(th == th[0]):
            spec["threshold"] = float(th[0])
        else:  # v / th_n: weights, bias and leak term divided per neuron
            scale, offset = scale / th, offset / th
    spec["scale"] = None if mapping.is_one(scale) else scale
    spec["offset"] = offset
    return spec


def _portable_subgraph(graph, dt, reset, name):
    import nir

    neurons = [k for k, n in graph.nodes.items()
               if not isinstance(n, (nir.Input, nir.Output, nir.Affine, nir.Linear))]
    weights = [k for k, n in graph.nodes.items() if isinstance(n, (nir.Affine, nir.Linear))]
    i, o = graphs.io_names(graph)
    want = {(i, neurons[0]), (neurons[0], o)} if len(neurons) == 1 else None
    if weights:
        want = want and want | {(neurons[0], weights[0]), (weights[0], neurons[0])}
    if want is None or len(weights) > 1 or set(map(tuple, graph.edges)) != want:
        raise ValueError(f"`graph`: subgraph {name!r} is not a recurrent layer (input -> "
                         f"neuron -> output with a Linear/Affine from the neuron back to "
                         f"itself); edges {graph.edges}.")
    spec = _single(graph.nodes[neurons[0]], dt, reset or (graph.metadata or {}).get("reset"),
                   f"{name}/{neurons[0]}")
    return spec, graph.nodes[weights[0]] if weights else None


def exact_spec(graph, dt, name):
    """Spec of snnzoo's exact form: LI membrane (+ LI synapse), Threshold,
    Scale reset, optional recurrent Linear (see `snnzoo.nir.neurons`)."""
    import nir

    nodes, edges = graph.nodes, set(map(tuple, graph.edges))
    by_type = {}
    for k, n in nodes.items():
        by_type.setdefault(type(n).__name__, []).append(k)
    spike = _only(by_type, "Threshold", name)
    reset = _only(by_type, "Scale", name)
    membrane = [k for k in by_type.get("LI", []) if (k, spike) in edges]
    synapse = [k for k in by_type.get("LI", []) if membrane and (k, membrane[0]) in edges]
    rec = [k for k in by_type.get("Linear", []) + by_type.get("Affine", [])
           if (spike, k) in edges]
    if len(membrane) != 1 or (spike, reset) not in edges or (reset, membrane[0]) not in edges:
        raise ValueError(f"`graph`: subgraph {name!r} has a Threshold but is not snnzoo's exact "
                         f"LIF/Cuba-LIF form (LI -> Threshold -> Scale -> LI).")
    mem = nodes[membrane[0]]
    beta = mapping.leak_from_tau(mem.tau, dt, f"{name}/{membrane[0]}.tau")
    g_m = mapping.euler_gain(mem.tau, mem.r, dt)
    th = np.asarray(nodes[spike].threshold, np.float64)
    if not np.allclose(g_m * nodes[reset].scale, -th, rtol=1e-6, atol=0):
        raise ValueError(f"`graph`: in subgraph {name!r} the Scale node is not a reset by the "
                         f"threshold (gain * scale != -v_threshold).")
    if synapse:
        syn = nodes[synapse[0]]
        alpha = mapping.leak_from_tau(syn.tau, dt, f"{name}/{synapse[0]}.tau")
        beta = mapping.membrane_leak(beta)
        gain = mapping.euler_gain(syn.tau, syn.r, dt) * g_m / (
            1.0 - beta.astype(np.float32).astype(np.float64))
        spec = _spec("CubaLIFCell", beta, alpha, th, gain, 0.0, "subtract")
    else:
        spec = _spec("LIFCell", beta, None, th, g_m, 0.0, "subtract")
    return spec, nodes[rec[0]] if rec else None


def _only(by_type, kind, name):
    keys = by_type.get(kind, [])
    if len(keys) != 1:
        raise ValueError(f"`graph`: subgraph {name!r} needs exactly one {kind} node for "
                         f"snnzoo's exact form; got {keys}.")
    return keys[0]
