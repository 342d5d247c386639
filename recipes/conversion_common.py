"""Flags shared by the conversion recipes (all optional)."""

import os

from absl import app
from absl import flags

CONFIG = flags.DEFINE_string("config", None, "Named conversion config "
                             "(snnzoo.training.CONVERSIONS).")
SOURCE = flags.DEFINE_string("source", None, "Workdir of the trained HardLSTM "
                             "(default runs/<the config's source>).")
WORKDIR = flags.DEFINE_string("workdir", None, "Output folder (default runs/<config>).")


def run(default, method, overrides):
    from snnzoo.training import convert_and_evaluate
    from snnzoo.training import get_conversion

    config = get_conversion(CONFIG.value or default, **overrides)
    if config.method != method:
        raise app.UsageError(f"{config.name} is a {config.method} conversion.")
    source = SOURCE.value or os.path.join("runs", config.source)
    return convert_and_evaluate(config, source, WORKDIR.value or os.path.join("runs", config.name))
