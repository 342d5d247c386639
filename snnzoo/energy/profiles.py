"""Energy per operation and per bit moved, for hardware profiles, each with
its citation.

MAC = multiply + add, AC = add (the convention of the SNN literature).
Compute-only profiles (`horowitz45_fp32`, ...) count arithmetic alone.
Memory-aware profiles (`*_sram`, `*_dram`) add the energy of moving bits:
every synaptic operation reads its weight (`weight_bits`), every neuron
state is read and written once per step (`state_bits`), and every layer
writes its outputs once per step (1 bit per neuron for spikes,
`activation_bits` otherwise); see `snnzoo.energy.memory`.
"""

import dataclasses
import math

from snnzoo import validation


@dataclasses.dataclass(frozen=True)
class Profile:
    """Energies of one multiply-accumulate, one accumulate and one bit of
    memory traffic, and the bit widths they assume (`register_profile`).

    Attributes:
        name: the profile's name.
        e_mac_pj: energy of one multiply-accumulate, pJ.
        e_ac_pj: energy of one accumulate, pJ.
        citation: where the figures come from.
        e_bit_pj: pJ per bit read or written (0: compute only).
        weight_bits: bits per weight.
        state_bits: bits per neuron state.
        activation_bits: bits per activation.

    Raises:
        ValueError: a negative energy.
    """

    name: str
    e_mac_pj: float
    e_ac_pj: float
    citation: str
    e_bit_pj: float = 0.0
    """Energy to read or write one bit of memory (0: compute only)."""
    weight_bits: int = 32
    state_bits: int = 32
    activation_bits: int = 32

    def __post_init__(self):
        if not (self.e_mac_pj >= 0 and self.e_ac_pj >= 0 and self.e_bit_pj >= 0):
            raise ValueError(f"Profile {self.name!r}: energies must be >= 0.")

    @property
    def memory_aware(self):
        return self.e_bit_pj > 0

    def for_activation_bits(self, bits):
        """This profile for a quantized ANN (QNN) whose activations have
        `bits` bits and whose weights keep `weight_bits`: outputs are written
        at `bits`, and the multiply of each MAC is scaled by
        `bits / weight_bits`, as an array multiplier has one partial-product
        row per activation bit (Horowitz's int8 multiply, 0.2 pJ, is close to
        8 of his int8 adds, 0.24 pJ). Accumulate energy and weight and state
        widths are unchanged. Integer profiles only."""

        if self.weight_bits > 16:
            raise ValueError(f"Profile {self.name!r} has {self.weight_bits}-bit weights; a "
                             "quantized-ANN baseline needs an integer profile (weights of "
                             "at most 16 bits), such as 'horowitz45_int8_sram'.")
        bits = validation.number(bits, "bits", 1, self.weight_bits, integer=True)
        mult = (self.e_mac_pj - self.e_ac_pj) * bits / self.weight_bits
        return dataclasses.replace(
            self, name=f"{self.name}_qnn{bits}", e_mac_pj=self.e_ac_pj + mult,
            activation_bits=bits,
            citation=f"{self.citation}; QNN with {bits}-bit activations: multiply scaled "
                     f"by {bits}/{self.weight_bits} (one partial-product row per bit)")


def rate_equivalent_bits(timesteps):
    """Activation bits of the quantized ANN equivalent to a rate-coded SNN:
    ceil(log2(T + 1)), since T binary steps count 0..T (Yan, Bai & Wong,
    'Reconsidering the energy efficiency of spiking neural networks', arXiv
    2409.08290, 2024).

    Args:
        timesteps: T, the SNN steps per element (a positive int).

    Returns:
        The number of bits, an int.

    Raises:
        ValueError: `timesteps` is not a positive int.
    """

    t = validation.number(timesteps, "timesteps", 1, integer=True)
    return int(math.ceil(math.log2(t + 1)))


_HOROWITZ = ("M. Horowitz, 'Computing's energy problem (and what we can do "
             "about it)', ISSCC 2014, 45 nm, 0.9 V")

_PROFILES = {}


