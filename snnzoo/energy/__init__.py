"""Spike-count energy estimator: MAC vs AC from spikes measured on data."""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.energy.counters import register_counter
from snnzoo.energy.estimator import compare
from snnzoo.energy.estimator import estimate
from snnzoo.energy.profiles import Profile
from snnzoo.energy.profiles import get_profile
from snnzoo.energy.profiles import profiles
from snnzoo.energy.profiles import rate_equivalent_bits
from snnzoo.energy.profiles import register_profile
from snnzoo.energy.report import EnergyReport

__all__ = [
    "EnergyReport",
    "Profile",
    "compare",
    "estimate",
    "get_profile",
    "profiles",
    "rate_equivalent_bits",
    "register_counter",
    "register_profile",
]
