"""Trace-time switches for export graphs.

`export_tracing()` marks code traced inside it as an inference graph for
export: surrogate spikes become the bare Heaviside step (no gradient path;
identical values) and cells unroll their inner SNN loops (a `WHILE` op
cannot be calibrated for full-int8 quantization). Values are unchanged.
"""

import contextlib

_EXPORT = [False]


@contextlib.contextmanager
def export_tracing():
    _EXPORT.append(True)
    try:
        yield
    finally:
        _EXPORT.pop()


def is_export_tracing():
    return _EXPORT[-1]
