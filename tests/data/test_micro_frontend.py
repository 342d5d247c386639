"""The micro_speech front end in Python: settings, frame counts, the int8
map against hand-computed numbers, and the loaders' `frontend="micro"`."""

import numpy as np
import pytest

from snnzoo.data import micro_frontend as mf
from snnzoo.data.features import FeatureParams

BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)


def test_int8_map_hand_computed():
    # q = (v * 256 + 333) // 666 - 128, clipped
    v = np.array([0, 1, 2, 333, 334, 665, 666, 1000, 65535], "uint16")
    expected = [-128, -128, -127, 0, 0, 127, 127, 127, 127]
    # by hand: 1 -> (256+333)//666 = 0 -> -128; 2 -> 845//666 = 1 -> -127;
    # 333 -> 85581//666 = 128 -> 0; 334 -> 85837//666 = 128 -> 0;
    # 665 -> 170573//666 = 256 -> 128 -> clipped 127
    assert mf.to_int8(v).tolist() == expected


def test_micro_params_follow_micro_speech():
    p16, p8 = FeatureParams.micro(16000), FeatureParams.micro(8000)
    assert (p16.window_samples, p16.hop_samples, p16.fmax) == (480, 320, 7500.0)
    assert (p8.window_samples, p8.hop_samples, p8.fmax) == (240, 160, 3800.0)
    # whole windows only: 1 + (16000 - 480) // 320 = 49
    assert p16.num_frames == 49 and p8.num_frames == 49
    options = mf.op_options(p8)
    assert options["sample_rate"] == 8000 and options["upper_band_limit"] == 3800.0
    assert options["enable_pcan"] and options["scale_shift"] == 6


def test_features_are_int8_steps_of_the_input_scale():
    rng = np.random.default_rng(0)
    audio = (0.1 * rng.standard_normal(16000)).astype("float32")
    p = FeatureParams.micro(16000)
    x = mf.features(audio, p)
    q = x / mf.INPUT_SCALE
    assert x.shape == (49, 40)
    np.testing.assert_array_equal(q, np.round(q))
    assert q.min() >= -128 and q.max() <= 127
    np.testing.assert_array_equal(q.astype("int8"), mf.to_int8(mf.filterbanks(audio, p)))


def test_int16_samples_round_soundfile_floats_back():
    ints = np.array([-32768, -1, 0, 1, 32767], "int16")
    np.testing.assert_array_equal(mf.int16_samples(ints / 32768.0), ints)
    assert mf.int16_samples(np.array([2.0, -2.0])).tolist() == [32767, -32768]


def test_fsdd_loads_with_the_micro_frontend(tmp_path):
    import os

    from snnzoo import data

    if not os.environ.get("SNNZOO_FSDD"):
        pytest.skip("needs the FSDD recordings (SNNZOO_FSDD)")
    x, y = data.load("fsdd", "validation", data_dir=str(tmp_path), frontend="micro")
    assert x.shape == (len(y), 49, 40)
    np.testing.assert_array_equal(x / mf.INPUT_SCALE, np.round(x / mf.INPUT_SCALE))
    with pytest.raises(ValueError, match="standardize"):
        data.load("fsdd", "validation", data_dir=str(tmp_path), frontend="micro",
                  standardize=True)
    with pytest.raises(ValueError, match="frontend"):
        data.load("fsdd", "validation", data_dir=str(tmp_path), frontend="mfcc")
