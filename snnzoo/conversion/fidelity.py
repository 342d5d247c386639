"""How closely a converted model follows its ANN: encoder error, per-gate rate
error and accuracy as functions of the number of SNN steps T."""

from keras import ops
import numpy as np

from snnzoo import plots
from snnzoo.cells.hard_lstm_cell import HardLSTMCell
from snnzoo.cells.hybrid_lstm_cell import HybridLSTMCell
from snnzoo.conversion.convert import convert
from snnzoo.metrics import accuracy
from snnzoo.neurons.encoders import ternary_spike_generator


def encoder_mse(timesteps=(16, 32, 64, 128), num=10**6, initial_membrane=0.0,
                seed=0, chunk=250_000):
    """MSE of representing `num` uniform numbers in [0, 1] by the rate of
    Ponghiran's deterministic generator over T steps.

    Ponghiran & Roy report 1.18e-3 (T=16) and 3.03e-4 (T=32); the generator
    as specified gives 1/(3 T^2) (1.30e-3, 3.26e-4), and
    `initial_membrane=0.5` gives 1/(12 T^2).
    """
    x = np.random.default_rng(seed).uniform(0, 1, num).astype("float32")
    out = {}
    for T in timesteps:
        err = 0.0
        for i in range(0, num, chunk):
            part = x[i:i + chunk]
            rate = np.asarray(
                ternary_spike_generator(part, T, 1.0, initial_membrane)
            ).mean(0)
            err += float(np.sum((rate.astype("float64") - part) ** 2))
        out[T] = err / num
    return out


def gate_rate_error(cell, inputs, hidden, timesteps=(16, 32, 64, 128),
                    initial_membrane="zero"):
    """Mean absolute error between the ANN gates of a `HardLSTMCell` and the
    spike rates of its hybrid SNN, for `u = [inputs, hidden]`.

    Returns:
        `{T: {"i": err, "f": err, "g": err, "o": err}}`.
    """
    if not isinstance(cell, HardLSTMCell):
        raise ValueError(f"Expected a HardLSTMCell; got {type(cell).__name__}.")
    inputs = np.asarray(inputs, "float32")
    hidden = np.asarray(hidden, "float32")
    z = (inputs @ np.asarray(cell.kernel) + hidden @ np.asarray(cell.recurrent_kernel)
         + np.asarray(cell.bias))
    ann = np.concatenate([np.asarray(a) for a in cell.gates(z)], axis=-1)
    ann = np.concatenate(np.split(ann, 4, axis=-1), axis=-1)
    u = np.concatenate([inputs, hidden], axis=-1)
    out = {}
    for T in timesteps:
        hybrid = HybridLSTMCell(cell.units, timesteps=T,
                                initial_membrane=initial_membrane)
        hybrid.build((None, inputs.shape[-1]))
        hybrid.set_weights(cell.get_weights())
        rates = np.asarray(hybrid.fc_rates(ops.convert_to_tensor(u)))
        err = np.abs(rates - ann).mean(0)
        out[T] = {k: float(e.mean()) for k, e in zip("ifgo", np.split(err, 4))}
    return out


def accuracy_vs_timesteps(model, x, y, method, timesteps, calibration_data=None,
                          **options):
    """Convert `model` at each T and measure accuracy on `(x, y)`."""

    return {
        T: accuracy(convert(model, method, T, calibration_data=calibration_data,
                            **options), x, y)
        for T in timesteps
    }


def plot_accuracy_vs_timesteps(curves, ann_accuracy=None, path=None,
                               title="Accuracy vs SNN time steps", ax=None):
    """Plot `{label: {T: accuracy}}` on a log-2 T axis (on `ax`, or a new
    figure); save to `path`. Returns the figure."""

    fig, ax = plots.figure_and_axes(ax, figsize=(6, 4))
    markers, points = "osD^vP*", 0
    for k, (label, curve) in enumerate(curves.items()):
        ts = sorted(curve)
        style = {"ls": "-"} if len(ts) > 1 else {  # lone points: hollow, shrinking, so
            "ls": "none", "fillstyle": "none", "markeredgewidth": 1.5,  # equal ones show
            "markersize": max(4, 12 - 3 * points)}
        points += len(ts) == 1
        ax.plot(ts, [100 * curve[t] for t in ts], marker=markers[k % len(markers)],
                label=label, **style)
    if ann_accuracy is not None:
        ax.axhline(100 * ann_accuracy, color="k", ls="--", label="ANN (HardLSTM)")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("SNN time steps per sequence element (T)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return plots.finish(fig, path)
