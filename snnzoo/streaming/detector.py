"""Keyword spotting on an endless stream: front end, int8 step graph with
states never reset, then `KeywordLogic` (posterior smoothing, threshold,
refractory window), giving events `(time s, keyword, score)`."""

import numpy as np

from snnzoo import validation
from snnzoo.data import micro_frontend
from snnzoo.data.features import micro_params
from snnzoo.export.runtime.interpreter import describe
from snnzoo.export.runtime.keyword_logic import KeywordLogic
from snnzoo.export.runtime.micro import MicroStreamingRunner
from snnzoo.export.runtime.streaming_runner import StreamingRunner
from snnzoo.export.signature import OUTPUT_NAME

RUNTIMES = ("litert", "tflm")


def default_keywords(labels):
    """The labels that may fire: every label but silence and unknown (names in
    `_..._`).

    Args:
        labels: class names, in output order.

    Returns:
        The keyword names, in order.
    """
    return [name for name in labels if not (name.startswith("_") and name.endswith("_"))]


def _runner(step_file, runtime):
    if runtime == "tflm":
        return MicroStreamingRunner(step_file)
    if runtime == "litert":
        # builtin kernels: the bytes TFLM computes (XNNPACK rounds some int8 ops otherwise)
        return StreamingRunner(step_file, delegates=False)
    return validation.fail("runtime", f"one of {RUNTIMES}", runtime)


def _scored_tensor(info, score_state):
    """The detail of the tensor whose int8 values are scored."""
    if score_state is None:
        return info["outputs"][OUTPUT_NAME]
    states = sorted(k for k in info["inputs"] if k.startswith("state_"))
    if score_state not in states:
        validation.fail("score_state", f"None or a state of the graph ({', '.join(states)})",
                        score_state)
    return info["inputs"][score_state]


class Detector:
    """Events from audio, chunk by chunk or a whole recording at once.

    Args:
        step_file: an int8 step graph whose input is the micro front end's
            int8 frames (a `*_micro` preset's `model_int8_step.tflite`).
        frontend: the card's front-end description (`card["frontend"]`).
        labels: class names, in output order.
        keywords: the names that may fire (default: `default_keywords`).
        runtime: "litert" or "tflm" (TensorFlow Lite Micro; the same bytes).
        smoothing_s: posterior smoothing window in seconds (`KeywordLogic`,
            rounded to frames).
        threshold: smoothed posterior that fires an event (`KeywordLogic`).
        refractory_s: seconds after an event in which that keyword cannot
            fire again (rounded to frames).
        stream_frontend: a `CMicroFrontend` for `feed` (live chunks).
        record: keep per-frame scores and max |state| per state tensor in
            `trace` (for benchmarks).
        score_state: None (score the graph's output), or the name of the
            state ("state_06") whose int8 values are the class scores: the leaky
            readout's membrane (`readout_v`) of a max-over-time model, whose
            output is a running max since power-up and so never comes down
            on an endless stream.
        state_reset_s: None (states never reset), or reset the model's
            states to zero every this many seconds (rounded to frames), a
            stated fix for states that drift; the bundle's loop does the same.

    Raises:
        ValueError: `step_file` is missing or not a step graph, `labels` do
            not match the outputs, unknown `keywords`, or a negative time.
    """

    def __init__(self, step_file, frontend, labels, keywords=None, runtime="litert",
                 smoothing_s=0.2, threshold=0.6, refractory_s=1.0, stream_frontend=None,
                 record=False, state_reset_s=None, score_state=None):
        self.params = micro_params(frontend)
        info = describe(validation.existing_file(step_file, "step_file", ".tflite"))
        out = _scored_tensor(info, score_state)
        self.score_state = score_state
        self.labels = [str(n) for n in labels]
        if len(self.labels) != int(np.prod(out["shape"])):
            validation.fail("labels", f"{int(np.prod(out['shape']))} names (the outputs)",
                            len(self.labels))
        keywords = default_keywords(self.labels) if keywords is None else list(keywords)
        unknown = sorted(set(keywords) - set(self.labels))
        if unknown:
            validation.fail("keywords", f"names among {self.labels}", unknown)
        self.frame_s = self.params.hop_samples / self.params.sample_rate
        self.logic = KeywordLogic(
            (out["scale"], out["zero_point"]), len(self.labels),
            [self.labels.index(k) for k in keywords],
            smoothing_frames=max(1, round(validation.number(smoothing_s, "smoothing_s", 0)
                                          / self.frame_s)),
            threshold=threshold,
            refractory_frames=round(validation.number(refractory_s, "refractory_s", 0)
                                    / self.frame_s))
        self.reset_frames = (None if state_reset_s is None else max(1, round(
            validation.number(state_reset_s, "state_reset_s", 0, low_open=True) / self.frame_s)))
        self.runner = _runner(step_file, runtime)
        self._scored = (None if score_state is None
                        else self.runner.state_inputs.index(score_state))
        self.stream_frontend = stream_frontend
        self.record = bool(record)
        self.reset()

    def reset(self):
        """Power-up: states at zero, no history, a fresh front end."""
        self.runner.reset()
        self.logic.reset()
        if self.stream_frontend is not None:
            self.stream_frontend.reset()
        self.trace = {"scores": [], "best": [], "state_max": []}
        self._grids = self.runner.state_grids()

    def frame_time(self, frame):
        """Seconds from the stream's start to the end of frame `frame`'s window."""
        return (frame * self.params.hop_samples + self.params.window_samples) / (
            self.params.sample_rate)

    def feed_frames(self, frames):
        """int8 front-end frames `(n, channels)` in order; returns the events."""
        frames = np.asarray(frames)
        if frames.dtype != np.int8 or frames.ndim != 2 or frames.shape[1] != (
                self.params.num_mel_bins):
            validation.fail("frames", f"int8 frames (n, {self.params.num_mel_bins})",
                            f"{frames.dtype} {frames.shape}")
        events = []
        for frame in frames:
            if self.reset_frames and self.logic.frame and self.logic.frame % self.reset_frames == 0:
                self.runner.reset()
            out = self.runner.step_raw(frame)
            if self._scored is not None:
                out = self.runner.states[self._scored]
            (score, best), event = self.logic.update(out)
            if self.record:
                self._record(score, best)
            if event is not None:
                events.append((self.frame_time(event[0]), self.labels[event[1]], event[2]))
        return events

    def _record(self, score, best):
        self.trace["scores"].append(score)
        self.trace["best"].append(best)
        self.trace["state_max"].append([
            max(abs(int(s.max()) - zero), abs(int(s.min()) - zero)) * scale
            for s, (scale, zero) in zip(self.runner.states, self._grids)])

    def feed(self, samples):
        """A chunk of int16 samples (live audio); returns the events it completes."""
        if self.stream_frontend is None:
            validation.fail("stream_frontend", "a CMicroFrontend for chunked audio (or use "
                            "run() on a whole recording)", None)
        return self.feed_frames(self.stream_frontend.process(
            micro_frontend.int16_samples(samples)))

    def run(self, audio):
        """Events of a whole recording, from power-up (the front end computed
        over it in one pass with one state, as the device does)."""
        audio = validation.array(np.asarray(audio, "float32") if np.asarray(audio).dtype
                                 != np.int16 else audio.astype("float32") / 32768.0,
                                 "audio", ndim=1)
        self.reset()
        return self.feed_frames(micro_frontend.stream_frames(audio, self.params))
