"""Outputs of every cell on fixed weights/inputs; run under any backend.

`python -m tests.parity_outputs OUT.npz` writes them; the parity test runs it
under the other backend and compares with its own process.
"""

import sys

import numpy as np


def cell_factories():
    from snnzoo import cells

    return {
        "lif": lambda: cells.LIFCell(6),
        "lif_ternary": lambda: cells.LIFCell(6, ternary=True),
        "cuba_lif": lambda: cells.CubaLIFCell(6, current_clip=3.0),
        "spikgru": lambda: cells.SpikGRUCell(6),
        "adaptive_lif": lambda: cells.AdaptiveLIFCell(6),
        "leaky_readout": lambda: cells.LeakyReadoutCell(6),
        "hard_lstm": lambda: cells.HardLSTMCell(6, cell_clip=1.0),
    }


def compute():
    from snnzoo import layers
    from snnzoo import testing

    rng = np.random.default_rng(42)
    x = (rng.uniform(size=(4, 30, 5)) < 0.4).astype("float32")
    out = {}
    for name, make in cell_factories().items():
        layer = layers.SpikingRNN(make(), return_sequences=True)
        layer.build(x.shape)
        arrays = {}
        for v in layer.weights:
            if v.name in ("alpha", "beta"):
                arrays[v.name] = rng.uniform(0.3, 1.0, v.shape)
            elif v.name.startswith("tau"):
                arrays[v.name] = rng.uniform(2.0, 30.0, v.shape)
            else:
                arrays[v.name] = rng.uniform(-1.2, 1.2, v.shape)
        testing.set_weights_by_name(layer, arrays)
        out[name] = np.asarray(layer(x))
    return out


if __name__ == "__main__":
    np.savez(sys.argv[1], **compute())
