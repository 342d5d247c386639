"""Warm starts (`TrainConfig.init_from`): matching layers copied, a readout
for other classes left fresh, bad sources refused before training."""

import keras
import numpy as np
import pytest

from snnzoo import models
from snnzoo.training import get_config
from snnzoo.training.trainer import build_and_compile
from snnzoo.training.warm_start import warm_start


def test_matching_layers_copied_and_other_readout_fresh(tmp_path):
    source = models.build("lif", (7, 5), 12, units=6, num_layers=2)
    path = str(tmp_path / "source.keras")
    source.save(path)
    target = models.build("lif", (7, 5), 10, units=6, num_layers=2)
    fresh = {la.name: [w.copy() for w in la.get_weights()] for la in target.layers}
    copied = warm_start(target, path)
    readouts = [la.name for la in target.layers if la.weights and la.name not in copied]
    assert copied and readouts  # the recurrent layers came over, the 10-class readout did not
    for name in copied:
        for a, b in zip(target.get_layer(name).get_weights(),
                        source.get_layer(name).get_weights()):
            np.testing.assert_array_equal(a, b)
    for name in readouts:
        for a, b in zip(target.get_layer(name).get_weights(), fresh[name]):
            np.testing.assert_array_equal(a, b)


def test_config_init_from_reaches_the_built_model(tmp_path):
    config = get_config("lif_toy")
    source = build_and_compile(config, (28, 28), 10)
    path = str(tmp_path / "s.keras")
    source.save(path)
    warm = build_and_compile(config.replace(init_from=path), (28, 28), 10)
    for a, b in zip(warm.get_weights(), source.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_bad_sources_are_refused(tmp_path):
    target = models.build("lif", (7, 5), 10, units=6)
    with pytest.raises(FileNotFoundError, match="init_from"):
        warm_start(target, str(tmp_path / "missing.keras"))
    other = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="other")])
    other.save(str(tmp_path / "other.keras"))
    with pytest.raises(ValueError, match="layers named and shaped"):
        warm_start(target, str(tmp_path / "other.keras"))
