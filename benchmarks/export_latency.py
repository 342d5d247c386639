"""Edge export: size and per-step latency (batch 1) of the exported step
graphs vs the Keras model, measured side by side in one process.

For each preset: the `.keras` file size vs the float32 and int8 step
`.tflite` files; per-frame latency of one Keras step (`StepGraph.step`
inside a `tf.function`, the fair compiled form of a Keras single-step call),
of the float32 step graph and of the int8 step graph in the LiteRT
interpreter (1 thread, XNNPACK as shipped), median over repeats after a
warm-up. Run under the TF backend (set here).

    python benchmarks/export_latency.py [--presets a,b] [--frames 300]
"""

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")


def _median_us(fn, frames, repeats):
    fn(0)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for t in range(frames):
            fn(t)
        times.append((time.perf_counter() - start) / frames * 1e6)
    return statistics.median(times)


def measure(name, frames, repeats):
    import tensorflow as tf

    from snnzoo import presets
    from snnzoo.export import StepGraph
    from snnzoo.export import StreamingRunner
    from snnzoo.presets.artifacts import artifact_name

    folder = presets.path(name)
    model = presets.load(name)
    x, _ = presets.evaluation_data(name)
    seq = x[0]
    graph = StepGraph(model)
    states = [tf.constant(s) for s in graph.initial_states(1)]
    step = tf.function(lambda f, s: graph.step(f, s), autograph=False)
    frames_t = [tf.constant(seq[t % len(seq)][None]) for t in range(frames)]

    def keras_step(t):
        out, _ = step(frames_t[t % frames], states)
        return out

    row = {"preset": name, "keras_bytes": os.path.getsize(os.path.join(folder, "model.keras"))}
    row["keras_step_us"] = _median_us(keras_step, frames, repeats)
    for q in ("float32", "int8"):
        path = os.path.join(folder, artifact_name(q, "step"))
        if not os.path.exists(path):
            continue
        runner = StreamingRunner(path)
        row[f"{q}_bytes"] = os.path.getsize(path)
        row[f"{q}_step_us"] = _median_us(lambda t: runner.step(seq[t % len(seq)]), frames,
                                         repeats)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presets", default="")
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results",
                                                      "export_latency.json"))
    args = parser.parse_args()
    from snnzoo import presets

    names = [n for n in args.presets.split(",") if n] or presets.list_presets()
    rows = [measure(n, args.frames, args.repeats) for n in names]
    print(f"{'preset':34s} {'size f32/keras':>14s} {'size i8/f32':>11s} "
          f"{'keras us':>9s} {'f32 us':>8s} {'i8 us':>8s} {'keras/f32':>9s} {'f32/i8':>7s}")
    for r in rows:
        if "int8_step_us" not in r:
            print(f"{r['preset']:34s} (no step artifacts)")
            continue
        print(f"{r['preset']:34s} {r['float32_bytes'] / r['keras_bytes']:14.2f} "
              f"{r['int8_bytes'] / r['float32_bytes']:11.2f} {r['keras_step_us']:9.1f} "
              f"{r['float32_step_us']:8.1f} {r['int8_step_us']:8.1f} "
              f"{r['keras_step_us'] / r['float32_step_us']:9.2f} "
              f"{r['float32_step_us'] / r['int8_step_us']:7.2f}")
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
