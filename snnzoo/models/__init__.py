"""Model builders by family: `build(family, input_shape, num_classes, **options)`,
and `StepGraph(model)`, the one-frame streaming form of a sequence model
(explicit states; what export and quantization-aware training stream).

| family | architecture |
| --- | --- |
| `hard_lstm` | L x `HardLSTMCell` (Ponghiran's constraints) -> Dense logits |
| `lif`, `cuba_lif`, `spikgru`, `adaptive_lif`, `adlif` | L x spiking cell -> `LeakyReadoutCell` -> max over time (Dampfhoffer) |

`spike_regularizer={"target_rate": 0.05, "l2": 1.0, "l1": 0.0}` puts a
`snnzoo.regularizers.SpikeRateRegularizer` on every spiking layer's
`SpikeMonitor` (an option of `TrainConfig.model_options` and of the training
recipes' `--spike_regularizer`).

The spiking families end in `TimeReduce("max")`, so a plain sparse
cross-entropy on the output is the max-over-time loss and accuracy metrics
work unchanged.
"""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

import keras

from snnzoo import cells
from snnzoo import layers
from snnzoo import validation
from snnzoo.models.step_graph import StepGraph  # noqa: F401  (public)
from snnzoo.regularizers import SpikeRateRegularizer

SPIKING = {"lif": cells.LIFCell, "cuba_lif": cells.CubaLIFCell,
           "spikgru": cells.SpikGRUCell, "adaptive_lif": cells.AdaptiveLIFCell,
           "adlif": cells.AdLIFCell}
MODEL_FAMILIES = ("hard_lstm",) + tuple(SPIKING)


def _regularizer(spike_regularizer):
    """None, or a `SpikeRateRegularizer` from its options dict."""
    if spike_regularizer is None:
        return None
    if not isinstance(spike_regularizer, dict):
        validation.fail("spike_regularizer", "a dict of SpikeRateRegularizer arguments "
                        "(target_rate, l2, l1)", spike_regularizer)
    return SpikeRateRegularizer(**spike_regularizer)


def build(family, input_shape, num_classes, units=128, num_layers=1, name=None,
          cell_clip=1.0, weight_clip=1.0, dropout=0.0, current_clip=None,
          membrane_clip=None, surrogate="triangular", spike_regularizer=None):
    if family not in MODEL_FAMILIES:
        raise ValueError(f"Unknown model family {family!r}; expected one of {MODEL_FAMILIES}.")
    num_layers = validation.number(num_layers, "num_layers", low=1, integer=True)
    units = validation.number(units, "units", low=1, integer=True)
    num_classes = validation.number(num_classes, "num_classes", low=2, integer=True)
    input_shape = tuple(input_shape)
    if len(input_shape) != 2 or not all(d is None or (isinstance(d, int) and d > 0)
                                        for d in input_shape) or input_shape[-1] is None:
        validation.fail("input_shape", "(time, features) with positive sizes (time may be "
                        "None)", input_shape)
    inputs = keras.Input(input_shape, name="inputs")
    x = inputs
    for i in range(num_layers):
        last = i == num_layers - 1
        if family == "hard_lstm":
            cell = cells.HardLSTMCell(units, cell_clip=cell_clip, weight_clip=weight_clip)
            x = layers.SpikingRNN(cell, return_sequences=not last, name=f"lstm{i + 1}")(x)
        else:
            cell = SPIKING[family](units, current_clip=current_clip,
                                  membrane_clip=membrane_clip, surrogate=surrogate) \
                if SPIKING[family].has_current else \
                SPIKING[family](units, membrane_clip=membrane_clip, surrogate=surrogate)
            x = layers.SpikingRNN(cell, return_sequences=True, name=f"{family}{i + 1}")(x)
            x = layers.SpikeMonitor(name=f"spikes{i + 1}",
                                    activity_regularizer=_regularizer(spike_regularizer))(x)
        if dropout:
            x = keras.layers.Dropout(dropout)(x)
    if family == "hard_lstm":
        outputs = keras.layers.Dense(num_classes, name="head")(x)
    else:
        x = layers.SpikingRNN(cells.LeakyReadoutCell(num_classes),
                              return_sequences=True, name="readout")(x)
        outputs = layers.TimeReduce("max", name="max_over_time")(x)
    return keras.Model(inputs, outputs, name=name or f"{family}_{num_layers}x{units}")
