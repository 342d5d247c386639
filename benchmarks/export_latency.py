"""Per-frame latency of the shipped step graphs, side by side in one process.

For each preset, batch 1, one frame per call:

- `keras`: one compiled Keras step (`StepGraph.step` in a `tf.function`,
  the fair compiled form of a single-step Keras call);
- `litert_f32`: the float32 step graph in LiteRT (`StreamingRunner`,
  1 thread, XNNPACK as shipped);
- `litert_i8`: the int8 step graph in LiteRT, int8 states carried as bytes;
- `litert_f32_bare`, `litert_i8_bare`: the interpreters' `invoke()` alone
  (what a runner adds on top is the difference: copying the states, and
  for int8 quantizing the frame and dequantizing the output);
- `litert_f32_run`, `litert_i8_run`: `StreamingRunner.run(sequence)` per
  frame, the same arithmetic as `step` with the frames quantized in one
  pass and only the last output dequantized (what `run_tflite`, evaluation
  and a front end that hands over int8 frames do);
- `tflm_i8`: the int8 step graph in TensorFlow Lite Micro's reference
  kernels (`MicroStreamingRunner`), here on the x86 host: the kernels an
  MCU runs, not an MCU's speed;
- MACs per frame (FULLY_CONNECTED products of the int8 file).

Every implementation is timed in each of `--rounds` interleaved rounds;
the table prints medians and the ratios the issue asks about. Timings vary
10-25% between runs on this machine: compare the ratios.

    python benchmarks/export_latency.py [--presets a,b] [--frames 200] [--rounds 5]
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import result_tables  # noqa: E402 (benchmarks/, beside this script)

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _per_frame_us(fn, per_call, frames):
    """Microseconds per frame of `fn(t)`, which processes `per_call` frames,
    called until at least `frames` frames are done."""
    calls = -(-frames // per_call)
    start = time.perf_counter()
    for t in range(calls):
        fn(t)
    return (time.perf_counter() - start) / (calls * per_call) * 1e6


def _contenders(name, frames):
    """`{label: (fn(t), frames per call)}` for preset `name`: stepping
    frame t of a test sequence, or running the whole sequence."""
    import tensorflow as tf

    from snnzoo import presets
    from snnzoo.export import StepGraph
    from snnzoo.export import StreamingRunner
    from snnzoo.export.runtime.micro import MicroStreamingRunner
    from snnzoo.zoo.build import artifact_name

    folder = presets.path(name)
    x, _ = presets.evaluation_data(name)
    seq = x[0]
    graph = StepGraph(presets.load(name))
    states = [tf.constant(s) for s in graph.initial_states(1)]
    step = tf.function(lambda f, s: graph.step(f, s), autograph=False)
    frames_t = [tf.constant(seq[t % len(seq)][None]) for t in range(frames)]
    f32 = StreamingRunner(os.path.join(folder, artifact_name("float32", "step")))
    i8 = StreamingRunner(os.path.join(folder, artifact_name("int8", "step")))
    micro = MicroStreamingRunner(os.path.join(folder, artifact_name("int8", "step")))
    return {
        "keras": (lambda t: step(frames_t[t], states), 1),
        "litert_f32": (lambda t: f32.step(seq[t % len(seq)]), 1),
        "litert_f32_bare": (lambda t: f32.interpreter.invoke(), 1),
        "litert_f32_run": (lambda t: f32.run(seq), len(seq)),
        "litert_i8": (lambda t: i8.step(seq[t % len(seq)]), 1),
        "litert_i8_bare": (lambda t: i8.interpreter.invoke(), 1),
        "litert_i8_run": (lambda t: i8.run(seq), len(seq)),
        "tflm_i8": (lambda t: micro.step(seq[t % len(seq)]), 1),
    }


def measure(name, frames, rounds):
    from snnzoo.export.tflm_rules import macs_per_invoke
    from snnzoo import presets
    from snnzoo.zoo.build import artifact_name

    contenders = _contenders(name, frames)
    for fn, _ in contenders.values():
        fn(0)  # warm-up (traces the Keras step)
    times = {label: [] for label in contenders}
    for _ in range(rounds):
        for label, (fn, per_call) in contenders.items():
            times[label].append(_per_frame_us(fn, per_call, frames))
    row = {label: statistics.median(v) for label, v in times.items()}
    row["preset"] = name
    row["macs"] = macs_per_invoke(os.path.join(presets.path(name),
                                               artifact_name("int8", "step")))
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presets", default="")
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results",
                                                      "export_latency.json"))
    args = parser.parse_args()
    from snnzoo import io as snnzoo_io
    from snnzoo import presets

    names = [n for n in args.presets.split(",") if n] or presets.list_presets()
    rows = [measure(n, args.frames, args.rounds) for n in names]
    print(f"microseconds per frame, medians of {args.rounds} interleaved rounds x "
          f"{args.frames} frames, batch 1, 1 thread")
    print(result_tables.export_latency(rows))
    snnzoo_io.write_json(args.out, rows)


if __name__ == "__main__":
    main()
