"""Identity layer that marks a spike tensor for measurement."""

import keras
import numpy as np

from snnzoo import validation


@keras.saving.register_keras_serializable(package="snnzoo")
class SpikeMonitor(keras.layers.Layer):
    """Identity on `(batch, time, units)` spikes; `spike_statistics` finds it.

    Put it after a spiking layer with `return_sequences=True`. It costs
    nothing at inference and is exported as a no-op. An
    `activity_regularizer` (e.g. `snnzoo.regularizers.SpikeRateRegularizer`)
    penalizes the spikes it sees during training.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def get_config(self):
        return super().get_config()  # includes the activity regularizer

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape


def spike_statistics(model, x, batch_size=64):
    """Measure every `SpikeMonitor` of a model on inputs.

    Args:
        model: a Keras model with at least one `SpikeMonitor`.
        x: inputs `(n, time, features)`.
        batch_size: inference batch size.

    Returns:
        `{monitor name: {"spikes_per_sample": float, "rate": float,
        "units": int, "steps": int}}`: signed spikes are counted by their
        magnitude; `rate` is spikes per neuron per step.

    Raises:
        ValueError: `model` has no `SpikeMonitor`, or `x` does not fit it.
    """
    recorded = record_spikes(model, x, batch_size)
    stats = {}
    for name, out in recorded.items():
        out = np.abs(np.asarray(out, "float64"))
        n, steps, units = out.shape[0], out.shape[1], out.shape[-1]
        total = out.sum() / n
        stats[name] = {
            "spikes_per_sample": float(total),
            "rate": float(total / (steps * units)),
            "units": int(units),
            "steps": int(steps),
        }
    return stats


def record_spikes(model, x, batch_size=64):
    """The spike trains seen by every `SpikeMonitor` of a model (e.g. for
    `snnzoo.plots.spike_raster`).

    Args:
        model: a Keras model with at least one `SpikeMonitor`.
        x: inputs `(n, time, features)`.
        batch_size: inference batch size.

    Returns:
        `{monitor name: array (n, time, units)}`.

    Raises:
        ValueError: `model` has no `SpikeMonitor`, or `x` does not fit it.
    """
    monitors = [l for l in model.layers if isinstance(l, SpikeMonitor)]
    if not monitors:
        raise ValueError(
            f"Model {model.name!r} has no SpikeMonitor layer; insert "
            "`snnzoo.layers.SpikeMonitor()` after the spiking layers to measure."
        )

    x = validation.model_inputs(model, x, "x")
    probe = keras.Model(model.inputs, [m.output for m in monitors])
    outputs = probe.predict(x, batch_size=batch_size, verbose=0)
    if len(monitors) == 1:
        outputs = [outputs]
    return {m.name: np.asarray(o) for m, o in zip(monitors, outputs)}
