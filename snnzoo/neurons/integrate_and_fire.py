"""Integrate-and-fire neurons with reset by subtraction (pure `keras.ops`).

Spike convention everywhere in snnzoo: a neuron fires when its membrane
reaches the threshold, `s = H(v - threshold)` with `H(0) = 1`.

These are the dynamics the hybrid LSTM's SNN layers run
(`snnzoo.cells.HybridLSTMCell`); every function takes `export`, which
traces the spike as an int8-friendly select for TFLite graphs (identical
values, no gradient path).
"""

from snnzoo.activations import surrogates


def fire(x, surrogate=None, export=False):
    """`H(x)`: with `surrogate`'s gradient, or the exact step (no gradient)
    when `surrogate` is None or the graph is traced for export.

    Args:
        x: a tensor (membrane minus threshold).
        surrogate: a `Surrogate`, or None.
        export: write the export-friendly step (see `heaviside`).

    Returns:
        A tensor of 0s and 1s, shaped as `x`.
    """
    if surrogate is None or export:
        return surrogates.heaviside(x, export)
    return surrogates.get(surrogate)(x)


def integrate_and_fire(v, current, threshold=1.0, bias=None, surrogate=None,
                       signed=False, export=False):
    """One step of an IF neuron with soft reset (Ponghiran eqs. 2-3).

    `v <- v + current + bias; s = H(v - threshold); v <- v - threshold * s`.
    With `signed`, the neuron is the dual-threshold (ternary) IF of
    Ponghiran §III-A: it also emits `-1` when `v <= -threshold`.

    Args:
        v: membrane potential before the step (its initial value is the
            neuron's initial membrane, e.g. 0 or `threshold / 2`).
        current: synaptic input of this step.
        threshold: firing threshold `V_th` (scalar or per neuron).
        bias: None, or a constant input added every step (2 for the
            hard-sigmoid gate).
        surrogate: surrogate gradient (see `snnzoo.activations.surrogates`);
            None: the exact step, no gradient.
        signed: False (spikes in {0, 1}), True (dual threshold, {-1, 0, 1}),
            or a per-neuron 0/1 mask mixing both kinds in one layer.
        export: trace for an int8 TFLite graph.

    Returns:
        `(spikes, v_after_reset)`.
    """
    v = v + current
    if bias is not None:
        v = v + bias
    s = fire(v - threshold, surrogate, export)
    if signed is not False:
        negative = fire(-threshold - v, surrogate, export)
        s = s - (negative if signed is True else negative * signed)
    return s, v - threshold * s


def dual_threshold_if(v, current, threshold=1.0, bias=None, surrogate=None, export=False):
    """One step of the dual-threshold (ternary) IF neuron (Ponghiran §III-A).

    `v <- v + current + bias`; `s = +1` if `v >= threshold`, `-1` if
    `v <= -threshold`, else 0; `v <- v - threshold * s` (so a negative spike
    adds the threshold back). Symmetric: `f(-v, -current) = -f(v, current)`.

    Args:
        v: membrane potential before the step.
        current: input current of the step.
        threshold: `V_th` (a scalar or per neuron).
        bias: optional constant current added every step.
        surrogate: gradient of the spike (None: no gradient).
        export: write the export-friendly step (see `heaviside`).

    Returns:
        `(spikes, v_after_reset)`; spikes are in {-1, 0, 1}.
    """
    return integrate_and_fire(v, current, threshold, bias, surrogate, True, export)
