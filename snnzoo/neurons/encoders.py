"""Spike encoders: deterministic ternary generator, Bernoulli (Poisson) and direct.

All encoders map a tensor `x` to `timesteps` frames stacked on a new leading
axis: output shape `(timesteps,) + x.shape`.
"""

import keras
from keras import ops


def ternary_spike_generator(x, timesteps, threshold=1.0, initial_membrane=0.0):
    """Ponghiran's deterministic spike generator over `timesteps` steps.

    A dual-threshold IF neuron with `V += x` each step, threshold `V_th`
    (1 in the paper) and soft reset emits +1 / -1 spikes whose rate is
    `x / V_th`. For a constant input the spike count after `t` steps has the
    closed form `N_t = sign(x) * floor((t * |x| + v0) / V_th)`, which this
    function evaluates for all `t` at once (identical to stepping the neuron;
    see the tests). `x` is clipped to `[-V_th, V_th]`, the range the
    generator can represent (inputs are normalized to [-1, 1]).

    Args:
        x: tensor of analog values.
        timesteps: int, number of SNN steps T.
        threshold: `V_th`.
        initial_membrane: magnitude of the initial potential `v0`, applied
            with the sign of `x`. 0 reproduces the paper (rate = floor);
            `threshold / 2` rounds to nearest, which quarters the mean squared
            rate error (1/(12 T^2) instead of 1/(3 T^2) for uniform inputs).

    Returns:
        Spikes in {-1, 0, 1}, shape `(timesteps,) + x.shape`, dtype of `x`.
    """
    timesteps = check_timesteps(timesteps)
    initial_membrane = check_initial_membrane(initial_membrane, threshold)
    x = ops.convert_to_tensor(x)
    dtype = x.dtype
    x = ops.clip(x, -threshold, threshold)
    magnitude = ops.abs(x)
    sign = ops.sign(x)
    t = ops.arange(0, timesteps + 1, dtype=dtype)
    t = ops.reshape(t, (timesteps + 1,) + (1,) * len(x.shape))
    counts = ops.floor((t * magnitude + initial_membrane) / threshold)
    # 0 <= v0 < V_th, so counts[0] == 0 and the first difference is step 1.
    counts = sign * counts
    return ops.cast(counts[1:] - counts[:-1], dtype)


def bernoulli_encode(x, timesteps, seed=None):
    """Rate (Bernoulli / discrete Poisson) encoding, signed.

    Each step emits `sign(x)` with probability `min(|x|, 1)`.

    Args:
        x: tensor of analog values (probabilities for non-negative inputs).
        timesteps: int.
        seed: int, `keras.random.SeedGenerator` or None. Identical seeds give
            identical spike trains.

    Returns:
        Spikes in {-1, 0, 1} of shape `(timesteps,) + x.shape`.
    """
    timesteps = check_timesteps(timesteps)
    x = ops.convert_to_tensor(x)
    shape = (timesteps,) + tuple(ops.shape(x))
    u = keras.random.uniform(shape, dtype=x.dtype, seed=seed)
    p = ops.minimum(ops.abs(x), 1.0)
    fired = ops.cast(ops.less(u, p[None]), x.dtype)
    return fired * ops.sign(x)[None]


def direct_encode(x, timesteps):
    """Direct (analog) encoding: the same values at every step.

    Args:
        x: a tensor.
        timesteps: T, the number of steps.

    Returns:
        `x` repeated along a new leading time axis: `(T, *x.shape)`.
    """
    timesteps = check_timesteps(timesteps)
    x = ops.convert_to_tensor(x)
    return ops.repeat(x[None], timesteps, axis=0)


def check_timesteps(timesteps):
    if isinstance(timesteps, bool) or not isinstance(timesteps, int):
        raise ValueError(f"`timesteps` must be a positive int; got {timesteps!r}.")
    if timesteps < 1:
        raise ValueError(f"`timesteps` must be >= 1; got {timesteps}.")
    return timesteps


def check_initial_membrane(initial_membrane, threshold):
    """`0 <= v0 < threshold`, or raise a ValueError that says so."""
    if not 0.0 <= float(initial_membrane) < float(threshold):
        raise ValueError(
            "`initial_membrane` must lie in [0, threshold); got "
            f"{initial_membrane} with threshold {threshold}."
        )
    return float(initial_membrane)
