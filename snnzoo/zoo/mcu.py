"""Cortex-M records of the presets: every shipped int8 step file as
bare-metal firmware (`snnzoo.export.bundle.cortex_m`) under QEMU, with
CMSIS-NN's kernels and with TFLM's reference kernels.

`refresh_cortex_m(name)` streams test sequences through the firmware,
checks that every output and state byte equals `MicroStreamingRunner`'s on
the same int8 frames, and writes the card's `cortex_m` record: `{file:
{"cpu", "pins", "toolchain", "frames", "kernels": {kernels: {"flash_bytes",
"ram_bytes", "arena_used_bytes", "stack_bytes", "instructions_per_frame"}}}}`.
"""

import os
import subprocess

import numpy as np

from snnzoo.export.bundle import cortex_m
from snnzoo.export.bundle import cortex_m_sources
from snnzoo.export.bundle import manifest
from snnzoo.export.runtime.micro import MicroStreamingRunner
from snnzoo.presets import evaluation
from snnzoo.presets import store
from snnzoo.presets.spec import PresetSpec

#: Test sequences streamed through the firmware.
SEQUENCES = 2


def cache_dir():
    """Where prepared sources and compiled objects are kept:
    `$SNNZOO_CORTEX_M_CACHE`, else `~/.snnzoo/cortex_m`."""
    return os.environ.get("SNNZOO_CORTEX_M_CACHE") or os.path.join(
        os.path.expanduser("~"), ".snnzoo", "cortex_m")


def prepared_sources(**repos):
    """The pinned sources, prepared once in `cache_dir()`. Raises
    `RuntimeError` naming what to install or set when something is missing."""
    missing = cortex_m_sources.toolchain_missing()
    found, absent = cortex_m_sources.find_sources(**repos)
    if missing or absent:
        raise RuntimeError("; ".join(filter(None, [missing, absent and (
            "sources not found: " + ", ".join(absent))])))
    return cortex_m_sources.prepare_sources(found, os.path.join(cache_dir(), "sources"))


def int8_frames(path, x):
    """`x`'s sequences on the step file's frame grid, as int8 (what the device gets)."""
    return MicroStreamingRunner(path).int8_sequences(x)


def reference_run(path, frames):
    """`(outputs, states)` of `MicroStreamingRunner` on int8 `frames`, as `parse_run` gives them."""
    return MicroStreamingRunner(path).stream_raw(frames)


def check_identical(run, expected, where):
    """Raise `ValueError` unless the firmware's bytes equal TFLM's."""
    outputs, states = expected
    same = np.array_equal(run["outputs"], outputs) and len(run["states"]) == len(states) and all(
        np.array_equal(a, b) for a, b in zip(run["states"], states))
    if not same:
        raise ValueError(f"{where}: the firmware's outputs or states differ from "
                         "MicroStreamingRunner's on the same frames.")


def toolchain_version():
    """The Arm compiler's name and version (`arm-none-eabi-gcc 13.2.1`)."""
    out = subprocess.run(["arm-none-eabi-gcc", "-dumpversion"], capture_output=True, text=True)
    return "arm-none-eabi-gcc " + out.stdout.strip()


def cortex_m_record(path, x, sources, build_dir, name):
    """The card's `cortex_m` record of one int8 step file."""
    frames = int8_frames(path, x)
    expected = reference_run(path, frames)
    record = {"cpu": cortex_m.CPU, "toolchain": toolchain_version(),
              "pins": {n: c for n, (c, _, _) in cortex_m_sources.PINS.items()},
              "frames": int(frames.shape[0] * frames.shape[1]), "kernels": {}}
    for kernels in cortex_m_sources.KERNELS:
        run = cortex_m.emulate(path, frames, sources, build_dir, kernels, name)
        check_identical(run, expected, f"{name} ({kernels})")
        record["kernels"][kernels] = {
            "flash_bytes": run["flash_bytes"], "ram_bytes": run["ram_bytes"],
            "arena_used_bytes": run["arena_bytes"], "stack_bytes": run["stack_bytes"],
            "instructions_per_frame": run["instructions_per_frame"],
            "identical_frames": int(len(run["outputs"]))}
    return record


def refresh_cortex_m(name, root=None, sequences=SEQUENCES, **repos):
    """Measure preset `name`'s Cortex-M records again and write them into its
    card (re-hashing the folder). Returns `{file: record}`."""
    preset = PresetSpec.resolve(name, root)
    root, folder = preset.root, preset.folder
    store.verify(folder)
    sources = prepared_sources(**repos)
    x, _ = evaluation.evaluation_data(preset.evaluation, root)
    records = {}
    for e in manifest.read(root)["artifacts"]:
        if e["preset"] == name and e["quantization"] == "int8" and e["mode"] == "step":
            records[os.path.basename(e["file"])] = cortex_m_record(
                os.path.join(root, e["file"]), x[:sequences], sources,
                os.path.join(cache_dir(), "build"), name)
    store.write_card_record(folder, "cortex_m", records)
    return records
