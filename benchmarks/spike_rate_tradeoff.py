"""Accuracy against spike rate for one family on espeak_commands version 2.

Trains `<family>_espeak_v2_2x128` once per `SpikeRateRegularizer` setting
(the first point unregularized), each in its own work folder under
`--workdir` (resumable), then measures on the test split: accuracy, and the
mean spike rate of the spiking layers (spikes per neuron per step, from
`snnzoo.energy.estimate` on `--rate_samples` test clips). Prints a table and
saves the curve as a PNG. SYNTHETIC speech (see `snnzoo.data.espeak_v2`).

    python benchmarks/spike_rate_tradeoff.py --family cuba_lif --epochs 20
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import result_tables  # noqa: E402 (benchmarks/, beside this script)

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

SETTINGS = (None, {"target_rate": 0.10, "l2": 10.0},
            {"target_rate": 0.0, "l2": 10.0, "l1": 0.002})


def measure(family, regularizer, epochs, workdir, rate_samples):
    """`{regularizer, test_accuracy, rate}` of one trained setting."""
    import keras

    from snnzoo import data
    from snnzoo import energy
    from snnzoo.training import get_config
    from snnzoo.training import train_and_evaluate

    config = get_config(f"{family}_espeak_v2_2x128", epochs=epochs)
    # The config's own regularizer is replaced (None: no regularizer at all).
    options = {k: v for k, v in config.model_options.items() if k != "spike_regularizer"}
    if regularizer:
        options["spike_regularizer"] = regularizer
    config = config.replace(model_options=options)
    tag = "none" if not regularizer else "_".join(f"{k}{v:g}" for k, v in regularizer.items())
    folder = os.path.join(workdir, f"{family}_{tag}")
    metrics = train_and_evaluate(config, folder)
    model = keras.models.load_model(os.path.join(folder, "best.keras"))
    x, _ = data.load("espeak_commands", "test", **config.dataset_options)
    rate = energy.estimate(model, x[:rate_samples]).measured_rate()
    return {"regularizer": regularizer, "test_accuracy": metrics["test_accuracy"],
            "rate": rate, "epochs": epochs}


def plot(rows, path, family):
    from snnzoo import plots

    fig, ax = plots.figure_and_axes(None, figsize=(5, 3.5))
    rates = [r["rate"] for r in rows]
    accs = [100 * r["test_accuracy"] for r in rows]
    ax.plot(rates, accs, "o-", color="#4c72b0")
    for r, a, row in zip(rates, accs, rows):
        ax.annotate("none" if not row["regularizer"] else json.dumps(row["regularizer"]),
                    (r, a), fontsize=6, xytext=(3, 3), textcoords="offset points")
    ax.set_xlabel("mean spike rate (spikes per neuron per step)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title(f"{family} 2x128, espeak_commands v2 (synthetic), 12 classes", fontsize=9)
    return plots.finish(fig, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--family", default="cuba_lif")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--rate_samples", type=int, default=256)
    parser.add_argument("--workdir", default="runs/spike_rate_tradeoff")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results",
                                                      "spike_rate_tradeoff"))
    args = parser.parse_args()
    from snnzoo import io as snnzoo_io

    rows = [measure(args.family, reg, args.epochs, args.workdir, args.rate_samples)
            for reg in SETTINGS]
    print(f"{args.family} 2x128 on espeak_commands v2 (synthetic, 12 classes), "
          f"{args.epochs} epochs; rate on {args.rate_samples} test clips")
    print(result_tables.spike_rate_tradeoff({"rows": rows}))
    snnzoo_io.write_json(args.out + ".json", {"family": args.family, "rows": rows})
    plot(rows, args.out + ".png", args.family)
    print(f"wrote {args.out}.json and {args.out}.png")


if __name__ == "__main__":
    main()
