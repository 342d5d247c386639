"""`snnzoo list [--family F] [--json]`: the registered presets."""


def add_parser(sub):
    p = sub.add_parser("list", help="list the pretrained presets",
                       description="Registered presets with their measured accuracy.")
    p.add_argument("--family", help="only this family (hard_lstm, lif, ...)")
    p.add_argument("--json", action="store_true")
    return p


def run(args):
    import json

    from snnzoo import presets

    rows = presets.summaries(args.family)
    print(json.dumps(rows, indent=1) if args.json else presets.cards.summary_table(rows))
