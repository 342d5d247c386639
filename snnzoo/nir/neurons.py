"""NIR nodes of snnzoo's LIF, Cuba-LIF and leaky-readout cells (writer side).

Portable form: one `LIF` / `CubaLIF` / `LI` node; a recurrent layer is the
subgraph `input -> neuron -> output` plus `neuron -> w_rec -> neuron`.

Exact form (spiking cells with the subtractive reset): the reset becomes an
ordinary input. snnzoo's LIF, `v_t = beta v + c_t + U s_{t-1} - v_th s_{t-1}`,
is an `LI` membrane that never resets, a `Threshold`, and a `Scale(-v_th)`
from the threshold back to the membrane. Cuba-LIF adds an `LI` synapse in
front of the membrane (`i_t = alpha i + c_t + U s_{t-1}`); the membrane's
input gain is `dt/tau_mem = 1 - beta`, so its reset scale is
`-v_th * tau_mem / dt`. Every cycle (reset, recurrence) is closed with one
step of delay, as nirtorch and snnTorch execute graph cycles.
"""

import numpy as np

from snnzoo.nir import mapping


def incoming(cell, gain):
    """`(kernel, bias, recurrent_kernel)` of `cell`, as float32 NumPy arrays
    (`bias`, `recurrent_kernel` may be None). With `gain="weights"` a
    Cuba-LIF's `1 - beta` is folded into all three."""
    kernel = np.asarray(cell.kernel, np.float32)
    bias = None if cell.bias is None else np.asarray(cell.bias, np.float32)
    rec = None if getattr(cell, "recurrent_kernel", None) is None else np.asarray(
        cell.recurrent_kernel, np.float32)
    if gain == "weights" and cell.nir_neuron == "CubaLIF":
        scale = (1.0 - _leak(cell.beta)).astype(np.float32)
        kernel, bias = kernel * scale, None if bias is None else bias * scale
        rec = None if rec is None else rec * scale
    return kernel, bias, rec


def node(cell, rec, dt, form, gain):
    """The NIR node (or subgraph) of one cell's neurons."""
    meta = {"snnzoo_cell": type(cell).__name__}
    if cell.nir_neuron == "LI":
        tau, r = mapping.lif_parameters(_leak(cell.beta), dt)
        import nir

        return nir.LI(tau=tau, r=r, v_leak=np.zeros_like(tau), metadata=meta)
    meta["reset"] = cell.reset
    if form == "exact" and cell.reset == "subtract":
        return _exact(cell, rec, dt, meta)
    neuron = _portable_neuron(cell, dt, gain, meta)
    if rec is None:
        return neuron
    return _recurrent(neuron, rec, cell.units, meta)


def _leak(weight):
    return np.clip(np.asarray(weight, np.float64), 0.0, 1.0)


def _portable_neuron(cell, dt, gain, meta):
    import nir

    th = np.full(cell.units, float(cell.threshold))
    zeros = np.zeros(cell.units)
    if cell.nir_neuron == "LIF":
        tau, r = mapping.lif_parameters(_leak(cell.beta), dt)
        return nir.LIF(tau=tau, r=r, v_leak=zeros, v_threshold=th, v_reset=zeros, metadata=meta)
    tau_syn, tau_mem, w_in = mapping.cuba_parameters(_leak(cell.alpha), _leak(cell.beta), dt)
    r = tau_mem / dt if gain == "weights" else np.ones(cell.units)
    return nir.CubaLIF(tau_syn=tau_syn, tau_mem=tau_mem, r=r, v_leak=zeros, v_threshold=th,
                       v_reset=zeros, w_in=w_in, metadata=meta)


def _recurrent(neuron, rec, units, meta):
    import nir

    nodes = {"input": nir.Input(input_type=np.array([units])), "neuron": neuron,
             "w_rec": nir.Linear(weight=rec.T.copy()),
             "output": nir.Output(output_type=np.array([units]))}
    edges = [("input", "neuron"), ("neuron", "w_rec"), ("w_rec", "neuron"),
             ("neuron", "output")]
    return nir.NIRGraph(nodes=nodes, edges=edges, metadata=dict(meta))


def _exact(cell, rec, dt, meta):
    """LI membrane (+ LI synapse), Threshold and Scale(-v_th) reset."""
    import nir

    n, th = cell.units, float(cell.threshold)
    tau_m = mapping.tau_from_leak(_leak(cell.beta), dt)
    zeros = np.zeros(n)
    nodes = {"input": nir.Input(input_type=np.array([n])),
             "spike": nir.Threshold(threshold=np.full(n, th)),
             "output": nir.Output(output_type=np.array([n]))}
    edges = [("membrane", "spike"), ("spike", "reset"), ("reset", "membrane"),
             ("spike", "output")]
    if cell.nir_neuron == "LIF":
        nodes["membrane"] = nir.LI(tau=tau_m, r=tau_m / dt, v_leak=zeros)
        nodes["reset"] = nir.Scale(scale=np.full(n, -th))
        target = "membrane"
    else:
        tau_s = mapping.tau_from_leak(_leak(cell.alpha), dt)
        nodes["synapse"] = nir.LI(tau=tau_s, r=tau_s / dt, v_leak=zeros)
        nodes["membrane"] = nir.LI(tau=tau_m, r=np.ones(n), v_leak=zeros)
        nodes["reset"] = nir.Scale(scale=-th * tau_m / dt)
        edges.append(("synapse", "membrane"))
        target = "synapse"
    edges.append(("input", target))
    if rec is not None:
        nodes["w_rec"] = nir.Linear(weight=rec.T.copy())
        edges += [("spike", "w_rec"), ("w_rec", target)]
    return nir.NIRGraph(nodes=nodes, edges=edges, metadata=dict(meta, form="exact"))
