"""The spike-rate regularizer: hand-computed penalties, serialization, and
a toy model that fires less with it at unchanged accuracy."""

import keras
import numpy as np
import pytest

from snnzoo import models
from snnzoo.regularizers import SpikeRateRegularizer
from snnzoo.testing import spike_task
from snnzoo.testing import train_toy_cuba


def test_penalty_by_hand():
    # batch 2, time 4, units 2. Sample 0: neuron rates 0.5 and 0.25 (counts
    # 2 and 1); sample 1: rates 0 and 1 (counts 0 and 4), a -1 spike counted
    # by magnitude.
    s = np.zeros((2, 4, 2), "float32")
    s[0, :2, 0] = 1
    s[0, 3, 1] = -1
    s[1, :, 1] = 1
    l2 = SpikeRateRegularizer(target_rate=0.25, l2=2.0)
    # per sample mean_n (rate - 0.25)^2: ((0.25^2 + 0) / 2) + ((0.25^2 + 0.75^2) / 2)
    expected = 2.0 * (0.0625 / 2 + (0.0625 + 0.5625) / 2)
    assert float(l2(s)) == pytest.approx(expected)
    l1 = SpikeRateRegularizer(l1=0.5)
    assert float(l1(s)) == pytest.approx(0.5 * ((2 + 1) / 2 + (0 + 4) / 2))
    both = SpikeRateRegularizer(target_rate=0.25, l2=2.0, l1=0.5)
    assert float(both(s)) == pytest.approx(expected + 0.5 * 3.5)


def test_config_round_trip_and_errors(tmp_path):
    reg = SpikeRateRegularizer(target_rate=0.05, l2=1.0, l1=0.01)
    assert SpikeRateRegularizer.from_config(reg.get_config()).get_config() == reg.get_config()
    model = models.build("lif", (5, 3), 2, units=4, spike_regularizer={"l2": 1.0})
    model.save(tmp_path / "m.keras")
    again = keras.saving.load_model(tmp_path / "m.keras", safe_mode=True)
    monitor = again.get_layer("spikes1")
    assert isinstance(monitor.activity_regularizer, SpikeRateRegularizer)
    with pytest.raises(ValueError, match="`target_rate`"):
        SpikeRateRegularizer(target_rate=2.0, l2=1.0)
    with pytest.raises(ValueError, match="at least one positive weight"):
        SpikeRateRegularizer()
    with pytest.raises(ValueError, match="`spike_regularizer`: expected a dict"):
        models.build("lif", (5, 3), 2, spike_regularizer=0.1)


def test_regularizer_lowers_the_spike_rate_at_unchanged_accuracy(rng):
    x, y = spike_task(rng)
    rate, accuracy = train_toy_cuba(x, y)
    rate_reg, accuracy_reg = train_toy_cuba(x, y, {"target_rate": 0.0, "l2": 10.0, "l1": 0.01})
    assert rate_reg < 0.7 * rate, (rate, rate_reg)
    assert accuracy >= 0.9 and accuracy_reg >= accuracy - 0.03, (accuracy, accuracy_reg)
