"""Transfer from synthetic to real speech: each family's FSDD run started
from its espeak_commands v2 preset (SYNTHETIC speech, 12 classes) against
the same run from scratch, same epochs, same seed.

What carries over: every layer of the same name and shapes (the recurrent
layers; `snnzoo.training.warm_start`); the 10-digit readout starts fresh.
The v2 presets saw 16 kHz audio (mel 20-8,000 Hz) and no standardisation;
FSDD frames are 8 kHz (mel 20-3,800 Hz) and standardised per coefficient,
so the input weights meet features of another scale: the benchmark measures
what survives that, it does not adapt the front end. The ten digits are in
v2's 35 words, but inside its "unknown" class, not as keywords.

Test accuracy is the recipe's own, on the held-out speaker theo.

    python benchmarks/fsdd_transfer.py --families lif,hard_lstm --epochs 10
"""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "jax")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import result_tables  # noqa: E402 (benchmarks/, beside this script)

#: family -> (FSDD config, v2 preset)
PAIRS = {
    "hard_lstm": ("hard_lstm_fsdd", "hard_lstm_speech_commands"),
    **{f: (f"{f}_fsdd_2x128", f"{f}_speech_commands_2x128")
       for f in ("lif", "cuba_lif", "spikgru", "adaptive_lif")},
}


def run(family, start, epochs, seed, workdir):
    """Test accuracy (%) and best validation accuracy (%) of one run."""
    from snnzoo import presets
    from snnzoo.training import get_config
    from snnzoo.training import train_and_evaluate

    config_name, preset = PAIRS[family]
    config = get_config(config_name, epochs=epochs, seed=seed)
    if start == "v2":
        presets.verify(presets.path(preset))
        config = config.replace(init_from=os.path.join(presets.path(preset), "model.keras"))
    folder = os.path.join(workdir, f"{config_name}_{start}_e{epochs}_s{seed}")
    metrics = train_and_evaluate(config, folder)
    return 100 * metrics["test_accuracy"], 100 * metrics["best_val_accuracy"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--families", default="hard_lstm,lif")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", default="runs/fsdd_transfer")
    parser.add_argument("--json", default="benchmarks/results/fsdd_transfer.json")
    args = parser.parse_args()
    families = args.families.split(",")
    unknown = sorted(set(families) - set(PAIRS))
    if unknown:
        parser.error(f"--families: expected names from {sorted(PAIRS)}; got {unknown}")
    rows = []
    for family in families:
        scratch = run(family, "scratch", args.epochs, args.seed, args.workdir)
        warm = run(family, "v2", args.epochs, args.seed, args.workdir)
        rows.append({"family": family, "scratch": scratch[0], "from_v2": warm[0],
                     "scratch_val": scratch[1], "from_v2_val": warm[1]})
    print("FSDD (real speech, test speaker theo)")
    print(result_tables.fsdd_transfer({"epochs": args.epochs, "seed": args.seed, "rows": rows}))
    if args.json:
        from snnzoo import io as snnzoo_io

        snnzoo_io.write_json(args.json, {"epochs": args.epochs, "seed": args.seed,
                                         "rows": rows})
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
