"""Every cell against a NumPy reference of its paper's equations."""

import keras
import numpy as np
import pytest

from snnzoo import cells
from snnzoo import layers
from snnzoo import testing
from tests import reference as ref

B, T, M, N = 3, 40, 6, 5


def spike_input(rng):
    return (rng.uniform(size=(B, T, M)) < 0.4).astype("float32")


def weights(rng, gates=1, scale=0.8):
    return {
        "kernel": rng.uniform(-scale, scale, (M, gates * N)),
        "recurrent_kernel": rng.uniform(-scale, scale, (N, gates * N)),
        "bias": rng.uniform(-0.2, 0.4, (gates * N,)),
    }


def run(cell, x, w, fast=True):
    cls = layers.SpikingRNN if fast else keras.layers.RNN
    layer = cls(cell, return_sequences=True, return_state=True)
    layer.build(x.shape)
    testing.set_weights_by_name(layer, w)
    out = layer(x)
    return np.asarray(out[0]), [np.asarray(s) for s in out[1:]]


@pytest.fixture(params=[True, False], ids=["SpikingRNN", "keras.RNN"])
def fast(request):
    return request.param


def check_spikes(out, expected):
    # Spikes are exact; a threshold tie would show up as a mismatch.
    np.testing.assert_array_equal(out, expected)
    assert out.sum() > 0, "test is vacuous: no spikes"
    assert out.sum() < out.size * 0.9, "test is vacuous: saturated"


@pytest.mark.parametrize("ternary", [False, True])
def test_lif(rng, fast, ternary):
    x = spike_input(rng)
    w = weights(rng)
    w["beta"] = np.array([0.9, 0.5, -0.3, 1.4, 0.0])  # clip -> [0, 1]
    cell = cells.LIFCell(N, ternary=ternary)
    out, states = run(cell, x, w, fast)
    exp, v = ref.lif(x, w["kernel"], w["recurrent_kernel"], w["bias"],
                     w["beta"], ternary=ternary)
    check_spikes(out, exp)
    np.testing.assert_allclose(states[0], v, atol=1e-5)
    if ternary:
        assert (out < 0).any()


def test_lif_membrane_clip_and_return_membrane(rng, fast):
    x = spike_input(rng)
    w = weights(rng, scale=1.5)
    w["beta"] = np.full(N, 0.95)
    cell = cells.LIFCell(N, membrane_clip=(-0.5, 1.2), return_membrane=True)
    out, _ = run(cell, x, w, fast)
    assert out.shape == (B, T, 2 * N)
    exp_s, _ = ref.lif(x, w["kernel"], w["recurrent_kernel"], w["bias"],
                       w["beta"], vclip=(-0.5, 1.2))
    check_spikes(out[..., :N], exp_s)
    assert out[..., N:].min() >= -0.5 - 1e-6 and out[..., N:].max() <= 1.2 + 1e-6


def test_feedforward_lif_has_no_recurrent_kernel(rng):
    cell = cells.LIFCell(N, recurrent=False)
    layer = layers.SpikingRNN(cell, return_sequences=True)
    x = spike_input(rng)
    layer.build(x.shape)
    assert sorted(v.name for v in layer.weights) == ["beta", "bias", "kernel"]
    w = weights(rng)
    w.pop("recurrent_kernel")
    w["beta"] = np.full(N, 0.8)
    testing.set_weights_by_name(layer, w)
    exp, _ = ref.lif(x, w["kernel"], np.zeros((N, N)), w["bias"], w["beta"])
    check_spikes(np.asarray(layer(x)), exp)


@pytest.mark.parametrize("ternary", [False, True])
def test_cuba_lif(rng, fast, ternary):
    x = spike_input(rng)
    w = weights(rng, scale=1.5)
    w["alpha"] = np.array([0.9, 0.2, 1.3, -0.1, 0.7])
    w["beta"] = np.array([0.9, 0.6, 0.3, 1.1, 0.5])
    cell = cells.CubaLIFCell(N, ternary=ternary, current_clip=3.0,
                             membrane_clip=(-2.0, 2.0))
    out, states = run(cell, x, w, fast)
    exp, v = ref.cuba_lif(x, w["kernel"], w["recurrent_kernel"], w["bias"],
                          w["alpha"], w["beta"], ternary=ternary,
                          iclip=(-3.0, 3.0), vclip=(-2.0, 2.0))
    check_spikes(out, exp)
    np.testing.assert_allclose(states[1], v, atol=1e-5)


