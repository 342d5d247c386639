"""Ethos-U records of the presets: every shipped int8 step file through
Vela, as shipped and as `snnzoo.export.vela.npu_graph` writes it.

`refresh_vela(name)` compiles both graphs for every target of
`snnzoo.export.vela.TARGETS`, checks in TFLM that the NPU graph computes
the shipped file's bytes on test sequences, and writes the card's `vela`
record (`{file: {"rewritten_pairs", "tflm_identical", "targets": {target:
{"as_shipped": {...}, "npu_graph": {...}}}}}`)."""

import os
import tempfile

from snnzoo.export import vela
from snnzoo.export.bundle import manifest
from snnzoo.presets import evaluation
from snnzoo.presets import store
from snnzoo.presets.spec import PresetSpec

#: Test sequences streamed through both graphs in TFLM.
CHECK_SEQUENCES = 20
_DROP = ("vela_file", "cpu_fallbacks")


def _shipped_summary(report):
    return {"npu_ops": report["npu_ops"], "cpu_ops": report["cpu_ops"],
            "npu_share": report["npu_share"],
            "cpu_ops_by_type": _by_type(report["cpu_fallbacks"]),
            "reasons": sorted({r for f in report["cpu_fallbacks"] for r in f["reasons"]})}


def _by_type(fallbacks):
    counts = {}
    for f in fallbacks:
        counts[f["op"]] = counts.get(f["op"], 0) + 1
    return counts


def vela_record(path, x, work):
    """The card's `vela` record of one int8 step file (see the module docstring)."""
    lowered = vela.npu_graph(path, os.path.join(work, "npu.tflite"))
    record = {"rewritten_pairs": lowered["rewritten"], "left_pairs": lowered["left"],
              "tflm_identical": vela.same_bytes(path, lowered["path"], x), "targets": {}}
    for target in vela.TARGETS:
        shipped = vela.compile_vela(path, os.path.join(work, target, "shipped"), target)
        npu = vela.compile_vela(lowered["path"], os.path.join(work, target, "npu"), target)
        npu_record = {k: v for k, v in npu.items() if k not in _DROP}
        npu_record["cpu_ops_by_type"] = _by_type(npu["cpu_fallbacks"])
        npu_record["reasons"] = sorted({r for f in npu["cpu_fallbacks"] for r in f["reasons"]})
        record["targets"][target] = {"as_shipped": _shipped_summary(shipped),
                                     "npu_graph": npu_record}
    return record


def refresh_vela(name, root=None, sequences=CHECK_SEQUENCES):
    """Measure preset `name`'s Vela records again and write them into its
    card (re-hashing the folder). Returns `{file: record}`."""
    preset = PresetSpec.resolve(name, root)
    root, folder = preset.root, preset.folder
    store.verify(folder)
    x, _ = evaluation.evaluation_data(preset.evaluation, root)
    steps = [e for e in manifest.read(root)["artifacts"]
             if e["preset"] == name and e["quantization"] == "int8" and e["mode"] == "step"]
    records = {}
    with tempfile.TemporaryDirectory() as work:
        for e in steps:
            records[os.path.basename(e["file"])] = vela_record(
                os.path.join(root, e["file"]), x[:sequences], work)
    store.write_card_record(folder, "vela", records)
    return records
