"""TFLite Micro and CMSIS-NN for an Arm Cortex-M, built from pinned sources.

Nothing is vendored. The sources are git repositories (a clone or a bare
mirror) that hold the pinned commits of `PINS`, named by argument or by the
environment variables of `ENV`:

    git clone https://github.com/tensorflow/tflite-micro   # SNNZOO_TFLM_SRC
    git clone https://github.com/ARM-software/CMSIS-NN     # SNNZOO_CMSIS_NN_SRC
    git clone https://github.com/ARM-software/CMSIS_6      # SNNZOO_CMSIS_SRC
    git clone https://github.com/google/flatbuffers        # SNNZOO_FLATBUFFERS_SRC
    git clone https://github.com/google/gemmlowp           # SNNZOO_GEMMLOWP_SRC
    git clone https://github.com/google/ruy                # SNNZOO_RUY_SRC

The third-party commits are the ones TFLM's own Makefile downloads at its
pinned commit (`third_party_downloads.inc`, `ext_libs/cmsis*_download.sh`),
and flatbuffers gets TFLM's patch, as there. `prepare_sources` extracts them
(`git archive`); `build_library` compiles TFLM's library sources
(`tools/make/sources.inc`: the core, the TFLite shared sources and the
kernels of the ops asked for, CMSIS-NN's specializations in place of the
reference kernels when `kernels="cmsis_nn"`) with `arm-none-eabi-gcc`,
caching every object, into a static library.
"""

import glob
import hashlib
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

from snnzoo import io as snnzoo_io
from snnzoo import validation
from snnzoo.export.bundle.micro_frontend_c import git_dir

#: name: (commit, paths to extract, environment variables).
PINS = {
    "tflite-micro": ("90b983c2b3f1480642e040bbd2ddb37b998f3424", ("tensorflow", "signal", "LICENSE"),
                     ("SNNZOO_TFLM_SRC", "SNNZOO_TFLITE_MICRO_SRC")),
    "cmsis-nn": ("4ab83cc3cc98fb85ed6dafb55e8ca02f1628dcae", ("Include", "Source", "LICENSE"),
                 ("SNNZOO_CMSIS_NN_SRC",)),
    "cmsis": ("5782d6f8057906d360f4b95ec08a2354afe5c9b9", ("CMSIS/Core/Include", "LICENSE"),
              ("SNNZOO_CMSIS_SRC",)),
    "flatbuffers": ("187240970746d00bbd26b0f5873ed54d2477f9f3", ("include", "LICENSE"),
                    ("SNNZOO_FLATBUFFERS_SRC",)),
    "gemmlowp": ("719139ce755a0f31cbf1c37f7f98adcc7fc9f425", ("fixedpoint", "internal", "LICENSE"),
                 ("SNNZOO_GEMMLOWP_SRC",)),
    "ruy": ("d37128311b445e758136b8602d1bbd2a755e115d", ("ruy/profiler", "LICENSE"),
            ("SNNZOO_RUY_SRC",)),
}
KERNELS = ("cmsis_nn", "reference")
#: The Cortex-M4 of QEMU's mps2-an386 board, soft float (int8 kernels use no FPU).
ARCH = ("-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=soft")
DEFINES = ("-DTF_LITE_STATIC_MEMORY", "-DTF_LITE_DISABLE_X86_NEON", "-DTF_LITE_MCU_DEBUG_LOG",
           "-DNDEBUG", "-DKERNELS_OPTIMIZED_FOR_SPEED", "-DARM_NN_ENABLE_F16=0",
           "-DARM_NN_ENABLE_F32=0")
FLAGS = ARCH + ("-O2", "-funsigned-char", "-fno-unwind-tables", "-fno-asynchronous-unwind-tables",
                "-ffunction-sections", "-fdata-sections", "-fmessage-length=0") + DEFINES
CXXFLAGS = ("-std=c++17", "-fno-rtti", "-fno-exceptions", "-fno-threadsafe-statics")


def find_sources(**repos):
    """`{name: repository}` for every `PINS` name, from the keyword arguments
    (`tflite_micro=`, `cmsis_nn=`, ...) or the environment. Returns
    `(found, missing)`: `missing` names each absent one with its variables."""
    found, missing = {}, []
    for name, (commit, _, variables) in PINS.items():
        repo = repos.get(name.replace("-", "_")) or next(
            (os.environ[v] for v in variables if os.environ.get(v)), None)
        if repo and os.path.isdir(repo):
            found[name] = repo
        else:
            missing.append(f"{name} ({' or '.join(variables)}, commit {commit[:9]})")
    return found, missing


