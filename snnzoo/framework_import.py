"""Importing this module imports Keras the quiet way (`snnzoo.quiet.framework`:
under `silenced()`, when the process has imported no framework yet). Every
subpackage imports it first, so a direct `from snnzoo.cells import LIFCell`
prints no TensorFlow start-up lines, as `snnzoo.cells.LIFCell` does not."""

from snnzoo.quiet import framework

framework("keras")
