"""The Python API is as quiet as the CLI, and leaves the caller's process as
it was: no TensorFlow C++ log line, no warning, no changed environment."""

import os
import subprocess
import sys

import pytest

CODE = """
import os, sys
def ours():
    return {k: v for k, v in os.environ.items() if k.startswith(("TF_CPP", "SNNZOO"))}
before = ours()  # the caller's own (CI sets SNNZOO_FSDD, for one)
import snnzoo
model = snnzoo.load_preset("lif_speech_commands_2x128")
# (TensorFlow and JAX set KMP_* and similar variables of their own on import.)
assert ours() == before, (before, ours())
print(model.name)
"""

EXPORT = """
import snnzoo
name = "lif_speech_commands_2x128"
model = snnzoo.presets.load(name, int8_source=True)
info = snnzoo.export.export_tflite(model, "m.tflite", "int8", "step",
                                   representative_data=snnzoo.presets.calibration_data(name))
print(info["bytes"])
"""


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("TF_CPP_MIN_LOG_LEVEL", "SNNZOO_VERBOSE")}
    return {**env, **extra}


@pytest.mark.parametrize("backend", ["jax", "tensorflow"])
def test_loading_a_preset_prints_nothing_on_stderr(backend):
    proc = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          env=_clean_env(KERAS_BACKEND=backend), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stderr == ""


def test_an_int8_export_prints_nothing_unless_asked(tmp_path):
    proc = subprocess.run([sys.executable, "-c", EXPORT], capture_output=True, text=True,
                          cwd=tmp_path, env=_clean_env(KERAS_BACKEND="tensorflow"), timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip().isdigit(), proc.stderr[-2000:]
    assert proc.stderr == ""
    loud = subprocess.run([sys.executable, "-c", EXPORT], capture_output=True, text=True,
                          cwd=tmp_path, timeout=300,
                          env=_clean_env(KERAS_BACKEND="tensorflow", SNNZOO_VERBOSE="1",
                                         TF_CPP_MIN_LOG_LEVEL="0"))
    assert loud.returncode == 0 and loud.stderr != ""  # the lines are there when asked for


def test_a_saved_model_loads_after_the_lazy_import(tmp_path):
    code = ("import snnzoo, keras, numpy as np\n"
            "m = snnzoo.models.build('lif', (5, 3), 2, units=4)\n"
            "m.save('m.keras')\n"
            "print(type(snnzoo.load_model('m.keras').layers[1]).__name__)\n")
    save = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, env=_clean_env(), timeout=300)
    assert save.returncode == 0, save.stderr[-2000:]
    fresh = subprocess.run([sys.executable, "-c", "import snnzoo; "
                            "print(type(snnzoo.load_model('m.keras').layers[1]).__name__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=_clean_env(),
                           timeout=300)
    assert fresh.returncode == 0 and fresh.stdout.strip() == "SpikingRNN", fresh.stderr[-2000:]


DIRECT = """
import numpy as np
from snnzoo.export import run_tflite
from snnzoo.cells import LIFCell
from snnzoo.data import FeatureParams
from snnzoo.data import micro_frontend
frames = micro_frontend.filterbanks(np.zeros(8000, "float32"), FeatureParams.micro(8000))
from snnzoo import presets
run_tflite(presets.path("lif_speech_commands_2x128") + "/model_float32_step.tflite",
           np.zeros((1, 3, 40), "float32"))  # LiteRT with its XNNPACK delegate
print(frames.shape[0] > 0)
"""


@pytest.mark.parametrize("backend", ["jax", "tensorflow"])
def test_direct_submodule_imports_print_nothing(backend):
    """`from snnzoo.x import y` (not through `snnzoo.x`) imports the
    frameworks as quietly, and so does a lazy TensorFlow import (the micro
    front end's op under JAX); LiteRT's delegate line stays off too."""
    proc = subprocess.run([sys.executable, "-c", DIRECT], capture_output=True, text=True,
                          env=_clean_env(KERAS_BACKEND=backend), timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip() == "True", proc.stderr[-2000:]
    assert proc.stderr == ""
