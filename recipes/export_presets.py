"""Rebuild the exported artifacts of the presets and `exported_models/manifest.json`.

    python recipes/export_presets.py                                  # every preset, every file
    python recipes/export_presets.py --presets lif_speech_commands_2x128 --modes step
    python recipes/export_presets.py --write_calibration              # calibration sets first
    python recipes/export_presets.py --refresh_tflm                   # TFLM facts measured again
    python recipes/export_presets.py --refresh_vela --readme README.md  # Ethos-U (Vela) records
    python recipes/export_presets.py --refresh_cortex_m --readme README.md  # firmware under QEMU
    python recipes/export_presets.py --refresh_cortex_m_kws --readme README.md  # audio loop, QEMU

Each preset goes through `snnzoo.zoo.build.build_artifacts`, the same path as
`snnzoo export NAME`: int8 preparation (the shipped `model_int8_source.keras`,
or `--reprepare`), the shipped calibration set, export, verification on the
test split, sha256 records and manifest entries. Runs under TensorFlow.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app  # noqa: E402
from absl import flags  # noqa: E402

PRESETS = flags.DEFINE_list("presets", None, "Preset names (default: all).")
QUANTIZATIONS = flags.DEFINE_list("quantizations", ["float32", "int8"],
                                  "float32, float16, dynamic_range, int8.")
MODES = flags.DEFINE_list("modes", ["step", "sequence"], "step, sequence.")
ROOT = flags.DEFINE_string("root", None, "Presets root (default: exported_models/).")
REPREPARE = flags.DEFINE_bool("reprepare", False, "Re-run the int8 preparation (fine-tuning "
                              "on the training set) instead of using the shipped source.")
WRITE_CALIBRATION = flags.DEFINE_bool("write_calibration", False, "Rewrite the calibration "
                                      "sets from the datasets first (needs the datasets).")
MAX_TEST = flags.DEFINE_integer("max_test_samples", None, "Verify on fewer test samples.")
README = flags.DEFINE_string("readme", None, "README whose tables are refreshed (optional).")
REFRESH_VELA = flags.DEFINE_bool("refresh_vela", False, "Rebuild nothing: compile every "
                                  "int8 step file with Vela (as shipped and as NPU graph) into "
                                  "the card's `vela` record.")
REFRESH_CORTEX_M = flags.DEFINE_bool("refresh_cortex_m", False, "Rebuild nothing: build "
                                      "every int8 step file into Cortex-M firmware (CMSIS-NN "
                                      "and reference kernels), run it under QEMU, record it "
                                      "in the card (needs the sources of "
                                      "snnzoo.export.bundle.cortex_m_sources).")
REFRESH_CORTEX_M_KWS = flags.DEFINE_bool(
    "refresh_cortex_m_kws", False, "Rebuild nothing: run every micro-front-end preset's audio "
    "loop (front end, model, keyword logic) as Cortex-M firmware under QEMU on a test stream, "
    "check its events against snnzoo.streaming.Detector's, record it in the card.")
REFRESH_TFLM = flags.DEFINE_bool("refresh_tflm", False, "Rebuild nothing: measure the TFLM "
                                  "facts of the shipped int8 files again (manifest + card).")


def main(argv):
    del argv
    from snnzoo import presets
    from snnzoo.zoo import build
    from snnzoo.zoo import package
    from snnzoo.zoo import readme

    names = PRESETS.value or presets.list_presets()
    if REFRESH_VELA.value:
        _refresh_vela(names)
        return
    if REFRESH_CORTEX_M.value:
        _refresh_cortex_m(names)
        return
    if REFRESH_CORTEX_M_KWS.value:
        _refresh_cortex_m_kws(names)
        return
    if REFRESH_TFLM.value:
        for name in names:
            for e in build.refresh_tflm(name, ROOT.value, MAX_TEST.value):
                t = e["tflm"]
                agree = ("" if not t["loads"] else f", accuracy {100 * t['accuracy']:.2f}%, "
                         f"TFLM = LiteRT on {100 * t['agreement_with_litert']:.1f}% "
                         f"(builtin kernels {100 * t['agreement_with_litert_builtin']:.1f}%)")
                print(f"{e['file']}: TFLM {'loads' if t['loads'] else 'fails'}{agree}")
        if README.value:
            readme.update_readme(README.value, ROOT.value)
        return
    if WRITE_CALIBRATION.value:
        # One file per dataset: presets trained on the same data share it.
        by_file = {presets.registry.get(n)["metadata"]["calibration"]["file"]: n for n in names}
        for name in by_file.values():
            print(f"wrote {build.write_calibration(name, ROOT.value)}")
    for name in names:
        entries = build.build_artifacts(name, QUANTIZATIONS.value, MODES.value, root=ROOT.value,
                                  max_test_samples=MAX_TEST.value, reprepare=REPREPARE.value)
        for e in entries:
            v = e["verification"]
            print(f"{e['file']}: {e['bytes']:,} bytes, accuracy {100 * v['tflite_accuracy']:.2f}% "
                  f"(Keras {100 * v['keras_accuracy']:.2f}%)")
    if README.value:
        readme.update_readme(README.value, ROOT.value)


def _refresh_cortex_m(names):
    from snnzoo.zoo import mcu
    from snnzoo.zoo import readme

    for name in names:
        for file, record in mcu.refresh_cortex_m(name, ROOT.value).items():
            runs = ", ".join(f"{k}: {r['instructions_per_frame']:,} instructions/frame, flash "
                             f"{r['flash_bytes']:,} B, RAM {r['ram_bytes']:,} B"
                             for k, r in record["kernels"].items())
            print(f"{name}/{file}: firmware bytes = TFLM on {record['frames']:,} frames; {runs}")
    if README.value:
        readme.update_readme(README.value, ROOT.value)


def _refresh_cortex_m_kws(names):
    from snnzoo.presets import store
    from snnzoo.zoo import mcu_kws
    from snnzoo.zoo import readme

    for name in names:
        if (store.card(name).get("frontend") or {}).get("kind") != "micro":
            continue
        r = mcu_kws.refresh_kws_loop(name, ROOT.value)
        print(f"{name}: {r['events']} events on a {r['stream_s']:g} s stream, the same as the "
              f"Detector's; {r['instructions_per_second']:,} instructions per second of audio, "
              f"flash {r['flash_bytes']:,} B, RAM {r['ram_bytes']:,} B")
    if README.value:
        readme.update_readme(README.value, ROOT.value)


def _refresh_vela(names):
    from snnzoo.zoo import npu
    from snnzoo.zoo import readme

    for name in names:
        for file, record in npu.refresh_vela(name, ROOT.value).items():
            same = record["tflm_identical"]
            shares = ", ".join(
                f"{t}: {100 * r['as_shipped']['npu_share']:.0f}% -> "
                f"{100 * r['npu_graph']['npu_share']:.0f}% on the NPU"
                for t, r in record["targets"].items())
            print(f"{name}/{file}: {record['rewritten_pairs']} compare-select pairs lowered, "
                  f"TFLM bytes identical on {same['frames']:,} frames; {shares}")
    if README.value:
        readme.update_readme(README.value, ROOT.value)


if __name__ == "__main__":
    app.run(main)
