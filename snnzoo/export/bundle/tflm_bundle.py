"""A TensorFlow Lite Micro bundle of an int8 step graph.

`write_bundle(tflite_path, out_dir, name, frontend)` writes into `out_dir`:

- `<name>_model_data.h/.cc`: the flatbuffer as a 16-byte aligned C array;
- `<name>_config.h`: every number the device loop needs, read from the file
  itself (input, output and state tensor positions, shapes, scales and zero
  points; the tensor arena: the smallest that allocates and invokes in
  TFLM, found by bisection, plus `ARENA_MARGIN_BYTES`; the op resolver) and the feature front end (`snnzoo.data.frontend`);
- `README.md`: the streaming loop in C++ against the TFLM API.

With the micro front end (`frontend["kind"] == "micro"`), also the audio
loop: `<name>_frontend_config.h` (`micro_frontend_c.config_header`),
`<name>_detector.h` (`detector_c.detector_header`: the keyword logic with
`detection` settings) and `<name>_kws.cc` (int16 audio -> front end ->
model -> events), built with TFLM and the front end's pinned C sources.
"""

import os
import re
import shutil

from snnzoo import io as snnzoo_io
from snnzoo import validation
from snnzoo.export.bundle import detector_c
from snnzoo.export.bundle import micro_frontend_c
from snnzoo.export.bundle.c_array import write_c_array
from snnzoo.export.runtime.keyword_logic import KeywordLogic
from snnzoo.export.runtime.interpreter import describe
from snnzoo.export.runtime.interpreter import interpreter
from snnzoo.export.runtime.micro import grid
from snnzoo.export.runtime.micro import micro_facts
from snnzoo.export.runtime.micro import signature_names
from snnzoo.export.runtime.micro import smallest_arena
from snnzoo.export.signature import INPUT_NAME
from snnzoo.export.signature import OUTPUT_NAME

#: Bytes added to the smallest arena that runs the file (`smallest_arena`)
#: for `kArenaBytes`: room for a TFLM release whose allocator keeps a little
#: more bookkeeping than the one measured here.
ARENA_MARGIN_BYTES = 1024

#: Resolver methods that do not follow the CamelCase rule.
RESOLVER_EXCEPTIONS = (("CUMSUM", "AddCumSum"),
                       ("UNIDIRECTIONAL_SEQUENCE_LSTM", "AddUnidirectionalSequenceLSTM"))


def resolver_method(op):
    """TFLM's `MicroMutableOpResolver` method for a builtin op name
    (FULLY_CONNECTED -> AddFullyConnected, SELECT_V2 -> AddSelectV2,
    CONV_2D -> AddConv2D)."""
    special = dict(RESOLVER_EXCEPTIONS)
    if op in special:
        return special[op]
    return "Add" + "".join(p if re.fullmatch(r"\d+D", p) else p.capitalize()
                           for p in op.split("_"))


def step_layout(path):
    """Positions, shapes and quantization of a step graph's tensors as TFLM
    numbers them: `{"frame", "output", "states": [...], "ops"}`."""

    lite = interpreter(path, check=False)
    inputs, outputs = signature_names(lite)
    in_details, out_details = lite.get_input_details(), lite.get_output_details()
    position = {n: j for j, names in enumerate(outputs) for n in names}

    def tensor(detail, index):
        scale, zero = grid(detail)
        return {"index": index, "size": int(detail["shape"].prod()), "scale": scale,
                "zero_point": zero}

    if INPUT_NAME not in inputs or len(inputs) < 2:
        validation.fail("tflite_path", "an int8 step graph", f"{path} with inputs {inputs}")
    states = [dict(tensor(in_details[i], i), name=n,
                   output_index=position["new_" + n]) for i, n in enumerate(inputs)
              if n != INPUT_NAME]
    frame = inputs.index(INPUT_NAME)
    ops = describe(path, check=False)["ops"]
    return {"frame": tensor(in_details[frame], frame),
            "output": tensor(out_details[position[OUTPUT_NAME]], position[OUTPUT_NAME]),
            "states": states, "ops": ops}


