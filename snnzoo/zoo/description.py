"""`describe(name)`: a preset's model card as text, with its exported files
as the manifest records them (each file's sha256 checked)."""

import os

from snnzoo import io as snnzoo_io
from snnzoo.export.bundle import manifest
from snnzoo.presets import store
from snnzoo.presets.cards import card_lines


def describe(name):
    """The model card of a preset as text, with its exported files from the
    manifest (what `snnzoo describe NAME` prints).

    Args:
        name: a registered preset name.

    Returns:
        The text.

    Raises:
        ValueError: an unknown preset name.
        PresetIntegrityError: the card fails its sha256.
    """
    lines = card_lines(store.card(name))
    at = next(i for i, line in enumerate(lines) if line.startswith("  trained with:"))
    return "\n".join(lines[:at] + _export_lines(name) + lines[at:])


def _export_lines(name):
    try:
        artifacts = manifest.read(store.presets_root())["artifacts"]
    except snnzoo_io.IntegrityError as err:
        return [f"  exported files: UNVERIFIED ({err})"]
    exported = [e for e in artifacts if e["preset"] == name]
    lines = []
    for e in sorted(exported, key=lambda e: (e["quantization"], e["mode"])):
        v = e["verification"]
        file = os.path.join(store.presets_root(), e["file"])
        if not os.path.isfile(file) or snnzoo_io.sha256_file(file) != e["sha256"]:
            lines.append(f"  {os.path.basename(e['file'])}: UNVERIFIED (missing, or its "
                         "sha256 differs from the manifest's)")
            continue
        tflm = e.get("tflm")
        micro = "" if not tflm else (
            f"; TFLM: arena {tflm['arena_bytes']:,} bytes, {tflm['macs_per_frame']:,} MACs/frame"
            if tflm["loads"] else "; does not run in TFLM")
        lines.append(f"  {os.path.basename(e['file'])}: {e['bytes']:,} bytes, accuracy "
                     f"{100 * v['tflite_accuracy']:.2f}% (Keras {100 * v['keras_accuracy']:.2f}%)"
                     + micro)
    return lines
