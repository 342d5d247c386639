"""The NIR bridge: parameter mapping, round trips, reference semantics, errors."""

import keras
import nir
import numpy as np
import pytest

import snnzoo
from snnzoo import cells
from snnzoo.layers import SpikeMonitor
from snnzoo.layers import SpikingRNN
from snnzoo.layers import TimeReduce
from snnzoo.nir import mapping


def _model(kind="cuba", recurrent=True, reset="subtract", dense=False, seed=0, units=16):
    rng = np.random.default_rng(seed)
    cell = {"lif": cells.LIFCell, "cuba": cells.CubaLIFCell}[kind]
    x = inputs = keras.Input((None, 6))
    if dense:
        x = keras.layers.Dense(8, name="pre")(x)
    x = SpikingRNN(cell(units, recurrent=recurrent, reset=reset), return_sequences=True,
                   name="hidden")(x)
    x = SpikeMonitor(name="spikes")(x)
    x = SpikingRNN(cell(units, reset=reset), return_sequences=True, name="hidden2")(x)
    x = SpikingRNN(cells.LeakyReadoutCell(3), return_sequences=True, name="readout")(x)
    model = keras.Model(inputs, TimeReduce("max")(x))
    for layer in model.layers:  # varied leaks, incl. beta = 1 (no leak) and > 1 (clipped)
        for w in getattr(layer, "weights", []):
            if w.name in ("alpha", "beta"):
                w.assign(rng.uniform(0.5, 1.05, w.shape).astype("float32"))
            elif w.name == "kernel":
                w.assign(w * 2.0)
    return model


def _spikes(model, name, x):
    return np.asarray(keras.Model(model.inputs, model.get_layer(name).output)(x))


@pytest.fixture
def x(rng):
    return rng.normal(0, 1.0, (3, 30, 6)).astype("float32")


def test_mapping_by_hand():
    tau, r = mapping.lif_parameters(np.array([0.9, 0.0, 1.0, 1.2]), 1e-3)
    np.testing.assert_allclose(tau[:2], [0.01, 0.001])
    np.testing.assert_allclose(r[:2], [10.0, 1.0])
    assert tau[2] == tau[3] == 2.0 ** 26 * 1e-3   # no leak; > 1 is clipped first
    assert np.float32(1.0 - 1e-3 / tau[2]) == np.float32(1.0)
    tau_syn, tau_mem, w_in = mapping.cuba_parameters(np.array([0.8]), np.array([0.75]), 1e-4)
    np.testing.assert_allclose([tau_syn[0], tau_mem[0], w_in[0]], [5e-4, 4e-4, 5.0])
    np.testing.assert_allclose(mapping.leak_from_tau([0.01], 1e-3), [0.9])
    # snnTorch writes Cuba-LIF with r = tau_mem/dt: the gain is 1/(1 - beta).
    np.testing.assert_allclose(mapping.cuba_gain(5e-4, 4e-4, 4.0, 5.0, 0.75, 1e-4), 4.0)
    # A time constant below dt is a leak below 0: clipped to 0 (forget in one step).
    np.testing.assert_allclose(mapping.leak_from_tau([5e-5], 1e-4), [0.0])
    # A negative tau is a leak above 1 (snnTorch writes one for a learned beta > 1).
    with pytest.raises(ValueError, match="`tau`: expected finite, positive.*negative tau"):
        mapping.leak_from_tau([-0.05, 5e-5], 1e-4)
    with pytest.raises(ValueError, match="`tau`: expected finite, positive"):
        mapping.leak_from_tau([0.0], 1e-4)
    # A Cuba-LIF membrane without leak keeps integrating: beta 1 - 2**-24, gain 2**24.
    beta = mapping.membrane_leak([1.0])
    assert np.float32(beta[0]) < 1 and mapping.cuba_gain(
        1e-3, -1.0, -1.0 / 1e-4, 10.0, beta, 1e-4)[0] == 2.0 ** 24


