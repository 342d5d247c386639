"""`snnzoo` command line: presets, conversion, energy, evaluation, export.

    snnzoo list [--family lif] [--json]
    snnzoo describe spiking_lstm_smnist_rows [--json]
    snnzoo evaluate spiking_lstm_smnist_rows          # or MODEL.keras --data X.npy --labels Y.npy
    snnzoo energy spiking_lstm_smnist_rows [--profile horowitz45_int8] [--json]
    snnzoo convert hard_lstm_smnist_rows --method spiking --timesteps 2 \\
        --calibration x_train.npy --out snn.keras
    snnzoo export lif_speech_commands_2x128 --quantization int8 --mode step --out out --verify
    snnzoo train train_spiking_rnn --config cuba_lif_toy --workdir runs/toy
    snnzoo demo
    snnzoo detect hard_lstm_fsdd_micro speech.wav [--threshold 0.6] [--runtime tflm]

MODEL arguments take a registered preset name or a `.keras` file. One
module per subcommand, each with `add_parser(subparsers)` and `run(args)`.
Errors print one line `snnzoo <command>: <message>` and exit non-zero;
`--debug` shows the traceback, `--verbose` TensorFlow's own log lines.
The console script (`snnzoo.cli.bootstrap.main`) fixes the Keras backend before
anything imports keras.
"""

import contextlib
import sys

from snnzoo.cli import common
from snnzoo.cli import convert
from snnzoo.cli import demo
from snnzoo.cli import describe
from snnzoo.cli import detect
from snnzoo.cli import energy
from snnzoo.cli import evaluate
from snnzoo.cli import export
from snnzoo.cli import list as list_command
from snnzoo import quiet
from snnzoo.cli import train
from snnzoo.cli.process import TENSORFLOW_COMMANDS
from snnzoo.cli.process import backend_error
from snnzoo.version import __version__

COMMANDS = {"list": list_command, "describe": describe, "evaluate": evaluate,
            "energy": energy, "convert": convert, "export": export, "train": train,
            "demo": demo, "detect": detect}


def build_parser():
    parser = common.OneLineParser(
        prog="snnzoo", description="Spiking recurrent networks for edge devices.")
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--verbose", action="store_true",
                        help="show TensorFlow's log lines and library warnings")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, module in COMMANDS.items():
        module.add_parser(sub).set_defaults(run=module.run)
    return parser


def main(argv=None):
    parser = build_parser()
    args, extra = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    passthrough = getattr(args, "passthrough", False)
    if extra and not passthrough:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        with contextlib.nullcontext() if args.verbose else quiet.silenced():
            _check_backend(args)
            args.run(args, extra) if passthrough else args.run(args)
    except SystemExit:
        raise
    except Exception as err:  # one line for the user; --debug for the traceback
        if args.debug or not _is_user_error(err):
            raise
        raise SystemExit(f"snnzoo {args.command}: {err}") from None
    return 0


def _check_backend(args):
    import keras  # the backend is fixed by now (snnzoo.cli.bootstrap)

    if args.command == "export" and args.format == "nir":
        return
    if args.command in TENSORFLOW_COMMANDS and keras.backend.backend() != "tensorflow":
        raise common.CommandError(backend_error(keras.backend.backend()))


def _is_user_error(err):
    """Errors that describe bad input (printed in one line)."""
    return isinstance(err, (common.CommandError, ValueError, FileNotFoundError,
                            PermissionError))
