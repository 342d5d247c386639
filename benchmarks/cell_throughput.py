"""SHD-shaped training/inference throughput of a Cuba-LIF RNN, per backend.

Workload (Dampfhoffer et al. 2022 on SHD): batch 128, T = 250 steps, 700
input channels, 128 Cuba-LIF units, Dense readout, max-over-time loss, Adam.
Each configuration runs in its own process (the Keras backend is fixed at
import); the parent prints one table of samples/s measured side by side.

    python benchmarks/cell_throughput.py            # all configurations
    python benchmarks/cell_throughput.py --quick    # fewer batches
"""

import argparse
import json
import os
import subprocess
import sys
import time

CONFIGS = [
    # (backend, layer, jit_compile)
    ("jax", "SpikingRNN", True),
    ("jax", "keras.layers.RNN", True),
    ("tensorflow", "SpikingRNN", False),
    ("tensorflow", "keras.layers.RNN", False),
    ("tensorflow", "keras.layers.RNN", True),
]


def worker(layer_name, jit_compile, batches, batch_size, steps, inputs, units):
    import keras
    import numpy as np

    import snnzoo

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    n = batches * batch_size
    x = rng.poisson(0.05, size=(n, steps, inputs)).astype("float32")
    y = rng.integers(0, 20, size=(n,))
    cell = snnzoo.cells.CubaLIFCell(units)
    if layer_name == "SpikingRNN":
        rnn = snnzoo.layers.SpikingRNN(cell, return_sequences=True)
    else:
        rnn = keras.layers.RNN(cell, return_sequences=True)
    model = keras.Sequential(
        [keras.Input((steps, inputs)), rnn, keras.layers.Dense(20)]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=snnzoo.losses.MaxOverTimeCrossEntropy(),
        jit_compile=jit_compile,
    )
    # Warm-up: compile train and predict functions.
    model.fit(x[:batch_size], y[:batch_size], batch_size=batch_size, verbose=0)
    model.predict(x[:batch_size], batch_size=batch_size, verbose=0)
    t0 = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0)
    train = n / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    model.predict(x, batch_size=batch_size, verbose=0)
    infer = n / (time.perf_counter() - t0)
    return {"train": train, "infer": infer}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--batches", type=int, default=8)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    batches = 3 if args.quick else args.batches
    shape = dict(batch_size=128, steps=250, inputs=700, units=128)
    if args.worker:
        layer, jit = json.loads(args.worker)
        out = worker(layer, jit, batches, **shape)
        print("RESULT " + json.dumps(out))
        return
    rows = []
    for backend, layer, jit in CONFIGS:
        env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
        cmd = [sys.executable, __file__, "--worker", json.dumps([layer, jit]),
               "--batches", str(batches)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        line = [l for l in proc.stdout.splitlines() if l.startswith("RESULT ")]
        if proc.returncode or not line:
            print(proc.stderr[-2000:], file=sys.stderr)
            rows.append((backend, layer, jit, float("nan"), float("nan")))
            continue
        res = json.loads(line[0][7:])
        rows.append((backend, layer, jit, res["train"], res["infer"]))
        print(f"  measured {backend:10s} {layer:17s} jit={jit!s:5s} "
              f"train {res['train']:7.1f}/s  infer {res['infer']:7.1f}/s",
              flush=True)
    base = rows[0][3]
    print()
    print("Cuba-LIF RNN, batch 128, T=250, 700 in, 128 units, Dense(20), "
          f"max-over-time CE, Adam; {batches} batches per figure")
    print(f"{'backend':10s} | {'layer':17s} | {'jit':5s} | {'train samples/s':>15s}"
          f" | {'infer samples/s':>15s} | {'train vs first':>14s}")
    for backend, layer, jit, train, infer in rows:
        print(f"{backend:10s} | {layer:17s} | {jit!s:5s} | {train:15.1f} | "
              f"{infer:15.1f} | {train / base:14.2f}")


if __name__ == "__main__":
    main()
