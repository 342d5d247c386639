"""`.keras` round trip of every layer and cell (safe mode, same outputs)."""

import keras
import pytest

from snnzoo import cells
from snnzoo import layers
from snnzoo import losses
from snnzoo import testing

T, M = 6, 4

CELLS = [
    lambda: cells.LIFCell(3, ternary=True, surrogate="arctan"),
    lambda: cells.LIFCell(3, recurrent=False, membrane_clip=2.0),
    lambda: cells.CubaLIFCell(3, current_clip=(-1.0, 2.0), return_membrane=True),
    lambda: cells.SpikGRUCell(3, surrogate={"class_name": "FastSigmoid",
                                            "config": {"slope": 5.0},
                                            "module": None,
                                            "registered_name": "snnzoo>FastSigmoid"}),
    lambda: cells.AdaptiveLIFCell(3, adaptation=1.2, tau_membrane_initializer=5.0),
    lambda: cells.LeakyReadoutCell(3, beta_initializer=0.5),
    lambda: cells.HardLSTMCell(3, cell_clip=1.0, weight_clip=1.0),
    lambda: cells.HardLSTMCell(3, unit_forget_bias=False),
]


@pytest.mark.parametrize("make_cell", CELLS)
@pytest.mark.parametrize("rnn", [layers.SpikingRNN, keras.layers.RNN])
def test_cell_round_trip(make_cell, rnn, tmp_path, rng):
    cell = make_cell()
    model = keras.Sequential([keras.Input((T, M)),
                              rnn(cell, return_sequences=True)])
    x = rng.uniform(-1, 1, size=(2, T, M)).astype("float32") * 3
    loaded = testing.assert_keras_round_trip(model, x, tmp_path)
    new_cell = loaded.layers[0].cell
    assert type(new_cell) is type(cell)
    assert new_cell.get_config() == cell.get_config()


def test_layers_round_trip(tmp_path, rng):
    inp = keras.Input((T, M))
    norm = layers.MaxAbsNormalization()
    x = rng.normal(size=(8, T, M)).astype("float32")
    norm.adapt(x)
    y = norm(inp)
    y = layers.SpikeEncoder(3, method="ternary", initial_membrane=0.5)(y)
    y = layers.SpikingRNN(cells.CubaLIFCell(5), return_sequences=True)(y)
    y = layers.SpikeMonitor(name="monitor")(y)
    y = layers.SpikingRNN(cells.LeakyReadoutCell(2), return_sequences=True)(y)
    y = layers.TimeReduce("max")(y)
    model = keras.Model(inp, y)
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    testing.assert_keras_round_trip(model, x, tmp_path)


@pytest.mark.parametrize("method", ["direct", "bernoulli"])
def test_encoder_round_trip(method, tmp_path, rng):
    model = keras.Sequential([keras.Input((T, M)),
                              layers.SpikeEncoder(2, method=method, seed=3)])
    cfg = model.layers[0].get_config()
    restored = layers.SpikeEncoder.from_config(cfg)
    assert restored.get_config() == cfg
    if method == "direct":
        testing.assert_keras_round_trip(model, rng.normal(size=(2, T, M)), tmp_path)


def test_loss_round_trip(tmp_path, rng):
    model = keras.Sequential([keras.Input((T, M)), keras.layers.Dense(3)])
    model.compile(loss=losses.MaxOverTimeCrossEntropy())
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded.loss, losses.TemporalCrossEntropy)
    assert loaded.loss.over_time == "max"
