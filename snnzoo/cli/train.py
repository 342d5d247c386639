"""`snnzoo train RECIPE|CONFIG [absl flags]`: run a recipe from the source checkout.

A named training config stands for its recipe with `--config CONFIG`:
`snnzoo train hard_lstm_toy` runs `recipes/train_hard_lstm.py --config
hard_lstm_toy`; the spiking families run `train_spiking_rnn.py`.
"""

import os
import re
import sys

from snnzoo.cli.common import CommandError

RECIPES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "recipes")
HELPERS = ("common.py", "conversion_common.py")
#: TensorFlow / absl native log lines (`I0000 00:00:... file.cc:12] ...`), and
#: Gloo's connection notes of a multi-process JAX run.
NATIVE_LOG = re.compile(r"^([IWEF]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\]|"
                        r"WARNING: All log messages before absl::InitializeLog|\[Gloo\] )")


def recipe_names():
    if not os.path.isdir(RECIPES_DIR):
        return []
    return sorted(f[:-3] for f in os.listdir(RECIPES_DIR)
                  if f.endswith(".py") and f not in HELPERS)


def add_parser(sub):
    p = sub.add_parser("train", help="run a training or conversion recipe (absl flags follow)",
                       description="Runs recipes/RECIPE.py with the remaining arguments, e.g. "
                                   "`snnzoo train train_spiking_rnn --config cuba_lif_toy "
                                   "--workdir runs/toy`, or a named training config's recipe: "
                                   "`snnzoo train cuba_lif_toy`. Recipes resume after a kill. "
                                   "Several processes: --num_processes N --process_id I "
                                   "--coordinator_address HOST:PORT on each. Runs under "
                                   "KERAS_BACKEND, else the recommended training backend "
                                   "(snnzoo.backend.recommended_training_backend).")
    p.add_argument("recipe", help=(", ".join(recipe_names()) or "a recipe name")
                   + ", or a training config (snnzoo.training.CONFIGS)")
    p.set_defaults(passthrough=True)
    return p


def run(args, extra=()):
    import subprocess

    from snnzoo import backend

    names = recipe_names()
    recipe = args.recipe[:-3] if args.recipe.endswith(".py") else args.recipe
    if recipe not in names and names:
        recipe, extra = _config_recipe(args.recipe), ["--config", args.recipe, *extra]
    if recipe not in names:
        raise CommandError(f"unknown recipe {args.recipe!r}; expected one of: "
                           f"{', '.join(names) or '(no recipes/ folder: use a source checkout)'}.")
    env = dict(os.environ)
    env.setdefault("KERAS_BACKEND", backend.recommended_training_backend())
    if backend.retain_wanted(env):  # the recipe's process is ours too
        env = {**backend.retain_freed_memory_env(), **env}
    cmd = [sys.executable, os.path.join(RECIPES_DIR, recipe + ".py")] + list(extra)
    # The recipe writes to this process's Python streams; without --verbose
    # its TensorFlow native log lines are dropped from its stderr, and
    # without --debug a traceback is reduced to its last line.
    proc = subprocess.Popen(cmd, env=env, stdout=sys.stdout, stderr=subprocess.PIPE,
                            text=True, errors="replace")
    traceback = []
    for line in proc.stderr:
        if traceback or (line.startswith("Traceback") and not args.debug):
            traceback.append(line)
        elif args.verbose or not NATIVE_LOG.match(line):
            sys.stderr.write(line)
    if proc.wait():
        last = next((l.strip() for l in reversed(traceback) if l.strip()), None)
        if last:
            raise CommandError(f"recipe {recipe} failed: {last}")
        raise SystemExit(proc.returncode)


def _config_recipe(name):
    """The training recipe of a named config, or None."""
    from snnzoo.training import CONFIGS

    if name not in CONFIGS:
        raise CommandError(f"unknown recipe or config {name!r}; expected one of: "
                           f"{', '.join(recipe_names())}, or a training config of "
                           "snnzoo.training.CONFIGS such as hard_lstm_toy.")
    return "train_hard_lstm" if CONFIGS[name].family == "hard_lstm" else "train_spiking_rnn"
