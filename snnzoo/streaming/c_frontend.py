"""The micro front end as a live stream: TFLM's C library (built from the
pinned sources by `snnzoo.export.bundle.micro_frontend_c.build_stream_library`)
through ctypes, one state kept across every chunk, as on the device."""

import ctypes
import os

import numpy as np

from snnzoo import validation


class CMicroFrontend:
    """int16 chunks in, micro_speech int8 frames out, state kept for ever.

    Args:
        library: path of a `lib<name>_frontend.so` (`build_stream_library`).

    Raises:
        ValueError: `library` is not an existing `.so` file.
        RuntimeError: the front end could not set up its state.
    """

    def __init__(self, library):
        library = validation.existing_file(library, "library", ".so")
        self._lib = ctypes.CDLL(os.path.abspath(library))
        self._lib.snnzoo_frontend_new.restype = ctypes.c_void_p
        for name in ("snnzoo_frontend_free", "snnzoo_frontend_reset"):
            getattr(self._lib, name).argtypes = [ctypes.c_void_p]
        self._lib.snnzoo_frontend_process.restype = ctypes.c_long
        self._lib.snnzoo_frontend_process.argtypes = [
            ctypes.c_void_p, ctypes.POINTER(ctypes.c_int16), ctypes.c_long,
            ctypes.POINTER(ctypes.c_int8), ctypes.c_long]
        self.channels = int(self._lib.snnzoo_frontend_channels())
        self.hop = int(self._lib.snnzoo_frontend_hop())
        self._state = self._lib.snnzoo_frontend_new()
        if not self._state:
            raise RuntimeError(f"{library}: the front end could not set up its state.")

    def reset(self):
        """A fresh state (noise estimates at zero), as after power-up."""
        self._lib.snnzoo_frontend_reset(self._state)

    def process(self, samples):
        """int8 frames `(frames, channels)` completed by this chunk of int16
        samples (any length; the rest waits for the next chunk)."""
        samples = np.ascontiguousarray(samples, np.int16)
        room = len(samples) // self.hop + 2
        out = np.empty((room, self.channels), np.int8)
        count = self._lib.snnzoo_frontend_process(
            self._state, samples.ctypes.data_as(ctypes.POINTER(ctypes.c_int16)), len(samples),
            out.ctypes.data_as(ctypes.POINTER(ctypes.c_int8)), room)
        if count < 0:
            raise RuntimeError("The front end produced more frames than a chunk can hold.")
        return out[:count]

    def close(self):
        if getattr(self, "_state", None):
            self._lib.snnzoo_frontend_free(self._state)
            self._state = None

    def __del__(self):
        self.close()
