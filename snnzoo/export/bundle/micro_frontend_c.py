"""TFLM's micro frontend as C, for the device bundle and for this host.

The sources are not vendored. `prepare_sources(tflite_micro, kissfft, out)`
takes two git repositories (a clone or a bare mirror) that hold the pinned
commits (`PINS`), extracts the files the front end needs with `git archive`,
and applies TFLM's own kissfft patch (`third_party/kissfft/kissfft.patch`),
as TFLM's Makefile does:

    git clone https://github.com/tensorflow/tflite-micro    # holds PINS["tflite-micro"] (e38f488)
    git clone https://github.com/mborgerding/kissfft        # holds v130 = PINS["kissfft"]

`config_header(frontend, name)` writes `<name>_frontend_config.h`, the
`FrontendConfig` of a preset's card (`card["frontend"]`, kind "micro").
`build_host_tool(sources, header, out)` compiles, with this host's gcc/g++,
a program that reads clips of int16 samples and writes their uint16 frames:
the test that the C front end and the TF op agree bit for bit.
"""

import os
import shutil
import subprocess
import tempfile

from snnzoo import io as snnzoo_io
from snnzoo import validation

#: (commit, paths to extract). TFLM's Makefile downloads kissfft v130. The
#: tflite-micro commit is the last before 6d337dc9f (2023-10-31), which moved
#: the window and filterbank constants from double to float math: from then on
#: TFLM's frames differ from those of TF's op, which keeps the double math
#: (108 of 1,960 values on a 440 Hz tone at 16 kHz, measured here); with this
#: commit they agree bit for bit (tests/export/test_micro_frontend_c.py).
PINS = {
    "tflite-micro": ("e38f4882343da111b07ae875c75dc2bb071fbbdc",
                     ("tensorflow/lite/experimental/microfrontend/lib",
                      "third_party/kissfft/kissfft.patch", "LICENSE")),
    "kissfft": ("918336beac80868ad3011cb283063bb224e3e5da",
                ("kiss_fft.c", "kiss_fft.h", "_kiss_fft_guts.h", "tools/kiss_fftr.c",
                 "tools/kiss_fftr.h", "COPYING")),
}
LIB = "tensorflow/lite/experimental/microfrontend/lib"
#: The library's sources (BUILD's srcs, without tests, io and mains).
LIB_SOURCES = ("fft.cc", "fft_util.cc", "kiss_fft_int16.cc", "filterbank.c",
               "filterbank_util.c", "frontend.c", "frontend_util.c", "log_lut.c",
               "log_scale.c", "log_scale_util.c", "noise_reduction.c",
               "noise_reduction_util.c", "pcan_gain_control.c", "pcan_gain_control_util.c",
               "window.c", "window_util.c")


def _git(repo, *args):
    return subprocess.run(["git", f"--git-dir={git_dir(repo)}", *args],
                          capture_output=True, check=False)


def git_dir(repo):
    """The git directory of a clone (`repo/.git`) or of a bare mirror (`repo`)."""
    inner = os.path.join(repo, ".git")
    return inner if os.path.exists(inner) else repo


def _check_repo(repo, name):
    commit = PINS[name][0]
    if not isinstance(repo, (str, os.PathLike)) or not os.path.isdir(repo):
        validation.fail(name.replace("-", "_"), f"a git repository of {name}", repo)
    if _git(repo, "cat-file", "-e", f"{commit}^{{commit}}").returncode != 0:
        validation.fail(name.replace("-", "_"),
                        f"a git repository of {name} that holds commit {commit}", repo)


