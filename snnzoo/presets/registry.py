"""The preset registry: name -> entry (data), filled in one explicit place.

An entry is a plain dict::

    {"metadata": {"description", "family", "kind", "task", "evaluation",
                  "runs", "ann", "paper", ...},
     "path": "<folder name under the presets root>"}

`all_presets.py` registers every `<family>_presets.py` dict; registering a
name twice raises.
"""

BUILTIN_PRESETS = {}
"""`{name: entry}` of every registered preset (filled by `all_presets.py`;
`list_presets()` gives the names)."""

PRESET_FAMILIES = ("hard_lstm", "hybrid_lstm", "spiking_lstm", "lif", "cuba_lif", "spikgru",
                   "adaptive_lif", "adlif")
"""The model families a preset belongs to: "hard_lstm", "hybrid_lstm",
"spiking_lstm", "lif", "cuba_lif", "spikgru", "adaptive_lif", "adlif"."""
KINDS = ("ann", "converted", "trained_snn")
_REQUIRED = ("description", "family", "kind", "task", "evaluation", "runs")


def register_presets(presets):
    """Add a family's `{name: entry}` dict; a name registered twice raises."""
    for name, entry in presets.items():
        if name in BUILTIN_PRESETS:
            raise ValueError(f"Preset {name!r} is registered twice.")
        meta = entry.get("metadata", {})
        missing = [k for k in _REQUIRED if k not in meta]
        if missing or "path" not in entry:
            raise ValueError(f"Preset {name!r} lacks {missing + ([] if 'path' in entry else ['path'])}.")
        if meta["family"] not in PRESET_FAMILIES:
            raise ValueError(f"Preset {name!r}: unknown family {meta['family']!r}; "
                             f"expected one of {PRESET_FAMILIES}.")
        if meta["kind"] not in KINDS:
            raise ValueError(f"Preset {name!r}: unknown kind {meta['kind']!r}; "
                             f"expected one of {KINDS}.")
        BUILTIN_PRESETS[name] = entry


def list_presets(family=None):
    """The registered preset names.

    Args:
        family: None for every preset, or one of `PRESET_FAMILIES`.

    Returns:
        The names, sorted.

    Raises:
        ValueError: an unknown `family`.
    """
    if family is not None and family not in PRESET_FAMILIES:
        raise ValueError(f"Unknown family {family!r}; expected one of {PRESET_FAMILIES}.")
    return sorted(n for n, e in BUILTIN_PRESETS.items()
                  if family is None or e["metadata"]["family"] == family)


def get(name):
    """The registry entry of `name`; an unknown name raises listing the known ones."""
    if name not in BUILTIN_PRESETS:
        raise ValueError(f"Unknown preset {name!r}; expected one of {list_presets()}.")
    return BUILTIN_PRESETS[name]
