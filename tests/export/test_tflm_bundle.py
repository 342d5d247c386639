"""The TFLM bundle: header numbers equal the model file's (read back here
through TFLM itself), the C array is the file, the C++ loop compiles."""

import os
import re
import shutil
import subprocess

import numpy as np
import pytest

from snnzoo import presets

pytest.importorskip("tflite_micro")

BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)
PRESET = "lif_speech_commands_2x128"
SHIPPED = os.path.join(presets.path(PRESET), "model_int8_step.tflite")


def _constants(text):
    """`constexpr` scalars and arrays of a generated header, as Python values."""
    values = {}
    for name, is_array, raw in re.findall(
            r"constexpr (?:size_t|int|float) (\w+)(\[\])? = ([^;]+);", text):
        items = raw.strip("{}").split(",") if is_array else [raw]
        parsed = [float(v.strip().rstrip("f")) for v in items]
        values[name] = parsed if is_array else parsed[0]
    return values


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    from snnzoo.data.frontend import frontend
    from snnzoo.export.bundle.tflm_bundle import write_bundle

    out = tmp_path_factory.mktemp("bundle")
    paths = write_bundle(SHIPPED, str(out), "lif_speech", frontend("espeak_commands"))
    return out, paths


def test_header_values_are_the_models(bundle):
    from tflite_micro.python.tflite_micro import runtime

    from snnzoo.data.features import FeatureParams
    from snnzoo.export.bundle.tflm_bundle import ARENA_MARGIN_BYTES
    from snnzoo.export.runtime.micro import micro_facts
    from snnzoo.export.runtime.micro import smallest_arena

    out, paths = bundle
    assert sorted(os.path.basename(p) for p in paths) == [
        "README.md", "lif_speech_config.h", "lif_speech_model_data.cc",
        "lif_speech_model_data.h"]
    c = _constants((out / "lif_speech_config.h").read_text())
    micro = runtime.Interpreter.from_file(SHIPPED)

    def grid(detail):
        q = detail["quantization_parameters"]
        return float(q["scales"][0]), int(q["zero_points"][0]), int(np.prod(detail["shape"]))

    frame = grid(micro.get_input_details(int(c["kFrameInput"])))
    assert frame == pytest.approx((c["kFrameScale"], c["kFrameZeroPoint"], c["kFrameSize"]))
    assert frame[2] == 40
    output = grid(micro.get_output_details(int(c["kOutput"])))
    assert output == pytest.approx((c["kOutputScale"], c["kOutputZeroPoint"], 12))
    for k in range(int(c["kNumStates"])):
        s_in = grid(micro.get_input_details(int(c["kStateInput"][k])))
        s_out = grid(micro.get_output_details(int(c["kStateOutput"][k])))
        assert s_in == s_out == pytest.approx(
            (c["kStateScale"][k], c["kStateZeroPoint"][k], c["kStateSize"][k]))
    assert c["kStateBytes"] == sum(c["kStateSize"])
    smallest = smallest_arena(SHIPPED)
    assert c["kArenaSmallestBytes"] == smallest
    assert smallest + ARENA_MARGIN_BYTES <= c["kArenaBytes"] < smallest + ARENA_MARGIN_BYTES + 16
    assert c["kArenaBytes"] % 16 == 0
    assert micro_facts(SHIPPED, arena_size=int(c["kArenaBytes"]))["loads"]
    params = FeatureParams()
    assert (c["kFeatureSampleRate"], c["kFeatureHopSamples"], c["kFeatureWindowSamples"],
            c["kFeatureCoefficients"], c["kFeatureFramesPerClip"]) == (
        params.sample_rate, params.hop_samples, params.window_samples,
        params.num_coefficients, params.num_frames)


def test_c_array_is_the_file(bundle):
    out, _ = bundle
    text = (out / "lif_speech_model_data.cc").read_text()
    body = text.split("{", 1)[1].split("}", 1)[0]
    with open(SHIPPED, "rb") as f:
        assert bytes(int(v, 16) for v in body.replace(",", " ").split()) == f.read()


# Resolver methods as TFLM's micro_mutable_op_resolver.h spells them (read
# there by hand), for the ops snnzoo's graphs use.
TFLM_METHODS = ("AddAdd", "AddSub", "AddMul", "AddFullyConnected", "AddGreaterEqual",
                "AddLessEqual", "AddSelectV2", "AddMaximum", "AddMinimum", "AddQuantize",
                "AddDequantize", "AddConcatenation", "AddSplit", "AddStridedSlice",
                "AddMean", "AddPack", "AddRelu", "AddLogistic", "AddTanh", "AddReshape")
STUB = """
#pragma once
#include <cstddef>
#include <cstdint>
enum TfLiteStatus {{ kTfLiteOk, kTfLiteError }};
struct TfLiteTensor {{ union {{ int8_t* int8; float* f; }} data; }};
namespace tflite {{
struct Model {{}};
inline const Model* GetModel(const void*) {{ return nullptr; }}
template <unsigned int N> struct MicroMutableOpResolver {{ {methods} }};
struct MicroInterpreter {{
  template <typename R>
  MicroInterpreter(const Model*, R&, uint8_t*, size_t) {{}}
  TfLiteStatus AllocateTensors() {{ return kTfLiteOk; }}
  TfLiteStatus Invoke() {{ return kTfLiteOk; }}
  TfLiteTensor* input(int) {{ return nullptr; }}
  TfLiteTensor* output(int) {{ return nullptr; }}
}};
}}
"""


