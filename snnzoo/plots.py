"""Plots that say more than numbers: spike rasters and streaming outputs.

Every plot function draws on `ax` if given (any matplotlib Axes, e.g. in a
notebook figure), else on a new `matplotlib.figure.Figure` that is not
registered with pyplot; it returns the figure and saves it to `path` if
given. Nothing here selects a matplotlib backend or touches pyplot's state.
"""

import numpy as np


def figure_and_axes(ax=None, figsize=(7, 3.5)):
    """`(figure, axes)`: `ax` and its figure, or a new pyplot-free figure."""
    if ax is not None:
        return ax.figure, ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    return fig, fig.subplots()


def finish(fig, path=None, dpi=120):
    """Tight layout, and save to `path` if given; returns `fig`."""
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=dpi)
    return fig


def spike_raster(spikes, path=None, title="Spike raster", max_neurons=128, ax=None):
    """Raster of one sample's spikes `(time, neurons)` (signed spikes: red
    for -1). Returns the matplotlib figure; saves it to `path` if given."""
    s = np.asarray(spikes)
    if s.ndim != 2:
        raise ValueError(f"`spikes` must be (time, neurons); got shape {s.shape}.")
    s = s[:, :max_neurons]
    fig, ax = figure_and_axes(ax)
    t, n = np.nonzero(s > 0)
    ax.scatter(t, n, s=2, c="k", marker="|", label="+1")
    t, n = np.nonzero(s < 0)
    if len(t):
        ax.scatter(t, n, s=2, c="r", marker="|", label="-1")
    rate = float(np.abs(s).mean())
    ax.set(xlabel="time step", ylabel="neuron", title=f"{title} (rate {rate:.3f})",
           xlim=(-0.5, s.shape[0] - 0.5), ylim=(-0.5, s.shape[1] - 0.5))
    return finish(fig, path)


def streaming_outputs(outputs, path=None, labels=None, title="Output per frame", ax=None):
    """Line plot of per-frame outputs `(time, classes)` of a streamed sequence."""
    o = np.asarray(outputs)
    fig, ax = figure_and_axes(ax)
    for k in range(o.shape[1]):
        ax.plot(o[:, k], label=labels[k] if labels else str(k), lw=1)
    ax.set(xlabel="frame", ylabel="output", title=title)
    ax.legend(fontsize=6, ncol=4)
    return finish(fig, path)


def det_curves(curves, path=None, title="DET: miss rate against false alarms per hour",
               ax=None):
    """Miss rate against false alarms per hour (log x) for `{name: [(threshold,
    fa_per_hour, miss_rate)]}`, the 1 FA/h line marked."""
    fig, ax = figure_and_axes(ax, (6, 4))
    for name, curve in curves.items():
        pts = sorted((max(fa, 1e-2), miss) for _, fa, miss in curve)
        ax.step([p[0] for p in pts], [100 * p[1] for p in pts], where="post", label=name)
    ax.axvline(1.0, color="grey", lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_xlabel("false alarms per hour (0 drawn at 0.01)")
    ax.set_ylabel("miss rate (%)")
    ax.set_title(title)
    ax.legend(fontsize=7)
    return finish(fig, path)


def state_maxima(traces, minutes_per_point=1.0, path=None,
                 title="max |state| per layer over the stream", ax=None):
    """`{name: (minutes (n,), maxima (n, states), state names)}` as lines."""
    fig, ax = figure_and_axes(ax, (7, 4))
    for name, (minutes, maxima, names) in traces.items():
        maxima = np.asarray(maxima)
        for k, state in enumerate(names):
            ax.plot(minutes, maxima[:, k], lw=1, label=f"{name} {state}")
    ax.set_xlabel(f"stream time (min; max over each {minutes_per_point:g} min)")
    ax.set_ylabel("max |state| (dequantized)")
    ax.set_yscale("log")
    ax.set_title(title)
    ax.legend(fontsize=6, ncol=2)
    return finish(fig, path)
