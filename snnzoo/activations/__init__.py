"""Activations with explicit slopes and surrogate gradients."""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.activations import surrogates
from snnzoo.activations.hard import hard_sigmoid
from snnzoo.activations.hard import hard_tanh
from snnzoo.activations.surrogates import ArcTan
from snnzoo.activations.surrogates import Boxcar
from snnzoo.activations.surrogates import FastSigmoid
from snnzoo.activations.surrogates import StraightThrough
from snnzoo.activations.surrogates import Surrogate
from snnzoo.activations.surrogates import Triangular
from snnzoo.activations.surrogates import heaviside

__all__ = [
    "ArcTan",
    "Boxcar",
    "FastSigmoid",
    "StraightThrough",
    "Surrogate",
    "Triangular",
    "hard_sigmoid",
    "hard_tanh",
    "heaviside",
    "surrogates",
]