def _extract(repo, name, out):
    commit, paths = PINS[name]
    archive = _git(repo, "archive", "--format=tar", commit, "--", *paths)
    if archive.returncode != 0:
        raise RuntimeError(f"git archive of {name} {commit} failed: "
                           f"{archive.stderr.decode(errors='replace')[-500:]}")
    os.makedirs(out, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", out], input=archive.stdout, check=True)


def prepare_sources(tflite_micro, kissfft, out_dir):
    """Extract the pinned front-end sources into `out_dir` (as one unit):
    `out_dir/tflite-micro/...` and `out_dir/kissfft/...` (patched). Returns
    `out_dir`."""
    _check_repo(tflite_micro, "tflite-micro")
    _check_repo(kissfft, "kissfft")
    with snnzoo_io.atomic_folder(out_dir) as tmp:
        _extract(tflite_micro, "tflite-micro", os.path.join(tmp, "tflite-micro"))
        _extract(kissfft, "kissfft", os.path.join(tmp, "kissfft"))
        patch = os.path.join(tmp, "tflite-micro", "third_party", "kissfft", "kissfft.patch")
        proc = subprocess.run(["patch", "-s", "-p1", "-d", os.path.join(tmp, "kissfft"),
                               "-i", patch], capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"TFLM's kissfft patch did not apply: {proc.stdout}{proc.stderr}")
    return out_dir


def _c_float(value):
    return f"{float(value)!r}f"


def config_header(frontend, name):
    """`<name>_frontend_config.h`: the preset's micro front end as a
    `FrontendConfig` filler and its integer int8 map."""
    if not isinstance(frontend, dict) or frontend.get("kind") != "micro":
        validation.fail("frontend", "a micro front-end description (card['frontend'] with "
                        "kind 'micro')", frontend)
    o = frontend["micro_frontend"]
    guard = f"SNNZOO_{name.upper()}_FRONTEND_CONFIG_H_"
    return "\n".join([
        f"// Generated by snnzoo from the card of {name}. Do not edit.",
        f"#ifndef {guard}", f"#define {guard}", "", "#include <cstdint>", "",
        '#include "tensorflow/lite/experimental/microfrontend/lib/frontend_util.h"', "",
        f"namespace {name}_frontend {{", "",
        f"constexpr int kSampleRate = {int(o['sample_rate'])};",
        f"constexpr int kChannels = {int(o['num_channels'])};",
        f"constexpr int kWindowSamples = {int(frontend['window_samples'])};",
        f"constexpr int kHopSamples = {int(frontend['hop_samples'])};",
        f"constexpr int kValueScale = {int(frontend['value_scale'])};",
        f"constexpr int kValueDiv = {int(frontend['value_div'])};", "",
        "inline void FillConfig(FrontendConfig* c) {",
        "  FrontendFillConfigWithDefaults(c);",
        f"  c->window.size_ms = {int(o['window_size'])};",
        f"  c->window.step_size_ms = {int(o['window_step'])};",
        f"  c->filterbank.num_channels = {int(o['num_channels'])};",
        f"  c->filterbank.upper_band_limit = {_c_float(o['upper_band_limit'])};",
        f"  c->filterbank.lower_band_limit = {_c_float(o['lower_band_limit'])};",
        f"  c->noise_reduction.smoothing_bits = {int(o['smoothing_bits'])};",
        f"  c->noise_reduction.even_smoothing = {_c_float(o['even_smoothing'])};",
        f"  c->noise_reduction.odd_smoothing = {_c_float(o['odd_smoothing'])};",
        f"  c->noise_reduction.min_signal_remaining = {_c_float(o['min_signal_remaining'])};",
        f"  c->pcan_gain_control.enable_pcan = {int(bool(o['enable_pcan']))};",
        f"  c->pcan_gain_control.strength = {_c_float(o['pcan_strength'])};",
        f"  c->pcan_gain_control.offset = {_c_float(o['pcan_offset'])};",
        f"  c->pcan_gain_control.gain_bits = {int(o['gain_bits'])};",
        f"  c->log_scale.enable_log = {int(bool(o['enable_log']))};",
        f"  c->log_scale.scale_shift = {int(o['scale_shift'])};",
        "}", "",
        "// micro_speech's int8 feature of one uint16 front-end value.",
        "inline int8_t ToInt8(uint16_t v) {",
        "  int32_t q = (static_cast<int32_t>(v) * kValueScale + kValueDiv / 2) / kValueDiv - 128;",
        "  return static_cast<int8_t>(q < -128 ? -128 : q > 127 ? 127 : q);",
        "}", "",
        f"}}  // namespace {name}_frontend", "", f"#endif  // {guard}", ""])


HOST_TOOL = """// Host check of the micro front end: stdin holds clips, each a uint32
// sample count and that many int16 samples; stdout gets, per clip, a uint32
// frame count and frames x kChannels uint16 values. Every clip starts from a
// fresh front-end state, as TF's audio_microfrontend op does.
#include <cstdint>
#include <cstdio>
#include <vector>

#include "{header}"

using namespace {namespace};

int main() {{
  uint32_t n;
  while (std::fread(&n, sizeof(n), 1, stdin) == 1) {{
    std::vector<int16_t> audio(n);
    if (n && std::fread(audio.data(), sizeof(int16_t), n, stdin) != n) return 2;
    FrontendConfig config;
    FillConfig(&config);
    FrontendState state;
    if (!FrontendPopulateState(&config, &state, kSampleRate)) return 3;
    std::vector<uint16_t> frames;
    const int16_t* p = audio.data();
    size_t left = n;
    while (left > 0) {{
      size_t read = 0;
      FrontendOutput out = FrontendProcessSamples(&state, p, left, &read);
      p += read;
      left -= read;
      if (out.values != nullptr) frames.insert(frames.end(), out.values, out.values + out.size);
    }}
    FrontendFreeStateContents(&state);
    uint32_t count = static_cast<uint32_t>(frames.size() / kChannels);
    std::fwrite(&count, sizeof(count), 1, stdout);
    std::fwrite(frames.data(), sizeof(uint16_t), frames.size(), stdout);
  }}
  return 0;
}}
"""


STREAM_LIBRARY = """// A streaming micro front end as a C ABI (for ctypes): one state kept for
// ever, int16 samples in, int8 features (micro_speech's map) out.
#include <cstdint>
#include <new>

#include "{header}"

using namespace {namespace};

extern "C" {{
int snnzoo_frontend_channels() {{ return kChannels; }}
int snnzoo_frontend_hop() {{ return kHopSamples; }}
void* snnzoo_frontend_new() {{
  FrontendConfig config;
  FillConfig(&config);
  FrontendState* state = new (std::nothrow) FrontendState;
  if (state == nullptr) return nullptr;
  if (!FrontendPopulateState(&config, state, kSampleRate)) {{ delete state; return nullptr; }}
  return state;
}}
void snnzoo_frontend_free(void* handle) {{
  FrontendState* state = static_cast<FrontendState*>(handle);
  FrontendFreeStateContents(state);
  delete state;
}}
void snnzoo_frontend_reset(void* handle) {{ FrontendReset(static_cast<FrontendState*>(handle)); }}
// Frames written to out (at most max_frames x kChannels int8), or -1 if more were due.
long snnzoo_frontend_process(void* handle, const int16_t* samples, long n, int8_t* out,
                             long max_frames) {{
  FrontendState* state = static_cast<FrontendState*>(handle);
  long frames = 0;
  while (n > 0) {{
    size_t read = 0;
    FrontendOutput o = FrontendProcessSamples(state, samples, static_cast<size_t>(n), &read);
    samples += read;
    n -= static_cast<long>(read);
    if (o.values == nullptr) continue;
    if (frames >= max_frames) return -1;
    for (size_t c = 0; c < o.size; ++c) out[frames * kChannels + c] = ToInt8(o.values[c]);
    ++frames;
  }}
  return frames;
}}
}}
"""


def build_stream_library(sources, frontend, name, out_dir):
    """A shared library of the streaming front end (`STREAM_LIBRARY`) for
    `frontend` (a card's micro description): `out_dir/lib<name>_frontend.so`."""
    os.makedirs(out_dir, exist_ok=True)
    header = f"{name}_frontend_config.h"
    snnzoo_io.write_text(os.path.join(out_dir, header), config_header(frontend, name))
    main = os.path.join(out_dir, f"{name}_frontend_stream.cc")
    snnzoo_io.write_text(main, STREAM_LIBRARY.format(header=header,
                                                     namespace=f"{name}_frontend"))
    return compile_sources(sources, [main], os.path.join(out_dir, f"lib{name}_frontend.so"),
                           include_dirs=[out_dir], shared=True)


def compile_sources(sources, extra, out_path, include_dirs=(), shared=False):
    """Compile the front-end library with `extra` C++ files into the host
    executable (or with `shared`, the shared library) `out_path` (gcc for
    .c, g++ for .cc; -O2). Returns the path."""
    for tool in ("gcc", "g++"):
        if shutil.which(tool) is None:
            raise RuntimeError(f"building the front end on this host needs {tool}.")
    tflm = os.path.join(sources, "tflite-micro")
    includes = ["-I", tflm, "-I", os.path.join(sources, "kissfft")]
    for folder in include_dirs:
        includes += ["-I", os.fspath(folder)]
    with tempfile.TemporaryDirectory() as tmp:
        objects = []
        for src in [os.path.join(tflm, LIB, s) for s in LIB_SOURCES] + list(extra):
            obj = os.path.join(tmp, os.path.basename(src) + ".o")
            cc = ["gcc", "-std=c11"] if src.endswith(".c") else ["g++", "-std=c++17"]
            _run(cc + ["-O2", "-fPIC", "-c", src, "-o", obj] + includes)
            objects.append(obj)
        _run(["g++"] + (["-shared"] if shared else []) + ["-o", os.fspath(out_path)]
             + objects + ["-lm"])
    return out_path


def _run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:2])} ... failed:\n{proc.stderr[-3000:]}")


