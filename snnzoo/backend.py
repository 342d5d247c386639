"""Backend-dependent defaults, chosen by measurement (benchmarks/)."""

#: The backend `snnzoo train` runs recipes under when KERAS_BACKEND is unset:
#: JAX with jit trained the spiking cells fastest through `model.fit` in
#: `benchmarks/cell_throughput.py` (session-1 measurement; see the README).
RECOMMENDED_TRAINING_BACKEND = "jax"


def recommended_training_backend():
    """The Keras backend recipes train under by default (see above)."""
    return RECOMMENDED_TRAINING_BACKEND


def recommended_jit_compile(backend=None):
    """The `jit_compile` value to pass to `Model.compile` for recurrent SNNs.

    JAX: True. Without `jax.jit` every step of a `lax.scan` runs op by op;
    a tiny training run took ~250 s instead of ~2 s here.
    TensorFlow: False. XLA makes RNN training on CPU several times slower
    (measured in `benchmarks/cell_throughput.py`), and Keras' default
    `"auto"` would turn it on.
    """
    import keras

    backend = backend or keras.backend.backend()
    return backend != "tensorflow"


#: glibc malloc parameters of `retain_freed_memory`: (mallopt name, mallopt
#: number, value). Blocks up to 1 GiB come from the heap instead of mmap, and
#: up to 2 GiB of free heap top is kept instead of trimmed.
RETAIN_MALLOC = (("M_MMAP_THRESHOLD", -3, 1 << 30), ("M_TRIM_THRESHOLD", -1, 2**31 - 1))


def retain_wanted(environ):
    """Whether a process the `snnzoo` command owns should retain freed
    memory: yes unless `SNNZOO_MALLOC=default` in `environ`."""
    return environ.get("SNNZOO_MALLOC", "retain") != "default"


def retain_freed_memory_env():
    """The environment variables that give a child process the settings of
    `retain_freed_memory` from its start (glibc reads them at startup)."""
    return {f"MALLOC_{name[2:]}_": str(value) for name, _, value in RETAIN_MALLOC}


def retain_freed_memory():
    """Opt in, for this whole process, to glibc malloc keeping freed memory
    for reuse instead of returning it to the system.

    XLA and TensorFlow allocate each large temporary (the projected
    sequence, the recurrent outputs, their gradients: megabytes per batch)
    afresh on every call. By default glibc serves such blocks with mmap and
    unmaps them on free, so every batch page-faults fresh zeroed pages in.
    With the mmap threshold at 1 GiB and the trim threshold at 2 GiB they
    stay in the heap and are reused. `benchmarks/cell_throughput.py
    --malloc retain` measures the effect (README, training speed); it is
    largest under JAX.

    The cost: the process keeps its peak heap until it exits. Because it
    changes process-wide allocator settings, the library never calls it on
    its own: the `snnzoo` command does (it owns its process; set
    `SNNZOO_MALLOC=default` to opt out), and scripts may call it first
    thing. Returns True when applied; False where the C library is not glibc
    (nothing changed).
    """
    import ctypes

    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return all([mallopt(number, value) == 1 for _, number, value in RETAIN_MALLOC])
