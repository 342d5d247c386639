"""Per-layer operation counters, registered by layer or cell class.

Every counter returns counts per sample over the whole sequence:
`synaptic_macs`, `synaptic_acs` (matrix products: MAC for real-valued
inputs, one AC per spike per fan-out synapse), `neuron_macs`, `neuron_acs`
(element-wise multiplies and adds of the neuron state: gate products, leaks,
bias adds, resets). The conventions (documented in the README) follow
Dampfhoffer et al. 2022, Table 2, and Ponghiran & Roy 2021:

| layer | MAC per step | AC per step |
| --- | --- | --- |
| dense LSTM | 4mn + 4n^2 + 3n | 0 |
| GRU | 3mn + 3n^2 + 3n | 3n |
| SimpleRNN | mn + n^2 | n |
| Dense | mn | 0 |
| LIF | n | mn a_in + (n^2 + n) a_out + n |
| Cuba-LIF | 3n | mn a_in + (n^2 + n) a_out + n |
| SpikGRU | 3n | 2mn a_in + (2n^2 + n) a_out + 2n |

`a_in`, `a_out` are measured spikes per neuron per step (signed spikes by
magnitude; an integer input such as a spike count counts as that many
spikes). A layer whose input is not integer-valued (e.g. a direct-encoded
first layer) pays `m * fan_out` MACs per step instead of ACs.
"""

import numpy as np

_COUNTERS = {}


def register_counter(cls):
    """Decorator: register `fn(layer, ...)` as the operation counter of a layer
    or cell class for the energy estimator.

    Args:
        cls: the layer or cell class counted.

    Returns:
        The decorator; it returns `fn` unchanged.

    Raises:
        KeyError: a counter for `cls` is already registered.
    """
    def wrap(fn):
        if cls in _COUNTERS:
            raise KeyError(f"A counter for {cls.__name__} is already registered.")
        _COUNTERS[cls] = fn
        return fn

    return wrap


def find_counter(obj):
    for cls in type(obj).__mro__:
        if cls in _COUNTERS:
            return _COUNTERS[cls]
    return None


def zero_counts():
    return {"synaptic_macs": 0.0, "synaptic_acs": 0.0,
            "neuron_macs": 0.0, "neuron_acs": 0.0}


def is_spiking(x):
    """Integer-valued activity (spikes or spike counts)?"""
    x = np.asarray(x)
    return bool(np.all(np.equal(np.round(x), x)))


def synaptic(x, kernel, weight_sparsity=False, per_step_blocks=1):
    """Synaptic ops per sample for inputs `x` (batch, steps, m) through
    `kernel` (m, k): ACs if `x` is integer-valued, else MACs.

    Returns `(macs, acs)` per sample.
    """
    x = np.asarray(x, "float64")
    kernel = np.asarray(kernel)
    batch = x.shape[0]
    if weight_sparsity:
        fan_out = np.count_nonzero(kernel, axis=1).astype("float64")  # (m,)
    else:
        fan_out = np.full(kernel.shape[0], float(kernel.shape[1]))
    if is_spiking(x):
        acs = float(np.abs(x).reshape(-1, x.shape[-1]).sum(0) @ fan_out) / batch
        return 0.0, acs
    steps = int(np.prod(x.shape[1:-1]))
    return float(steps * fan_out.sum()), 0.0


def rate(x):
    """Spikes per neuron per step of `(batch, steps, n)` activity."""
    x = np.abs(np.asarray(x, "float64"))
    return float(x.mean())


# --- counters --------------------------------------------------------------
# Each counter: fn(layer, x, ctx) -> (counts, ann_counts, activity). `x` is
# the layer input (NumPy, batch first); `ctx` carries options and what earlier
# layers reported. `ann_counts` are the counts of the iso-architecture ANN
# layer (dense LSTM for LSTM-family layers, GRU/LSTM/RNN for Dampfhoffer cells
# per `ctx["ann"]`); `activity` holds measured spike rates.

import keras  # noqa: E402

from snnzoo.cells.adaptive_lif_cell import AdaptiveLIFCell  # noqa: E402
from snnzoo.cells.adlif_cell import AdLIFCell  # noqa: E402
from snnzoo.cells.cuba_lif_cell import CubaLIFCell  # noqa: E402
from snnzoo.cells.hard_lstm_cell import HardLSTMCell  # noqa: E402
from snnzoo.cells.hybrid_lstm_cell import HybridLSTMCell  # noqa: E402
from snnzoo.cells.leaky_readout_cell import LeakyReadoutCell  # noqa: E402
from snnzoo.cells.lif_cell import LIFCell  # noqa: E402
from snnzoo.cells.spikgru_cell import SpikGRUCell  # noqa: E402
from snnzoo.cells.spiking_lstm_cell import SpikingLSTMCell  # noqa: E402


