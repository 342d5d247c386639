"""Cost of the hybrid LSTM (Ponghiran) vs its ANN: forward time per batch.

HardLSTM-128 on row-wise sMNIST shapes (28 steps x 28 inputs), converted to
`HybridLSTMCell` at T SNN steps per LSTM step; both models compiled
(`predict`), timed on the same batch after a warm-up, median of repeats.
Each backend runs in its own process.

    python benchmarks/hybrid_speed.py [--timesteps 64] [--batch 128]
"""

import argparse
import json
import os
import subprocess
import sys
import time


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


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--timesteps", type=int, default=64)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        print("RESULT " + json.dumps(worker(a.timesteps, a.batch, a.repeats)))
        return
    print(f"HardLSTM-128, 28x28 input, batch {a.batch}, hybrid T={a.timesteps}; "
          f"median of {a.repeats} forward passes")
    print(f"{'backend':10s} | {'ANN (ms)':>9s} | {'hybrid (ms)':>11s} | {'hybrid / ANN':>12s}")
    for backend in ("jax", "tensorflow"):
        env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
        cmd = [sys.executable, __file__, "--worker", "--timesteps", str(a.timesteps),
               "--batch", str(a.batch), "--repeats", str(a.repeats)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        line = [l for l in proc.stdout.splitlines() if l.startswith("RESULT ")]
        if not line:
            print(proc.stderr[-2000:], file=sys.stderr)
            continue
        r = json.loads(line[0][7:])
        print(f"{backend:10s} | {1e3 * r['ann']:9.1f} | {1e3 * r['hybrid']:11.1f} | "
              f"{r['hybrid'] / r['ann']:12.1f}")


if __name__ == "__main__":
    main()
