"""Typed, frozen configuration of a conversion run (hybrid sweep or spiking
conversion + fine-tuning) on top of a trained HardLSTM source run."""

import dataclasses

from snnzoo.training.json_config import JsonConfig


@dataclasses.dataclass(frozen=True)
class ConversionConfig(JsonConfig):
    """Everything `convert_and_evaluate` needs; written to
    `workdir/conversion.json`.

    Raises:
        ValueError: an unknown `method`, non-positive `timesteps`, a
            `model_timesteps` not among them, several T for a spiking
            conversion, or a `spike_regularizer` that is not a dict (or is
            given to a hybrid conversion).
    """

    name: str
    """Config name (e.g. `spiking_lstm_gsc_t2`)."""
    source: str
    """Name of the `TrainConfig` that trains the HardLSTM source."""
    method: str
    """"hybrid" or "spiking"."""
    timesteps: tuple = (2,)
    """T values (hybrid: the sweep; spiking: one value)."""
    options: dict = dataclasses.field(default_factory=dict)
    """`snnzoo.conversion.convert` options."""
    model_timesteps: int = 0
    """hybrid: the T of the saved `model.keras` (0: the largest swept)."""
    finetune_epochs: int = 0
    """spiking: epochs of surrogate-gradient fine-tuning (0: none)."""
    learning_rate: float = 1e-4
    """spiking: the fine-tuning learning rate."""
    calibration_samples: int = 1000
    """spiking: training samples the thresholds are calibrated on."""
    spike_regularizer: dict = dataclasses.field(default_factory=dict)
    """spiking: `SpikeRateRegularizer` arguments applied to every spiking
    LSTM layer's spikes while fine-tuning (`fine_tune.spike_rate_view`);
    empty: none."""

    def __post_init__(self):
        if self.method not in ("hybrid", "spiking"):
            raise ValueError(f"method must be 'hybrid' or 'spiking'; got {self.method!r}.")
        object.__setattr__(self, "timesteps", tuple(int(t) for t in self.timesteps))
        if not self.timesteps or min(self.timesteps) < 1:
            raise ValueError(f"timesteps must be positive ints; got {self.timesteps}.")
        if self.model_timesteps and self.model_timesteps not in self.timesteps:
            raise ValueError(f"model_timesteps={self.model_timesteps} is not among "
                             f"timesteps {self.timesteps}.")
        if self.method == "spiking" and len(self.timesteps) != 1:
            raise ValueError("A spiking conversion takes one T.")
        if not isinstance(self.spike_regularizer, dict):
            raise ValueError("`spike_regularizer`: expected a dict of SpikeRateRegularizer "
                             f"arguments; got {self.spike_regularizer!r}.")
        if self.spike_regularizer and self.method != "spiking":
            raise ValueError("`spike_regularizer` applies to spiking conversions only; got "
                             f"method {self.method!r}.")