def dense_lstm(m, n, steps):
    return {"synaptic_macs": steps * (4 * m * n + 4 * n * n),
            "synaptic_acs": 0.0, "neuron_macs": steps * 3 * n,
            "neuron_acs": 0.0}


def dense_gru(m, n, steps):
    return {"synaptic_macs": steps * (3 * m * n + 3 * n * n),
            "synaptic_acs": 0.0, "neuron_macs": steps * 3 * n,
            "neuron_acs": steps * 3 * n}


def dense_rnn(m, n, steps):
    return {"synaptic_macs": steps * (m * n + n * n), "synaptic_acs": 0.0,
            "neuron_macs": 0.0, "neuron_acs": steps * n}


ISO_ANN = {"lstm": dense_lstm, "gru": dense_gru, "rnn": dense_rnn}


def _sequence_outputs(layer, x):
    """Every step's output of `layer` on `x`, as the layer runs: a copy
    rebuilt from its config (so `go_backwards`, `unroll` and every other
    setting is kept) with `return_sequences=True`, sharing its weights."""
    config = dict(layer.get_config(), return_sequences=True, return_state=False,
                  name=f"{layer.name}_counted")
    runner = type(layer).from_config(config)
    runner.build(tuple(x[:1].shape))
    runner.set_weights(layer.get_weights())
    return np.concatenate([np.asarray(runner(x[i:i + 256]))
                           for i in range(0, len(x), 256)])


@register_counter(keras.layers.LSTM)
def _keras_lstm(layer, x, ctx):
    counts = dense_lstm(x.shape[-1], layer.units, x.shape[1])
    return counts, counts, {}


@register_counter(keras.layers.GRU)
def _keras_gru(layer, x, ctx):
    counts = dense_gru(x.shape[-1], layer.units, x.shape[1])
    return counts, counts, {}


@register_counter(keras.layers.SimpleRNN)
def _keras_rnn(layer, x, ctx):
    counts = dense_rnn(x.shape[-1], layer.units, x.shape[1])
    return counts, counts, {}


@register_counter(HardLSTMCell)
def _hard_lstm(layer, x, ctx):
    counts = dense_lstm(x.shape[-1], layer.cell.units, x.shape[1])
    return counts, counts, {}


@register_counter(keras.layers.Dense)
def _dense(layer, x, ctx):
    kernel = np.asarray(layer.kernel)
    macs, acs = synaptic(x, kernel, ctx["weight_sparsity"])
    counts = zero_counts()
    counts.update(synaptic_macs=macs, synaptic_acs=acs)
    steps = int(np.prod(x.shape[1:-1]))
    m_ann = kernel.shape[0]
    t = ctx.get("spike_timesteps")
    if t and m_ann == t * ctx.get("spike_units", -1):
        m_ann //= t  # a head reading T-step spike trains of n units
        steps = max(1, steps)
    ann = zero_counts()
    ann["synaptic_macs"] = float(steps * m_ann * kernel.shape[1])
    activity = {"input_rate": rate(x)} if acs else {}
    return counts, ann, activity


def _spiking_cell(layer, x, ctx, blocks, neuron_macs, neuron_acs):
    """Shared count for LIF-family cells (Dampfhoffer Table 2)."""
    cell = layer.cell
    n, steps = cell.units, x.shape[1]
    s = _sequence_outputs(layer, x)[..., :n]  # spikes (drop membrane)
    macs, acs = synaptic(x, np.asarray(cell.kernel), ctx["weight_sparsity"])
    spikes = float(np.abs(s).sum()) / len(x)
    rec = 0.0
    if cell.recurrent:
        if ctx["weight_sparsity"]:
            fan = np.count_nonzero(np.asarray(cell.recurrent_kernel), axis=1)
            rec = float(np.abs(s).reshape(-1, n).sum(0) @ fan) / len(x)
        else:
            rec = spikes * blocks * n
    counts = {"synaptic_macs": macs, "synaptic_acs": acs + rec,
              "neuron_macs": steps * neuron_macs * n,
              "neuron_acs": steps * neuron_acs * n + spikes}  # + resets
    ann = ISO_ANN[ctx["ann"]](x.shape[-1], n, steps)
    activity = {"input_rate": rate(x) if is_spiking(x) else None,
                "output_rate": rate(s)}
    return counts, ann, activity


@register_counter(LIFCell)
def _lif(layer, x, ctx):
    return _spiking_cell(layer, x, ctx, blocks=1, neuron_macs=1, neuron_acs=1)


@register_counter(CubaLIFCell)
def _cuba(layer, x, ctx):
    return _spiking_cell(layer, x, ctx, blocks=1, neuron_macs=3, neuron_acs=1)


@register_counter(SpikGRUCell)
def _spikgru(layer, x, ctx):
    return _spiking_cell(layer, x, ctx, blocks=2, neuron_macs=3, neuron_acs=2)


@register_counter(AdaptiveLIFCell)
def _alif(layer, x, ctx):
    # alpha*v, (1-alpha)*I, rho*b, beta*b; bias and adaptation adds.
    return _spiking_cell(layer, x, ctx, blocks=1, neuron_macs=4, neuron_acs=2)


