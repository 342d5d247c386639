"""Typed, frozen training configurations (to and from JSON)."""

import dataclasses

from snnzoo import validation
from snnzoo.training.json_config import JsonConfig


@dataclasses.dataclass(frozen=True)
class TrainConfig(JsonConfig):
    """Everything `train_and_evaluate` needs; written to `workdir/config.json`.

    Raises:
        ValueError: an unknown `optimizer`, `augmentation` or
            `distribution`, or a number out of range.
    """

    name: str
    """Config name (e.g. `cuba_lif_shd_2x128`)."""
    dataset: str
    """A `snnzoo.data` name."""
    family: str
    """A `snnzoo.models` family."""
    dataset_options: dict = dataclasses.field(default_factory=dict)
    """Keyword options of `snnzoo.data.load` (e.g. `{"augment_copies": 2}`)."""
    model_options: dict = dataclasses.field(default_factory=dict)
    """Keyword options of the family's model builder (`snnzoo.models`)."""
    epochs: int = 10
    """Training epochs (>= 1)."""
    batch_size: int = 128
    """The global training batch (>= 1): on N processes each takes
    `batch_size / N` rows of it (`snnzoo.training.Cluster`)."""
    learning_rate: float = 1e-3
    """The optimizer's learning rate (> 0)."""
    optimizer: str = "adam"
    """"adam" or "rmsprop"."""
    clipnorm: float = 0.0
    """Gradient-norm clip (0: none)."""
    validation_fraction: float = 0.1
    """Held out from train when the dataset has no validation split."""
    max_train_samples: int = 0
    """Use at most this many training samples (0: all); toy configs."""
    max_test_samples: int = 0
    """Evaluate on at most this many test samples (0: all)."""
    augmentation: str = "none"
    """"none" or "spike_jitter" (Cramer et al. 2020 channel jitter)."""
    seed: int = 0
    """Seeds weights, batch order and augmentation (`(seed, epoch)` per epoch)."""
    distribution: str = "none"
    """"none" or "data_parallel" (all local devices); a run over several
    processes is always data-parallel, over every device of every process."""
    test_split: str = "test"
    """The dataset split the final metrics are measured on."""
    restore_best: bool = False
    """Finish with the weights of the best validation epoch (`best.keras`),
    like `EarlyStopping(restore_best_weights=True)`, instead of the last."""
    init_from: str = ""
    """A `.keras` file whose weights start the run (`warm_start`: layers of
    the same name and shapes; a readout for other classes starts fresh).
    The recipes also take a preset name, checked against its sha256."""

    def __post_init__(self):
        if self.optimizer not in ("adam", "rmsprop"):
            raise ValueError(f"optimizer must be 'adam' or 'rmsprop'; got {self.optimizer!r}.")
        if self.augmentation not in ("none", "spike_jitter"):
            raise ValueError(f"augmentation must be 'none' or 'spike_jitter'; got {self.augmentation!r}.")
        if self.distribution not in ("none", "data_parallel"):
            raise ValueError(f"distribution must be 'none' or 'data_parallel'; got {self.distribution!r}.")
        validation.number(self.epochs, "epochs", 1, integer=True)
        validation.number(self.batch_size, "batch_size", 1, integer=True)
        validation.number(self.learning_rate, "learning_rate", 0.0, low_open=True)
        validation.number(self.clipnorm, "clipnorm", 0.0)
        validation.number(self.max_train_samples, "max_train_samples", 0, integer=True)
        validation.number(self.max_test_samples, "max_test_samples", 0, integer=True)
        if not 0 <= self.validation_fraction < 1:
            raise ValueError(f"`validation_fraction`: expected a number in [0, 1); got "
                             f"{self.validation_fraction!r}.")

