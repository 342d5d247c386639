"""The `snnzoo` console script: prepares the process, then runs `snnzoo.cli`.

Keras fixes its backend, and TensorFlow its C++ log level, when they are
first imported. `import snnzoo` and `import snnzoo.cli` load no ML
framework, so this module sets both from the command line first
(`snnzoo.cli.process`), then hands over to `snnzoo.cli.main`.

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

from snnzoo import backend
from snnzoo.cli import main as run
from snnzoo.quiet import detached_native_output
from snnzoo.cli.process import prepare


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
        if backend.retain_wanted(os.environ):
            backend.retain_freed_memory()  # this process is ours (see its docstring)
        return run(argv)


if __name__ == "__main__":
    sys.exit(main())
