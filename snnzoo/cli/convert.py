"""`snnzoo convert MODEL --method hybrid|spiking --timesteps T --out OUT.keras`."""

import os

from snnzoo.cli.common import CommandError
from snnzoo.cli.common import check_model
from snnzoo.cli.common import input_file
from snnzoo.cli.common import load_array
from snnzoo.cli.common import load_model
from snnzoo.cli.common import positive_int


def add_parser(sub):
    p = sub.add_parser("convert", help="convert a HardLSTM model to a hybrid or spiking LSTM",
                       description="Convert every HardLSTMCell layer of a .keras model.")
    p.add_argument("model", help="source preset name or .keras model")
    p.add_argument("--method", choices=["hybrid", "spiking"], required=True)
    p.add_argument("--timesteps", type=positive_int, required=True, help="SNN steps per element")
    p.add_argument("--calibration", help=".npy inputs for threshold calibration (spiking)")
    p.add_argument("--initial-membrane", choices=["zero", "half"], help="hybrid only")
    p.add_argument("--spike-mode", choices=["ternary", "binary"], default="ternary")
    p.add_argument("--neuron", choices=["if", "lif"], default="if")
    p.add_argument("--schedule", choices=["serial", "pipelined"], default="serial")
    p.add_argument("--out", required=True, help="output .keras path (written atomically)")
    return p


def run(args):
    from snnzoo import conversion
    from snnzoo import io as snnzoo_io

    check_model(args.model)
    input_file(args.calibration, "--calibration")
    if not args.out.endswith(".keras") or os.path.isdir(args.out):
        raise CommandError(f"--out: expected a .keras file path; got {args.out!r}.")
    model = load_model(args.model)
    calib = load_array(args.calibration, "calibration") if args.calibration else None
    options = {}
    if args.method == "hybrid" and args.initial_membrane:
        options["initial_membrane"] = args.initial_membrane
    if args.method == "spiking":
        options.update(spike_mode=args.spike_mode, neuron=args.neuron, schedule=args.schedule)
    new = conversion.convert(model, args.method, args.timesteps, calibration_data=calib,
                             **options)
    snnzoo_io.save_model(new, args.out)
    print(f"wrote {args.out} ({args.method}, T={args.timesteps})")