def build_host_tool(sources, frontend, name, out_dir):
    """Write `<name>_frontend_config.h` and the host check program into
    `out_dir` and compile them with the pinned sources; returns the
    executable's path."""
    os.makedirs(out_dir, exist_ok=True)
    header = f"{name}_frontend_config.h"
    snnzoo_io.write_text(os.path.join(out_dir, header), config_header(frontend, name))
    main = os.path.join(out_dir, "frontend_host.cc")
    snnzoo_io.write_text(main, HOST_TOOL.format(header=header, namespace=f"{name}_frontend"))
    return compile_sources(sources, [main], os.path.join(out_dir, "frontend_host"),
                           include_dirs=[out_dir])


def run_host_tool(tool, clips, channels):
    """uint16 frames `[(frames, channels)]` of int16 `clips` through `tool`."""
    import numpy as np

    payload = b"".join(np.uint32(len(c)).tobytes() + np.asarray(c, "<i2").tobytes()
                       for c in clips)
    proc = subprocess.run([os.fspath(tool)], input=payload, capture_output=True, check=True)
    data, out, offset = proc.stdout, [], 0
    for _ in clips:
        count = int(np.frombuffer(data, "<u4", 1, offset)[0])
        offset += 4
        values = np.frombuffer(data, "<u2", count * channels, offset)
        offset += 2 * count * channels
        out.append(values.reshape(count, channels))
    return out
