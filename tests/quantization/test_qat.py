"""Quantization-aware fine-tuning with Keras fake quantization."""

import keras
import numpy as np
import pytest

from snnzoo import models
from snnzoo.export import StepGraph
from snnzoo.quantization.int8 import FakeQuantStreaming
from snnzoo.quantization.int8 import calibration_ranges
from snnzoo.quantization.int8 import qat_fine_tune


@pytest.fixture
def toy():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (64, 6, 5)).astype("float32")
    y = (x[:, :, 0].mean(1) > 0).astype("int32")
    return models.build("cuba_lif", (6, 5), 2, units=8), x, y


def test_ranges_cover_visited_values(toy):
    model, x, _ = toy
    graph = StepGraph(model)
    r = calibration_ranges(graph, x)
    assert r["input"][0] <= x.min() and r["input"][1] >= x.max()
    assert len(r["states"]) == len(graph.state_sizes)
    for lo, hi in r["states"]:
        assert lo <= 0 <= hi and hi > lo


def test_wide_fine_quantization_is_the_float_model(toy):
    model, x, _ = toy
    wide = {"input": (-2.0, 2.0), "states": [(-64.0, 64.0)] * len(StepGraph(model).state_sizes),
            "output": (-64.0, 64.0)}
    ref = model.predict(x, verbose=0)
    out = keras.ops.convert_to_numpy(FakeQuantStreaming(model, wide, num_bits=16)(x))
    # 16-bit steps of 128/65535 on the states; the spikes may flip only
    # where a membrane sits within one step of the threshold.
    assert np.mean(out.argmax(-1) == ref.argmax(-1)) >= 0.95
    assert np.median(np.abs(out - ref)) < 0.01


def test_qat_trains_the_model_in_place(toy):
    model, x, y = toy
    before = [w.copy() for w in model.get_weights()]
    history = qat_fine_tune(model, x, y, epochs=3, batch_size=16, learning_rate=3e-3)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))


def test_prepare_for_int8_bounds_membranes_on_a_copy(toy):
    from snnzoo.quantization.int8 import prepare_for_int8

    model, x, y = toy
    before = [w.copy() for w in model.get_weights()]
    prepared, history = prepare_for_int8(model, x, y, membrane_clip=(-3.0, 2.0), epochs=1,
                                         batch_size=16)
    clips = [getattr(l.cell, "membrane_clip", None) for l in prepared.layers
             if hasattr(l, "cell")]
    assert clips[0] == (-3.0, 2.0) and clips[-1] is None  # readout left alone
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert model.layers[1].cell.membrane_clip is None
    graph = StepGraph(prepared)
    states = graph.initial_states(len(x))
    v_index = graph.state_names.index("cuba_lif1_v")
    for t in range(x.shape[1]):
        _, states = graph.step(x[:, t] * 50.0, states)
        v = np.asarray(states[v_index])
        assert v.min() >= -3.0 and v.max() <= 2.0
    with pytest.raises(ValueError, match="no spiking cell"):
        prepare_for_int8(models.build("hard_lstm", (6, 5), 2, units=4), x, y, epochs=1)
