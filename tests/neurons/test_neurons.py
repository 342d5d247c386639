import numpy as np
import pytest

from snnzoo import neurons
from tests import reference as ref


def run_if(currents, threshold, bias=0.0, v0=0.0, dual=False):
    fn = neurons.dual_threshold_if if dual else neurons.integrate_and_fire
    v = np.full(currents.shape[1:], v0, "float32")
    out = []
    for cur in currents:
        s, v = fn(v, cur.astype("float32"), threshold=threshold, bias=bias)
        out.append(np.asarray(s))
    return np.stack(out)


def test_if_gate_neuron_fires_every_other_step_at_zero_input():
    # Hard-sigmoid gate: V_th = 4, bias 2, zero input -> rate 1/2.
    s = run_if(np.zeros((10, 1)), threshold=4.0, bias=2.0)
    np.testing.assert_array_equal(s[:, 0], [0, 1] * 5)


def test_if_matches_reference_and_rate_is_hard_sigmoid(rng):
    z = rng.uniform(-3, 3, size=(50,)).astype("float32")
    T = 400
    s = run_if(np.repeat(z[None], T, 0), threshold=4.0, bias=2.0)
    np.testing.assert_array_equal(
        s, ref.if_neuron(np.repeat(z[None], T, 0), 4.0, bias=2.0)
    )
    rate = s.mean(0)
    np.testing.assert_allclose(rate, ref.hard_sigmoid(z), atol=1.0 / T + 1e-6)


def test_dual_threshold_symmetry(rng):
    cur = rng.normal(0, 1.5, size=(30, 20)).astype("float32")
    pos = run_if(cur, 2.0, dual=True)
    neg = run_if(-cur, 2.0, dual=True)
    np.testing.assert_array_equal(pos, -neg)
    assert set(np.unique(pos)) <= {-1.0, 0.0, 1.0}
    np.testing.assert_array_equal(pos, ref.dual_if_neuron(cur, 2.0))


def test_dual_threshold_rate_is_hard_tanh(rng):
    z = rng.uniform(-3, 3, size=(40,)).astype("float32")
    T = 400
    s = run_if(np.repeat(z[None], T, 0), 2.0, dual=True)
    np.testing.assert_allclose(s.mean(0), ref.hard_tanh(z), atol=1.0 / T + 1e-6)


def test_dual_threshold_negative_spike_resets_up():
    # v: -1.5 -> -3.0 fires -1 and resets to -1.0 (subtracting -2).
    s, v = neurons.dual_threshold_if(
        np.float32(-1.5), np.float32(-1.5), threshold=2.0
    )
    assert float(np.asarray(s)) == -1.0
    assert float(np.asarray(v)) == pytest.approx(-1.0)


def test_lif_step_hand_computed():
    # v = 0.9*0.5 + 0.7 - 1*1 = 0.15 -> no spike.
    s, v = neurons.leaky_integrate_and_fire(
        np.float32(0.5), np.float32(1.0), np.float32(0.7), beta=0.9
    )
    assert float(np.asarray(v)) == pytest.approx(0.15)
    assert float(np.asarray(s)) == 0.0
    # v = 0.9*0.5 + 0.6 = 1.05 -> spike.
    s, v = neurons.leaky_integrate_and_fire(
        np.float32(0.5), np.float32(0.0), np.float32(0.6), beta=0.9
    )
    assert float(np.asarray(s)) == 1.0


def simulate_generator(x, T, v0):
    """Step a dual-threshold IF with V += x (float64), sign-matched v0."""
    v = np.sign(x) * v0
    out = []
    for _ in range(T):
        v = v + x
        s = ref.H(v - 1.0) - ref.H(-v - 1.0)
        v = v - s
        out.append(s)
    return np.stack(out)


@pytest.mark.parametrize("v0", [0.0, 0.5])
def test_ternary_generator_equals_stepped_neuron(v0):
    # Values on a binary grid make both computations exact.
    x = (np.arange(-64, 65) / 64.0).astype("float32")
    T = 37
    s = np.asarray(neurons.ternary_spike_generator(x, T, 1.0, v0))
    np.testing.assert_array_equal(s, simulate_generator(x.astype("float64"), T, v0))
    assert s.shape == (T, x.size)


