"""Quiet output for the command line: only snnzoo's own lines.

While a command runs (`with silenced():`), Python warnings of TensorFlow,
Keras and JAX are ignored, TensorFlow's Python and absl loggers show
errors only, and native (C++) writes to file descriptors 1 and 2 --
TensorFlow's converter and the LiteRT interpreter print there directly --
go to /dev/null, while Python's `sys.stdout`/`sys.stderr` (snnzoo's lines,
progress bars, error messages) keep writing to the terminal. Everything is
restored on exit, so calling `snnzoo.cli.main` in-process leaves the
caller's process as it was. `--verbose` skips all of it.
"""

import contextlib
import logging
import warnings

from snnzoo_cli import detached_native_output

NOISY_MODULES = r"(tensorflow|keras|jax|absl|ml_dtypes|google|tf_keras|ai_edge_litert)"
NOISY_MESSAGES = r".*(tf\.lite\.Interpreter is deprecated|retracing|Skipping variable loading)"
LOGGERS = ("tensorflow", "absl", "jax", "keras")


@contextlib.contextmanager
def silenced():
    with warnings.catch_warnings(), _quiet_loggers(), detached_native_output():
        warnings.filterwarnings("ignore", module=NOISY_MODULES)
        warnings.filterwarnings("ignore", message=NOISY_MESSAGES)
        yield


@contextlib.contextmanager
def _quiet_loggers():
    levels = {name: logging.getLogger(name).level for name in LOGGERS}
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
