"""Leaky integrate-and-fire dynamics of Dampfhoffer et al. (2022), eqs. (1)-(5).

The one home of the LIF-family update: `LIFCell`, `CubaLIFCell`,
`SpikGRUCell` and `AdaptiveLIFCell` all step their membranes with
`leaky_integrate_and_fire` (and their synaptic currents with
`synaptic_current`); the cells only form the inputs and leaks.
"""

from keras import ops

from snnzoo.activations import surrogates


def leaky_integrate_and_fire(v, s_prev, current, beta, threshold=1.0, surrogate=None,
                             ternary=False, membrane_clip=None, export=False,
                             reset="subtract"):
    """One LIF step with reset by subtraction on the step after a spike.

    `v_t = clip(beta * v_{t-1} + current_t - threshold * s_{t-1})`,
    `s_t = H(v_t - threshold)` (ternary: `H(v - th) - H(-v - th)`).

    The reset uses the previous step's spike, and the leak acts on the
    un-reset potential, exactly as in the paper's equation (not
    `beta * (v - threshold * s)`).

    `reset="zero"` is the reset of NIR's LIF (and of snnTorch's
    `reset_mechanism="zero"`): a neuron that spiked restarts from 0,
    `v_t = clip(beta * (1 - s_{t-1}) * v_{t-1} + current_t)`. `v` is still
    stored un-reset, so the states keep their meaning.

    Args:
        v: membrane potential `v_{t-1}` (as stored, before any reset).
        s_prev: spikes `s_{t-1}`.
        current: input of this step (`W x + U s_{t-1} + b` for LIF,
            `(1 - beta) * i_t` for Cuba-LIF, `(1 - z) * i_t` for SpikGRU).
        beta: leak in [0, 1] (scalar or per neuron; SpikGRU: the gate z).
        threshold: `v_th` (scalar, or a tensor for adaptive thresholds).
        surrogate: surrogate gradient (alias, config or instance).
        ternary: emit signed spikes.
        membrane_clip: None or `(low, high)` bounds of `v_t`.
        export: trace for an int8 TFLite graph (bare step, no gradient).
        reset: "subtract" (default) or "zero" (binary spikes only).

    Returns:
        `(s_t, v_t)`.
    """
    if reset == "zero":
        v = beta * (v - v * s_prev) + current
    else:
        v = beta * v + current - threshold * s_prev
    v = clip_optional(v, membrane_clip)
    return spike(v, threshold, surrogate, ternary, export), v


def synaptic_current(i, current, alpha, current_clip=None):
    """`i_t = clip(alpha * i_{t-1} + current_t)` (Dampfhoffer eq. 3).

    Args:
        i: the current of the previous step.
        current: the input of this step.
        alpha: the current's leak (a scalar or per neuron).
        current_clip: None, or `(low, high)`.

    Returns:
        The new current.
    """
    return clip_optional(alpha * i + current, current_clip)


def spike(v, threshold, surrogate=None, ternary=False, export=False):
    """`H(v - threshold)`, or `H(v - th) - H(-v - th)` when `ternary`.

    Args:
        v: membrane potential.
        threshold: `v_th` (a scalar or per neuron).
        surrogate: a `Surrogate`, or None for the exact step.
        ternary: emit signed spikes in {-1, 0, 1}.
        export: write the export-friendly step (see `heaviside`).

    Returns:
        The spikes, shaped as `v`.
    """
    surrogate = surrogates.get(surrogate)
    if ternary:
        # -threshold - v rather than -(v + threshold): no NEG op (int8).
        return surrogates.ternary(v - threshold, -threshold - v, surrogate, export)
    return surrogate(v - threshold, export)


def clip_optional(x, bounds):
    """Clip `x` to `bounds` = `None`, a float `c` (-> [-c, c]) or `(lo, hi)`."""
    if bounds is None:
        return x
    lo, hi = bounds
    return ops.clip(x, lo, hi)


def normalize_bounds(bounds, name):
    """Validate a clip argument; returns `None` or a `(lo, hi)` tuple."""
    if bounds is None:
        return None
    if isinstance(bounds, (int, float)):
        if bounds <= 0:
            raise ValueError(f"`{name}` must be > 0 when a number; got {bounds}.")
        return (-float(bounds), float(bounds))
    try:
        lo, hi = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise ValueError(
            f"`{name}` must be None, a positive number or a (low, high) "
            f"pair; got {bounds!r}."
        ) from None
    if not lo < hi:
        raise ValueError(f"`{name}` needs low < high; got {bounds!r}.")
    return (lo, hi)
