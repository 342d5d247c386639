"""SNN fine-tuning with BPTT and surrogate gradients (Datta et al. 2022)."""

import keras

from snnzoo import backend


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

    Returns:
        The Keras `History`.
    """
    from snnzoo import validation

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