def _array(kind, name, values):
    return f"constexpr {kind} {name}[] = {{{', '.join(str(v) for v in values)}}};"


def _frontend_lines(frontend):
    lines = ["", "// Feature front end: what the device computes for one frame."]
    lines += [f"//   {i + 1}. {step}" for i, step in enumerate(frontend.get("steps", []))]
    for key, value in frontend.items():
        const = "kFeature" + "".join(p.capitalize() for p in key.split("_"))
        if isinstance(value, list) and value and all(
                isinstance(v, float) for v in value):  # per-coefficient constants
            lines.append(_array("float", const, [f"{v!r}f" for v in value]))
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        kind = "int" if isinstance(value, int) else "float"
        lines.append(f"constexpr {kind} {const} = {value!r}{'f' if kind == 'float' else ''};")
    return lines


def arena_size(smallest):
    """`kArenaBytes` for a file whose smallest arena is `smallest` bytes:
    plus `ARENA_MARGIN_BYTES`, rounded up to a multiple of 16."""
    return -(-(smallest + ARENA_MARGIN_BYTES) // 16) * 16


def config_header(layout, arena_bytes, name, frontend=None):
    """The text of `<name>_config.h`; `arena_bytes` is the smallest arena
    that runs the file."""
    states, frame, out = layout["states"], layout["frame"], layout["output"]
    ops = layout["ops"]
    lines = [f"// Generated by snnzoo for {name}_int8_step.tflite. Do not edit.",
             f"#ifndef SNNZOO_{name.upper()}_CONFIG_H_", f"#define SNNZOO_{name.upper()}_CONFIG_H_",
             "", "#include <cstddef>", "#include <cstdint>", "",
             f"namespace {name} {{", "",
             f"// Tensor arena: the smallest that allocates and invokes in TFLM ({arena_bytes}",
             "// bytes, found by bisection on a 64-bit host; a 32-bit MCU needs no more)",
             f"// plus a margin of {ARENA_MARGIN_BYTES} bytes, rounded up to 16.",
             f"constexpr size_t kArenaSmallestBytes = {arena_bytes};",
             f"constexpr size_t kArenaBytes = {arena_size(arena_bytes)};", "",
             f"constexpr int kFrameInput = {frame['index']};",
             f"constexpr int kFrameSize = {frame['size']};",
             f"constexpr float kFrameScale = {frame['scale']!r}f;",
             f"constexpr int kFrameZeroPoint = {frame['zero_point']};",
             f"constexpr int kOutput = {out['index']};",
             f"constexpr int kOutputSize = {out['size']};",
             f"constexpr float kOutputScale = {out['scale']!r}f;",
             f"constexpr int kOutputZeroPoint = {out['zero_point']};", "",
             "// State k: input kStateInput[k] <- output kStateOutput[k] after every frame",
             "// (one scale and zero point for both: copy the int8 bytes).",
             f"constexpr int kNumStates = {len(states)};",
             _array("int", "kStateInput", [s["index"] for s in states]),
             _array("int", "kStateOutput", [s["output_index"] for s in states]),
             _array("int", "kStateSize", [s["size"] for s in states]),
             _array("float", "kStateScale", [f"{s['scale']!r}f" for s in states]),
             _array("int", "kStateZeroPoint", [s["zero_point"] for s in states]),
             f"constexpr int kStateBytes = {sum(s['size'] for s in states)};", "",
             f"constexpr int kNumOps = {len(ops)};",
             "template <typename Resolver>",
             "inline void AddOps(Resolver& resolver) {"]
    lines += [f"  resolver.{resolver_method(op)}();" for op in ops] + ["}"]
    lines += _frontend_lines(frontend or {"steps": ["as the model was trained on"]})
    lines += ["", f"}}  // namespace {name}", "", f"#endif  // SNNZOO_{name.upper()}_CONFIG_H_", ""]
    return "\n".join(lines)


LOOP = """# {name}: TensorFlow Lite Micro bundle

Files: `{name}_int8_step.tflite` (the model), `{name}_model_data.h/.cc` (the same
bytes as a 16-byte aligned C array), `{name}_config.h` (every number below, read
from the model file by snnzoo). Tensor arena: `kArenaBytes` = {arena:,} bytes, the
smallest arena in which TFLM allocates and invokes the file ({smallest:,} bytes, found
by bisection on a 64-bit host; a 32-bit MCU needs no more) plus a margin of {margin:,}.
Ops: {ops}.

One invocation is one input frame; the recurrent states are explicit int8
inputs and outputs that share one scale and zero point, so the loop copies
their bytes from outputs to inputs after every frame.

```cpp
#include <cmath>
#include <cstring>

#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/schema/schema_generated.h"
#include "{name}_config.h"
#include "{name}_model_data.h"

using namespace {name};

alignas(16) static uint8_t arena[kArenaBytes];
static int8_t state_copy[kStateBytes];  // outputs may share arena with inputs

tflite::MicroInterpreter* Setup() {{
  static tflite::MicroMutableOpResolver<kNumOps> resolver;
  AddOps(resolver);
  static tflite::MicroInterpreter interpreter(
      tflite::GetModel({variable}), resolver, arena, kArenaBytes);
  if (interpreter.AllocateTensors() != kTfLiteOk) return nullptr;
  return &interpreter;
}}

void Reset(tflite::MicroInterpreter* m) {{  // a new sequence: every state at zero
  for (int k = 0; k < kNumStates; ++k)
    std::memset(m->input(kStateInput[k])->data.int8, kStateZeroPoint[k], kStateSize[k]);
}}

// frame: kFrameSize float features from the front end in {name}_config.h.
// logits: kOutputSize floats, valid after every frame.
bool Step(tflite::MicroInterpreter* m, const float* frame, float* logits) {{
  int8_t* x = m->input(kFrameInput)->data.int8;
  for (int i = 0; i < kFrameSize; ++i) {{
    long q = std::lround(frame[i] / kFrameScale) + kFrameZeroPoint;
    x[i] = static_cast<int8_t>(q < -128 ? -128 : q > 127 ? 127 : q);
  }}
  if (m->Invoke() != kTfLiteOk) return false;
  // Read every new state before writing any state input.
  for (int k = 0, offset = 0; k < kNumStates; offset += kStateSize[k], ++k)
    std::memcpy(state_copy + offset, m->output(kStateOutput[k])->data.int8, kStateSize[k]);
  for (int k = 0, offset = 0; k < kNumStates; offset += kStateSize[k], ++k)
    std::memcpy(m->input(kStateInput[k])->data.int8, state_copy + offset, kStateSize[k]);
  const int8_t* y = m->output(kOutput)->data.int8;
  for (int i = 0; i < kOutputSize; ++i) logits[i] = (y[i] - kOutputZeroPoint) * kOutputScale;
  return true;
}}
```

Call `Setup()` once, `Reset()` at the start of every sequence, then `Step()` per
frame; the class is the argmax of `logits` (after the last frame for models that
decide at the end).
"""


#: Default keyword logic of an audio bundle (`snnzoo.streaming.Detector`'s defaults).
DETECTION = {"smoothing_s": 0.2, "threshold": 0.6, "refractory_s": 1.0, "keywords": None,
             "state_reset_s": None, "score_state": None}


AUDIO_README = """
## Audio in, keywords out

`{name}_kws.cc` runs the whole device pipeline: `{name}_kws::Setup()` once, then
`{name}_kws::Feed(samples, n, on_event)` with int16 audio as it arrives (any chunk
size). The micro front end keeps one state for ever and gives a frame every hop;
each frame's int8 values go into the model's input as they are (its grid is the
front end's); the states stream from frame to frame and are never reset; the
keyword logic of `{name}_detector.h` (posterior table, smoothing, threshold,
refractory window) turns the int8 output into events, the same ones
`snnzoo.streaming.Detector` gives.

Build it with TFLM and the micro frontend's C sources at the pinned commits
(`snnzoo.export.bundle.micro_frontend_c.PINS`): the files of
`tensorflow/lite/experimental/microfrontend/lib` listed in `LIB_SOURCES`, and
kissfft v130 with TFLM's patch (`prepare_sources` extracts both).
"""


def audio_files(layout, name, frontend, detection=None):
    """`{file name: text}` of the micro front end's audio loop."""
    settings = dict(DETECTION, **(detection or {}))
    labels = list(frontend.get("labels") or range(layout["output"]["size"]))
    keywords = settings["keywords"] or [n for n in labels if not (
        isinstance(n, str) and n.startswith("_") and n.endswith("_"))]
    frame_s = frontend["hop_samples"] / frontend["sample_rate"]
    named = {st["name"]: k for k, st in enumerate(layout["states"])}
    if settings["score_state"] is not None and settings["score_state"] not in named:
        validation.fail("detection score_state", f"None or one of {sorted(named)}",
                        settings["score_state"])
    k = None if settings["score_state"] is None else named[settings["score_state"]]
    scored = layout["output"] if k is None else layout["states"][k]
    logic = KeywordLogic((scored["scale"], scored["zero_point"]),
                         scored["size"], [labels.index(k) for k in keywords],
                         max(1, round(settings["smoothing_s"] / frame_s)), settings["threshold"],
                         round(settings["refractory_s"] / frame_s))
    return {f"{name}_frontend_config.h": micro_frontend_c.config_header(frontend, name),
            f"{name}_detector.h": detector_c.detector_header(
                name, logic, settings["state_reset_s"] and max(
                    1, round(settings["state_reset_s"] / frame_s)), k),
            f"{name}_kws.cc": detector_c.kws_loop(name, frontend["input_scale"])}


def write_bundle(tflite_path, out_dir, name, frontend=None, detection=None):
    """Write the bundle (see the module docstring) into `out_dir` as one
    unit: every file is made in a new folder beside it, with the files
    `out_dir` already held, and that folder then takes its place (an error
    or a kill leaves `out_dir` as it was). Returns the paths."""
    if not re.fullmatch(r"[A-Za-z_]\w*", name or ""):
        validation.fail("name", "a C identifier (letters, digits, underscores)", name)
    if frontend is not None and not isinstance(frontend, dict):
        validation.fail("frontend", "None or a front-end description (a dict, "
                        "snnzoo.data.frontend.frontend)", frontend)
    info = describe(tflite_path)
    not_int8 = sorted(k for k, d in {**info["inputs"], **info["outputs"]}.items()
                      if d["dtype"] != "int8")
    if not_int8:
        validation.fail("tflite_path", "a full-int8 step graph (int8 inputs and outputs)",
                        f"{tflite_path} with non-int8 tensors {not_int8}")
    facts = micro_facts(tflite_path)
    if not facts["loads"]:
        raise ValueError(f"`tflite_path`: expected a file TFLM runs; {facts['reason']}")
    layout = step_layout(tflite_path)
    variable = f"{name}_model_data"
    smallest = smallest_arena(tflite_path)
    header = config_header(layout, smallest, name, frontend)
    readme = LOOP.format(name=name, variable=variable, arena=arena_size(smallest),
                         smallest=smallest, margin=ARENA_MARGIN_BYTES,
                         ops=", ".join(layout["ops"]))
    extra = (audio_files(layout, name, frontend, detection)
             if frontend is not None and frontend.get("kind") == "micro" else {})
    if extra:
        readme += AUDIO_README.format(name=name)
    with snnzoo_io.atomic_folder(out_dir) as tmp:
        if os.path.isdir(out_dir):
            shutil.copytree(out_dir, tmp, dirs_exist_ok=True)
        written = write_c_array(tflite_path, tmp, variable)
        written.append(snnzoo_io.write_text(os.path.join(tmp, f"{name}_config.h"), header))
        written.append(snnzoo_io.write_text(os.path.join(tmp, "README.md"), readme))
        for file, text in extra.items():
            written.append(snnzoo_io.write_text(os.path.join(tmp, file), text))
    return [os.path.join(out_dir, os.path.basename(p)) for p in written]
