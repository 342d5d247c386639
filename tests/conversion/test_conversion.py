import keras
import numpy as np
import pytest

from snnzoo import cells
from snnzoo import conversion
from snnzoo import layers
from snnzoo import testing
from snnzoo.conversion import pipeline

N, M, U = 6, 5, 8


@pytest.fixture
def ann(rng):
    model = keras.Sequential([
        keras.Input((N, M)),
        layers.SpikingRNN(cells.HardLSTMCell(U, cell_clip=1.0),
                          return_sequences=True, name="lstm1"),
        keras.layers.RNN(cells.HardLSTMCell(U, cell_clip=1.0), name="lstm2"),
        keras.layers.Dense(3, name="head"),
    ])
    for layer in model.layers[:2]:
        k, r, b = layer.get_weights()
        layer.set_weights([rng.normal(0, 0.8, k.shape), rng.normal(0, 0.8, r.shape),
                           rng.normal(0, 0.5, b.shape)])
    return model


@pytest.fixture
def x(rng):
    return rng.uniform(-1, 1, size=(32, N, M)).astype("float32")


def test_hybrid_converges_to_ann_as_t_grows(ann, x):
    y0 = np.asarray(ann(x))
    errors = [np.abs(np.asarray(conversion.convert(ann, "hybrid", T)(x)) - y0).mean()
              for T in (16, 64, 256)]
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 0.25 * errors[0]


def test_hybrid_replaces_every_lstm_layer_and_keeps_source(ann, x):
    before = [w.copy() for w in ann.get_weights()]
    hybrid = conversion.convert(ann, "hybrid", 32, initial_membrane="half")
    kinds = [type(getattr(l, "cell", l)).__name__ for l in hybrid.layers]
    assert kinds == ["HybridLSTMCell", "HybridLSTMCell", "Dense"]
    assert [l.name for l in hybrid.layers] == [l.name for l in ann.layers]
    for a, b in zip(before, ann.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(hybrid.layers[0].cell.kernel, ann.layers[0].cell.kernel)


def test_hybrid_half_membrane_and_integer_mode_are_closer_or_close(ann, x):
    y0 = np.asarray(ann(x))
    err = lambda m: np.abs(np.asarray(m(x)) - y0).mean()
    zero = err(conversion.convert(ann, "hybrid", 32))
    half = err(conversion.convert(ann, "hybrid", 32, initial_membrane="half"))
    assert half < zero
    integer = err(conversion.convert(ann, "hybrid", 256, integer=True))
    assert integer < zero


def test_hybrid_cell_uses_if_rates(ann):
    # A single LSTM step from zero state: rates of the SNN FC layers approach
    # the hard sigmoid / hard tanh gates of the ANN within 1/T (+ input error).
    cell = ann.layers[0].cell
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, (16, M)).astype("float32")
    h = np.zeros((16, U), "float32")
    err = conversion.fidelity.gate_rate_error(cell, x, h, timesteps=(16, 256))
    for gate in "ifgo":
        assert err[256][gate] < err[16][gate]
        assert err[256][gate] < 0.03


def test_spiking_t2_is_accumulate_only_past_layer_one(ann, x):
    snn = conversion.convert(ann, "spiking", 2, calibration_data=x)
    l1, l2, head = snn.layers
    assert l1.cell.input_mode == "analog" and l2.cell.input_mode == "spikes"
    probe = keras.Model(snn.inputs, [l1.output, l2.output])
    s1, s2 = probe.predict(x, verbose=0)
    # Inputs of layer 2's W, both recurrent U and the head are spikes.
    for s in (s1, s2):
        assert set(np.unique(s)) <= {-1.0, 0.0, 1.0}
        assert np.abs(s).sum() > 0
    assert s2.shape == (len(x), 2 * U)
    assert head.kernel.shape == (2 * U, 3)


def test_spiking_binary_spikes_are_01(ann, x):
    snn = conversion.convert(ann, "spiking", 2, calibration_data=x,
                             spike_mode="binary")
    out = keras.Model(snn.inputs, snn.layers[0].output).predict(x, verbose=0)
    assert set(np.unique(out)) <= {0.0, 1.0}


@pytest.mark.parametrize("schedule", ["serial", "pipelined"])
def test_spiking_converges_and_bias_shift_helps(ann, x, schedule):
    y0 = np.asarray(ann(x))
    err = lambda **kw: np.abs(np.asarray(
        conversion.convert(ann, "spiking", kw.pop("T"), calibration_data=x,
                           schedule=schedule, **kw)(x)
    ) - y0).mean()
    assert err(T=16) < err(T=2)
    assert err(T=4, bias_shift=True) < err(T=4, bias_shift=False)


def test_pipelined_schedule_equals_serial(ann, x):
    snn = conversion.convert(ann, "spiking", 3, calibration_data=x,
                             schedule="pipelined")
    seq = keras.Sequential([keras.Input((N, M))] + [
        layers.SpikingRNN(l.cell, return_sequences=True) for l in snn.layers[:2]
    ])
    serial = np.asarray(seq(x[:4]))
    piped, schedule = pipeline.run_pipelined(snn, x[:4], return_schedule=True)
    np.testing.assert_array_equal(piped, serial)
    assert len(schedule) == pipeline.latency(N, 3, 2)["pipelined"]
    assert sum(len(tick) for tick in schedule) == N * 3 * 2
    serial_cells = conversion.convert(ann, "spiking", 3, calibration_data=x)
    with pytest.raises(ValueError, match="schedule='pipelined'"):
        pipeline.run_pipelined(serial_cells, x[:4])


