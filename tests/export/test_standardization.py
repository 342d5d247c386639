"""Runners that carry a preset's feature standardisation: raw frames in,
the same bytes in the graph as frames standardised beforehand, in LiteRT
and TFLM alike; bad pairs are refused before any frame is fed; the TFLM
bundle header carries the per-coefficient constants."""

import os

import numpy as np
import pytest

from snnzoo import presets
from snnzoo.export import StreamingRunner

BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)

SHIPPED = os.path.join(presets.path("lif_speech_commands_2x128"), "model_int8_step.tflite")


def _pair(rng, features=40):
    return (rng.normal(0, 3, features).astype("float32"),
            rng.uniform(0.5, 4.0, features).astype("float32"))


def _raw_and_standardised(rng, pair):
    mean, scale = pair
    raw = rng.normal(0, 4, (12, 40)).astype("float32")
    return raw, (raw - mean) / scale


def test_litert_runner_standardises_raw_frames(rng):
    pair = _pair(rng)
    raw, standardised = _raw_and_standardised(rng, pair)
    carried = StreamingRunner(SHIPPED, standardization=pair)
    plain = StreamingRunner(SHIPPED)
    np.testing.assert_array_equal(carried.quantize_frames(raw), plain.quantize_frames(standardised))
    np.testing.assert_array_equal(carried.run(raw), plain.run(standardised))


def test_tflm_runner_standardises_raw_frames(rng):
    pytest.importorskip("tflite_micro")
    from snnzoo.export.runtime.micro import MicroStreamingRunner

    pair = _pair(rng)
    raw, standardised = _raw_and_standardised(rng, pair)
    np.testing.assert_array_equal(MicroStreamingRunner(SHIPPED, standardization=pair).run(raw),
                                  MicroStreamingRunner(SHIPPED).run(standardised))


@pytest.mark.parametrize("bad, match", [
    ((np.zeros(39), np.ones(39)), "mean"),
    ((np.zeros(40), np.zeros(40)), "every scale > 0"),
    ((np.zeros(40), np.full(40, np.nan)), "finite"),
    (np.zeros(40), "pair"),
])
def test_bad_standardisation_is_refused(bad, match):
    with pytest.raises(ValueError, match=match):
        StreamingRunner(SHIPPED, standardization=bad)


def test_espeak_presets_carry_no_standardisation():
    assert presets.standardization("lif_speech_commands_2x128") is None