def _tflm_stub(root):
    """Headers with TFLM's API (the calls the loops make), under `root`."""
    stub_dir = root / "tensorflow" / "lite"
    (stub_dir / "micro").mkdir(parents=True)
    (stub_dir / "schema").mkdir()
    methods = " ".join(f"TfLiteStatus {m}() {{ return kTfLiteOk; }}" for m in TFLM_METHODS)
    (stub_dir / "micro" / "micro_interpreter.h").write_text(STUB.format(methods=methods))
    (stub_dir / "micro" / "micro_mutable_op_resolver.h").write_text(
        '#include "tensorflow/lite/micro/micro_interpreter.h"\n')
    (stub_dir / "schema" / "schema_generated.h").write_text("#pragma once\n")


@pytest.mark.skipif(shutil.which("g++") is None, reason="needs g++")
def test_readme_loop_compiles_against_the_tflm_api(bundle, tmp_path):
    out, _ = bundle
    _tflm_stub(tmp_path)
    code = (out / "README.md").read_text().split("```cpp", 1)[1].split("```", 1)[0]
    (tmp_path / "loop.cc").write_text(code + "\nint main() { return Setup() ? 0 : 1; }\n")
    proc = subprocess.run(["g++", "-std=c++17", "-fsyntax-only", "-Wall", "-Werror",
                           "-I", str(tmp_path), "-I", str(out), str(tmp_path / "loop.cc"),
                           str(out / "lif_speech_model_data.cc")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_resolver_method_names():
    from snnzoo.export.bundle.tflm_bundle import resolver_method

    assert [resolver_method(op) for op in ("FULLY_CONNECTED", "SELECT_V2", "CONV_2D",
                                           "GREATER_EQUAL", "CUMSUM", "ADD_N")] == [
        "AddFullyConnected", "AddSelectV2", "AddConv2D", "AddGreaterEqual", "AddCumSum",
        "AddAddN"]


def test_bundle_refuses_bad_names_and_sequence_graphs(tmp_path):
    from snnzoo.export.bundle.tflm_bundle import write_bundle

    with pytest.raises(ValueError, match="`name`: expected a C identifier"):
        write_bundle(SHIPPED, str(tmp_path), "9lives")
    sequence = os.path.join(presets.path(PRESET), "model_int8_sequence.tflite")
    with pytest.raises(ValueError, match="`tflite_path`: expected an int8 step graph"):
        write_bundle(sequence, str(tmp_path), "seq")


def test_fsdd_bundle_carries_the_standardisation(tmp_path):
    """An FSDD preset's bundle header holds the card's per-coefficient mean
    and scale, as float arrays the device applies before quantizing."""
    from snnzoo.export.bundle.tflm_bundle import write_bundle

    name = "hard_lstm_fsdd"
    front = presets.card(name)["frontend"]
    shipped = os.path.join(presets.path(name), "model_int8_step.tflite")
    paths = write_bundle(shipped, str(tmp_path), "digits", front)
    header = open([p for p in paths if p.endswith("_config.h")][0]).read()
    for key, const in (("coefficient_mean", "kFeatureCoefficientMean"),
                       ("coefficient_scale", "kFeatureCoefficientScale")):
        body = re.search(rf"constexpr float {const}\[\] = \{{(.*?)\}};", header).group(1)
        values = [float(v.rstrip("f")) for v in body.split(", ")]
        np.testing.assert_array_equal(np.float32(values), np.float32(front[key]))


MICRO_SOURCES = (os.environ.get("SNNZOO_TFLITE_MICRO_SRC"), os.environ.get("SNNZOO_KISSFFT_SRC"))


def test_micro_bundle_has_the_audio_loop(tmp_path):
    """A micro-front-end preset's bundle carries the front end's config, the
    keyword logic (its table from the model's output grid) and the audio
    loop; with the pinned sources at hand, the loop compiles against the real
    front-end headers and TFLM's API."""
    from snnzoo.export.bundle import micro_frontend_c
    from snnzoo.export.bundle.tflm_bundle import write_bundle
    from snnzoo.export.runtime.interpreter import describe

    name = "hard_lstm_fsdd_micro"
    shipped = os.path.join(presets.path(name), "model_int8_step.tflite")
    paths = write_bundle(shipped, str(tmp_path / "b"), "digits", presets.card(name)["frontend"])
    files = {os.path.basename(p) for p in paths}
    assert {"digits_frontend_config.h", "digits_detector.h", "digits_kws.cc"} <= files
    detector = (tmp_path / "b" / "digits_detector.h").read_text()
    table = re.search(r"kPosteriorTable\[\] = \{(.*?)\};", detector).group(1).split(", ")
    scale = describe(shipped)["outputs"]["output"]["scale"]
    assert float(table[-1]) == 1.0 and float(table[0]) == pytest.approx(np.exp(-255 * scale))
    if not all(MICRO_SOURCES) or shutil.which("g++") is None:
        pytest.skip("compiling the audio loop needs g++ and the pinned front-end sources")
    sources = micro_frontend_c.prepare_sources(*MICRO_SOURCES, str(tmp_path / "src"))
    _tflm_stub(tmp_path / "stub")
    proc = subprocess.run(["g++", "-std=c++17", "-fsyntax-only", "-Wall", "-Werror",
                           "-I", str(tmp_path / "stub"), "-I", os.path.join(sources, "tflite-micro"),
                           "-I", str(tmp_path / "b"), str(tmp_path / "b" / "digits_kws.cc")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
