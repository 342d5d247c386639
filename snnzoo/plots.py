"""Plots that say more than numbers: spike rasters and streaming outputs."""

import numpy as np


def spike_raster(spikes, path=None, title="Spike raster", max_neurons=128):
    """Raster of one sample's spikes `(time, neurons)` (signed spikes: red
    for -1). Returns the matplotlib figure; saves it to `path` if given."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    s = np.asarray(spikes)
    if s.ndim != 2:
        raise ValueError(f"spike_raster expects (time, neurons); got shape {s.shape}.")
    s = s[:, :max_neurons]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    t, n = np.nonzero(s > 0)
    ax.scatter(t, n, s=2, c="k", marker="|", label="+1")
    t, n = np.nonzero(s < 0)
    if len(t):
        ax.scatter(t, n, s=2, c="r", marker="|", label="-1")
    rate = float(np.abs(s).mean())
    ax.set(xlabel="time step", ylabel="neuron", title=f"{title} (rate {rate:.3f})",
           xlim=(-0.5, s.shape[0] - 0.5), ylim=(-0.5, s.shape[1] - 0.5))
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=120)
    return fig


def streaming_outputs(outputs, path=None, labels=None, title="Output per frame"):
    """Line plot of per-frame outputs `(time, classes)` of a streamed sequence."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    o = np.asarray(outputs)
    fig, ax = plt.subplots(figsize=(7, 3.5))
    for k in range(o.shape[1]):
        ax.plot(o[:, k], label=labels[k] if labels else str(k), lw=1)
    ax.set(xlabel="frame", ylabel="output", title=title)
    ax.legend(fontsize=6, ncol=4)
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=120)
    return fig
