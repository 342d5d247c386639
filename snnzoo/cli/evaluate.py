"""`snnzoo evaluate MODEL [--data X.npy --labels Y.npy]`: accuracy."""

from snnzoo.cli.common import CommandError
from snnzoo.cli.common import check_model
from snnzoo.cli.common import input_file
from snnzoo.cli.common import is_preset
from snnzoo.cli.common import load_array
from snnzoo.cli.common import load_model
from snnzoo.cli.common import positive_int


def add_parser(sub):
    p = sub.add_parser("evaluate", help="accuracy of a preset or .keras model",
                       description="Accuracy on a preset's offline test split or on "
                                   "--data/--labels.")
    p.add_argument("model", help="preset name or .keras model")
    p.add_argument("--data", help=".npy inputs")
    p.add_argument("--labels", help=".npy integer labels")
    p.add_argument("--batch-size", type=positive_int, default=128)
    return p


def run(args):
    from snnzoo import metrics
    from snnzoo import presets

    check_model(args.model)
    input_file(args.data, "--data")
    input_file(args.labels, "--labels", "a .npy of integer labels")
    if bool(args.data) != bool(args.labels):
        raise CommandError("--data and --labels go together (.npy inputs and int labels).")
    if not args.data and not is_preset(args.model):
        raise CommandError("a .keras file needs --data and --labels.")
    model = load_model(args.model)
    if args.data:
        x, y = load_array(args.data, "data"), load_array(args.labels, "labels").astype(int)
    elif is_preset(args.model):
        x, y = presets.evaluation_data(args.model)
    else:
        raise CommandError("a .keras file needs --data and --labels.")
    acc = metrics.accuracy(model, x, y, args.batch_size)
    print(f"{args.model}: accuracy {100 * acc:.2f}% on {len(y)} samples")
    if is_preset(args.model) and not args.data:
        print(f"card: {presets.card(args.model)['metrics']['test_accuracy']:.2f}%")
