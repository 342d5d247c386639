"""Ethos-U through Vela (`snnzoo.export.vela`, PyPI `ethos-u-vela`): every
shipped int8 step file, written as its NPU graph, runs 100% of its ops on the
NPU and computes the shipped file's bytes in TFLM; the cards' Vela records are
what Vela reports again here."""

import os

import pytest

pytest.importorskip("tflite_micro")
pytest.importorskip("ethosu.vela", reason="Vela is not installed: pip install ethos-u-vela")

from snnzoo import presets  # noqa: E402
from snnzoo.export import vela  # noqa: E402
from snnzoo.export.bundle import manifest  # noqa: E402
from snnzoo.export.passes.npu_select import COMPARISONS  # noqa: E402

BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)

ROOT = presets.presets_root()
STEPS = [e for e in manifest.read(ROOT)["artifacts"]
         if e["quantization"] == "int8" and e["mode"] == "step"]
SEQUENCES = 2


def _test_x(name):
    from snnzoo.presets import evaluation
    from snnzoo.presets.spec import PresetSpec

    spec = PresetSpec.resolve(name)
    return evaluation.evaluation_data(spec.evaluation, spec.root)[0][:SEQUENCES]


@pytest.mark.parametrize("entry", STEPS, ids=[e["preset"] for e in STEPS])
def test_npu_graph_runs_every_op_on_the_npu_with_the_shipped_bytes(entry, tmp_path):
    from snnzoo.export import describe

    path = os.path.join(ROOT, entry["file"])
    lowered = vela.npu_graph(path, str(tmp_path / "npu.tflite"))
    assert lowered["left"] == []
    ops = describe(lowered["path"])["ops"]
    assert "SELECT_V2" not in ops and not set(ops) & set(COMPARISONS)
    checked = vela.same_bytes(path, lowered["path"], _test_x(entry["preset"]))
    assert checked["frames"] > 0
    report = vela.compile_vela(lowered["path"], str(tmp_path / "u55"), "ethos-u55")
    assert (report["cpu_ops"], report["npu_share"], report["cpu_fallbacks"]) == (0, 1.0, [])
    assert os.path.getsize(report["vela_file"]) > 0
    record = presets.card(entry["preset"])["vela"][os.path.basename(entry["file"])]
    assert record["rewritten_pairs"] == lowered["rewritten"]
    shipped = record["targets"]["ethos-u55"]
    for key in ("npu_ops", "sram_bytes", "off_chip_bytes", "estimated_cycles"):
        assert shipped["npu_graph"][key] == report[key], key


def test_the_shipped_spiking_files_leave_their_spikes_on_the_cpu(tmp_path):
    """What the lowering is for: as shipped, Vela places every comparison and
    SELECT_V2 on the CPU, with its reason."""
    entry = next(e for e in STEPS if e["preset"] == "lif_speech_commands_2x128")
    report = vela.compile_vela(os.path.join(ROOT, entry["file"]), str(tmp_path), "ethos-u65")
    assert report["cpu_ops"] == 4 and report["npu_share"] < 0.95
    assert {f["op"] for f in report["cpu_fallbacks"]} == {"GREATER_EQUAL", "SELECT_V2"}
    assert all(f["reasons"] == ["Unsupported opType"] for f in report["cpu_fallbacks"])
    assert report["accelerator"] == "ethos-u65-256" and report["clock_hz"] == 1e9


def test_bad_targets_are_refused_with_the_choices():
    with pytest.raises(ValueError, match="target.*ethos-u55.*ethos-u65.*'ethos-u99'"):
        vela.target_settings("ethos-u99")
