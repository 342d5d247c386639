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
from snnzoo.export.bundle import cortex_m_kws  # noqa: E402
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



def _frontend_missing():
    from snnzoo.zoo import mcu_kws

    found = [any(os.environ.get(v) for v in names) for names in mcu_kws.FRONTEND_ENV]
    return None if all(found) else ("the audio loop needs the front end's pinned sources: "
                                    "set SNNZOO_TFLITE_MICRO_SRC and SNNZOO_KISSFFT_SRC")


@pytest.mark.mcu
@needs_mcu
@pytest.mark.skipif(bool(_frontend_missing()), reason=_frontend_missing() or "")
@pytest.mark.parametrize("name", ["hard_lstm_fsdd_micro", "lif_fsdd_micro_2x128"])
def test_the_audio_loop_on_the_device_gives_the_python_events(name, sources):
    """int16 audio in, events out, on the emulated Cortex-M4: the bundle's
    `<name>_kws.cc` (the micro front end's C library, the int8 step graph in
    TFLM with CMSIS-NN, the keyword logic; for the LIF, the readout membrane
    as the scores), fed 100 samples at a time, gives the events of
    `snnzoo.streaming.Detector` in TFLM on the same 20 s stream of FSDD test
    recordings: the same frames, keywords and scores to the last bit."""
    from snnzoo.presets.spec import PresetSpec
    from snnzoo.zoo import mcu_kws
    from snnzoo.zoo.detector_setup import detector_for

    samples, _ = mcu_kws.test_stream(PresetSpec.resolve(name))
    detector = detector_for(name, runtime="tflm")
    ours = detector.run(samples)
    run = cortex_m_kws.emulate_kws(os.path.join(presets.path(name), "model_int8_step.tflite"),
                                   presets.card(name)["frontend"], samples, sources,
                                   mcu_kws.frontend_sources(),
                                   os.path.join(mcu.cache_dir(), "build"), name=f"t_{name}",
                                   detection={"score_state": detector.score_state})
    theirs = [(detector.frame_time(f), detector.labels[k], s) for f, k, s in run["events"]]
    assert len(ours) >= 5
    assert theirs == ours
    record = presets.card(name)["cortex_m_kws"]
    assert (record["events"], record["flash_bytes"], record["ram_bytes"]) == (
        len(ours), run["flash_bytes"], run["ram_bytes"])
    assert run["instructions_per_second"] == pytest.approx(record["instructions_per_second"],
                                                           rel=0.05)