def test_zero_reset_by_hand():
    cell = cells.LIFCell(1, recurrent=False, use_bias=False, reset="zero",
                         kernel_initializer="ones")
    layer = SpikingRNN(cell, return_sequences=True)
    layer(np.zeros((1, 1, 1), "float32"))
    cell.beta.assign([0.5])
    out = np.asarray(layer(np.full((1, 6, 1), 0.6, "float32")))[0, :, 0]
    # v: 0.6, 0.9, 1.05 -> spike, then 0.5 * 0 + 0.6 = 0.6, 0.9, 1.05 -> spike
    np.testing.assert_array_equal(out, [0, 0, 1, 0, 0, 1])
    cell.reset = "subtract"   # same inputs, the papers' reset: 0.525 - 1 + 0.6 = 0.125
    out = np.asarray(layer(np.full((1, 6, 1), 0.6, "float32")))[0, :, 0]
    # v: 0.6, 0.9, 1.05, 0.125, 0.6625, 0.93125 (zero reset: 0.6, 0.9, 1.05 again)
    np.testing.assert_array_equal(out, [0, 0, 1, 0, 0, 0])
    with pytest.raises(ValueError, match="`reset`"):
        cells.SpikGRUCell(4, reset="zero")
    with pytest.raises(ValueError, match="`reset`"):
        cells.LIFCell(4, reset="zero", ternary=True)


@pytest.mark.parametrize("kind", ["lif", "cuba"])
@pytest.mark.parametrize("form", ["portable", "exact"])
def test_round_trip_identical_spikes(kind, form, x, tmp_path):
    model = _model(kind, dense=True)
    path = tmp_path / "m.nir"
    graph = snnzoo.nir.export(model, path, form=form)
    assert graph.metadata["form"] == form and graph.metadata["readout"] == "max"
    back = snnzoo.nir.load(path)
    for name in ("hidden", "hidden2"):
        np.testing.assert_array_equal(_spikes(back, name, x), _spikes(model, name, x))
    np.testing.assert_array_equal(np.asarray(back(x)), np.asarray(model(x)))
    assert any(_spikes(model, "hidden", x).ravel())  # not a silent network


def test_round_trip_feedforward_and_zero_reset(x):
    model = _model("lif", recurrent=False, reset="zero")
    back = snnzoo.nir.load(snnzoo.nir.export(model, gain="weights"))
    assert back.get_layer("hidden").cell.recurrent is False
    assert back.get_layer("hidden").cell.reset == "zero"
    np.testing.assert_array_equal(np.asarray(back(x)), np.asarray(model(x)))


@pytest.mark.parametrize("kind", ["lif", "cuba"])
def test_exact_form_is_exact_under_nir_semantics(kind, x):
    """The reference simulator steps NIR's ODEs; on the exact form it gives
    snnzoo's spikes, on the portable form NIR's reset-to-zero."""
    model = _model(kind)
    _, rec = snnzoo.nir.simulate(snnzoo.nir.export(model, form="exact"), x,
                                 record=("hidden", "hidden2"))
    for name in ("hidden", "hidden2"):
        assert np.mean(rec[name] == _spikes(model, name, x)) >= 0.999
    zero = _model(kind, reset="zero")
    _, rec = snnzoo.nir.simulate(snnzoo.nir.export(zero), x, record=("hidden2",))
    assert np.mean(rec["hidden2"] == _spikes(zero, "hidden2", x)) >= 0.999
    _, rec = snnzoo.nir.simulate(snnzoo.nir.export(model), x, record=("hidden",))
    assert np.mean(rec["hidden"] != _spikes(model, "hidden", x)) > 0.001  # resets differ


def _snntorch_style_graph(rng, dt=1e-4):
    """A flat graph the way snnTorch's exporter writes RSynaptic: r =
    tau_mem/dt, w_in = tau_syn/dt, recurrent Affine with bias, no dt."""
    n = 5
    alpha, beta = rng.uniform(0.6, 0.95, n), rng.uniform(0.6, 0.95, n)
    tau_syn, tau_mem = dt / (1 - alpha), dt / (1 - beta)
    nodes = {"input": nir.Input(input_type=np.array([4])),
             "fc": nir.Affine(weight=rng.normal(0, 1, (n, 4)), bias=rng.normal(0, .1, n)),
             "rs.lif": nir.CubaLIF(tau_syn=tau_syn, tau_mem=tau_mem, r=tau_mem / dt,
                                   v_leak=np.zeros(n), v_threshold=np.ones(n),
                                   w_in=tau_syn / dt),
             "rs.w_rec": nir.Affine(weight=rng.normal(0, .5, (n, n)), bias=rng.normal(0, .1, n)),
             "fc2": nir.Affine(weight=rng.normal(0, 1, (2, n)), bias=np.zeros(2)),
             "output": nir.Output(output_type=np.array([2]))}
    edges = [("rs.w_rec", "rs.lif"), ("rs.lif", "rs.w_rec"), ("fc2", "output"),
             ("input", "fc"), ("fc", "rs.lif"), ("rs.lif", "fc2")]
    return nir.NIRGraph(nodes=nodes, edges=edges)


