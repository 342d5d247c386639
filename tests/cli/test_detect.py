"""`snnzoo detect PRESET audio.wav` prints the Detector's events on a
stream rendered from held-out recordings, and refuses bad input in one line."""

import os

import numpy as np
import pytest

from snnzoo import cli

BACKEND_INDEPENDENT = True  # the detector runs the int8 file in LiteRT: no Keras

PRESET = "hard_lstm_fsdd_micro"


@pytest.fixture(scope="module")
def stream_wav(tmp_path_factory):
    import soundfile

    from snnzoo import data
    from snnzoo.streaming.streams import make_stream

    if not os.environ.get("SNNZOO_FSDD"):
        pytest.skip("the stream is made of FSDD recordings (SNNZOO_FSDD)")
    audio, y = data.load("fsdd", "test", return_audio=True)
    audio, truth = make_stream(list(audio[::12]), [str(d) for d in y[::12]],
                               [str(d) for d in range(10)], 8000, segments=2, segment_s=20.0,
                               snrs_db=(None, 20.0))
    path = tmp_path_factory.mktemp("detect") / "stream.wav"
    soundfile.write(path, audio, 8000, subtype="PCM_16")
    return path, audio, truth


def test_detect_prints_the_detectors_events(stream_wav, capsys):
    from snnzoo.zoo.detector_setup import detector_for

    path, audio, _ = stream_wav
    cli.main(["detect", PRESET, str(path), "--threshold", "0.5"])
    lines = capsys.readouterr().out.strip().split("\n")
    detector = detector_for(PRESET, threshold=0.5)
    import soundfile

    events = detector.run(soundfile.read(path, dtype="int16")[0])  # the file's own samples
    assert len(lines) == len(events) + 1 and events
    for line, (time, keyword, score) in zip(lines, events):
        assert line.split() == [f"{time:.2f}", "s", keyword, f"{score:.3f}"]
    assert lines[-1].startswith(f"{len(events)} events in ")


def test_detect_refuses_bad_input(stream_wav, tmp_path):
    import soundfile

    path, audio, _ = stream_wav
    wrong_rate = tmp_path / "16k.wav"
    soundfile.write(wrong_rate, audio[:16000], 16000)
    cases = [([PRESET, str(wrong_rate)], "expected 8000 Hz"),
             ([PRESET, str(tmp_path / "none.wav")], "no file"),
             (["lif_fsdd_2x128", str(path)], "micro front end"),
             ([PRESET, str(path), "--keywords", "ten"], "keywords")]
    for argv, message in cases:
        with pytest.raises(SystemExit) as err:
            cli.main(["detect"] + argv)
        assert message in str(err.value) and "\n" not in str(err.value)
