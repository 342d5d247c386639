"""Training: typed configs, `train_and_evaluate`, and the named configs."""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.training.train_config import TrainConfig
from snnzoo.training.cluster import Cluster
from snnzoo.training.process_group import PeerLostError
from snnzoo.training.process_group import ProcessGroup
from snnzoo.training.named_configs import CONFIGS
from snnzoo.training.named_configs import CONVERSIONS
from snnzoo.training.named_configs import get_config
from snnzoo.training.named_configs import get_conversion
from snnzoo.training.conversion_config import ConversionConfig
from snnzoo.training.conversion_runs import convert_and_evaluate
from snnzoo.training.trainer import train_and_evaluate

__all__ = ["CONFIGS", "CONVERSIONS", "Cluster", "ConversionConfig", "PeerLostError",
           "ProcessGroup", "TrainConfig",
           "convert_and_evaluate", "get_config", "get_conversion",
           "train_and_evaluate"]
