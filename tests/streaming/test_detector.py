"""`snnzoo.streaming.Detector` on a small int8 step graph of the micro front
end: whole-recording `run` is front end + step graph + keyword logic; TFLM
and LiteRT give the same events; chunked `feed` (C front end) gives `run`'s."""

import os
import shutil

import keras
import numpy as np
import pytest

from snnzoo.data import micro_frontend as mf
from snnzoo.data.features import FeatureParams
from snnzoo.data.frontend import frontend

TF = keras.backend.backend() == "tensorflow"
FRONT = frontend("fsdd", frontend="micro")


@pytest.fixture(scope="module")
def step_file(tmp_path_factory):
    if not TF:
        pytest.skip("exporting the step graph runs under the TF backend")
    from snnzoo import export
    from snnzoo import models

    keras.utils.set_random_seed(0)
    model = models.build("hard_lstm", (49, 40), 10, units=8)
    q = np.random.default_rng(0).integers(-128, 100, (16, 49, 40))
    path = tmp_path_factory.mktemp("det") / "m.tflite"
    export.export_tflite(model, path, "int8", "step", representative_data=(q / 64).astype(
        "float32"), input_grid=(mf.INPUT_SCALE, 0))
    return str(path)


def _audio():
    rng = np.random.default_rng(3)
    t = np.arange(8000 * 6) / 8000
    tone = 0.3 * np.sin(2 * np.pi * (300 + 200 * np.sin(t)) * t) * (np.sin(t * 3) > 0)
    return (tone + 0.01 * rng.standard_normal(len(t))).astype("float32")


def test_run_is_frontend_then_graph_then_logic(step_file):
    from snnzoo.export.runtime.keyword_logic import KeywordLogic
    from snnzoo.export.runtime.streaming_runner import StreamingRunner
    from snnzoo.streaming import Detector

    detector = Detector(step_file, FRONT, FRONT["labels"], threshold=0.15, record=True)
    events = detector.run(_audio())
    frames = mf.stream_frames(_audio(), FeatureParams.micro(8000))
    runner = StreamingRunner(step_file, delegates=False)
    logic = KeywordLogic(runner._output["quantization"], 10, range(10), 10, 0.15, 50)
    expected = []
    for k, frame in enumerate(frames):
        event = logic.update(runner.step_raw(frame))[1]
        if event:
            expected.append(((event[0] * 160 + 240) / 8000, str(event[1]), event[2]))
    assert events == expected and len(detector.trace["scores"]) == len(frames)
    assert len(detector.trace["state_max"][0]) == len(runner.states)


def test_tflm_and_litert_give_the_same_events(step_file):
    from snnzoo.streaming import Detector

    runs = [Detector(step_file, FRONT, FRONT["labels"], threshold=0.15, runtime=r,
                     record=True) for r in ("litert", "tflm")]
    events = [d.run(_audio()) for d in runs]
    assert events[0] == events[1]
    assert runs[0].trace["scores"] == runs[1].trace["scores"]


def test_bad_arguments_name_themselves(step_file):
    from snnzoo.streaming import Detector

    with pytest.raises(ValueError, match="labels"):
        Detector(step_file, FRONT, ["a", "b"])
    with pytest.raises(ValueError, match="keywords"):
        Detector(step_file, FRONT, FRONT["labels"], keywords=["ten"])
    with pytest.raises(ValueError, match="frontend"):
        Detector(step_file, frontend("fsdd"), FRONT["labels"])
    with pytest.raises(ValueError, match="stream_frontend"):
        Detector(step_file, FRONT, FRONT["labels"]).feed(np.zeros(100, np.int16))


@pytest.mark.skipif(not (os.environ.get("SNNZOO_TFLITE_MICRO_SRC") and os.environ.get(
    "SNNZOO_KISSFFT_SRC") and shutil.which("g++")), reason="needs g++ and the pinned sources "
                    "($SNNZOO_TFLITE_MICRO_SRC, $SNNZOO_KISSFFT_SRC)")
def test_chunked_feed_gives_the_events_of_run(step_file, tmp_path):
    from snnzoo.export.bundle import micro_frontend_c as mfc
    from snnzoo.streaming import CMicroFrontend
    from snnzoo.streaming import Detector

    sources = mfc.prepare_sources(os.environ["SNNZOO_TFLITE_MICRO_SRC"],
                                  os.environ["SNNZOO_KISSFFT_SRC"], str(tmp_path / "src"))
    library = mfc.build_stream_library(sources, FRONT, "fsdd", str(tmp_path / "b"))
    live = Detector(step_file, FRONT, FRONT["labels"], threshold=0.15,
                    stream_frontend=CMicroFrontend(library))
    audio = mf.int16_samples(_audio())
    chunked = [e for a in range(0, len(audio), 333) for e in live.feed(audio[a:a + 333])]
    whole = Detector(step_file, FRONT, FRONT["labels"], threshold=0.15).run(audio)
    assert chunked == whole and len(whole) > 0


def test_periodic_state_reset_restarts_the_graph_every_n_frames(step_file):
    from snnzoo.export.runtime.keyword_logic import KeywordLogic
    from snnzoo.export.runtime.streaming_runner import StreamingRunner
    from snnzoo.streaming import Detector

    detector = Detector(step_file, FRONT, FRONT["labels"], threshold=0.15, record=True,
                        state_reset_s=0.5)
    detector.run(_audio())
    assert detector.reset_frames == 25  # 0.5 s of 20 ms frames
    runner = StreamingRunner(step_file, delegates=False)
    logic = KeywordLogic(runner._output["quantization"], 10, range(10), 10, 0.15, 50)
    scores = []
    for k, frame in enumerate(mf.stream_frames(_audio(), FeatureParams.micro(8000))):
        if k and k % 25 == 0:
            runner.reset()
        scores.append(logic.update(runner.step_raw(frame))[0][0])
    assert detector.trace["scores"] == scores
    plain = Detector(step_file, FRONT, FRONT["labels"], threshold=0.15, record=True)
    plain.run(_audio())
    assert plain.trace["scores"] != scores
