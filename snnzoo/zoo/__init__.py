"""Release tooling on top of the zoo: it builds, packages and describes the
shipped presets, and runs the demo.

- `build`: a preset's exported files (`build_artifacts(name, ...)`), its
  int8 source model, calibration set and TFLM facts;
- `package`: finished recipe runs -> a preset folder with its card
  (`package_preset(name, runs_dir)`), energy views;
- `readme`: the README's preset and export tables;
- `nir_files`: the shipped NIR files and their measured facts;
- `description`: `describe(name)`, the card with its exported files;
- `demo`: `snnzoo demo`.

It sits above `presets`, `export`, `quantization` and `training`; none of
them imports it.
"""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.zoo.description import describe

__all__ = ["describe"]
