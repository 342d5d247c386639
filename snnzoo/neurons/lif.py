"""Leaky integrate-and-fire dynamics of Dampfhoffer et al. (2022), eqs. (1)-(2)."""

from keras import ops

from snnzoo.activations import surrogates


def leaky_integrate_and_fire(
    v, s_prev, current, beta, threshold=1.0, surrogate=None, ternary=False
):
    """One LIF step with reset by subtraction on the step after a spike.

    `v_t = beta * v_{t-1} + current_t - threshold * s_{t-1}`,
    `s_t = H(v_t - threshold)` (ternary: `H(v - th) - H(-v - th)`).

    The reset uses the previous step's spike, and the leak acts on the
    un-reset potential, exactly as in the paper's equation (not
    `beta * (v - threshold * s)`).

    Args:
        v: membrane potential `v_{t-1}` (as stored, before any reset).
        s_prev: spikes `s_{t-1}`.
        current: input current of this step (`W x + U s_{t-1} + b`).
        beta: leak in [0, 1] (scalar or per neuron).
        threshold: `v_th`.
        surrogate: surrogate gradient.
        ternary: emit signed spikes.

    Returns:
        `(s_t, v_t)`.
    """
    surrogate = surrogates.get(surrogate)
    v = beta * v + current - threshold * s_prev
    return spike(v, threshold, surrogate, ternary), v


def spike(v, threshold, surrogate, ternary=False):
    """`H(v - threshold)`, or `H(v - th) - H(-v - th)` when `ternary`."""
    if ternary:
        return surrogates.ternary(v - threshold, -threshold - v, surrogate)  # no NEG op (int8)
    return surrogate(v - threshold)


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
