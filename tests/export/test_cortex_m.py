"""Cortex-M firmware under emulation (`snnzoo.export.bundle.cortex_m`): every
shipped int8 step file, built with arm-none-eabi-gcc against TFLM and CMSIS-NN
at their pinned commits and run on QEMU's mps2-an386 (Cortex-M4), prints the
same output and state bytes as `MicroStreamingRunner` on the same frames.

Marked `mcu`: it needs gcc-arm-none-eabi, libnewlib-arm-none-eabi and
qemu-system-arm, and the source repositories of
`snnzoo.export.bundle.cortex_m_sources.PINS` (SNNZOO_TFLM_SRC, ...); without
them it skips and says what to install or set. `.ci/run` runs it where they are."""

import os

import pytest

pytest.importorskip("tflite_micro")

from snnzoo import presets  # noqa: E402
from snnzoo.export.bundle import cortex_m  # noqa: E402
from snnzoo.export.bundle import cortex_m_sources  # noqa: E402
from snnzoo.export.bundle import manifest  # noqa: E402
from snnzoo.zoo import mcu  # noqa: E402

BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)

ROOT = presets.presets_root()
STEPS = [e for e in manifest.read(ROOT)["artifacts"]
         if e["quantization"] == "int8" and e["mode"] == "step"]
# The reference kernels on every file are the slow tests; these two run by default.
REFERENCE_FAST = {"lif_speech_commands_2x128", "spiking_lstm_smnist_rows"}


def _why_not():
    missing = cortex_m_sources.toolchain_missing()
    _, absent = cortex_m_sources.find_sources()
    return missing or (absent and "set the pinned source repositories: " + ", ".join(absent))


needs_mcu = pytest.mark.skipif(bool(_why_not()), reason=_why_not() or "")


@pytest.fixture(scope="module")
def sources():
    return mcu.prepared_sources()


def _frames(entry):
    from snnzoo.presets import evaluation
    from snnzoo.presets.spec import PresetSpec

    spec = PresetSpec.resolve(entry["preset"])
    x = evaluation.evaluation_data(spec.evaluation, spec.root)[0][:1]
    return mcu.int8_frames(os.path.join(ROOT, entry["file"]), x)


def _check(entry, kernels, sources, tmp_path):
    path = os.path.join(ROOT, entry["file"])
    frames = _frames(entry)
    run = cortex_m.emulate(path, frames, sources, os.path.join(mcu.cache_dir(), "build"),
                           kernels, name=f"t_{entry['preset']}")
    mcu.check_identical(run, mcu.reference_run(path, frames), entry["preset"])
    assert len(run["outputs"]) == frames.shape[0] * frames.shape[1]
    record = presets.card(entry["preset"])["cortex_m"][os.path.basename(entry["file"])]
    recorded = record["kernels"][kernels]
    assert (run["flash_bytes"], run["ram_bytes"], run["arena_bytes"]) == (
        recorded["flash_bytes"], recorded["ram_bytes"], recorded["arena_used_bytes"])
    assert run["instructions_per_frame"] == pytest.approx(recorded["instructions_per_frame"],
                                                          rel=0.05)
    assert run["arena_bytes"] <= presets.card(entry["preset"])["tflm"][
        os.path.basename(entry["file"])]["arena_bytes"]  # 32-bit needs no more than the host


@pytest.mark.mcu
@needs_mcu
@pytest.mark.parametrize("entry", STEPS, ids=[e["preset"] for e in STEPS])
def test_firmware_bytes_equal_tflm_with_cmsis_nn(entry, sources, tmp_path):
    _check(entry, "cmsis_nn", sources, tmp_path)


@pytest.mark.mcu
@needs_mcu
@pytest.mark.parametrize("entry", [pytest.param(e, marks=() if e["preset"] in REFERENCE_FAST
                                                else pytest.mark.slow) for e in STEPS],
                         ids=[e["preset"] for e in STEPS])
def test_firmware_bytes_equal_tflm_with_reference_kernels(entry, sources, tmp_path):
    _check(entry, "reference", sources, tmp_path)


def test_memory_is_read_from_the_linker_map(tmp_path):
    text = "\n".join([".text           0x00000000     0x1000",
                      ".ARM.exidx      0x00001000        0x8",
                      ".test_frames    0x00001008      0x200",
                      ".data           0x20000000       0x40 load address 0x00001208",
                      ".bss            0x20000040      0x800",
                      ".comment        0x00000000       0x33"])
    (tmp_path / "m.map").write_text(text)
    assert cortex_m.memory_use(str(tmp_path / "m.map")) == {
        "flash_bytes": 0x1000 + 0x8 + 0x40, "ram_bytes": 0x40 + 0x800,
        "test_frames_bytes": 0x200}


def test_bad_frames_and_kernels_are_refused_before_any_build(tmp_path):
    import numpy as np

    path = os.path.join(ROOT, STEPS[0]["file"])
    with pytest.raises(ValueError, match="frames.*int8 frames of shape"):
        cortex_m.emulate(path, np.zeros((1, 3, 5), np.float32), str(tmp_path), str(tmp_path))
    with pytest.raises(ValueError, match="kernels.*cmsis_nn"):
        cortex_m.emulate(path, np.zeros((1, 3, 40), np.int8), str(tmp_path), str(tmp_path),
                         kernels="fast")
    assert os.listdir(tmp_path) == []
