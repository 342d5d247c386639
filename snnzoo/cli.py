"""`snnzoo` command line: convert LSTMs and estimate energy of `.keras` models.

    snnzoo convert ann.keras --method hybrid --timesteps 64 --out hybrid.keras
    snnzoo convert ann.keras --method spiking --timesteps 2 \\
        --calibration x_train.npy --out snn.keras
    snnzoo energy snn.keras --data x_test.npy [--profile horowitz45_int8] [--json]
"""

import argparse
import os
import sys


def _load_model(path):
    import keras

    import snnzoo  # noqa: F401  (registers the custom objects)

    if not os.path.isfile(path):
        raise SystemExit(f"snnzoo: no model file at {path!r} (expected a .keras file).")
    return keras.saving.load_model(path, safe_mode=True)


def _load_array(path, what):
    import numpy as np

    if not os.path.isfile(path):
        raise SystemExit(f"snnzoo: no {what} file at {path!r} (expected a .npy array).")
    return np.load(path).astype("float32")


def cmd_convert(args):
    from snnzoo import conversion

    model = _load_model(args.model)
    calib = _load_array(args.calibration, "calibration") if args.calibration else None
    options = {}
    if args.method == "hybrid" and args.initial_membrane:
        options["initial_membrane"] = args.initial_membrane
    if args.method == "spiking":
        options.update(spike_mode=args.spike_mode, neuron=args.neuron,
                       schedule=args.schedule)
    try:
        new = conversion.convert(model, args.method, args.timesteps,
                                 calibration_data=calib, **options)
    except ValueError as err:
        raise SystemExit(f"snnzoo convert: {err}")
    from snnzoo.training.trainer import save_model_atomic

    save_model_atomic(new, args.out)
    print(f"wrote {args.out} ({args.method}, T={args.timesteps})")


def cmd_energy(args):
    from snnzoo import energy

    model = _load_model(args.model)
    x = _load_array(args.data, "data")
    try:
        report = energy.compare(model, x, profile=args.profile,
                                weight_sparsity=args.weight_sparsity,
                                direct_macs=args.direct_macs)
    except ValueError as err:
        raise SystemExit(f"snnzoo energy: {err}")
    if args.json:
        print(report.to_json(indent=1))
    else:
        report.summary()
    if args.plot:
        report.plot(args.plot)


def build_parser():
    from snnzoo.energy.profiles import profiles
    from snnzoo.version import __version__

    parser = argparse.ArgumentParser(
        prog="snnzoo", description="Spiking recurrent networks for edge devices.")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)

    c = sub.add_parser("convert", help="convert a HardLSTM model to a hybrid or spiking LSTM",
                       description="Convert every HardLSTMCell layer of a .keras model.")
    c.add_argument("model", help="source .keras model")
    c.add_argument("--method", choices=["hybrid", "spiking"], required=True)
    c.add_argument("--timesteps", type=int, required=True, help="SNN steps per element")
    c.add_argument("--calibration", help=".npy inputs for threshold calibration (spiking)")
    c.add_argument("--initial-membrane", choices=["zero", "half"], help="hybrid only")
    c.add_argument("--spike-mode", choices=["ternary", "binary"], default="ternary")
    c.add_argument("--neuron", choices=["if", "lif"], default="if")
    c.add_argument("--schedule", choices=["serial", "pipelined"], default="serial")
    c.add_argument("--out", required=True, help="output .keras path (written atomically)")
    c.set_defaults(func=cmd_convert)

    e = sub.add_parser("energy", help="MAC/AC counts and energy vs the iso-architecture ANN",
                       description="Count operations from spikes measured on --data.")
    e.add_argument("model", help=".keras model")
    e.add_argument("--data", required=True, help=".npy model inputs (a representative batch)")
    e.add_argument("--profile", default="horowitz45_fp32", choices=sorted(profiles()))
    e.add_argument("--weight-sparsity", action="store_true", help="zero weights cost nothing")
    e.add_argument("--direct-macs", choices=["once", "per_step"], default="once")
    e.add_argument("--json", action="store_true", help="print the report as JSON")
    e.add_argument("--plot", help="save the per-layer energy plot to this PNG")
    e.set_defaults(func=cmd_energy)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