def check_sources(found):
    """Refuse a repository that does not hold its pinned commit."""
    for name, repo in found.items():
        commit = PINS[name][0]
        proc = subprocess.run(["git", f"--git-dir={git_dir(repo)}", "cat-file", "-e",
                               f"{commit}^{{commit}}"], capture_output=True)
        if proc.returncode != 0:
            validation.fail(name.replace("-", "_"),
                            f"a git repository of {name} that holds commit {commit}", repo)


def prepare_sources(found, out_dir):
    """Extract the pinned sources into `out_dir/<name>/` as one unit (the
    flatbuffers headers patched as TFLM's Makefile does). Returns `out_dir`;
    an `out_dir` already prepared from the same pins is kept as it is."""
    stamp = os.path.join(out_dir, "PINS")
    pins = "".join(f"{n} {c}\n" for n, (c, _, _) in PINS.items())
    if os.path.exists(stamp) and open(stamp).read() == pins:
        return out_dir
    check_sources(found)
    with snnzoo_io.atomic_folder(out_dir) as tmp:
        for name, (commit, paths, _) in PINS.items():
            archive = subprocess.run(["git", f"--git-dir={git_dir(found[name])}", "archive",
                                      "--format=tar", commit, "--", *paths], capture_output=True)
            if archive.returncode != 0:
                raise RuntimeError(f"git archive of {name} {commit} failed: "
                                   f"{archive.stderr.decode(errors='replace')[-300:]}")
            os.makedirs(os.path.join(tmp, name))
            subprocess.run(["tar", "-x", "-C", os.path.join(tmp, name)], input=archive.stdout,
                           check=True)
        patch = os.path.join(tmp, "tflite-micro", "tensorflow/lite/micro/tools/make/flatbuffers.patch")
        subprocess.run(["patch", "-s", "-p1", "-d", os.path.join(tmp, "flatbuffers"), "-i", patch],
                       check=True, capture_output=True)
        snnzoo_io.write_text(os.path.join(tmp, "PINS"), pins)
    return out_dir


def include_flags(sources):
    """`-I` flags of the prepared sources, and the prefix map that keeps
    their location out of the binary (`__FILE__` in TFLM's error strings):
    the same flash bytes wherever the sources lie."""
    s = sources
    return [f"-ffile-prefix-map={os.path.abspath(s)}/=", f"-I{os.path.join(s, 'tflite-micro')}", f"-I{os.path.join(s, 'flatbuffers/include')}",
            f"-I{os.path.join(s, 'gemmlowp')}", f"-I{os.path.join(s, 'ruy')}",
            f"-I{os.path.join(s, 'cmsis/CMSIS/Core/Include')}", f"-I{os.path.join(s, 'cmsis-nn')}",
            f"-I{os.path.join(s, 'cmsis-nn/Include')}"]


def _core_sources(tflm):
    micro = os.path.join(tflm, "tensorflow/lite/micro")
    core = [f for d in ("", "arena_allocator/", "memory_planner/", "tflite_bridge/")
            for f in sorted(glob.glob(os.path.join(micro, d, "*.cc"))) if not f.endswith("_test.cc")]
    shared = []  # sources.inc's TFL_CC_SRCS: tensorflow/ without lite/micro, lite/experimental
    for root, dirs, files in os.walk(os.path.join(tflm, "tensorflow")):
        rel = os.path.relpath(root, tflm)
        if rel.startswith(("tensorflow/lite/micro", "tensorflow/lite/experimental")):
            dirs[:] = []
            continue
        dirs.sort()
        shared += [os.path.join(root, f) for f in sorted(files) if f.endswith((".cc", ".c"))]
    return core + shared


