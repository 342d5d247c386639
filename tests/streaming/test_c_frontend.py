"""The C micro front end as a live stream (ctypes): audio fed in chunks of
any size gives, bit for bit, the frames TF's op computes over the whole
stream in one pass; and a Detector fed chunks gives the events of `run`."""

import glob
import os
import shutil

import numpy as np
import pytest

from snnzoo.data import micro_frontend as mf
from snnzoo.data.features import FeatureParams
from snnzoo.data.frontend import frontend
from snnzoo.export.bundle import micro_frontend_c as mfc
from snnzoo.streaming import CMicroFrontend

BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)

SOURCES = (os.environ.get("SNNZOO_TFLITE_MICRO_SRC"), os.environ.get("SNNZOO_KISSFFT_SRC"))
pytestmark = pytest.mark.skipif(
    not all(SOURCES) or shutil.which("g++") is None,
    reason="needs g++ and $SNNZOO_TFLITE_MICRO_SRC / $SNNZOO_KISSFFT_SRC (pinned sources)")


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("stream")
    sources = mfc.prepare_sources(*SOURCES, str(root / "src"))
    return mfc.build_stream_library(sources, frontend("fsdd", frontend="micro"), "fsdd",
                                    str(root / "build"))


def _stream():
    import soundfile

    folder = os.environ.get("SNNZOO_FSDD")
    rng = np.random.default_rng(0)
    parts = [(0.003 * rng.standard_normal(4000)).astype("float32")]
    if folder:
        for f in sorted(glob.glob(os.path.join(folder, "**", "*_theo_*.wav"),
                                  recursive=True))[:20]:
            parts += [soundfile.read(f, dtype="float32")[0],
                      (0.003 * rng.standard_normal(int(rng.integers(800, 8000)))).astype("float32")]
    return mf.int16_samples(np.concatenate(parts))


def test_chunks_of_any_size_give_the_whole_stream_frames(library):
    audio = _stream()
    whole = mf.stream_frames(audio, FeatureParams.micro(8000))
    front = CMicroFrontend(library)
    rng = np.random.default_rng(1)
    cuts = np.cumsum(rng.integers(1, 700, len(audio) // 100))
    cuts = [0] + [int(c) for c in cuts if c < len(audio)] + [len(audio)]
    chunks = [front.process(audio[a:b]) for a, b in zip(cuts[:-1], cuts[1:])]
    np.testing.assert_array_equal(np.concatenate(chunks), whole)
    front.reset()
    np.testing.assert_array_equal(front.process(audio), whole)
    front.close()
