"""Test helpers shipped with the package (backend-agnostic)."""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.testing.cell_test import run_cell_test
from snnzoo.testing.helpers import assert_keras_round_trip
from snnzoo.testing.helpers import backend_name
from snnzoo.testing.helpers import gradient
from snnzoo.testing.helpers import set_weights_by_name
from snnzoo.testing.toy import spike_task
from snnzoo.testing.toy import train_toy_cuba

__all__ = [
    "assert_keras_round_trip",
    "backend_name",
    "gradient",
    "run_cell_test",
    "set_weights_by_name",
    "spike_task",
    "train_toy_cuba",
]
