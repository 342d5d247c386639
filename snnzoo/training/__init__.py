"""Training: typed configs, `train_and_evaluate`, and the named configs."""

from snnzoo.training.config import TrainConfig
from snnzoo.training.configs import CONFIGS
from snnzoo.training.configs import get_config
from snnzoo.training.trainer import train_and_evaluate

__all__ = ["CONFIGS", "TrainConfig", "get_config", "train_and_evaluate"]