def test_loads_snntorch_style_flat_graph(rng):
    graph = _snntorch_style_graph(rng)
    model = snnzoo.nir.load(graph)
    assert [type(la).__name__ for la in model.layers[1:]] == ["SpikingRNN", "Dense"]
    assert model.get_layer("rs.lif").cell.reset == "zero"   # NIR's own semantics
    x = rng.normal(0, 0.2, (4, 40, 4)).astype("float32")
    ref = snnzoo.nir.simulate(graph, x)
    got = np.asarray(model(x))
    assert np.mean(np.abs(got - ref) < 1e-4) >= 0.99
    assert snnzoo.nir.load(graph, reset="subtract").get_layer("rs.lif").cell.reset == "subtract"


def test_loaded_model_saves_exports_and_counts(x, tmp_path):
    from snnzoo import energy
    from snnzoo import export

    original = _model("cuba")
    model = snnzoo.nir.load(snnzoo.nir.export(original), timesteps=30)
    model.save(tmp_path / "m.keras")
    again = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(np.asarray(again(x)), np.asarray(model(x)))
    if keras.backend.backend() == "tensorflow":  # TFLite export runs under TensorFlow
        info = export.export_tflite(model, tmp_path / "m.tflite", "float32", "step")
        assert info["bytes"] > 0
    counted = energy.estimate(model, x).to_dict()["total"]
    assert counted == energy.estimate(original, x).to_dict()["total"]
    assert counted["synaptic_acs"] > 0


def test_export_errors(tmp_path):
    x = inputs = keras.Input((None, 4))
    gru = keras.Model(inputs, SpikingRNN(cells.SpikGRUCell(4), return_sequences=True)(x))
    with pytest.raises(ValueError, match="SpikGRUCell, which has no NIR primitive"):
        snnzoo.nir.export(gru)
    back = keras.Model(inputs, SpikingRNN(cells.LIFCell(4), return_sequences=True,
                                          go_backwards=True)(x))
    with pytest.raises(ValueError, match="go_backwards=True"):
        snnzoo.nir.export(back)
    tern = keras.Model(inputs, SpikingRNN(cells.LIFCell(4, ternary=True),
                                          return_sequences=True)(x))
    with pytest.raises(ValueError, match="ternary=True"):
        snnzoo.nir.export(tern)
    relu = keras.Model(inputs, keras.layers.Dense(3, activation="relu")(x))
    with pytest.raises(ValueError, match="activation 'relu'"):
        snnzoo.nir.export(relu)
    model = _model("lif")
    with pytest.raises(ValueError, match="`dt`"):
        snnzoo.nir.export(model, dt=0)
    with pytest.raises(ValueError, match="`form`"):
        snnzoo.nir.export(model, form="fast")
    with pytest.raises(ValueError, match="`gain`"):
        snnzoo.nir.export(model, form="exact", gain="weights")
    with pytest.raises(ValueError, match="`path`: expected a path ending in .nir"):
        snnzoo.nir.export(model, tmp_path / "m.h5")


def test_load_errors(tmp_path, rng):
    with pytest.raises(FileNotFoundError, match="graph_or_path"):
        snnzoo.nir.load(tmp_path / "none.nir")
    (tmp_path / "bad.nir").write_bytes(b"not hdf5")
    with pytest.raises(ValueError, match="could not be read"):
        snnzoo.nir.load(tmp_path / "bad.nir")
    graph = nir.NIRGraph(nodes={"input": nir.Input(input_type=np.array([3])),
                                "d": nir.Delay(delay=np.ones(3)),
                                "output": nir.Output(output_type=np.array([3]))},
                         edges=[("input", "d"), ("d", "output")])
    with pytest.raises(ValueError, match="node 'd' is a Delay"):
        snnzoo.nir.load(graph)
    with pytest.raises(ValueError, match="`reset`"):
        snnzoo.nir.load(_snntorch_style_graph(rng), reset="soft")
    with pytest.raises(ValueError, match="`readout`"):
        snnzoo.nir.load(_snntorch_style_graph(rng), readout="median")
