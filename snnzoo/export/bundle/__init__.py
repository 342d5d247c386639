"""What ships beside a file: the `manifest` of exported files, C arrays
(`c_array`) and the TensorFlow Lite Micro bundle (`tflm_bundle`)."""