@pytest.mark.parametrize("ternary", [False, True])
def test_spikgru(rng, fast, ternary):
    x = spike_input(rng)
    w = weights(rng, gates=2, scale=1.5)
    w["alpha"] = np.array([0.9, 0.2, 1.3, -0.1, 0.7])
    cell = cells.SpikGRUCell(N, ternary=ternary)
    out, states = run(cell, x, w, fast)
    exp, v = ref.spikgru(x, w["kernel"], w["recurrent_kernel"], w["bias"],
                         w["alpha"], ternary=ternary)
    check_spikes(out, exp)
    np.testing.assert_allclose(states[1], v, atol=1e-5)


def test_adaptive_lif(rng, fast):
    x = spike_input(rng)
    w = weights(rng, scale=3.0)
    w["tau_membrane"] = np.array([2.0, 5.0, 20.0, 3.0, 8.0])
    w["tau_adaptation"] = np.array([10.0, 50.0, 200.0, 30.0, 5.0])
    cell = cells.AdaptiveLIFCell(N)
    out, states = run(cell, x, w, fast)
    exp, v = ref.adaptive_lif(x, w["kernel"], w["recurrent_kernel"], w["bias"],
                              w["tau_membrane"], w["tau_adaptation"])
    check_spikes(out, exp)
    np.testing.assert_allclose(states[0], v, atol=1e-5)


def test_leaky_readout(rng, fast):
    x = rng.normal(size=(B, T, M)).astype("float32")
    w = {"kernel": rng.normal(size=(M, N)), "bias": rng.normal(size=(N,)),
         "beta": np.array([0.9, 0.5, 1.2, -0.2, 0.99])}
    out, _ = run(cells.LeakyReadoutCell(N), x, w, fast)
    exp, _ = ref.leaky_readout(x, w["kernel"], w["bias"], w["beta"])
    np.testing.assert_allclose(out, exp, atol=1e-4, rtol=1e-5)


@pytest.mark.parametrize("cell_clip", [None, 1.0])
def test_hard_lstm(rng, fast, cell_clip):
    x = rng.uniform(-1, 1, size=(B, T, M)).astype("float32")
    w = {"kernel": rng.normal(0, 1.5, (M, 4 * N)),
         "recurrent_kernel": rng.normal(0, 1.5, (N, 4 * N)),
         "bias": rng.normal(0, 1, (4 * N,))}
    out, (h, c) = run(cells.HardLSTMCell(N, cell_clip=cell_clip), x, w, fast)
    exp, (eh, ec) = ref.hard_lstm(x, w["kernel"], w["recurrent_kernel"],
                                  w["bias"], cell_clip=cell_clip)
    np.testing.assert_allclose(out, exp, atol=1e-5)
    np.testing.assert_allclose(c, ec, atol=1e-5)
    if cell_clip:
        assert np.abs(c).max() <= cell_clip + 1e-6


def test_hard_lstm_init_and_weight_clip():
    cell = cells.HardLSTMCell(4, weight_clip=1.0)
    layer = keras.layers.RNN(cell)
    layer.build((None, 3, 2))
    b = np.asarray(cell.bias)
    np.testing.assert_array_equal(b, [0] * 4 + [1] * 4 + [0] * 8)
    assert cell.kernel.shape == (2, 16) and cell.recurrent_kernel.shape == (4, 16)
    cell.kernel.assign(np.full((2, 16), 5.0, "float32"))
    clipped = cell.kernel_constraint(cell.kernel)
    assert float(np.max(np.asarray(clipped))) == 1.0


