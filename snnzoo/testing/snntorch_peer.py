"""snnTorch as a NIR peer, for tests and benchmarks (needs the bench extra:
CPU torch, snnTorch, nirtorch; imported lazily)."""

import contextlib
import io

import numpy as np


def import_graph(graph, reset="zero"):
    """snnTorch modules for a NIR graph (`snntorch.import_nir.import_from_nir`,
    which reads LIF/CubaLIF with NIR's reset to zero in the spiking step).
    `reset="subtract"` switches every imported neuron to snnTorch's own
    subtractive reset (`reset_mechanism="subtract"`, `reset_delay=True`,
    snnTorch's default and snnzoo's reset)."""
    import snntorch as snn
    from snntorch.import_nir import import_from_nir

    with contextlib.redirect_stdout(io.StringIO()):  # the importer prints
        net = import_from_nir(graph)
    if reset == "subtract":
        for m in net.modules():
            if isinstance(m, (snn.Leaky, snn.Synaptic)):
                m.reset_mechanism = "subtract"
                m.state_function = m._base_sub
                m.reset_delay = True
    return net


def run(net, x):
    """Outputs `(batch, time, n)` of an imported graph, stepped frame by frame."""
    import torch

    state, outs = None, []
    with torch.no_grad():
        for t in range(x.shape[1]):
            out, state = net(torch.from_numpy(np.asarray(x[:, t], np.float32)), state)
            outs.append(out.numpy())
    return np.stack(outs, axis=1)


def export_graph(module, features):
    """`snntorch.export_nir.export_to_nir` of a one-step module."""
    import torch
    from snntorch.export_nir import export_to_nir

    with contextlib.redirect_stdout(io.StringIO()):
        return export_to_nir(module, torch.zeros(features))
