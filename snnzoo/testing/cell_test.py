"""`run_cell_test`: the checks every snnzoo cell must pass, in one call (as
keras-hub's `TestCase.run_layer_test` does for layers).

For a cell class and its arguments it checks, under the active backend:

- the output of `SpikingRNN(cell, return_sequences=True)` has shape
  `(batch, time, output_size)` and finite values, and spikes are integers when
  the cell says it `emits_spikes`;
- the fast path (input projection hoisted out of the loop) gives the same
  outputs as Keras' generic `keras.layers.RNN` loop: the same spikes, bit
  for bit, and real-valued outputs within float32 rounding;
- `get_config` / `from_config` rebuilds the same cell, and a `.keras` round
  trip (safe mode) gives the same outputs;
- the surrogate gradient reaches every trainable weight (finite, non-zero);
- the class facts other modules read (`emits_spikes`, `ann_state_words`,
  `nir_neuron`, `nir_missing`) are set and of the right kind.
"""

import keras
import numpy as np

from snnzoo.layers import SpikingRNN
from snnzoo.testing.helpers import assert_keras_round_trip

NIR_NEURONS = (None, "LIF", "CubaLIF", "LI")


def run_cell_test(cell_class, init_kwargs, input_shape=(3, 12, 5), x=None, seed=0,
                  directory=None, check_gradients=True):
    """Run the checks of the module docstring; returns the outputs
    `(batch, time, output_size)` as a NumPy array. `x` defaults to random
    spikes of `input_shape` at rate 0.4, of size 3 (drive enough for
    every neuron to fire, so that gradients reach the recurrent weights); `directory` (e.g. pytest's `tmp_path`)
    enables the `.keras` round trip."""
    _check_facts(cell_class)
    x = 3.0 * (np.random.default_rng(seed).uniform(size=input_shape) < 0.4).astype("float32") \
        if x is None else np.asarray(x, "float32")
    model = _model(cell_class(**init_kwargs), x.shape)
    out = np.asarray(model(x))
    width = model.layers[-1].cell.output_size
    assert out.shape == x.shape[:2] + (width,), out.shape
    assert np.isfinite(out).all(), "non-finite outputs"
    if cell_class.emits_spikes:
        np.testing.assert_array_equal(out, np.round(out), "spikes must be integers")
    _check_generic_loop(model, cell_class, x, out)
    _check_config(model.layers[-1].cell, x, out)
    if directory is not None:
        assert_keras_round_trip(model, x, directory)
    if check_gradients:
        _check_gradients(model, x)
    return out


def _model(cell, shape, layer=SpikingRNN):
    inputs = keras.Input(shape[1:])
    return keras.Model(inputs, layer(cell, return_sequences=True)(inputs))


def _check_facts(cell_class):
    assert isinstance(cell_class.emits_spikes, bool), "emits_spikes must be a bool"
    assert cell_class.ann_state_words in (0, 1, 2), "ann_state_words: 0, 1 or 2 per unit"
    assert cell_class.nir_neuron in NIR_NEURONS, f"nir_neuron: one of {NIR_NEURONS}"
    assert cell_class.nir_neuron or cell_class.nir_missing, "say why it has no NIR form"


def _copy_weights(source, target):
    for s, t in zip(source.weights, target.weights):
        t.assign(s)


def _check_generic_loop(model, cell_class, x, out):
    cell = model.layers[-1].cell
    generic = _model(cell_class.from_config(cell.get_config()), x.shape, keras.layers.RNN)
    _copy_weights(model, generic)
    atol = 0.0 if cell_class.emits_spikes else 1e-5
    np.testing.assert_allclose(np.asarray(generic(x)), out, rtol=0, atol=atol,
                               err_msg="the fast path and Keras' generic loop differ")


def _check_config(cell, x, out):
    config = cell.get_config()
    again = type(cell).from_config(config)
    assert again.get_config() == config, "get_config/from_config is not a round trip"
    rebuilt = _model(again, x.shape)
    _copy_weights(_model(cell, x.shape), rebuilt)
    np.testing.assert_array_equal(np.asarray(rebuilt(x)), out)


def _check_gradients(model, x):
    variables = model.trainable_variables
    grads = _gradients(model, x)
    for v, g in zip(variables, grads):
        g = np.asarray(g)
        assert np.isfinite(g).all() and np.abs(g).sum() > 0, f"no gradient reaches {v.path}"


def _gradients(model, x):
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(model(x))
        return tape.gradient(loss, model.trainable_variables)
    if backend != "jax":
        raise ValueError(f"run_cell_test supports the jax and tensorflow backends; got "
                         f"{backend!r}.")
    import jax

    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]

    def loss(tv):
        y, _ = model.stateless_call(tv, non_trainable, x)
        return y.sum()

    return jax.grad(loss)(trainable)
