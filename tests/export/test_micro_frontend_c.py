"""TFLM's micro frontend built from its C sources on this host gives the
same uint16 frames, bit for bit, as TF's audio_microfrontend op, on the real
FSDD recordings and on synthetic clips; the generated config header maps
every uint16 value to the int8 feature as `micro_frontend.to_int8` does.

The sources come from git repositories holding the pinned commits
(`micro_frontend_c.PINS`): $SNNZOO_TFLITE_MICRO_SRC and $SNNZOO_KISSFFT_SRC
(.ci/run points them at the fetch cache when it is there)."""

import glob
import os
import shutil
import subprocess

import numpy as np
import pytest

from snnzoo.data import micro_frontend as mf
from snnzoo.data.features import FeatureParams
from snnzoo.data.frontend import frontend
from snnzoo.export.bundle import micro_frontend_c as mfc

BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)

SOURCES = {"tflite_micro": os.environ.get("SNNZOO_TFLITE_MICRO_SRC"),
           "kissfft": os.environ.get("SNNZOO_KISSFFT_SRC")}
pytestmark = pytest.mark.skipif(
    not all(SOURCES.values()) or shutil.which("g++") is None or shutil.which("gcc") is None,
    reason="needs gcc/g++ and git repositories of tflite-micro and kissfft at the pinned "
           "commits in $SNNZOO_TFLITE_MICRO_SRC and $SNNZOO_KISSFFT_SRC")


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    return mfc.prepare_sources(SOURCES["tflite_micro"], SOURCES["kissfft"],
                               str(tmp_path_factory.mktemp("frontend") / "src"))


def _tool(sources, sample_rate, folder):
    description = frontend("espeak_commands" if sample_rate == 16000 else "fsdd",
                           frontend="micro")
    return mfc.build_host_tool(sources, description, f"check{sample_rate}", str(folder))


def _synthetic(sample_rate):
    rng = np.random.default_rng(sample_rate)
    t = np.arange(sample_rate) / sample_rate
    chirp = np.sin(2 * np.pi * (100 + 0.45 * sample_rate * t / 2) * t)
    clips = [np.zeros(sample_rate), 0.3 * np.sin(2 * np.pi * 440 * t), chirp,
             np.sign(np.sin(2 * np.pi * 97 * t)) * 1.5,  # clipped square wave
             0.01 * rng.standard_normal(sample_rate), 0.5 * rng.standard_normal(2 * sample_rate),
             0.2 * rng.standard_normal(sample_rate // 50),  # shorter than one window
             chirp * np.linspace(0, 1, sample_rate) + 0.05 * rng.standard_normal(sample_rate)]
    return [mf.int16_samples(c) for c in clips]


def _compare(tool, clips, params):
    ours = mfc.run_host_tool(tool, clips, params.num_mel_bins)
    for k, (c_frames, clip) in enumerate(zip(ours, clips)):
        np.testing.assert_array_equal(c_frames, mf.filterbanks(clip, params), err_msg=f"clip {k}")


@pytest.mark.parametrize("sample_rate", [16000, 8000])
def test_c_frontend_matches_the_tf_op_on_synthetic_clips(sources, sample_rate, tmp_path):
    _compare(_tool(sources, sample_rate, tmp_path), _synthetic(sample_rate),
             FeatureParams.micro(sample_rate))


def test_c_frontend_matches_the_tf_op_on_real_recordings(sources, tmp_path):
    import soundfile

    folder = os.environ.get("SNNZOO_FSDD")
    if not folder:
        pytest.skip("needs the FSDD recordings (SNNZOO_FSDD)")
    files = sorted(glob.glob(os.path.join(folder, "**", "*.wav"), recursive=True))[::5]
    clips = [soundfile.read(f, dtype="int16")[0] for f in files]
    assert len(clips) >= 400
    _compare(_tool(sources, 8000, tmp_path), clips, FeatureParams.micro(8000))


def test_header_int8_map_is_micro_speech(sources, tmp_path):
    header = mfc.config_header(frontend("fsdd", frontend="micro"), "map")
    (tmp_path / "map_frontend_config.h").write_text(header)
    (tmp_path / "map.cc").write_text(
        '#include <cstdio>\n#include "map_frontend_config.h"\n'
        "int main() { for (int v = 0; v < 65536; ++v) "
        "std::printf(\"%d\\n\", map_frontend::ToInt8(static_cast<uint16_t>(v))); }\n")
    tflm = os.path.join(sources, "tflite-micro")
    subprocess.run(["g++", "-std=c++17", "-Wall", "-Werror", "-I", tflm, "-I", str(tmp_path),
                    str(tmp_path / "map.cc"), "-o", str(tmp_path / "map")], check=True)
    out = subprocess.run([str(tmp_path / "map")], capture_output=True, text=True, check=True)
    np.testing.assert_array_equal(np.array(out.stdout.split(), int),
                                  mf.to_int8(np.arange(65536)).astype(int))


def test_sources_must_hold_the_pinned_commit(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path / "empty")], check=True)
    with pytest.raises(ValueError, match="tflite_micro.*e38f4882"):
        mfc.prepare_sources(str(tmp_path / "empty"), SOURCES["kissfft"], str(tmp_path / "o"))
    with pytest.raises(ValueError, match="kissfft"):
        mfc.prepare_sources(SOURCES["tflite_micro"], str(tmp_path / "nowhere"),
                            str(tmp_path / "o"))