def test_latency_model():
    lat = pipeline.latency(28, 2, 1)
    assert lat == {"serial": 56, "pipelined": 29, "speedup": 56 / 29}
    assert pipeline.latency(100, 4, 2)["pipelined"] == 104
    with pytest.raises(ValueError, match="timesteps"):
        pipeline.latency(10, 0)


@pytest.mark.parametrize("method, opts", [("hybrid", {}), ("spiking", {}),
                                          ("spiking", {"schedule": "pipelined"})])
def test_converted_round_trip(ann, x, method, opts, tmp_path):
    snn = conversion.convert(ann, method, 4, calibration_data=x, **opts)
    testing.assert_keras_round_trip(snn, x[:4], tmp_path)


def test_lif_variant_has_trainable_leak_and_fine_tunes(ann, x, rng):
    y = rng.integers(0, 3, len(x))
    snn = conversion.convert(ann, "spiking", 2, calibration_data=x, neuron="lif")
    names = [v.name for v in snn.trainable_variables]
    assert names.count("leak") == 2 and names.count("threshold") == 2
    hist = conversion.fine_tune(snn, x, y, epochs=8, batch_size=16,
                                learning_rate=1e-2)
    assert hist.history["loss"][-1] < hist.history["loss"][0]


def test_bad_arguments(ann, x):
    with pytest.raises(ValueError, match="Unknown conversion method 'magic'"):
        conversion.convert(ann, "magic", 4)
    with pytest.raises(ValueError, match="calibration_data"):
        conversion.convert(ann, "spiking", 2)
    with pytest.raises(ValueError, match="Unknown options.*initial_membrane"):
        conversion.convert(ann, "spiking", 2, calibration_data=x,
                           initial_membrane="half")
    plain = keras.Sequential([keras.Input((N, M)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="no RNN layer with a HardLSTMCell"):
        conversion.convert(plain, "hybrid", 4)


def test_encoder_mse_matches_theory():
    mse = conversion.fidelity.encoder_mse((16, 32), num=200_000)
    assert mse[16] == pytest.approx(1 / (3 * 16**2), rel=0.02)
    half = conversion.fidelity.encoder_mse((16,), num=200_000, initial_membrane=0.5)
    assert half[16] == pytest.approx(1 / (12 * 16**2), rel=0.02)


def _monitored_spikes(view, x):
    names = [la.name for la in view.layers if la.name.endswith("_spikes")]
    probe = keras.Model(view.inputs, [view.get_layer(n).output for n in names])
    return [np.abs(np.asarray(s, "float64")) for s in probe.predict(x, verbose=0)]


def test_spike_rate_view_adds_the_hand_computed_penalty(ann, x, rng):
    from snnzoo.conversion.fine_tune import compile_for_fine_tuning

    y = rng.integers(0, 3, len(x))
    snn = conversion.convert(ann, "spiking", 2, calibration_data=x)
    view = conversion.spike_rate_view(snn, {"target_rate": 0.05, "l2": 3.0})
    np.testing.assert_array_equal(view.predict(x, verbose=0), snn.predict(x, verbose=0))
    assert [la.name for la in view.layers if la.name.endswith("_spikes")] == [
        "lstm1_spikes", "lstm2_spikes"]
    # The penalty per sample: l2 * mean_units (rate - target)^2, summed over layers.
    expected = sum(3.0 * np.mean((s.mean(axis=1) - 0.05) ** 2, axis=-1).mean()
                   for s in _monitored_spikes(view, x))
    assert expected > 0.01
    for model in (snn, view):
        compile_for_fine_tuning(model, 1e-3)
    plain = snn.evaluate(x, y, batch_size=len(x), verbose=0, return_dict=True)["loss"]
    penalized = view.evaluate(x, y, batch_size=len(x), verbose=0, return_dict=True)["loss"]
    assert penalized - plain == pytest.approx(expected, rel=1e-4, abs=1e-6)


def _penalty(view, x, l2):
    return sum(l2 * np.mean(s.mean(axis=1) ** 2, axis=-1).mean()
               for s in _monitored_spikes(view, x))


def test_fine_tuning_the_view_lowers_the_penalty_and_copies_back(ann, x, rng):
    from keras import ops

    y = rng.integers(0, 3, len(x))
    snn = conversion.convert(ann, "spiking", 2, calibration_data=x)
    view = conversion.spike_rate_view(snn, {"target_rate": 0.0, "l2": 50.0})
    before = _penalty(view, x, 50.0)
    # The penalty alone (a zero task loss): training must lower it.
    conversion.fine_tune(view, x, y, epochs=20, batch_size=16, learning_rate=2e-3,
                         loss=lambda y_true, y_pred: 0.0 * ops.mean(y_pred))
    after = _penalty(view, x, 50.0)
    assert after < 0.9 * before, (before, after)  # unchanged without the penalty
    fresh = conversion.copy_weights_by_name(view, conversion.convert(ann, "spiking", 2,
                                                                     calibration_data=x))
    np.testing.assert_allclose(fresh.predict(x, verbose=0), view.predict(x, verbose=0),
                               rtol=1e-6, atol=1e-6)


def test_conversion_config_checks_the_spike_regularizer():
    from snnzoo.training.conversion_config import ConversionConfig

    with pytest.raises(ValueError, match="spike_regularizer.*dict"):
        ConversionConfig("c", "hard_lstm_toy", "spiking", spike_regularizer=0.1)
    with pytest.raises(ValueError, match="spiking conversions only"):
        ConversionConfig("c", "hard_lstm_toy", "hybrid", (4,), spike_regularizer={"l2": 1.0})
