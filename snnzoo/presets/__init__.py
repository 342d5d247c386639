"""Pretrained presets: `list_presets()`, `load(name_or_dir)`, `card(name)`, `path(name)`.

Registered presets live in `exported_models/<name>/` (or `$SNNZOO_PRESETS`):
`model.keras`, `card.json` (the model card: data actually used, accuracy
of the model and its ANN, spike rates, op counts and energy ratio, the
commands that trained it) and `sha256.json`, verified before anything is
deserialized; models load in Keras safe mode.
"""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.presets import all_presets
from snnzoo.presets.cards import standardization
from snnzoo.presets.cards import summaries
from snnzoo.presets.evaluation import calibration_data
from snnzoo.presets.evaluation import evaluate
from snnzoo.presets.evaluation import evaluation_data
from snnzoo.presets.registry import BUILTIN_PRESETS
from snnzoo.presets.registry import PRESET_FAMILIES
from snnzoo.presets.registry import list_presets
from snnzoo.presets.spec import PresetSpec
from snnzoo.presets.store import PresetIntegrityError
from snnzoo.presets.store import card
from snnzoo.presets.store import load
from snnzoo.presets.store import path
from snnzoo.presets.store import presets_root
from snnzoo.presets.store import verify

all_presets.register_all()

__all__ = ["BUILTIN_PRESETS", "PRESET_FAMILIES", "PresetIntegrityError", "PresetSpec", "card",
           "calibration_data", "evaluate", "standardization", "summaries",
           "evaluation_data", "list_presets", "load", "path", "presets_root", "verify"]
