"""SNN fine-tuning with BPTT and surrogate gradients (Datta et al. 2022)."""

import keras

from snnzoo import backend
from snnzoo import validation
from snnzoo.cells.spiking_lstm_cell import SpikingLSTMCell
from snnzoo.layers.spike_monitor import SpikeMonitor
from snnzoo.layers.spike_monitor import spike_statistics
from snnzoo.layers.spiking_rnn import SpikingRNN
from snnzoo.layers.time_reduce import TimeReduce
from snnzoo.regularizers.spike_rate import SpikeRateRegularizer


def compile_for_fine_tuning(model, learning_rate=1e-4, loss=None):
    """Compile a converted model for BPTT with surrogate gradients."""
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=loss or keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        jit_compile=backend.recommended_jit_compile(),
    )
    return model


def fine_tune(model, x, y, epochs=5, batch_size=128, learning_rate=1e-4,
              loss=None, validation_data=None, verbose=0, callbacks=None):
    """Train a converted spiking model end to end.

    Spikes use the surrogate gradient of each cell; weights, thresholds and
    (for `neuron="lif"`) leaks are trained jointly. The model is compiled
    here with Adam and, unless `loss` is given, sparse categorical
    cross-entropy on logits.

    Args:
        model: a converted spiking model (`snnzoo.conversion.convert`).
        x: training inputs `(n, time, features)`.
        y: integer labels `(n,)`.
        epochs: number of epochs (0 trains nothing).
        batch_size: training batch size.
        learning_rate: Adam's learning rate, above 0.
        loss: a Keras loss (default: sparse categorical cross-entropy on
            logits).
        validation_data: optional `(x, y)` evaluated after every epoch.
        verbose: Keras' `fit` verbosity.
        callbacks: optional Keras callbacks.

    Returns:
        The Keras `History`.

    Raises:
        ValueError: `x` or `y` do not fit the model (shape, length, NaN), or
            `epochs`, `batch_size` or `learning_rate` are out of range.
    """

    validation.number(learning_rate, "learning_rate", 0.0, low_open=True)
    validation.number(epochs, "epochs", 0, integer=True)
    validation.number(batch_size, "batch_size", 1, integer=True)
    if y is not None:
        x = validation.model_inputs(model, x, "x")
        y = validation.labels(y, "y", length=len(x),
                              num_classes=int(model.outputs[0].shape[-1]))
    compile_for_fine_tuning(model, learning_rate, loss)
    if y is None:  # x is a dataset of (inputs, labels) batches
        return model.fit(x, epochs=epochs, validation_data=validation_data,
                         verbose=verbose, callbacks=callbacks)
    return model.fit(x, y, epochs=epochs, batch_size=batch_size,
                     validation_data=validation_data, verbose=verbose,
                     callbacks=callbacks)


def spike_rate_view(model, spike_regularizer):
    """A training view of a converted spiking LSTM that penalizes its spikes.

    Every `SpikingRNN` of `model` whose cell is a `SpikingLSTMCell` is
    followed by a `SpikeMonitor` carrying a
    `snnzoo.regularizers.SpikeRateRegularizer(**spike_regularizer)`; a layer
    that returns only its last step is re-wrapped around the same cell with
    `return_sequences=True` (so the penalty sees every step's spikes) and
    followed by `TimeReduce("last")`. The view shares its weights with
    `model` and computes the same outputs. Train the view, then copy its
    weights into a plain converted model with `copy_weights_by_name`.

    Args:
        model: a converted spiking LSTM whose layers form a chain (as the
            HardLSTM sources do).
        spike_regularizer: keyword arguments of `SpikeRateRegularizer`
            (e.g. `{"target_rate": 0.1, "l2": 10.0}`).

    Returns:
        The view, a `keras.Model` sharing `model`'s weights.

    Raises:
        ValueError: the layers of `model` do not form a chain.
    """

    regularizer = SpikeRateRegularizer(**spike_regularizer)
    inputs = keras.Input(model.input_shape[1:], name=model.inputs[0].name.split(":")[0])
    x = inputs
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if not (isinstance(layer, SpikingRNN) and isinstance(layer.cell, SpikingLSTMCell)):
            x = layer(x)
            continue
        last_only = not layer.return_sequences
        if last_only:
            layer = SpikingRNN(layer.cell, return_sequences=True, name=layer.name)
        x = SpikeMonitor(activity_regularizer=regularizer, name=f"{layer.name}_spikes")(
            layer(x))
        if last_only:
            x = TimeReduce("last", name=f"{layer.name}_last")(x)
    if len(x.shape) != len(model.outputs[0].shape):
        raise ValueError(f"spike_rate_view: model {model.name!r} is not a chain of layers.")
    return keras.Model(inputs, x, name=f"{model.name}_spike_rate_view")


def mean_spike_rate(model, x):
    """Spikes per neuron per step of a model, averaged over its spiking layers
    (its `SpikeMonitor`s; a converted spiking LSTM gets them from
    `spike_rate_view`).

    Args:
        model: a Keras model with `SpikeMonitor`s, or a converted spiking
            LSTM (viewed through `spike_rate_view` for the measurement).
        x: inputs `(n, time, features)`.

    Returns:
        The mean rate, a float.

    Raises:
        ValueError: `model` has neither monitors nor a chain of spiking LSTM
            layers, or `x` does not fit it.
    """
    if not any(isinstance(layer, SpikeMonitor) for layer in model.layers):
        model = spike_rate_view(model, {"l2": 1.0})
    stats = spike_statistics(model, x)
    return sum(s["rate"] for s in stats.values()) / len(stats)


def copy_weights_by_name(source, target):
    """Set each weighted layer of `target` to the weights of the `source` layer
    of the same name (e.g. a trained `spike_rate_view` into a plain converted
    model).

    Args:
        source: the model to copy from.
        target: the model to copy into (changed in place).

    Returns:
        `target`.
    """
    for layer in target.layers:
        if layer.weights:
            layer.set_weights(source.get_layer(layer.name).get_weights())
    return target
