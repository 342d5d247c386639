"""espeak_commands version 2: layout, determinism, and the corruption's SNR."""

import hashlib
import os
import random
import shutil

import numpy as np
import pytest

from snnzoo import data
from snnzoo.data import espeak_v2
from snnzoo.data.espeak_commands import _write

BACKEND_INDEPENDENT = True  # renders and reads audio files: no Keras

NEEDS_ESPEAK = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng not installed")


def _digest(root):
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith((".wav", ".txt")):
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    out[os.path.relpath(path, root)] = hashlib.sha256(f.read()).hexdigest()
    return out


def _quiet_chain(tmp_path, **overrides):
    """The room chain with only its noise on, and one babble file."""
    pytest.importorskip("audiomentations")
    noise = tmp_path / "noise"
    noise.mkdir()
    rng = np.random.default_rng(0)
    _write(str(noise / "babble_00.wav"), 0.3 * rng.standard_normal(32000))
    ranges = dict(espeak_v2.CORRUPTION, p_reverb=0.0, p_band=0.0, p_eq=0.0, p_speed=0.0,
                  p_pitch=0.0, gain_db=(0.0, 0.0), **overrides)
    return espeak_v2.corruption_chain(str(noise), ranges)[1]


@pytest.mark.parametrize("p_babble", [0.0, 1.0])
def test_noise_is_added_at_the_drawn_snr(tmp_path, p_babble):
    room = _quiet_chain(tmp_path, snr_db=(10.0, 10.0), p_babble=p_babble)
    t = np.arange(espeak_v2.SAMPLE_RATE) / espeak_v2.SAMPLE_RATE
    clean = (0.5 * np.sin(2 * np.pi * 440 * t)).astype("float32")
    with espeak_v2.seeded(3):
        noisy = room(clean, sample_rate=espeak_v2.SAMPLE_RATE)
    noise = noisy - clean
    snr = 10 * np.log10(np.mean(clean ** 2) / np.mean(noise ** 2))
    assert snr == pytest.approx(10.0, abs=0.2)


def test_seeded_restores_the_global_generators():
    random.seed(7)
    np.random.seed(7)
    expected = (random.random(), np.random.rand())
    random.seed(7)
    np.random.seed(7)
    with espeak_v2.seeded(123):
        random.random(), np.random.rand()
    assert (random.random(), np.random.rand()) == expected


def test_speakers_are_drawn_from_the_seed():
    a, b = espeak_v2.draw_speakers(50, 0), espeak_v2.draw_speakers(50, 0)
    assert a == b and a != espeak_v2.draw_speakers(50, 1)
    assert len({s["name"] for s in a}) == 50
    assert all(20 <= s["pitch"] <= 90 and 110 <= s["speed"] <= 220 for s in a)


def test_bad_version_and_corruption_keys(tmp_path):
    with pytest.raises(ValueError, match="version.*1 or 2"):
        data.load("espeak_commands", "train", data_dir=str(tmp_path), version=3)
    with pytest.raises(ValueError, match="unknown keys \\['snr'\\]"):
        espeak_v2.render(str(tmp_path / "x"), speakers=1, corruption={"snr": (0, 1)})


@NEEDS_ESPEAK
def test_render_writes_the_gsc_layout_and_a_data_card(tmp_path):
    pytest.importorskip("pyroomacoustics")
    root = str(tmp_path / "v2")
    n = espeak_v2.render(root, speakers=3, seed=1, words=("yes", "cat"), workers=1)
    assert n == 6
    for word in ("yes", "cat"):
        assert len(os.listdir(os.path.join(root, word))) == 3
    noise = sorted(os.listdir(os.path.join(root, "_background_noise_")))
    assert {"white_noise.wav", "pink_noise.wav", "brown_noise.wav", "babble_00.wav"} <= set(noise)
    card = open(os.path.join(root, "DATA_CARD.md")).read()
    assert "SYNTHETIC SPEECH, not recordings of people" in card and "clips: 6" in card
    x, _ = data.load("speech_commands", "train", root=root, task=35)
    rest = [data.load("speech_commands", s, root=root, task=35)[0] for s in ("validation", "test")]
    assert sum(len(a) for a in [x] + rest) == 6
    assert np.isfinite(np.concatenate([x] + rest)).all()


@NEEDS_ESPEAK
@pytest.mark.slow
def test_render_does_not_depend_on_the_worker_count(tmp_path):
    pytest.importorskip("pyroomacoustics")
    one, two = str(tmp_path / "one"), str(tmp_path / "two")
    espeak_v2.render(one, speakers=4, seed=0, words=("no", "seven"), workers=1)
    espeak_v2.render(two, speakers=4, seed=0, words=("no", "seven"), workers=2)
    assert _digest(one) == _digest(two) and len(_digest(one)) > 8