def kernel_sources(tflm, ops, kernels):
    """The kernel files of `ops` (builtin names) among `sources.inc`'s
    MICROLITE_CC_KERNEL_SRCS: each file that defines `Register_<OP>`, its
    `_common.cc` and `kernel_util.cc`, with CMSIS-NN's file of the same name
    in its place for `kernels="cmsis_nn"` (TFLM's specialize_files.py)."""
    with open(os.path.join(tflm, "tensorflow/lite/micro/tools/make/sources.inc")) as f:
        listed = re.findall(r"tensorflow/lite/micro/kernels/(\w+)\.cc",
                            f.read().split("MICROLITE_CC_KERNEL_SRCS :=", 1)[1].split("\n\n")[0])
    folder = os.path.join(tflm, "tensorflow/lite/micro/kernels")
    wanted = {"kernel_util"}
    for stem in listed:
        with open(os.path.join(folder, stem + ".cc")) as f:
            text = f.read()
        if any(re.search(rf"\bRegister_{op}\s*\(\s*\)\s*{{", text) for op in ops):
            wanted |= {stem, stem + "_common"}
    chosen = []
    for stem in listed:
        if stem not in wanted:
            continue
        special = os.path.join(folder, "cmsis_nn", stem + ".cc")
        chosen.append(special if kernels == "cmsis_nn" and os.path.exists(special)
                      else os.path.join(folder, stem + ".cc"))
    return chosen


def _cmsis_nn_sources(sources):
    return sorted(f for f in glob.glob(os.path.join(sources, "cmsis-nn/Source/**/*.c"),
                                       recursive=True)
                  if not f.endswith(("_f16.c", "_f32.c", "arm_nntables_flt.c")))


def compile_object(source, sources, objects, kernels):
    """Compile one source into the object cache (once per flags and file)."""
    flags = list(FLAGS) + include_flags(sources) + (["-DCMSIS_NN"] if kernels == "cmsis_nn" else [])
    key = hashlib.sha256("\0".join(flags + [os.path.relpath(source, sources)]).encode())
    obj = os.path.join(objects, key.hexdigest()[:20] + ".o")
    if os.path.exists(obj):
        return obj
    compiler = (["arm-none-eabi-g++", *CXXFLAGS] if source.endswith(".cc")
                else ["arm-none-eabi-gcc", "-std=c11"])
    with snnzoo_io.atomic_write(obj, mode=None) as tmp:
        proc = subprocess.run(compiler + flags + ["-c", source, "-o", tmp], capture_output=True,
                              text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"arm-none-eabi-gcc failed on {source}: {proc.stderr[-1500:]}")
    return obj


def build_library(sources, build_dir, ops, kernels="cmsis_nn", jobs=None):
    """`libtflm.a` of TFLM (and CMSIS-NN) for `ops` in `build_dir`, every
    object cached in `build_dir/objects`. Returns the library path."""
    if kernels not in KERNELS:
        validation.fail("kernels", f"one of {KERNELS}", kernels)
    tflm = os.path.join(sources, "tflite-micro")
    files = _core_sources(tflm) + kernel_sources(tflm, ops, kernels)
    if kernels == "cmsis_nn":
        files += _cmsis_nn_sources(sources)
    objects = os.path.join(build_dir, "objects")
    os.makedirs(objects, exist_ok=True)
    with ThreadPoolExecutor(jobs or os.cpu_count() or 1) as pool:
        built = list(pool.map(lambda f: compile_object(f, sources, objects, kernels), files))
    digest = hashlib.sha256("\0".join(built).encode()).hexdigest()[:16]
    lib = os.path.join(build_dir, f"libtflm_{kernels}_{digest}.a")
    if not os.path.exists(lib):
        with snnzoo_io.atomic_write(lib, mode=None) as tmp:
            os.remove(tmp)
            subprocess.run(["arm-none-eabi-ar", "rcs", tmp, *built], check=True)
    return lib


def toolchain_missing():
    """What to install for the Cortex-M build and run, or "" when all is here."""
    missing = [tool for tool in ("arm-none-eabi-gcc", "arm-none-eabi-g++", "qemu-system-arm")
               if shutil.which(tool) is None]
    if not missing:
        spec = subprocess.run(["arm-none-eabi-gcc", "-print-file-name=rdimon.specs"],
                              capture_output=True, text=True).stdout.strip()
        if not os.path.isabs(spec):
            missing.append("newlib's rdimon.specs")
    if not missing:
        return ""
    return (f"{', '.join(missing)} not found: apt-get install gcc-arm-none-eabi "
            "libnewlib-arm-none-eabi qemu-system-arm")
