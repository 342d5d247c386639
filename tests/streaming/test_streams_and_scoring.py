"""Streams are deterministic and their truth points at the clips; scoring
counts hits, false alarms, misses and latency as the module states (hand
examples), and `events_at` is KeywordLogic's threshold decision."""

import numpy as np
import pytest

from snnzoo.export.runtime.keyword_logic import KeywordLogic
from snnzoo.streaming import scoring
from snnzoo.streaming.streams import make_stream
from snnzoo.streaming.streams import speech_bounds

BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)


def _clips():
    rng = np.random.default_rng(0)
    clips = []
    for k in range(6):
        clip = np.zeros(4000)
        clip[1000:3000] = 0.3 * np.sin(np.arange(2000) * (0.05 + 0.01 * k))
        clips.append(clip + 1e-4 * rng.standard_normal(4000))
    return clips, ["a", "b", "c", "a", "b", "x"]


def test_streams_are_deterministic_and_truth_marks_the_voiced_parts():
    clips, names = _clips()
    audio, truth = make_stream(clips, names, ["a", "b"], 8000, segments=2, segment_s=10.0,
                               snrs_db=(None, 10.0), seed=3)
    again, truth2 = make_stream(clips, names, ["a", "b"], 8000, segments=2, segment_s=10.0,
                                snrs_db=(None, 10.0), seed=3)
    np.testing.assert_array_equal(audio, again)
    assert truth == truth2 and len(audio) >= 20 * 8000
    assert {t[2] for t in truth} <= set(names)
    assert all(t[3] == (t[2] in ("a", "b")) for t in truth)
    # the clean segment: each voiced part is the 2,000-sample tone (1000..3000)
    onset, offset = truth[0][:2]
    assert offset - onset == pytest.approx(2000 / 8000, abs=0.02)
    start = int(round(onset * 8000))
    assert np.abs(audio[start:start + 1500]).max() > 0.25
    assert np.abs(audio[start - 400:start - 200]).max() < 1e-3
    assert speech_bounds(clips[0], 8000) == (960, 3040)  # 20 ms frames around the tone


def test_scoring_by_hand():
    truth = [(1.0, 1.5, "a", True), (3.0, 3.4, "x", False), (5.0, 5.5, "b", True),
             (8.0, 8.3, "a", True)]
    events = [(1.2, "a", 0.9),    # hit, latency 1.2 - 1.5 = -0.3
              (1.4, "a", 0.8),    # second event on the same word: false alarm
              (3.1, "b", 0.7),    # during a non-keyword word: false alarm
              (6.4, "b", 0.9),    # 0.9 s after the offset of "b": hit, latency 0.9
              (8.1, "b", 0.9)]    # wrong keyword: false alarm; "a" at 8.0 is missed
    s = scoring.summary(events, truth, hours=0.5)
    assert (s["keywords"], s["detected"], s["false_alarms"]) == (3, 2, 3)
    assert s["miss_rate"] == pytest.approx(1 / 3)
    assert s["false_alarms_per_hour"] == pytest.approx(6.0)
    np.testing.assert_allclose(s["latency_s"], [-0.3, 0.9])
    late = scoring.summary([(6.6, "b", 0.9)], truth, hours=1.0)  # 1.1 s after: too late
    assert late["detected"] == 0 and late["false_alarms"] == 1


def test_events_at_is_the_keyword_logic_decision():
    rng = np.random.default_rng(1)
    q = np.clip(rng.normal(0, 30, (3000, 6)), -128, 127).astype(np.int8)
    q[::150, 2] = 120
    logic = KeywordLogic((0.08, 0), 6, [2, 3, 4], smoothing_frames=3, threshold=0.4,
                         refractory_frames=20)
    steps = [logic.update(frame) for frame in q]
    scores = [s[0][0] for s in steps]
    best = [s[0][1] for s in steps]
    fired = [s[1] for s in steps if s[1] is not None]
    assert scoring.events_at(scores, best, 0.4, 20) == fired and fired
    curve = scoring.det_curve(scores, best, [str(i) for i in range(6)], lambda f: f * 0.02,
                              [], 1.0, 20, thresholds=[0.4, 0.9])
    assert curve[0] == (0.4, float(len(fired)), 0.0)
    assert scoring.miss_at([(0.5, 3.0, 0.2), (0.7, 0.5, 0.4), (0.9, 0.0, 0.6)]) == (0.4, 0.7)
