"""NeuroBench-convention counts against hand-computed numbers."""

import keras
import numpy as np
import pytest

from snnzoo import layers
from snnzoo.energy.neurobench import activation_sparsity
from snnzoo.energy.neurobench import synaptic_ops


def _rnn(x, kernel, recurrent, activation, go_backwards=False):
    rnn = keras.layers.SimpleRNN(1, activation=activation, use_bias=False,
                                 go_backwards=go_backwards, return_sequences=True)
    model = keras.Sequential([keras.Input(x.shape[1:]), rnn])
    rnn.set_weights([np.array(kernel, "float32"), np.array(recurrent, "float32")])
    return model


def test_real_valued_inputs_give_effective_macs():
    # x: feature 0 non-zero at t = 0, 2; feature 1 at t = 2. Kernel rows
    # [1] and [0]: fan-out 1 and 0 -> 2 feed-forward MACs. h = 0.5, 0.25,
    # 1.625: the outputs of steps 0 and 1 are fed back (the last never is),
    # fan-out 1 -> 2 recurrent MACs. snnzoo's dense count: 3 x (2 + 1) = 9.
    x = np.array([[[0.5, 0.0], [0.0, 0.0], [1.5, 2.5]]], "float32")
    ops = synaptic_ops(_rnn(x, [[1.0], [0.0]], [[0.5]], None), x)
    assert (ops["effective_macs"], ops["effective_acs"]) == (4.0, 0.0)


def test_spikes_give_acs_counted_once_and_the_last_step_is_not_fed_back():
    # Integer inputs: feature 0 spikes at t = 0, 2, feature 1 at t = 1, 2:
    # 4 feed-forward ACs. relu outputs h = 1, 2, 4 (integers: spikes); h0 and
    # h1 are fed back, the count 2 counting once: 2 ACs.
    x = np.array([[[1, 0], [0, 1], [1, 1]]], "float32")
    ops = synaptic_ops(_rnn(x, [[1.0], [1.0]], [[1.0]], "relu"), x)
    assert (ops["effective_macs"], ops["effective_acs"]) == (0.0, 6.0)


def test_layers_are_counted_as_they_run_backwards():
    # One spike at t = 0. Forward: h = 1, 1, 1 -> 1 + 2 fed back = 3 ACs.
    # go_backwards runs t = 2, 1, 0: h = 0, 0, 1 -> nothing fed back = 1 AC.
    x = np.array([[[1, 0], [0, 0], [0, 0]]], "float32")
    forward = synaptic_ops(_rnn(x, [[1.0], [1.0]], [[1.0]], "relu"), x)
    backward = synaptic_ops(_rnn(x, [[1.0], [1.0]], [[1.0]], "relu", True), x)
    assert forward["effective_acs"] == 3.0 and backward["effective_acs"] == 1.0
    both = keras.Sequential([keras.Input(x.shape[1:]), keras.layers.Bidirectional(
        keras.layers.SimpleRNN(1, activation="relu", use_bias=False,
                               return_sequences=True))])
    both.layers[0].set_weights([np.array([[1.0], [1.0]], "float32"),
                                np.array([[1.0]], "float32")] * 2)
    counted = synaptic_ops(both, x)["layers"]
    assert sorted(counted.items()) == [
        (f"{both.layers[0].name}/backward", (0.0, 1.0)),
        (f"{both.layers[0].name}/forward", (0.0, 3.0))]


def test_dense_skips_zero_weights_and_zero_inputs():
    # Spikes at (t0: f0, f2), (t1: f2 with count 2). Kernel fan-outs 1, 2, 0:
    # 1 AC for f0; f2 has no non-zero weight.
    x = np.array([[[1, 0, 1], [0, 0, 2]]], "float32")
    dense = keras.layers.Dense(2, use_bias=False)
    model = keras.Sequential([keras.Input(x.shape[1:]), dense])
    dense.set_weights([np.array([[1, 0], [2, 3], [0, 0]], "float32")])
    assert synaptic_ops(model, x)["effective_acs"] == 1.0


def test_activation_sparsity_by_hand():
    x = np.zeros((2, 5, 4), "float32")
    x[0, 0, :3] = 1
    x[1, 4, 0] = -1  # 4 non-zero of 40
    model = keras.Sequential([keras.Input((5, 4)), layers.SpikeMonitor()])
    assert activation_sparsity(model, x) == pytest.approx(0.9)


def test_inner_loop_cells_are_refused():
    from snnzoo import conversion
    from snnzoo import models

    keras.utils.set_random_seed(0)
    hybrid = conversion.convert(models.build("hard_lstm", (4, 3), 2, units=4), "hybrid", 4)
    with pytest.raises(ValueError, match="not defined for HybridLSTMCell"):
        synaptic_ops(hybrid, np.zeros((2, 4, 3), "float32"))


def test_estimate_reports_both_conventions():
    from snnzoo import energy

    x = np.array([[[1, 0], [0, 1], [1, 1]]], "float32")
    model = _rnn(x, [[1.0], [1.0]], [[1.0]], "relu")
    report = energy.estimate(model, x, neurobench=True)
    assert report.to_dict()["neurobench"]["effective_acs"] == 6.0
    assert "NeuroBench conventions" in report.summary(print_fn=None)
    assert "neurobench" not in energy.estimate(model, x).to_dict()
