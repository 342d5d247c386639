import numpy as np
import pytest

from snnzoo import testing
from snnzoo.activations import hard_sigmoid
from snnzoo.activations import hard_tanh

X = np.array([-3.0, -2.0, -1.0, 0.0, 1.0, 1.5, 2.0, 3.0], "float32")


def test_hard_sigmoid_values():
    # (x + 2) / 4 clipped to [0, 1], computed by hand.
    expected = [0.0, 0.0, 0.25, 0.5, 0.75, 0.875, 1.0, 1.0]
    np.testing.assert_allclose(np.asarray(hard_sigmoid(X)), expected)


def test_hard_tanh_values():
    expected = [-1.0, -1.0, -0.5, 0.0, 0.5, 0.75, 1.0, 1.0]
    np.testing.assert_allclose(np.asarray(hard_tanh(X)), expected)


def test_is_not_keras_hard_sigmoid():
    import keras

    # Keras 3's hard_sigmoid is x/6 + 1/2: at x = 1 it gives 0.6667, not 0.75.
    k = float(np.asarray(keras.activations.hard_sigmoid(np.float32(1.0))))
    assert abs(k - 0.75) > 0.05
    assert float(np.asarray(hard_sigmoid(np.float32(1.0)))) == 0.75


def test_explicit_slopes():
    np.testing.assert_allclose(
        np.asarray(hard_sigmoid(X, slope=0.2, offset=0.5)),
        np.clip(0.2 * X + 0.5, 0, 1),
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        np.asarray(hard_tanh(X, slope=1.0)), np.clip(X, -1, 1)
    )


@pytest.mark.parametrize(
    "fn, slope", [(hard_sigmoid, 0.25), (hard_tanh, 0.5)]
)
def test_gradients_are_straight_through_slopes(fn, slope):
    x = np.array([-3.0, -1.0, 0.0, 1.0, 1.9, 3.0], "float32")
    g = testing.gradient(fn, x)
    np.testing.assert_allclose(g, [0, slope, slope, slope, slope, 0])
