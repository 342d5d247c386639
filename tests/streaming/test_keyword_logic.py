"""The keyword logic against hand-computed numbers, and its C++ twin
(`detector_c`) against it on a long random stream."""

import math
import shutil
import subprocess

import numpy as np
import pytest

from snnzoo.export.bundle.detector_c import HOST_TOOL
from snnzoo.export.bundle.detector_c import detector_header
from snnzoo.export.runtime.keyword_logic import KeywordLogic

BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)


def test_posterior_table_and_events_by_hand():
    # scale ln 2: TABLE[k] = 2 ** (k - 255), so q = (0, 1, -1) gives e = (1/2, 1, 1/4)
    logic = KeywordLogic((math.log(2), 0), 3, [1, 2], smoothing_frames=2, threshold=0.5,
                         refractory_frames=2)
    np.testing.assert_allclose(logic.posterior([0, 1, -1]), [2 / 7, 4 / 7, 1 / 7], rtol=1e-12)
    frames = [[0, 1, -1], [0, 0, 0], [0, 0, 20], [0, 0, 20], [0, 0, 20], [0, 0, 20]]
    events = [logic.update(q)[1] for q in frames]
    strong = 1 / (1 + 2 * 2.0 ** -20)  # p of class 2 when q = (0, 0, 20)
    # frame 0: class 1 at 4/7 >= 0.5 fires; frame 1: (4/7 + 1/3) / 2 = 19/42 < 0.5;
    # frame 2: class 2 at (1/3 + strong) / 2 = 0.667 fires (2 frames after the last);
    # frame 3: refractory; frame 4: fires again; frame 5: refractory.
    assert [e is not None for e in events] == [True, False, True, False, True, False]
    assert events[0][:2] == (0, 1) and events[0][2] == pytest.approx(4 / 7, rel=1e-12)
    assert events[2][:2] == (2, 2) and events[2][2] == pytest.approx((1 / 3 + strong) / 2,
                                                                     rel=1e-12)
    assert events[4][:2] == (4, 2) and events[4][2] == pytest.approx(strong, rel=1e-12)


def test_bad_settings_name_the_argument():
    with pytest.raises(ValueError, match="keywords"):
        KeywordLogic((0.1, 0), 3, [], 2)
    with pytest.raises(ValueError, match="threshold"):
        KeywordLogic((0.1, 0), 3, [1], threshold=0.0)
    with pytest.raises(ValueError, match="smoothing_frames"):
        KeywordLogic((0.1, 0), 3, [1], smoothing_frames=0)


@pytest.mark.skipif(shutil.which("g++") is None, reason="needs g++")
def test_cpp_detector_gives_the_same_events(tmp_path):
    rng = np.random.default_rng(0)
    q = np.clip(rng.normal(0, 40, (20000, 12)), -128, 127).astype(np.int8)
    for start in range(100, len(q), 700):  # bursts of one keyword
        q[start:start + 40, 3 + start % 5] = 100
    logic = KeywordLogic((0.1, -5), 12, range(2, 12), smoothing_frames=10, threshold=0.6,
                         refractory_frames=50)
    ours = [e for e in (logic.update(f)[1] for f in q) if e is not None]
    (tmp_path / "t_detector.h").write_text(detector_header("t", logic))
    (tmp_path / "host.cc").write_text(HOST_TOOL.format(name="t"))
    subprocess.run(["g++", "-std=c++17", "-O2", "-Wall", "-Werror", "-I", str(tmp_path),
                    str(tmp_path / "host.cc"), "-o", str(tmp_path / "host")], check=True)
    out = subprocess.run([str(tmp_path / "host")], input=q.tobytes(), capture_output=True,
                         check=True).stdout.decode().split("\n")
    theirs = [(int(a), int(b), float(c)) for a, b, c in (line.split() for line in out if line)]
    assert len(ours) > 20
    assert theirs == ours