def test_ternary_generator_mse_matches_theory(rng):
    # Uniform inputs in [0, 1]: MSE of count/T is 1/(3 T^2) for the paper's
    # generator (v0 = 0) and 1/(12 T^2) with v0 = V_th / 2.
    x = rng.uniform(0, 1, size=200_000).astype("float32")
    for T in (16, 32):
        rate = np.asarray(neurons.ternary_spike_generator(x, T)).mean(0)
        assert np.mean((rate - x) ** 2) == pytest.approx(1 / (3 * T * T), rel=0.02)
        rate = np.asarray(neurons.ternary_spike_generator(x, T, 1.0, 0.5)).mean(0)
        assert np.mean((rate - x) ** 2) == pytest.approx(1 / (12 * T * T), rel=0.02)


def test_generator_rejects_bad_arguments():
    with pytest.raises(ValueError, match="timesteps"):
        neurons.ternary_spike_generator(np.zeros(3, "float32"), 0)
    with pytest.raises(ValueError, match="initial_membrane"):
        neurons.ternary_spike_generator(np.zeros(3, "float32"), 4, 1.0, 1.0)


def test_bernoulli_is_seeded_and_unbiased():
    x = np.array([0.0, 0.2, -0.5, 0.9], "float32")
    a = np.asarray(neurons.bernoulli_encode(x, 4000, seed=7))
    b = np.asarray(neurons.bernoulli_encode(x, 4000, seed=7))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a.mean(0), x, atol=0.03)
    assert set(np.unique(a)) <= {-1.0, 0.0, 1.0}
    c = np.asarray(neurons.bernoulli_encode(x, 4000, seed=8))
    assert not np.array_equal(a, c)


def test_direct_encoding_repeats():
    x = np.arange(6, dtype="float32").reshape(2, 3)
    d = np.asarray(neurons.direct_encode(x, 3))
    assert d.shape == (3, 2, 3)
    for t in range(3):
        np.testing.assert_array_equal(d[t], x)


def test_mixed_if_layer_equals_its_two_neuron_kinds(rng):
    """A per-neuron `signed` mask (the hybrid LSTM's i, f, g, o layers) runs
    IF and dual-threshold IF neurons side by side exactly."""
    v = rng.uniform(-3, 3, (4, 6)).astype("float32")
    current = rng.uniform(-3, 3, (4, 6)).astype("float32")
    mask = np.array([0, 0, 1, 1, 0, 1], "float32")
    s, v_new = neurons.integrate_and_fire(v, current, 2.0, 0.5, signed=mask)
    s_if, v_if = neurons.integrate_and_fire(v, current, 2.0, 0.5)
    s_dual, v_dual = neurons.dual_threshold_if(v, current, 2.0, 0.5)
    pick = mask.astype(bool)
    np.testing.assert_array_equal(np.asarray(s)[:, pick], np.asarray(s_dual)[:, pick])
    np.testing.assert_array_equal(np.asarray(s)[:, ~pick], np.asarray(s_if)[:, ~pick])
    np.testing.assert_allclose(np.asarray(v_new)[:, pick], np.asarray(v_dual)[:, pick])
    np.testing.assert_allclose(np.asarray(v_new)[:, ~pick], np.asarray(v_if)[:, ~pick])


@pytest.mark.parametrize("ternary", [False, True])
def test_export_tracing_changes_no_value(rng, ternary):
    """`export=True` (what StepGraph passes for TFLite) gives the same spikes."""
    v = rng.uniform(-2, 2, (3, 5)).astype("float32")
    s_prev = (rng.uniform(size=(3, 5)) > 0.5).astype("float32")
    current = rng.uniform(-2, 2, (3, 5)).astype("float32")
    a = neurons.leaky_integrate_and_fire(v, s_prev, current, 0.9, 1.0, "arctan", ternary,
                                         (-4.0, 2.0))
    b = neurons.leaky_integrate_and_fire(v, s_prev, current, 0.9, 1.0, "arctan", ternary,
                                         (-4.0, 2.0), export=True)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))