def register_profile(name, e_mac_pj, e_ac_pj, citation, e_bit_pj=0.0, weight_bits=32,
                     state_bits=32, activation_bits=32):
    """Add a hardware energy profile; a name can be registered once.

    Args:
        name: the profile's name.
        e_mac_pj: energy of one multiply-accumulate, pJ (>= 0).
        e_ac_pj: energy of one accumulate, pJ (>= 0).
        citation: where the figures come from.
        e_bit_pj: pJ per bit read or written; > 0 makes the profile
            memory-aware.
        weight_bits: bits per weight (1-64).
        state_bits: bits per neuron state (1-64).
        activation_bits: bits per activation (1-64).

    Returns:
        The new `Profile`.

    Raises:
        KeyError: `name` is already registered.
        ValueError: an invalid name, a negative energy or a bit width
            outside 1-64.
    """

    validation.name_string(name, "name")
    if name in _PROFILES:
        raise KeyError(f"Energy profile {name!r} is already registered.")
    bits = {k: validation.number(v, k, 1, 64, integer=True) for k, v in (
        ("weight_bits", weight_bits), ("state_bits", state_bits),
        ("activation_bits", activation_bits))}
    _PROFILES[name] = Profile(name, validation.number(e_mac_pj, "e_mac_pj", 0.0),
                              validation.number(e_ac_pj, "e_ac_pj", 0.0), citation,
                              validation.number(e_bit_pj, "e_bit_pj", 0.0), **bits)
    return _PROFILES[name]


def get_profile(profile):
    """Look an energy profile up.

    Args:
        profile: a registered name, or a `Profile` (passed through).

    Returns:
        The `Profile`.

    Raises:
        ValueError: `profile` is neither a registered name nor a `Profile`.
    """
    if isinstance(profile, Profile):
        return profile
    if profile not in _PROFILES:
        raise ValueError(f"Unknown energy profile {profile!r}; expected one of "
                         f"{sorted(_PROFILES)} or a Profile.")
    return _PROFILES[profile]


def profiles():
    """Every registered energy profile.

    Returns:
        `{name: Profile}` (a copy).
    """
    return dict(_PROFILES)


register_profile("horowitz45_fp32", 4.6, 0.9,
                 _HOROWITZ + ": fp32 mult 3.7 + add 0.9 pJ; fp32 add 0.9 pJ")
register_profile("horowitz45_fp16", 1.5, 0.4,
                 _HOROWITZ + ": fp16 mult 1.1 + add 0.4 pJ; fp16 add 0.4 pJ")
register_profile("horowitz45_int8", 0.23, 0.03,
                 _HOROWITZ + ": int8 mult 0.2 + add 0.03 pJ; int8 add 0.03 pJ")
register_profile("horowitz45_int32", 3.2, 0.1,
                 _HOROWITZ + ": int32 mult 3.1 + add 0.1 pJ; int32 add 0.1 pJ")

# Memory: Horowitz's 45 nm table gives 10 / 20 / 100 pJ per 64-bit read from
# an 8 KB / 32 KB / 1 MB SRAM and 1.3-2.6 nJ per 64-bit DRAM access. Writes
# are taken to cost as much as reads.
_SRAM = _HOROWITZ + ": 32 KB SRAM, 20 pJ per 64-bit access = 0.3125 pJ/bit"
_DRAM = _HOROWITZ + ": DRAM, 1.3 nJ per 64-bit access (the table's low end) = 20.3 pJ/bit"
register_profile("horowitz45_fp32_sram", 4.6, 0.9, _HOROWITZ + ": fp32 arithmetic; " + _SRAM,
                 e_bit_pj=20 / 64)
register_profile("horowitz45_int8_sram", 0.23, 0.03,
                 _HOROWITZ + ": int8 arithmetic; int8 weights and activations, int16 "
                 "states; " + _SRAM, e_bit_pj=20 / 64, weight_bits=8, state_bits=16,
                 activation_bits=8)
register_profile("horowitz45_int8_dram", 0.23, 0.03,
                 _HOROWITZ + ": int8 arithmetic; int8 weights and activations, int16 "
                 "states; " + _DRAM, e_bit_pj=1300 / 64, weight_bits=8, state_bits=16,
                 activation_bits=8)
