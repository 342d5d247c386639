"""Cost of the hybrid LSTM (Ponghiran) vs its ANN: forward time per batch.

HardLSTM-128 on row-wise sMNIST shapes (28 steps x 28 inputs), converted to
`HybridLSTMCell` at T SNN steps per LSTM step; both models compiled
(`predict`), timed on the same batch after a warm-up, median of repeats.
Each backend runs in its own processes, `--rounds` of them interleaved
(jax, tensorflow, jax, ...); the table gives the medians over them and the
range of the per-process ratio (runs vary by 10-25% or more here).

    python benchmarks/hybrid_speed.py [--timesteps 64] [--batch 128] [--rounds 3] [--json FILE]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import result_tables  # noqa: E402 (benchmarks/, beside this script)


def worker(timesteps, batch, repeats):
    import keras
    import numpy as np

    from snnzoo import cells
    from snnzoo import conversion
    from snnzoo import layers

    keras.utils.set_random_seed(0)
    ann = keras.Sequential([keras.Input((28, 28)),
                            layers.SpikingRNN(cells.HardLSTMCell(128, cell_clip=1.0)),
                            keras.layers.Dense(10)])
    x = np.random.default_rng(0).uniform(-1, 1, (batch, 28, 28)).astype("float32")
    out = {}
    for name, model in (("ann", ann),
                        ("hybrid", conversion.convert(ann, "hybrid", timesteps))):
        model.predict(x, batch_size=batch, verbose=0)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            model.predict(x, batch_size=batch, verbose=0)
            times.append(time.perf_counter() - t0)
        out[name] = sorted(times)[len(times) // 2]
    return out


def _one_round(backend, a):
    """One worker process: `{"ann": s, "hybrid": s}` medians, or None."""
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    cmd = [sys.executable, __file__, "--worker", "--timesteps", str(a.timesteps),
           "--batch", str(a.batch), "--repeats", str(a.repeats)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    line = [l for l in proc.stdout.splitlines() if l.startswith("RESULT ")]
    if not line:
        print(proc.stderr[-2000:], file=sys.stderr)
        return None
    return json.loads(line[0][7:])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--timesteps", type=int, default=64)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--repeats", type=int, default=5, help="forward passes per process")
    p.add_argument("--rounds", type=int, default=3, help="interleaved processes per backend")
    p.add_argument("--json", default=os.path.join(os.path.dirname(__file__), "results",
                                                  "hybrid_speed.json"))
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        print("RESULT " + json.dumps(worker(a.timesteps, a.batch, a.repeats)))
        return
    saved = {"batch": a.batch, "timesteps": a.timesteps, "repeats": a.repeats,
             "rounds": a.rounds, "backends": {}}
    runs = {"jax": [], "tensorflow": []}
    for _ in range(a.rounds):  # interleaved: jax, tensorflow, jax, ...
        for backend, out in runs.items():
            result = _one_round(backend, a)
            if result:
                out.append(result)
    for backend, out in runs.items():
        if out:
            saved["backends"][backend] = {
                "ann": statistics.median(r["ann"] for r in out),
                "hybrid": statistics.median(r["hybrid"] for r in out),
                "ratio": statistics.median(r["hybrid"] / r["ann"] for r in out),
                "ratio_min": min(r["hybrid"] / r["ann"] for r in out),
                "ratio_max": max(r["hybrid"] / r["ann"] for r in out), "rounds": out}
    print("HardLSTM-128, 28x28 input")
    print(result_tables.hybrid_speed(saved))
    if a.json:
        from snnzoo import io as snnzoo_io

        snnzoo_io.write_json(a.json, saved)
        print(f"wrote {a.json}")


if __name__ == "__main__":
    main()
