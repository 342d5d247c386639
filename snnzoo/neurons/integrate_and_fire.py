"""Integrate-and-fire neurons with reset by subtraction (pure `keras.ops`).

Spike convention everywhere in snnzoo: a neuron fires when its membrane
reaches the threshold, `s = H(v - threshold)` with `H(0) = 1`.
"""

from snnzoo.activations import surrogates


def integrate_and_fire(v, current, threshold=1.0, bias=0.0, surrogate=None):
    """One step of an IF neuron with soft reset (Ponghiran eqs. 2-3).

    `v <- v + current + bias; s = H(v - threshold); v <- v - threshold * s`.

    Args:
        v: membrane potential before the step (its initial value is the
            neuron's initial membrane, e.g. 0 or `threshold / 2`).
        current: synaptic input of this step.
        threshold: firing threshold `V_th` (scalar or per neuron).
        bias: constant input added every step (2 for the hard-sigmoid gate).
        surrogate: surrogate gradient (see `snnzoo.activations.surrogates`).

    Returns:
        `(spikes, v_after_reset)`; spikes are in {0, 1}.
    """
    surrogate = surrogates.get(surrogate)
    v = v + current + bias
    s = surrogate(v - threshold)
    return s, v - threshold * s


def dual_threshold_if(v, current, threshold=1.0, bias=0.0, surrogate=None):
    """One step of the dual-threshold (ternary) IF neuron (Ponghiran §III-A).

    `v <- v + current + bias`; `s = +1` if `v >= threshold`, `-1` if
    `v <= -threshold`, else 0; `v <- v - threshold * s` (so a negative spike
    adds the threshold back). Symmetric: `f(-v, -current) = -f(v, current)`.

    Returns:
        `(spikes, v_after_reset)`; spikes are in {-1, 0, 1}.
    """
    surrogate = surrogates.get(surrogate)
    v = v + current + bias
    s = surrogates.ternary(v - threshold, -threshold - v, surrogate)
    return s, v - threshold * s
