"""Memory traffic of a counted layer, for memory-aware profiles.

Conventions (per sample over the whole sequence, no reuse of any fetched
word across operations, time steps or samples, i.e. batch 1 on an
event-driven core or a plain MCU loop):

- weights: every synaptic operation (MAC or AC) reads its weight once:
  `synaptic_macs + synaptic_acs` reads of `weight_bits`;
- neuron state: every state word of the layer is read and written once
  per step: `2 x state words x steps` accesses of `state_bits`. The state
  words are the cell's `state_size` (spike states included at the state
  width, which is conservative for the SNN); the hybrid LSTM adds its
  inner membranes and generator, `T x (4n + m + n)` per element. The
  iso-architecture ANN has the states of its family: LSTM `2n`, GRU and
  SimpleRNN `n`, Dense and the leaky readout's ANN counterpart none;
- outputs: every layer writes its `n` outputs once per step: 1 bit each
  for spikes, `activation_bits` otherwise.

The per-cell facts are the cells' own class attributes (`emits_spikes`,
`ann_state_words`, `extra_state_words`; see `snnzoo.cells.RecurrentCell`);
Keras' own cells count as their family (LSTM 2n states, others n).

Energy = bits moved x `profile.e_bit_pj`. The spike-driven part of a
layer's energy (its ACs and their weight reads) is reported as
`variable_energy_j`: it scales with the spike rate, the rest does not,
which gives the crossover rate (`EnergyReport.crossover`).
"""

import keras


def _units(layer):
    cell = getattr(layer, "cell", None)
    return int(getattr(cell, "units", getattr(layer, "units", 0)))


def state_words(layer, x_shape, ann_family=None):
    """State words per step of `layer` (snnzoo's form), or of its
    iso-architecture ANN counterpart when `ann_family` is given."""
    cell = getattr(layer, "cell", None)
    if cell is None:
        return 0
    n = _units(layer)
    if ann_family is not None:
        per_unit = getattr(cell, "ann_state_words", None)
        if per_unit is None:  # a Keras cell
            per_unit = 2 if isinstance(cell, keras.layers.LSTMCell) else 1
        return (2 if ann_family == "lstm" and per_unit else per_unit) * n
    sizes = cell.state_size if isinstance(cell.state_size, (list, tuple)) else [cell.state_size]
    words = sum(int(s) for s in sizes)
    if hasattr(cell, "extra_state_words"):
        words += cell.extra_state_words(x_shape[-1])
    return words


def layer_memory(layer, counts, x_shape, profile, ann_family=None):
    """`{weight_reads, state_accesses, output_bits, memory_energy_j,
    variable_energy_j}` of one counted layer, or of its ANN counterpart
    with `ann_family` (see the module docstring)."""
    steps = int(x_shape[1]) if len(x_shape) > 2 else 1
    cell = getattr(layer, "cell", None)
    spiking_output = ann_family is None and getattr(cell, "emits_spikes", False)
    weight_reads = counts["synaptic_macs"] + counts["synaptic_acs"]
    accesses = 2.0 * state_words(layer, x_shape, ann_family) * steps
    out_bits = float(_units(layer) * steps * (1 if spiking_output else profile.activation_bits))
    bits = (weight_reads * profile.weight_bits + accesses * profile.state_bits + out_bits)
    variable = counts["synaptic_acs"] * (profile.e_ac_pj + profile.weight_bits * profile.e_bit_pj)
    return {"weight_reads": weight_reads, "state_accesses": accesses, "output_bits": out_bits,
            "memory_energy_j": bits * profile.e_bit_pj * 1e-12,
            "variable_energy_j": variable * 1e-12}
