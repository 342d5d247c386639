"""Energy per operation for hardware profiles, each with its citation.

MAC = multiply + add, AC = add (the convention of the SNN literature).
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Profile:
    """Energy of one multiply-accumulate and one accumulate, in picojoules."""

    name: str
    e_mac_pj: float
    e_ac_pj: float
    citation: str

    def __post_init__(self):
        if not (self.e_mac_pj >= 0 and self.e_ac_pj >= 0):
            raise ValueError(f"Profile {self.name!r}: energies must be >= 0.")


_HOROWITZ = ("M. Horowitz, 'Computing's energy problem (and what we can do "
             "about it)', ISSCC 2014, 45 nm, 0.9 V")

_PROFILES = {}


def register_profile(name, e_mac_pj, e_ac_pj, citation):
    """Add a hardware profile; a name can be registered once."""
    from snnzoo import validation

    validation.name_string(name, "name")
    if name in _PROFILES:
        raise KeyError(f"Energy profile {name!r} is already registered.")
    e_mac = validation.number(e_mac_pj, "e_mac_pj", 0.0)
    e_ac = validation.number(e_ac_pj, "e_ac_pj", 0.0)
    _PROFILES[name] = Profile(name, e_mac, e_ac, citation)
    return _PROFILES[name]


def get_profile(profile):
    if isinstance(profile, Profile):
        return profile
    if profile not in _PROFILES:
        raise ValueError(f"Unknown energy profile {profile!r}; expected one of "
                         f"{sorted(_PROFILES)} or a Profile.")
    return _PROFILES[profile]


def profiles():
    return dict(_PROFILES)


register_profile("horowitz45_fp32", 4.6, 0.9,
                 _HOROWITZ + ": fp32 mult 3.7 + add 0.9 pJ; fp32 add 0.9 pJ")
register_profile("horowitz45_fp16", 1.5, 0.4,
                 _HOROWITZ + ": fp16 mult 1.1 + add 0.4 pJ; fp16 add 0.4 pJ")
register_profile("horowitz45_int8", 0.23, 0.03,
                 _HOROWITZ + ": int8 mult 0.2 + add 0.03 pJ; int8 add 0.03 pJ")
register_profile("horowitz45_int32", 3.2, 0.1,
                 _HOROWITZ + ": int32 mult 3.1 + add 0.1 pJ; int32 add 0.1 pJ")
