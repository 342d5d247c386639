"""The `snnzoo` console script: prepares the process, then runs `snnzoo.cli`.

Keras fixes its backend, and TensorFlow its C++ log level, when they are
first imported, and `import snnzoo` imports keras. This module lives
outside the `snnzoo` package so that importing it imports nothing else: it
sets both from the command line first, then hands over to `snnzoo.cli.main`.

- `export` and `demo` write TFLite files, which needs the TensorFlow
  backend: it is selected whatever `~/.keras/keras.json` says; an explicit
  `KERAS_BACKEND` naming another backend is refused in one line.
- Unless `--verbose` is given, TensorFlow's C++ logging is turned off
  (`TF_CPP_MIN_LOG_LEVEL=3`) and native writes to file descriptors 1 and 2
  go to /dev/null (`detached_native_output`) before TensorFlow loads;
  Python's own `sys.stdout`/`sys.stderr` keep the terminal.
- glibc malloc keeps freed memory for reuse (`snnzoo.backend.
  retain_freed_memory`; faster training and inference under JAX) unless
  `SNNZOO_MALLOC=default`.
"""

import contextlib
import os
import sys

#: Subcommands that run under the TensorFlow backend (TFLite conversion).
TENSORFLOW_COMMANDS = ("export", "demo")
GLOBAL_FLAGS = ("--verbose", "--debug")


def command_of(argv):
    """The subcommand: the first argument that is not a global flag."""
    return next((a for a in argv if not a.startswith("-")), None)


def prepare(argv, environ=os.environ):
    """Set the process environment for `argv`; returns an error line or None."""
    if "--verbose" not in argv:
        environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    command = command_of(argv)
    if needs_tensorflow(command, argv):
        backend = environ.get("KERAS_BACKEND", "tensorflow")
        if backend != "tensorflow":
            return f"snnzoo {command}: {backend_error(backend)}"
        environ["KERAS_BACKEND"] = "tensorflow"
    return None


def needs_tensorflow(command, argv):
    """Whether the command writes TFLite (`export --format nir` does not)."""
    nir = any(a == "--format=nir" or (a == "--format" and b == "nir")
              for a, b in zip(argv, list(argv[1:]) + [None]))
    return command in TENSORFLOW_COMMANDS and not (command == "export" and nir)


def backend_error(backend):
    """Why export/demo refuse the Keras backend `backend`."""
    return (f"TFLite export runs under the TensorFlow backend; KERAS_BACKEND is "
            f"{backend!r}. Unset it or set it to tensorflow (models trained under JAX "
            "load there).")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    error = prepare(argv)
    if error:
        print(error, file=sys.stderr)
        return 2
    # TensorFlow's native loggers write at import time, before absl honours
    # TF_CPP_MIN_LOG_LEVEL: detach the native descriptors before the import.
    quiet = "--verbose" not in argv
    with detached_native_output() if quiet else contextlib.nullcontext():
        from snnzoo import backend
        from snnzoo.cli import main as run

        if backend.retain_wanted(os.environ):
            backend.retain_freed_memory()  # this process is ours (see its docstring)
        return run(argv)


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
            getattr(sys, name).close()
            os.dup2(kept, fd)
            os.close(kept)
            setattr(sys, name, stream)
        os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
