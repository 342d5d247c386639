"""`snnzoo describe NAME [--json]`: a preset's model card."""

from snnzoo.cli.common import preset_name


def add_parser(sub):
    p = sub.add_parser("describe", help="print a preset's model card",
                       description="The model card of a preset (sha256-verified).")
    p.add_argument("name", help="preset name (see `snnzoo list`)")
    p.add_argument("--json", action="store_true", help="the full card as JSON")
    return p


def run(args):
    import json

    from snnzoo import presets
    from snnzoo import zoo

    name = preset_name(args.name)
    print(json.dumps(presets.card(name), indent=1) if args.json else zoo.describe(name))
