"""Keyword spotting on endless streams: every micro-front-end preset on long
streams built from held-out recordings, against the HardLSTM.

Streams (`snnzoo.streaming.streams.make_stream`, deterministic): the held-out
clips end to end with 0.5-2.5 s gaps, in four equal segments with no added
noise and pink noise at 20, 10 and 5 dB SNR (speech power over the clips'
voiced parts).
- `fsdd`: REAL recordings of the held-out speaker theo (500 clips); keywords
  are the digits 0-4, the digits 5-9 are non-keyword words;
- `espeak_v2`: the SYNTHETIC v2 test speakers' clips (984 minus the silence
  class); keywords are the 10 command words, the 25 other words are
  non-keyword words.

Each preset's int8 step graph runs over the whole stream from power-up in
LiteRT (the bytes TFLM computes too), its states never reset, through the
device's keyword logic (`KeywordLogic`: 0.2 s posterior smoothing, 1 s
refractory window). Scoring (`snnzoo.streaming.scoring`): a keyword counts
as detected by the first event of the same keyword between its onset and
1 s after its offset; every other event is a false alarm. Printed per
preset: isolated-clip accuracy of the int8 step graph (reset per clip, the
card's test), miss rate at <= 1 false alarm per hour (threshold sweep), the
threshold, median and 95th-percentile latency (event time - word end) at
that point, and the largest |state| of each state tensor over the stream
with the share of frames at the int8 rail.

    python benchmarks/streaming_kws.py                 # 30 min per set (1 h in all)
    python benchmarks/streaming_kws.py --sets fsdd --minutes 8 --state_reset_s 1
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import result_tables  # noqa: E402 (benchmarks/, beside this script)

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PRESETS = {"fsdd": ("hard_lstm_fsdd_micro", "lif_fsdd_micro_2x128", "adlif_fsdd_micro_2x128"),
           "espeak_v2": ("hard_lstm_speech_commands_micro", "adlif_speech_commands_micro_2x128")}
SNRS = (None, 20.0, 10.0, 5.0)


def _clips(name):
    """`(clips, names, keywords, sample rate)` of a set's held-out clips."""
    from snnzoo import data
    from snnzoo.data import fsdd
    from snnzoo.data import speech_commands

    if name == "fsdd":
        audio, y = data.load("fsdd", "test", return_audio=True)
        return list(audio), [str(d) for d in y], [str(d) for d in range(5)], fsdd.SAMPLE_RATE
    audio, y = data.load("espeak_commands", "test", version=2, speakers=800, task=12,
                         return_audio=True)
    labels = speech_commands.labels_for(12)
    keep = [i for i in range(len(y)) if labels[y[i]] != speech_commands.SILENCE]
    return ([audio[i] for i in keep], [labels[y[i]] for i in keep],
            list(speech_commands.WORDS_10), 16000)


def _isolated(step_file, preset):
    """Accuracy (%) of the int8 step graph on the preset's test split, reset per clip."""
    import numpy as np

    from snnzoo import presets
    from snnzoo.export.runtime.streaming_runner import StreamingRunner

    x, y = presets.evaluation_data(preset)
    runner = StreamingRunner(step_file, delegates=False)  # the bytes TFLM computes
    hits = sum(int(np.argmax(runner.run(s)) == t) for s, t in zip(x, y))
    return 100.0 * hits / len(y)


def _state_summary(detector, trace):
    import numpy as np

    maxima = np.asarray(trace["state_max"])  # (frames, states)
    rails = [max(abs(-128 - z), abs(127 - z)) * s for s, z in detector.runner.state_grids()]
    return ([float(v) for v in maxima.max(axis=0)],
            [float(np.mean(maxima[:, k] >= rails[k] - 1e-9)) for k in range(len(rails))])


