"""Test helpers shipped with the package (backend-agnostic)."""

from snnzoo.testing.helpers import assert_keras_round_trip
from snnzoo.testing.helpers import backend_name
from snnzoo.testing.helpers import gradient
from snnzoo.testing.helpers import set_weights_by_name

__all__ = [
    "assert_keras_round_trip",
    "backend_name",
    "gradient",
    "set_weights_by_name",
]
