"""Package finished recipe runs into `exported_models/<preset>/` (model,
card with measured numbers, sha256) and refresh the README preset table.

    python recipes/build_presets.py                      # every preset whose runs exist
    python recipes/build_presets.py --presets hard_lstm_smnist_rows
"""

import os

from absl import app
from absl import flags

PRESETS = flags.DEFINE_list("presets", None, "Preset names (default: all with finished runs).")
RUNS_DIR = flags.DEFINE_string("runs_dir", "runs", "Folder holding runs/<config>/.")
README = flags.DEFINE_string("readme", "README.md", "README whose preset table is refreshed "
                             "('' to skip).")


def main(argv):
    del argv
    from snnzoo import presets
    from snnzoo.zoo import package
    from snnzoo.zoo import readme

    names = PRESETS.value or presets.list_presets()
    # ANN sources first: converted presets measure their ANN's accuracy.
    names = sorted(names, key=lambda n: presets.registry.get(n)["metadata"]["kind"] != "ann")
    for name in names:
        last = presets.registry.get(name)["metadata"]["runs"][-1]["config"]
        if PRESETS.value is None and not os.path.exists(
                os.path.join(RUNS_DIR.value, last, "metrics.json")):
            print(f"skip {name}: no finished run in {RUNS_DIR.value}/{last}")
            continue
        card = package.package_preset(name, RUNS_DIR.value)
        print(f"{name}: test accuracy {card['metrics']['test_accuracy']:.2f}%")
    if README.value:
        readme.update_readme(README.value)


if __name__ == "__main__":
    app.run(main)
