"""Tiny training runs that must actually learn (loss far below chance)."""

import math

import keras
import numpy as np

from snnzoo import backend
from snnzoo import cells
from snnzoo import layers
from snnzoo import losses
from snnzoo.testing import spike_task


def test_cuba_lif_learns_with_max_over_time_loss(rng):
    x, y = spike_task(rng)
    model = keras.Sequential([
        keras.Input(x.shape[1:]),
        layers.SpikingRNN(cells.CubaLIFCell(16), return_sequences=True),
        layers.SpikingRNN(cells.LeakyReadoutCell(2), return_sequences=True),
    ])
    model.compile(keras.optimizers.Adam(1e-2),
                  loss=losses.MaxOverTimeCrossEntropy(), jit_compile=backend.recommended_jit_compile())
    hist = model.fit(x, y, epochs=12, batch_size=32, verbose=0)
    assert hist.history["loss"][-1] < 0.3 * math.log(2)
    pred = np.asarray(model.predict(x, verbose=0)).max(1).argmax(-1)
    assert (pred == y).mean() > 0.9


def test_hard_lstm_learns(rng):
    n, T = 256, 12
    x = rng.uniform(-1, 1, size=(n, T, 2)).astype("float32")
    y = (x[:, :, 0].sum(1) > 0).astype("int32")  # sign of a running sum
    model = keras.Sequential([
        keras.Input((T, 2)),
        layers.SpikingRNN(cells.HardLSTMCell(16)),
        keras.layers.Dense(2),
    ])
    model.compile(keras.optimizers.RMSprop(1e-2),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  jit_compile=backend.recommended_jit_compile())
    hist = model.fit(x, y, epochs=25, batch_size=32, verbose=0)
    assert hist.history["loss"][-1] < 0.3 * math.log(2)
