"""A `snnzoo.streaming.Detector` for a shipped micro-front-end preset: its
int8 step file (sha256-verified), its card's front end and labels, and for a
max-over-time model the readout's membrane as the scores (`score_state`):
the graph's output is then a running max since power-up, which an endless
stream never brings down."""

import os

from snnzoo import validation
from snnzoo.export.bundle import manifest
from snnzoo.export.signature import state_input_name
from snnzoo.presets import store
from snnzoo.streaming.detector import Detector

STEP_FILE = "model_int8_step.tflite"
READOUT_STATE = "readout_v"


def state_names(preset, root=None):
    """The int8 step graph's state names (`lif1_v`, ...), state input k at k."""
    wanted = f"{preset}/{STEP_FILE}"
    for entry in manifest.read(root or store.presets_root())["artifacts"]:
        if entry["file"] == wanted:
            return entry.get("state_names") or []
    validation.fail("preset", f"a preset that ships {STEP_FILE}", preset)


def score_state(preset, root=None):
    """The step graph's state input that holds the readout membrane, or None."""
    names = state_names(preset, root)
    return state_input_name(names.index(READOUT_STATE)) if READOUT_STATE in names else None


def detector_for(preset, **options):
    """`Detector` of `preset` (its name); `options` go to `Detector`
    (`score_state` defaults to `score_state(preset)`)."""
    folder = store.path(preset)
    store.verify_files(folder, [STEP_FILE, store.CARD_FILE])
    front = store.card(folder, verify_hashes=False).get("frontend") or {}
    if front.get("kind") != "micro":
        validation.fail("preset", "a preset on the micro front end (a *_micro preset)",
                        f"{preset} (front end {front.get('kind')!r})")
    options.setdefault("score_state", score_state(preset))
    return Detector(os.path.join(folder, STEP_FILE), front, front["labels"], **options)
