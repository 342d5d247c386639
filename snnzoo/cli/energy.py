"""`snnzoo energy MODEL [--data X.npy] [--profile P]`: op counts and energy."""

import os

from snnzoo.cli.common import CommandError
from snnzoo.cli.common import check_model
from snnzoo.cli.common import input_file
from snnzoo.cli.common import is_preset
from snnzoo.cli.common import load_array
from snnzoo.cli.common import load_model
from snnzoo.cli.common import positive_int


def add_parser(sub):
    p = sub.add_parser("energy", help="MAC/AC counts and energy vs the iso-architecture ANN",
                       description="Count operations from spikes measured on --data.")
    p.add_argument("model", help="preset name or .keras model")
    p.add_argument("--data", help=".npy model inputs (default for a preset: its test split)")
    p.add_argument("--samples", type=positive_int, default=256,
                   help="test samples measured for a preset (default 256, as in the cards)")
    p.add_argument("--profile", default=None,
                   help="an energy profile (snnzoo.energy.profiles()); default: horowitz45_int8_sram (memory-aware, bit-matched) for a "
                        "preset, which ships int8 files; horowitz45_fp32 for a .keras model")
    p.add_argument("--weight-sparsity", action="store_true", help="zero weights cost nothing")
    p.add_argument("--direct-macs", choices=["once", "per_step"], default="once")
    p.add_argument("--neurobench", action="store_true",
                   help="also count in NeuroBench's conventions (effective synaptic ops, "
                        "activation sparsity)")
    p.add_argument("--ann-bits", default=None,
                   help="count the ANN as a quantized ANN with this many activation bits, "
                        "or 'rate' for ceil(log2(T+1)) bits, the QNN equivalent to a rate-"
                        "coded SNN with T steps (Yan et al. 2024); needs an integer profile")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--plot", help="save the per-layer energy plot to this PNG")
    return p


def run(args):
    from snnzoo import energy
    from snnzoo.presets import evaluation

    ann_bits = _ann_bits(args.ann_bits)
    check_model(args.model)
    input_file(args.data, "--data")
    if args.profile is not None and args.profile not in energy.profiles():
        raise CommandError(f"--profile: expected one of {', '.join(sorted(energy.profiles()))}; "
                           f"got {args.profile!r}.")
    if args.plot:
        _check_plot(args.plot)
    model = load_model(args.model)
    if args.profile is None:
        args.profile = "horowitz45_int8_sram" if is_preset(args.model) else "horowitz45_fp32"
    if is_preset(args.model) and not args.data:
        report = evaluation.preset_energy(args.model, args.samples, args.profile, model=model,
                                          neurobench=args.neurobench, ann_bits=ann_bits)
    elif not args.data:
        raise CommandError("a .keras or .nir model needs --data X.npy (its inputs).")
    else:
        report = energy.compare(model, load_array(args.data, "data"), profile=args.profile,
                                weight_sparsity=args.weight_sparsity,
                                direct_macs=args.direct_macs, neurobench=args.neurobench,
                                ann_bits=ann_bits)
    if args.json:
        print(report.to_json(indent=1))
    else:
        report.summary()
    if args.plot:
        report.plot(args.plot)
        print(f"wrote {args.plot}")


def _ann_bits(value):
    if value is None or value == "rate":
        return value
    if not value.isdigit() or not 1 <= int(value) <= 16:
        raise CommandError(f"--ann-bits: expected an integer from 1 to 16 or 'rate'; got "
                           f"{value!r}.")
    return int(value)


def _check_plot(path):
    if not path.endswith(".png") or os.path.isdir(path):
        raise CommandError(f"--plot: expected a .png file path; got {path!r}.")