def _window_accuracy(detector, audio, truth, fresh):
    """Accuracy (%) on 1 s windows centred on each keyword utterance, model
    states from zero, the graph's output after the window (its trained
    decision: the max over time for max-over-time models): the front end
    started afresh per window (as in training and in the isolated test) or
    running since power-up (as on the device). The gap is what the front
    end's state alone costs."""
    import numpy as np

    from snnzoo.data import micro_frontend

    p, runner = detector.params, detector.runner
    whole = None if fresh else micro_frontend.stream_frames(audio, p)
    hits, count = 0, 0
    for onset, offset, name, is_keyword in truth:
        if not is_keyword:
            continue
        start = max(0, int(((onset + offset) / 2 - 0.5) * p.sample_rate))
        frames = (micro_frontend.stream_frames(audio[start:start + p.clip_samples], p) if fresh
                  else whole[start // p.hop_samples:start // p.hop_samples + p.num_frames])
        runner.reset()
        for frame in frames:  # the graph's own decision: its output after the window
            out = runner.step_raw(frame)
        hits += detector.labels[int(np.argmax(np.asarray(out)))] == name
        count += 1
    return 100.0 * hits / max(1, count)


def _one(preset, audio, truth, hours, args, state_reset_s=None):
    import numpy as np

    from snnzoo import presets
    from snnzoo.presets import store
    from snnzoo.streaming import scoring
    from snnzoo.zoo.detector_setup import detector_for
    from snnzoo.zoo.detector_setup import state_names

    labels = presets.card(preset)["frontend"]["labels"]
    step = os.path.join(store.path(preset), "model_int8_step.tflite")
    keywords = sorted({t[2] for t in truth if t[3]}, key=labels.index)
    detector = detector_for(preset, keywords=keywords, record=True, runtime=args.runtime,
                            state_reset_s=state_reset_s)
    detector.run(audio)
    trace = detector.trace
    curve = scoring.det_curve(trace["scores"], trace["best"], detector.labels,
                              detector.frame_time, truth, hours,
                              detector.logic.refractory_frames)
    miss, threshold = scoring.miss_at(curve, 1.0)
    latency = []
    if threshold is not None:
        events = [(detector.frame_time(f), detector.labels[c], s) for f, c, s in
                  scoring.events_at(trace["scores"], trace["best"], threshold,
                                    detector.logic.refractory_frames)]
        latency = scoring.summary(events, truth, hours)["latency_s"]
    state_max, saturated = _state_summary(detector, trace)
    per_minute = int(60 / detector.frame_s)
    maxima = np.asarray(trace["state_max"])
    minutes = [maxima[i:i + per_minute].max(axis=0).tolist()
               for i in range(0, len(maxima), per_minute)]
    windows = {} if state_reset_s else {
        "window_accuracy_fresh_frontend": _window_accuracy(detector, audio, truth, True),
        "window_accuracy_running_frontend": _window_accuracy(detector, audio, truth, False)}
    return {"isolated_int8_accuracy": _isolated(step, preset), "miss_at_1fa": miss, **windows,
            "scores": "readout membrane" if detector.score_state else "output",
            "threshold": threshold, "det": curve,
            "latency_median_s": float(np.median(latency)) if latency else None,
            "latency_p95_s": float(np.percentile(latency, 95)) if latency else None,
            "state_names": [state_names(preset)[int(n.split("_")[1])]
                            for n in detector.runner.state_inputs],
            "state_max": state_max, "state_saturated_fraction": saturated,
            "state_max_per_minute": minutes}


def _facts(minutes, truth):
    return {"minutes": round(minutes, 4), "words": len(truth),
            "keywords": sum(1 for t in truth if t[3])}


def _plots(all_results, folder):
    from snnzoo import plots

    curves = {f"{s}: {p}": r["det"] for s, res in all_results.items() for p, r in res.items()}
    plots.det_curves(curves, os.path.join(folder, "streaming_det.png"))
    traces = {}
    for s, res in all_results.items():
        for p, r in res.items():
            kept = [k for k, n in enumerate(r["state_names"]) if result_tables.kept_state(n)]
            traces[f"{s}: {p}"] = (list(range(len(r["state_max_per_minute"]))),
                                   [[row[k] for k in kept] for row in r["state_max_per_minute"]],
                                   [r["state_names"][k] for k in kept])
    plots.state_maxima(traces, path=os.path.join(folder, "streaming_states.png"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="fsdd,espeak_v2")
    parser.add_argument("--minutes", type=float, default=30.0, help="stream length per set")
    parser.add_argument("--runtime", default="litert", choices=("litert", "tflm"))
    parser.add_argument("--state_reset_s", type=float, default=None,
                        help="also run every preset with its states reset this often")
    parser.add_argument("--json", default="benchmarks/results/streaming_kws.json")
    args = parser.parse_args()
    from snnzoo import presets
    from snnzoo.streaming.streams import make_stream

    out, facts = {}, {}
    for name in args.sets.split(","):
        ours = [p for p in PRESETS[name] if p in presets.BUILTIN_PRESETS and os.path.isfile(
            os.path.join(presets.store.path(p), "model_int8_step.tflite"))]
        clips, names, keywords, rate = _clips(name)
        audio, truth = make_stream(clips, names, keywords, rate, segments=len(SNRS),
                                   segment_s=60 * args.minutes / len(SNRS), snrs_db=SNRS, seed=0)
        hours = len(audio) / rate / 3600
        out[name] = {p: _one(p, audio, truth, hours, args) for p in ours}
        if args.state_reset_s:
            out[name].update({f"{p} (states reset every {args.state_reset_s:g} s)": _one(
                p, audio, truth, hours, args, args.state_reset_s) for p in ours})
        facts[name] = _facts(len(audio) / rate / 60, truth)
        print("\n" + result_tables.stream_set(name, dict(facts[name], snrs_db=SNRS), out[name]))
    _plots(out, os.path.dirname(args.json))
    from snnzoo import io as snnzoo_io

    snnzoo_io.write_json(args.json, {"minutes_per_set": args.minutes, "snrs_db": SNRS,
                                     "runtime": args.runtime,
                                     "state_reset_s": args.state_reset_s, "sets": facts,
                                     "results": out})


if __name__ == "__main__":
    main()
