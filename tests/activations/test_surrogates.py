import json

import keras
import numpy as np
import pytest

from snnzoo import testing
from snnzoo.activations import surrogates

X = np.array([-2.0, -0.75, -0.25, 0.0, 0.1, 0.55, 0.99, 1.5], "float32")

# Expected derivatives, computed by hand from each formula.
CASES = [
    ("triangular", {"width": 1.0, "height": 1.0},
     [0, 0.25, 0.75, 1.0, 0.9, 0.45, 0.01, 0]),
    ("triangular", {"width": 0.5, "height": 0.3},
     [0, 0, 0.15, 0.3, 0.24, 0, 0, 0]),
    ("fast_sigmoid", {"slope": 25.0},
     [1 / 51**2, 1 / 19.75**2, 1 / 7.25**2, 1.0, 1 / 3.5**2, 1 / 14.75**2,
      1 / 25.75**2, 1 / 38.5**2]),
    ("arctan", {"gamma": 10.0},
     [1 / 41, 1 / 6.625, 1 / 1.625, 1.0, 1 / 1.1, 1 / 4.025, 1 / 10.801,
      1 / 23.5]),
    ("boxcar", {"width": 1.0, "height": 1.0}, [0, 0, 1, 1, 1, 0, 0, 0]),
    ("straight_through", {}, [1, 1, 1, 1, 1, 1, 1, 1]),
]


@pytest.mark.parametrize("alias, kwargs, expected", CASES)
def test_gradient_values(alias, kwargs, expected):
    sg = type(surrogates.get(alias))(**kwargs)
    g = testing.gradient(sg, X)
    np.testing.assert_allclose(g, expected, rtol=1e-4, atol=1e-7)
    # The closed form agrees with the autodiff gradient.
    np.testing.assert_allclose(
        np.asarray(sg.derivative(X)), expected, rtol=1e-4, atol=1e-7
    )


@pytest.mark.parametrize("alias", surrogates.names())
def test_forward_is_exact_heaviside(alias):
    sg = surrogates.get(alias)
    x = np.linspace(-3, 3, 601).astype("float32")
    y = np.asarray(sg(x))
    np.testing.assert_array_equal(y, (x >= 0).astype("float32"))


@pytest.mark.parametrize("alias", ["triangular", "fast_sigmoid", "arctan",
                                   "boxcar", "straight_through"])
def test_serialization_round_trip(alias):
    sg = surrogates.get(alias)
    config = surrogates.serialize(sg)
    json.dumps(config)
    restored = surrogates.get(config)
    assert restored == sg
    assert keras.saving.deserialize_keras_object(config) == sg


def test_get_accepts_none_instance_and_rejects_unknown():
    assert isinstance(surrogates.get(None), surrogates.Triangular)
    inst = surrogates.FastSigmoid(slope=3.0)
    assert surrogates.get(inst) is inst
    with pytest.raises(ValueError, match="Unknown surrogate 'nope'.*triangular"):
        surrogates.get("nope")
    with pytest.raises(ValueError, match="must be > 0"):
        surrogates.Triangular(width=0)
    with pytest.raises(ValueError, match="alias string"):
        surrogates.get(3.0)


def test_ternary_gradient_is_symmetric():
    sg = surrogates.get("triangular")
    x = np.array([-1.2, -0.8, 0.0, 0.8, 1.2], "float32")
    g = testing.gradient(lambda v: surrogates.ternary(v - 1.0, -v - 1.0, sg), x)
    # d/dv [H(v-1) - H(-v-1)] = d(v-1) + d(-v-1)
    expected = np.maximum(0, 1 - np.abs(x - 1)) + np.maximum(0, 1 - np.abs(-x - 1))
    np.testing.assert_allclose(g, expected, rtol=1e-5, atol=1e-6)