@register_counter(AdLIFCell)
def _adlif(layer, x, ctx):
    # beta*w, a*v, alpha*(...), (1-alpha)*(...); b*s (a spike-gated add) and I - w.
    return _spiking_cell(layer, x, ctx, blocks=1, neuron_macs=4, neuron_acs=2)


@register_counter(LeakyReadoutCell)
def _readout(layer, x, ctx):
    cell = layer.cell
    macs, acs = synaptic(x, np.asarray(cell.kernel), ctx["weight_sparsity"])
    steps, n = x.shape[1], cell.units
    counts = {"synaptic_macs": macs, "synaptic_acs": acs,
              "neuron_macs": steps * n, "neuron_acs": steps * n}
    ann = zero_counts()
    ann["synaptic_macs"] = float(steps * x.shape[-1] * n)
    return counts, ann, {"input_rate": rate(x) if is_spiking(x) else None}


def generator_spikes(u, timesteps, initial_membrane):
    """Spikes per value emitted by the ternary generator over T steps."""
    u = np.minimum(np.abs(np.asarray(u, "float64")), 1.0)
    return np.floor(u * timesteps + initial_membrane)


@register_counter(HybridLSTMCell)
def _hybrid(layer, x, ctx):
    from keras import ops

    cell = layer.cell
    n, m, steps, T = cell.units, x.shape[-1], x.shape[1], cell.timesteps
    h = _sequence_outputs(layer, x)
    h_prev = np.concatenate([np.zeros_like(h[:, :1]), h[:, :-1]], axis=1)
    u = np.concatenate([x, h_prev], axis=-1)
    v0 = 0.5 if cell.initial_membrane == "half" else 0.0
    in_spikes = float(generator_spikes(u, T, v0).sum()) / len(x)
    flat = u.reshape(-1, m + n).astype("float32")
    rates = np.concatenate([np.asarray(cell.fc_rates(ops.convert_to_tensor(flat[i:i + 1024])))
                            for i in range(0, len(flat), 1024)])
    out_spikes = float(np.abs(rates * T).sum()) / len(x)
    counts = {
        "synaptic_macs": 0.0,
        "synaptic_acs": in_spikes * 4 * n,
        # c = f*c + i*g, h = o*hard_tanh(c) (3n) and rate = count / T (4n).
        "neuron_macs": steps * 7 * n,
        # generator V += u, membrane drive adds, resets and spike counters.
        "neuron_acs": steps * T * (m + n + 4 * n) + 2 * out_spikes,
    }
    ann = dense_lstm(m, n, steps)
    activity = {"input_rate": in_spikes / (steps * T * (m + n)),
                "output_rate": out_spikes / (steps * T * 4 * n)}
    return counts, ann, activity


@register_counter(SpikingLSTMCell)
def _spiking_lstm(layer, x, ctx):
    cell = layer.cell
    n, steps, T = cell.units, x.shape[1], cell.timesteps
    s = _sequence_outputs(layer, x)  # (B, N, T*n)
    kernel = np.asarray(cell.kernel)
    if cell.input_mode == "analog":
        per = 1 if ctx["direct_macs"] == "once" else T
        macs, acs = per * steps * kernel.shape[0] * kernel.shape[1], 0.0
        m = x.shape[-1]
    else:
        m = x.shape[-1] // T
        spikes_in = x.reshape(len(x), steps * T, m)
        macs, acs = synaptic(spikes_in, kernel, ctx["weight_sparsity"])
    out_spikes = float(np.abs(s).sum()) / len(x)
    lif = 1 if cell.neuron == "lif" else 0
    if cell.schedule == "serial":
        # Per element: mean scaling (4n), gate products (3n); per SNN step
        # the h neuron's leak (LIF). Adds: input + recurrent sums and bias
        # (8n + 4n), c sum (n), per SNN step the membrane (n), resets.
        neuron_macs = steps * 7 * n + steps * T * lif * n
        neuron_acs = steps * 13 * n + steps * T * n + out_spikes
    else:
        # Per SNN step: running mean (4n), gate products (3n), leak (LIF);
        # accumulators (8n), bias (4n), c sum (n), membrane (n), resets.
        neuron_macs = steps * T * (7 + lif) * n
        neuron_acs = steps * T * 14 * n + out_spikes
    counts = {
        "synaptic_macs": float(macs),
        "synaptic_acs": acs + out_spikes * 4 * n,
        "neuron_macs": float(neuron_macs),
        "neuron_acs": float(neuron_acs),
    }
    ctx["spike_timesteps"], ctx["spike_units"] = T, n
    ann = dense_lstm(m, n, steps)
    activity = {"input_rate": rate(x) if is_spiking(x) else None,
                "output_rate": out_spikes / (steps * T * n)}
    return counts, ann, activity
