"""Arm Ethos-U NPUs: int8 step graphs compiled by Vela (PyPI `ethos-u-vela`).

- `npu_graph(path, out)`: the file with every compare-select pair written as
  NPU ops (`snnzoo.export.passes.npu_select`: the same int8 bytes; Vela
  places comparisons and SELECT_V2 on the CPU).
- `compile_vela(path, out_dir, target)`: Vela's compiled file and its own
  report: the ops on the NPU and on the CPU (with Vela's reason for each),
  SRAM and off-chip memory, and Vela's *estimate* of cycles and inferences
  per second at the system configuration's clock (no device ran it).

`TARGETS` fixes the accelerator and Vela's system configuration and memory
mode from its shipped `Arm/vela.ini` (stated in every report).
"""

import csv
import glob
import os
import re
import subprocess
import sys

import numpy as np

from snnzoo import io as snnzoo_io
from snnzoo import validation
from snnzoo.export import checks
from snnzoo.export.passes.npu_select import lower_compare_select
from snnzoo.export.runtime.micro import MicroStreamingRunner

#: `--target` name: Vela's accelerator, system configuration and memory mode.
TARGETS = {
    "ethos-u55": {"accelerator": "ethos-u55-128", "system_config": "Ethos_U55_High_End_Embedded",
                  "memory_mode": "Shared_Sram"},
    "ethos-u65": {"accelerator": "ethos-u65-256", "system_config": "Ethos_U65_High_End",
                  "memory_mode": "Dedicated_Sram"},
}
VELA_SECONDS = 600
_OPS = re.compile(r"^(CPU|NPU) operators = (\d+)", re.M)
_WARNING = re.compile(r"Warning \(supported operators\) operator: (\w+), ofm: '([^']*)'\n"
                      r"((?:Reason: .*\n?)+)")


def npu_graph(tflite_path, out_path):
    """Write `tflite_path` with its compare-select pairs as NPU ops to
    `out_path`; returns `{"path", "rewritten", "left"}` (pairs rewritten, and
    the reasons of those left)."""
    tflite_path = checks.check_tflite(tflite_path)
    out_path = validation.output_path(out_path, "out_path", ".tflite")
    with open(tflite_path, "rb") as f:
        lowered, count, left = lower_compare_select(f.read())
    with snnzoo_io.atomic_write(out_path) as f:
        f.write(lowered)
    return {"path": out_path, "rewritten": count, "left": left}


def vela_version():
    """Vela's version string, or None when `ethos-u-vela` is not installed."""
    try:
        from ethosu.vela import __version__
    except ImportError:
        return None
    return __version__


def target_settings(target):
    """`TARGETS[target]`, the name checked."""
    if target not in TARGETS:
        validation.fail("target", f"one of {sorted(TARGETS)}", target)
    return TARGETS[target]


def compile_vela(tflite_path, out_dir, target="ethos-u55"):
    """Compile `tflite_path` with Vela for `target` into `out_dir`; returns
    the report (see the module docstring) with `vela_file`."""
    tflite_path = checks.check_tflite(tflite_path)
    settings = target_settings(target)
    if vela_version() is None:
        raise RuntimeError("Vela is not installed: pip install ethos-u-vela")
    os.makedirs(out_dir, exist_ok=True)
    command = [sys.executable, "-m", "ethosu.vela", tflite_path, "--output-dir", out_dir,
               "--accelerator-config", settings["accelerator"], "--config", "Arm/vela.ini",
               "--system-config", settings["system_config"],
               "--memory-mode", settings["memory_mode"], "--show-cpu-operations"]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=VELA_SECONDS)
    stem = os.path.splitext(os.path.basename(tflite_path))[0]
    summary = glob.glob(os.path.join(out_dir, f"{stem}_summary_*.csv"))
    if proc.returncode != 0 or not summary:
        last = (proc.stderr.strip() or proc.stdout.strip()).splitlines() or ["?"]
        raise ValueError(f"`tflite_path`: Vela could not compile {tflite_path}: {last[-1]}")
    report = parse_report(proc.stdout, summary[0])
    report.update(target=target, vela_version=vela_version(),
                  vela_file=os.path.join(out_dir, f"{stem}_vela.tflite"), **settings)
    return report


def parse_report(stdout, summary_csv):
    """Vela's figures from its printed report and summary CSV."""
    ops = {kind: int(n) for kind, n in _OPS.findall(stdout)}
    with open(summary_csv, newline="") as f:
        row = next(csv.DictReader(f))
    fallbacks = [{"op": op, "tensor": ofm,
                  "reasons": [r[len("Reason: "):].strip() for r in reasons.strip().splitlines()]}
                 for op, ofm, reasons in _WARNING.findall(stdout)]
    total = ops.get("CPU", 0) + ops.get("NPU", 0)
    off_chip = ("dram_memory_used" if float(row["dram_memory_used"]) > 0
                else "off_chip_flash_memory_used")
    return {"npu_ops": ops.get("NPU", 0), "cpu_ops": ops.get("CPU", 0),
            "npu_share": ops.get("NPU", 0) / total if total else 0.0,
            "cpu_fallbacks": fallbacks,
            "sram_bytes": int(round(float(row["sram_memory_used"]) * 1024)),
            "off_chip_bytes": int(round(float(row[off_chip]) * 1024)),
            "off_chip_memory": "DRAM" if off_chip.startswith("dram") else "off-chip flash",
            "clock_hz": float(row["core_clock"]),
            "estimated_cycles": int(float(row["cycles_total"])),
            "estimated_inferences_per_second": float(row["inferences_per_second"]),
            "macs": int(float(row["nn_macs"]))}


def same_bytes(original, lowered, x):
    """Stream the sequences `x` through both int8 step files in TFLM
    (`MicroStreamingRunner`) and compare every output and state, byte for
    byte, frame by frame. Returns `{"sequences", "frames"}` compared; raises
    `ValueError` at the first frame where they differ."""
    x = validation.array(x, "x", ndim=3)
    first = MicroStreamingRunner(original)
    frames = first.int8_sequences(x)
    (a, a_states), (b, b_states) = first.stream_raw(frames), \
        MicroStreamingRunner(lowered).stream_raw(frames)
    differs = np.any(a != b, axis=1)
    for s, u in zip(a_states, b_states):
        differs |= np.any(s != u, axis=1)
    if differs.any():
        n, t = divmod(int(np.argmax(differs)), frames.shape[1])
        raise ValueError(f"`lowered`: {lowered} differs from {original} in TFLM at "
                         f"sequence {n}, frame {t}.")
    return {"sequences": len(x), "frames": int(frames.shape[0] * frames.shape[1])}
