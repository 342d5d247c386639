"""snnzoo's discrete-time neuron parameters <-> NIR's continuous-time ones.

NIR states its neurons as ODEs. Every NIR simulator that runs in discrete
time (snnTorch, Norse, nirtorch, Lava-DL) steps them with forward Euler at a
step `dt`:

    LI / LIF:  v_t = v_{t-1} + dt/tau * (v_leak - v_{t-1} + r * I_t)
                   = (1 - dt/tau) * v_{t-1} + (dt/tau) * r * I_t + (dt/tau) * v_leak
    CubaLIF:   I_t = (1 - dt/tau_syn) * I_{t-1} + (dt/tau_syn) * w_in * S_t
               v_t = (1 - dt/tau_mem) * v_{t-1} + (dt/tau_mem) * r * I_t + ...

snnzoo's cells are already discrete: `v_t = beta * v_{t-1} + c_t` (LIF,
leaky readout) and `i_t = alpha * i_{t-1} + c_t`, `v_t = beta * v_{t-1} +
(1 - beta) * i_t` (Cuba-LIF). Matching the two term by term:

    beta = 1 - dt/tau,   so  tau = dt / (1 - beta)
    the input gain (dt/tau) * r must be 1 for LIF/LI:  r = tau / dt
    Cuba-LIF: (dt/tau_syn) * w_in = 1:  w_in = tau_syn / dt, and r = 1
              (the (1 - beta) of snnzoo's membrane equation is NIR's dt/tau_mem)

`gain` of a NIR neuron is what multiplies its input in the discrete update;
the reader folds any gain other than 1 into the incoming weights, so graphs
from other tools (snnTorch writes Cuba-LIF with r = tau_mem/dt) load too.

A neuron without leak (beta = 1 after snnzoo's clip to [0, 1]) would need
tau = inf and r = inf. It is written with tau = 2**26 * dt instead:
1 - dt/tau = 1 - 2**-26 rounds to 1.0 in float32, and r * dt / tau is
exactly 1, so float32 simulators reproduce it exactly.

All arithmetic here is float64; weights and leaks are cast back to float32
at the end, so a round trip returns the same float32 numbers.
"""

import numpy as np

#: tau of a neuron without leak, in steps (see the module docstring).
NO_LEAK_STEPS = 2.0 ** 26


def tau_from_leak(leak, dt):
    """NIR time constant of a discrete leak (beta or alpha), clipped to [0, 1]."""
    leak = np.clip(np.asarray(leak, dtype=np.float64), 0.0, 1.0)
    one_minus = 1.0 - leak
    no_leak = one_minus <= 0.0
    return np.where(no_leak, NO_LEAK_STEPS * dt, dt / np.where(no_leak, 1.0, one_minus))


def leak_from_tau(tau, dt, name="tau"):
    """Discrete leak `clip(1 - dt/tau, 0, 1)` of a NIR time constant, float64.

    A time constant below `dt` gives a negative leak: it is clipped to 0
    (the state forgets within one step), as snnzoo and snnTorch clip their
    leaks when they run. A negative time constant (a leak above 1, a state
    that grows by itself) is refused, as are zero and non-finite ones:
    snnTorch writes `tau = dt / (1 - beta)`, negative for a learned
    beta > 1, a network that diverged."""
    tau = np.asarray(tau, dtype=np.float64)
    if not np.all(np.isfinite(tau)) or not np.all(tau > 0):
        raise ValueError(f"`{name}`: expected finite, positive time constants (a leak in "
                         f"[0, 1]); got values in [{np.nanmin(tau):g}, {np.nanmax(tau):g}]"
                         + (" (a negative tau is a leak above 1)" if np.any(tau < 0) else "")
                         + ".")
    return np.clip(1.0 - dt / tau, 0.0, 1.0)


def lif_parameters(beta, dt):
    """`(tau, r)` of an LIF/LI neuron with discrete leak `beta` and gain 1."""
    tau = tau_from_leak(beta, dt)
    return tau, tau / dt


def cuba_parameters(alpha, beta, dt):
    """`(tau_syn, tau_mem, w_in)` of snnzoo's Cuba-LIF with gain 1 (r = 1)."""
    tau_syn = tau_from_leak(alpha, dt)
    return tau_syn, tau_from_leak(beta, dt), tau_syn / dt


def euler_gain(tau, r, dt):
    """What multiplies a LIF/LI input in the discrete update: `dt/tau * r`."""
    return dt / np.asarray(tau, np.float64) * np.asarray(r, np.float64)


def cuba_gain(tau_syn, tau_mem, r, w_in, beta, dt):
    """Gain of a NIR CubaLIF input relative to snnzoo's Cuba-LIF current.

    NIR: `I_t = alpha I + g_syn S` with `g_syn = (dt/tau_syn) w_in`, and
    `v_t = beta v + g_mem I_t` with `g_mem = (dt/tau_mem) r`. snnzoo:
    `v_t = beta v + (1 - beta) i_t`, so `i = g_mem / (1 - beta) * I` and
    `i_t = alpha i + g_syn g_mem / (1 - beta) S`. `beta` is the cell's
    float32 leak (`membrane_leak`), so the factor is the one the cell uses.
    """
    g_syn = dt / np.asarray(tau_syn, np.float64) * np.asarray(w_in, np.float64)
    g_mem = dt / np.asarray(tau_mem, np.float64) * np.asarray(r, np.float64)
    one_minus = 1.0 - np.asarray(beta, np.float32).astype(np.float64)
    return g_syn * g_mem / one_minus


def membrane_leak(beta):
    """A Cuba-LIF membrane leak for snnzoo: at most `1 - 2**-24`, since at
    beta = 1 snnzoo's `(1 - beta) * i` would cut the input off, while NIR's
    (and snnTorch's) membrane still integrates it. `1 - 2**-24` is the
    largest float32 below 1; its input gain `2**24` is folded into the
    weights exactly (a power of two)."""
    return np.minimum(np.asarray(beta, np.float64), 1.0 - 2.0 ** -24)


def is_one(x, rtol=1e-9):
    """Whether every entry of `x` is 1 up to float64 round-off."""
    return bool(np.all(np.abs(np.asarray(x, np.float64) - 1.0) <= rtol))
