"""Only snnzoo's own lines: TensorFlow's, Keras' and JAX's noise kept off
the terminal, and nothing of the caller's changed for good.

- `silenced()` (a no-op when `SNNZOO_VERBOSE=1`): while it runs, Python warnings of TensorFlow, Keras and JAX
  are ignored, their Python and absl loggers show errors only, and native
  (C++) writes to file descriptors 1 and 2 -- TensorFlow's converter and
  the LiteRT interpreter print there directly -- go to /dev/null, while
  Python's `sys.stdout`/`sys.stderr` keep writing to the terminal.
  Everything is restored on exit. The CLI runs every command in it;
  the library runs its noisy calls (TFLite conversion, framework imports)
  in it.
- `framework(name)`: a framework imported the same way the first time;
  every subpackage calls it before it imports Keras, and lazy TensorFlow
  imports go through it.
- `quiet_framework_import()`: TensorFlow's C++ log level is set for the
  one import snnzoo makes of it, when snnzoo is the first to import it
  (`TF_CPP_MIN_LOG_LEVEL=3` unless the caller set one), and the
  environment is restored afterwards.

Standard library only: the console script uses it before keras loads.
"""

import contextlib
import importlib
import logging
import os
import sys
import warnings

NOISY_MODULES = r"(tensorflow|keras|jax|absl|ml_dtypes|google|tf_keras|ai_edge_litert)"
NOISY_MESSAGES = r".*(tf\.lite\.Interpreter is deprecated|retracing|Skipping variable loading)"
LOGGERS = ("tensorflow", "absl", "jax", "keras")
FRAMEWORKS = ("keras", "tensorflow", "jax")


#: Set to 1 (the CLI's `--verbose` does) to let every framework line through.
VERBOSE_ENV = "SNNZOO_VERBOSE"


@contextlib.contextmanager
def silenced():
    if os.environ.get(VERBOSE_ENV) == "1":
        yield
        return
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


@contextlib.contextmanager
def _environ(name, value):
    """`os.environ[name]` is `value` inside (unless the caller set it)."""
    if name in os.environ:
        yield
        return
    os.environ[name] = value
    try:
        yield
    finally:
        os.environ.pop(name, None)


def quiet_framework_import(module):
    """`importlib.import_module(module)`; when it is the first import of an
    ML framework in this process, under `silenced()` with TensorFlow's C++
    log level at 3 (errors off too: CUDA's probe on a machine without a GPU
    is logged as an error)."""
    if any(name in sys.modules for name in FRAMEWORKS):
        return importlib.import_module(module)
    with _environ("TF_CPP_MIN_LOG_LEVEL", "3"), silenced():
        return importlib.import_module(module)


def framework(name):
    """The framework module `name` ("keras", "tensorflow", "jax"), imported
    under `silenced()` with TensorFlow's C++ log level at 3 when this process
    has not imported it yet (TensorFlow 2.21 prints its start-up lines
    whatever the level; only the detached descriptors keep them off).

    Subpackages call it before their first framework import, and functions
    before a lazy one, so that `from snnzoo.export import run_tflite` is as
    quiet as `snnzoo.export.run_tflite`.

    Args:
        name: the module to import.

    Returns:
        The module.
    """
    if name in sys.modules:
        return sys.modules[name]
    with _environ("TF_CPP_MIN_LOG_LEVEL", "3"), silenced():
        return importlib.import_module(name)


@contextlib.contextmanager
def detached_native_output():
    """Point fds 1 and 2 at /dev/null, with `sys.stdout`/`sys.stderr` bound
    to duplicates of the original descriptors; restore both on exit."""
    saved = []
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for fd, name in ((1, "stdout"), (2, "stderr")):
            stream = getattr(sys, name)
            try:
                if stream.fileno() != fd:  # already redirected (e.g. a test's capture)
                    continue
            except (AttributeError, ValueError, OSError):
                continue
            stream.flush()
            kept = os.dup(fd)
            os.dup2(devnull, fd)
            setattr(sys, name, os.fdopen(os.dup(kept), "w", buffering=1,
                                         encoding=stream.encoding, errors=stream.errors))
            saved.append((fd, name, stream, kept))
        yield
    finally:
        for fd, name, stream, kept in reversed(saved):
            _repoint_handlers(getattr(sys, name), stream)
            getattr(sys, name).close()
            os.dup2(kept, fd)
            os.close(kept)
            setattr(sys, name, stream)
        os.close(devnull)


def _repoint_handlers(old, new):
    """Logging handlers made while `old` was `sys.stdout`/`sys.stderr` (absl's
    is, when absl is first imported in `silenced()`) write to `new` instead
    of a stream about to be closed."""
    loggers = [logging.getLogger()] + [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    for logger in loggers:
        for handler in logger.handlers:
            for h in (handler, getattr(handler, "python_handler", None)):
                if isinstance(h, logging.StreamHandler) and h.stream is old:
                    h.setStream(new)
