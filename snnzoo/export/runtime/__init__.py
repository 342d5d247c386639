"""Runtimes that run snnzoo's files: LiteRT (`interpreter`, `litert.run_tflite`,
`StreamingRunner`, `StatefulRunner`), TensorFlow Lite Micro (`micro`), the
checks against Keras (`verify`) and the runtimes' rounding (`rounding`)."""
