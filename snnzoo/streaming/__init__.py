"""Keyword spotting on endless audio streams (above `export`: the front end,
an int8 step graph, and the device's keyword logic).

- `Detector`: audio (chunks or a whole recording) -> events `(time, keyword, score)`;
- `CMicroFrontend`: the C micro front end as a live stream (ctypes);
- `streams`: deterministic long test streams; `scoring`: misses, false alarms,
  DET curves and latency.
"""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.streaming.c_frontend import CMicroFrontend
from snnzoo.streaming.detector import Detector
from snnzoo.streaming.detector import default_keywords

__all__ = ["CMicroFrontend", "Detector", "default_keywords"]
