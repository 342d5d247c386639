"""`snnzoo.backend.retain_freed_memory`: glibc keeps large freed blocks in
its heap (no mmap per block). Checked in child processes, so the test
process's allocator is left as it is."""

import subprocess
import sys

import pytest

PROBE = """
import ctypes, sys
from snnzoo import backend
libc = ctypes.CDLL("libc.so.6")
if sys.argv[1] == "retain":
    assert backend.retain_freed_memory()

class Info(ctypes.Structure):
    _fields_ = [(k, ctypes.c_size_t) for k in ("arena", "ordblks", "smblks", "hblks",
                "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc.mallinfo2.restype = Info
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
block = libc.malloc(64 << 20)
mapped = libc.mallinfo2().hblkhd
libc.free(block)
print(mapped >= 64 << 20, libc.mallinfo2().fordblks >= 64 << 20)
"""


def _probe(mode, env=None):
    import os

    env = dict(os.environ, **(env or {}))
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True,
                         env=env, check=True).stdout.split()
    return out[-2:]


def test_retained_blocks_stay_in_the_heap():
    pytest.importorskip("ctypes")
    if not sys.platform.startswith("linux"):
        pytest.skip("glibc only")
    # Default glibc: a 64 MiB block is mmapped (and unmapped on free).
    assert _probe("default")[0] == "True"
    # Retained: it comes from the heap, which keeps it free for reuse.
    assert _probe("retain") == ["False", "True"]
    # The child-process form (environment variables) has the same effect.
    from snnzoo import backend

    assert _probe("default", backend.retain_freed_memory_env()) == ["False", "True"]
