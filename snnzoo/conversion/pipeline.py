"""Pipelined (wavefront) schedule of spiking LSTMs (Datta et al. 2022).

In `SpikingLSTMCell`, SNN step t of element k in layer l depends only on
step t-1 of the same element, step t of element k-1 (recurrence) and step t
of element k in layer l-1 (input spikes). All steps with the same
`k + t + l` are therefore independent and can run at the same clock tick: a
wavefront. Serially, each element waits for the previous element's T steps
in every layer.

`latency()` gives both counts; `run_pipelined()` executes the wavefront
schedule step by step and must produce exactly the serial outputs (tested).
The paper's exact latency formula is not available (SPEC §2.4 e); this is
the latency of this reconstruction's dependency graph.
"""

from keras import ops
import numpy as np

from snnzoo import validation
from snnzoo.cells.spiking_lstm_cell import SpikingLSTMCell


def latency(num_elements, timesteps, num_layers=1):
    """SNN clock ticks to process a sequence.

    Returns:
        dict with `serial = N * T * L` (element by element, layer by layer),
        `pipelined = N + T + L - 2` (wavefront) and their ratio.
    """
    for name, value in (("num_elements", num_elements),
                        ("timesteps", timesteps), ("num_layers", num_layers)):
        if int(value) < 1:
            raise ValueError(f"`{name}` must be >= 1; got {value}.")
    n, t, l = int(num_elements), int(timesteps), int(num_layers)
    serial = n * t * l
    pipelined = n + t + l - 2
    return {"serial": serial, "pipelined": pipelined,
            "speedup": serial / pipelined}


def spiking_lstm_layers(model):
    layers = [l for l in model.layers
              if isinstance(getattr(l, "cell", None), SpikingLSTMCell)]
    if not layers:
        raise ValueError(f"Model {model.name!r} has no SpikingLSTMCell layer "
                         "(convert it with method='spiking' first).")
    return layers


class _Wavefront:
    """Grid state of `run_pipelined`: spikes and cell values per (layer,
    element, step), accumulators and membranes per (layer, element)."""

    def __init__(self, cells, x):
        T, (batch, N), L = cells[0].timesteps, x.shape[:2], len(cells)
        self.cells, self.batch = cells, batch
        self.spikes = [[[None] * T for _ in range(N)] for _ in range(L)]
        self.values = [[[None] * T for _ in range(N)] for _ in range(L)]
        self.acc = [[0.0] * N for _ in range(L)]
        self.v = [[None] * N for _ in range(L)]
        self.constants = [c.neuron_constants() for c in cells]
        self.first_proj = cells[0].project_inputs(x)  # (B, N, 4u), direct encoding

    def run(self, l, k, t):
        """SNN step t of element k in layer l."""
        cell, S, C = self.cells[l], self.spikes, self.values
        n = cell.units
        x_t = self.first_proj[:, k] if l == 0 else ops.matmul(S[l - 1][k][t], cell.kernel)
        if k == 0:
            s_prev = c_prev = ops.zeros((self.batch, n))
        else:
            s_prev, c_prev = S[l][k - 1][t], C[l][k - 1][t]
        if t == 0:
            self.v[l][k], self.acc[l][k] = ops.zeros((self.batch, n)), 0.0
        rec_t = ops.matmul(s_prev, cell.recurrent_kernel)
        S[l][k][t], C[l][k][t], self.acc[l][k], self.v[l][k] = cell.substep(
            t, x_t, rec_t, c_prev, self.acc[l][k], self.v[l][k], self.constants[l])


def run_pipelined(model, x, return_schedule=False):
    """Run the stacked spiking-LSTM layers of `model` on `x` in wavefront order.

    Args:
        model: a model from `convert(..., method="spiking")` whose spiking
            LSTM layers are stacked directly (layer l feeds layer l+1).
        x: `(batch, N, m)` inputs of the first spiking layer.
        return_schedule: also return the list of ticks, each a list of
            `(layer, element, step)` executed at that tick.

    Returns:
        `(batch, N, T * units)` spikes of the last spiking layer (what that
        layer returns with `return_sequences=True`), and the schedule.
    """
    layers = spiking_lstm_layers(model)
    cells = [l.cell for l in layers]
    serial = [c.name for c in cells if c.schedule != "pipelined"]
    if serial:
        raise ValueError(f"Cells {serial} use schedule='serial'; convert with "
                         "schedule='pipelined' to run the wavefront schedule.")

    T = cells[0].timesteps
    x = ops.convert_to_tensor(validation.array(x, "x", ndim=3))
    N, L = x.shape[1], len(cells)
    grid = _Wavefront(cells, x)
    schedule = []
    for tick in range(N + T + L - 2):
        executed = [(l, k, tick - k - l) for l in range(L) for k in range(N)
                    if 0 <= tick - k - l < T]
        for l, k, t in executed:
            grid.run(l, k, t)
        schedule.append(executed)
    S = grid.spikes
    out = np.stack([
        np.concatenate([np.asarray(S[L - 1][k][t]) for t in range(T)], axis=-1)
        for k in range(N)
    ], axis=1)
    if return_schedule:
        return out, schedule
    return out
