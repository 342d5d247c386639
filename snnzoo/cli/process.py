"""How the `snnzoo` process is prepared before anything imports keras or
TensorFlow: the Keras backend a subcommand needs, TensorFlow's C++ log
level, and native writes to file descriptors 1 and 2 detached while
TensorFlow loads. Imports nothing but the standard library."""


import os

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
    else:
        environ["SNNZOO_VERBOSE"] = "1"  # snnzoo.quiet lets every line through
    command = command_of(argv)
    if needs_tensorflow(command, argv) and not wants_help(argv):
        backend = environ.get("KERAS_BACKEND", "tensorflow")
        if backend != "tensorflow":
            return f"snnzoo {command}: {backend_error(backend)}"
        environ["KERAS_BACKEND"] = "tensorflow"
    return None


def wants_help(argv):
    """Whether the command line only asks for help (which needs no backend)."""
    return any(a in ("-h", "--help") for a in argv)


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
