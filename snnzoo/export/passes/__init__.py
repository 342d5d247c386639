"""Flatbuffer post-passes run on every converted graph: `tie` (each state
input on its new-state output's grid), `nonnegative` (FULLY_CONNECTED
outputs made non-negative before the zero point, so TFLM and LiteRT round
alike), and the shared `flatbuffer_edit` helpers."""