def test_go_backwards_matches_generic_loop(rng):
    x = spike_input(rng)
    w = weights(rng, scale=1.5)
    w["alpha"] = np.full(N, 0.8)
    w["beta"] = np.full(N, 0.7)
    outs = []
    for cls in (layers.SpikingRNN, keras.layers.RNN):
        layer = cls(cells.CubaLIFCell(N), return_sequences=True,
                    go_backwards=True)
        layer.build(x.shape)
        testing.set_weights_by_name(layer, w)
        outs.append(np.asarray(layer(x)))
    np.testing.assert_array_equal(outs[0], outs[1])


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="units"):
        cells.LIFCell(0)
    with pytest.raises(ValueError, match="threshold"):
        cells.CubaLIFCell(3, threshold=-1)
    with pytest.raises(ValueError, match="membrane_clip"):
        cells.LIFCell(3, membrane_clip=(1.0, -1.0))
    with pytest.raises(ValueError, match="Unknown surrogate"):
        cells.SpikGRUCell(3, surrogate="sigmoidish")


@pytest.mark.parametrize("cell", [cells.LIFCell, cells.AdaptiveLIFCell])
def test_an_option_the_cell_ignores_raises(cell):
    with pytest.raises(ValueError, match=rf"current_clip.*{cell.__name__} has none"):
        cell(3, current_clip=2.0)
    assert cells.CubaLIFCell(3, current_clip=2.0).current_clip == (-2.0, 2.0)


@pytest.mark.parametrize("make", [
    lambda: cells.LIFCell(5, ternary=True, membrane_clip=(-4.0, 2.0)),
    lambda: cells.CubaLIFCell(5, current_clip=3.0),
    lambda: cells.SpikGRUCell(5),
    lambda: cells.AdaptiveLIFCell(5),
    lambda: cells.HybridLSTMCell(5, timesteps=8),
    lambda: cells.SpikingLSTMCell(5, timesteps=2),
])
def test_export_call_argument_gives_identical_steps(rng, make):
    """The explicit export mode (a call argument, no global) only changes
    how spikes are traced, never a value."""
    cell = make()
    x = rng.uniform(-1, 1, (3, 4)).astype("float32")
    cell.build((None, 4))
    states = [rng.uniform(-1, 1, (3, n)).astype("float32") for n in cell.state_size]
    out_a, new_a = cell(x, states)
    out_b, new_b = cell(x, states, export=True)
    np.testing.assert_array_equal(np.asarray(out_a), np.asarray(out_b))
    for a, b in zip(new_a, new_b):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_surrogate_gradient_reaches_weights_and_time_constants(rng):
    x = spike_input(rng)
    cell = cells.CubaLIFCell(N, surrogate="fast_sigmoid")
    model = keras.Sequential([keras.Input((T, M)),
                              layers.SpikingRNN(cell, return_sequences=True),
                              layers.TimeReduce("mean")])
    w = weights(rng, scale=1.5)
    testing.set_weights_by_name(model.layers[0], w)
    variables = model.trainable_variables
    names = [v.name for v in variables]
    assert names == ["kernel", "recurrent_kernel", "bias", "alpha", "beta"]
    grads = _grads(model, x, variables)
    for name, g in zip(names, grads):
        assert np.isfinite(g).all() and np.abs(g).sum() > 0, name


def _grads(model, x, variables):
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(model(x))
        return [g.numpy() for g in tape.gradient(loss, variables)]
    import jax

    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]

    def f(tv):
        y, _ = model.stateless_call(tv, non_trainable, x)
        return y.sum()

    return [np.asarray(g) for g in jax.grad(f)(trainable)]


def test_spiking_lstm_export_recurrent_drive_sums_the_same_spikes():
    """The export form multiplies the spike vector by U stacked T times (no
    int8 SUM, see `SpikingLSTMCell.recurrent_drive`); it is the same mean of
    the T spike frames times U, by hand for T = 3."""
    cell = cells.SpikingLSTMCell(4, timesteps=3)
    cell.build((None, 6))
    u = np.arange(4 * 16, dtype="float32").reshape(4, 16) / 50.0 - 0.6
    cell.recurrent_kernel.assign(u)
    spikes = (np.random.default_rng(0).random((5, 3 * 4)) < 0.4).astype("float32")
    expected = spikes.reshape(5, 3, 4).sum(axis=1) @ u / 3.0
    for export in (False, True, "int8"):
        got = keras.ops.convert_to_numpy(cell.recurrent_drive(spikes, export=export))
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
