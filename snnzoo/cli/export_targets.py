"""`snnzoo export ... --target cortex-m|ethos-u55|ethos-u65`: the device
folders written beside the int8 step graph (see `snnzoo.cli.export`)."""

import os
import re

from snnzoo import io as snnzoo_io
from snnzoo.cli.common import CommandError
from snnzoo.cli.common import is_preset
from snnzoo.cli.common import load_array

CORTEX_M_README = """
## Cortex-M firmware (QEMU mps2-an386, Cortex-M4)

`{name}_main.cc` streams the {frames} int8 frames of `{name}_frames.h` ({source})
through the model and prints every output and state (hex) and the SysTick ticks
of every `Invoke()` over semihosting; `startup.c` and `mps2_an386.ld` are the
board's start-up code and memory map (4 MB code at 0, 4 MB RAM at 0x20000000).

Build it (sources at the commits of `snnzoo.export.bundle.cortex_m_sources.PINS`,
named by SNNZOO_TFLM_SRC, SNNZOO_CMSIS_NN_SRC, SNNZOO_CMSIS_SRC,
SNNZOO_FLATBUFFERS_SRC, SNNZOO_GEMMLOWP_SRC and SNNZOO_RUY_SRC; the toolchain from
`apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm`):

```python
from snnzoo.export.bundle import cortex_m, cortex_m_sources
from snnzoo.zoo import mcu
sources = mcu.prepared_sources()             # extracted once under ~/.snnzoo/cortex_m
lib = cortex_m_sources.build_library(sources, "build", {ops}, "cmsis_nn")
elf, mapfile = cortex_m.build_firmware(".", "{name}", sources, lib)
```

and run it:

```
qemu-system-arm -machine mps2-an386 -nographic -monitor none -serial none \\
  -semihosting-config enable=on,target=native -icount shift=0 -kernel {name}.elf
```

On a real board keep `{name}_main.cc`'s loop and the model files, and replace
`startup.c` and `mps2_an386.ld` by the board's (its vendor's start-up file and
linker script, with the arena in RAM), then flash the ELF with the board's tool
(for example `pyocd flash {name}.elf` or OpenOCD's `program {name}.elf verify reset`).
Semihosting output needs a debugger attached; route `fwrite` to a UART otherwise.
"""

ETHOS_README = """# {name}: Arm {accelerator} (Vela {version})

- `{name}_int8_step.tflite`: the shipped int8 step graph (TFLM on a Cortex-M CPU).
- `{name}_npu.tflite`: the same graph with its {pairs} compare-select pairs written as
  NPU ops (`snnzoo.export.passes.npu_select`; the same int8 bytes in TFLM).
- `{name}_npu_vela.tflite`: Vela's output: one `ethos-u` custom op holding the NPU
  command stream and weights{cpu_note}.
- `{name}_vela_report.json`: Vela's figures: {share:.0%} of ops on the NPU, SRAM
  {sram:,} B, {memory} {off_chip:,} B, estimated {cycles:,} cycles per frame =
  {ips:,.0f} inferences/s at {mhz:,.0f} MHz (Vela's performance model, not a measurement).

Vela ran as `vela --accelerator-config {accelerator} --config Arm/vela.ini
--system-config {system} --memory-mode {memory_mode}`.

Run it with TFLM built for the Cortex-M beside the NPU (`OPTIMIZED_KERNEL_DIR=cmsis_nn
CO_PROCESSOR=ethos_u ETHOSU_ARCH={arch}`) and Arm's ethos-u-core-driver: register the
custom op with `resolver.AddEthosU()`, give the interpreter an arena of at least the
SRAM figure above, and stream frames as in the TFLM bundle's loop (`snnzoo export
NAME --target tflm`): the states are explicit int8 inputs and outputs, copied as
bytes after every frame.
"""


def _frames(args, path):
    """int8 frames for the firmware: the preset's first test sequence, or
    `--representative`'s first sequence for a .keras model."""
    from snnzoo.zoo import mcu

    if args.representative:
        x = load_array(args.representative, "representative data")[:1]
        source = f"the first sequence of {os.path.basename(args.representative)}"
    elif is_preset(args.model):
        from snnzoo.presets import evaluation
        from snnzoo.presets.spec import PresetSpec

        spec = PresetSpec.resolve(args.model)
        x = evaluation.evaluation_data(spec.evaluation, spec.root)[0][:1]
        source = f"the first test sequence of {args.model}"
    else:
        raise CommandError("--target cortex-m needs frames: --representative X.npy.")
    return mcu.int8_frames(path, x), source


def c_name(stem):
    """A C identifier from a file stem (non-word characters to `_`)."""
    name = re.sub(r"\W", "_", stem)
    return name if re.match(r"[A-Za-z_]", name) else "m_" + name


def write_cortex_m(args, path, stem):
    """The TFLM bundle plus the QEMU firmware sources; built when the
    toolchain and the sources are found."""
    from snnzoo.export.bundle import cortex_m
    from snnzoo.export.bundle.tflm_bundle import step_layout

    name = c_name(stem)
    frames, source = _frames(args, path)
    written = cortex_m.write_firmware(path, args.out, name, frames)
    readme = os.path.join(args.out, "README.md")
    with open(readme) as f:
        text = f.read()
    snnzoo_io.write_text(readme, text + CORTEX_M_README.format(
        name=name, frames=frames.shape[0] * frames.shape[1], source=source,
        ops=step_layout(path)["ops"]))
    for p in written:
        print(f"wrote {p}")
    _build_if_possible(path, args.out, name)


def _build_if_possible(path, out, name):
    from snnzoo.export.bundle import cortex_m
    from snnzoo.export.bundle import cortex_m_sources
    from snnzoo.export.bundle.tflm_bundle import step_layout
    from snnzoo.zoo import mcu

    try:
        sources = mcu.prepared_sources()
    except RuntimeError as err:
        print(f"not built ({err}); see README.md")
        return
    lib = cortex_m_sources.build_library(sources, os.path.join(mcu.cache_dir(), "build", "lib"),
                                         step_layout(path)["ops"], "cmsis_nn")
    elf, mapfile = cortex_m.build_firmware(out, name, sources, lib)
    use = cortex_m.memory_use(mapfile)
    print(f"built {elf} (CMSIS-NN kernels): flash {use['flash_bytes']:,} bytes, RAM "
          f"{use['ram_bytes']:,} bytes (.data + .bss, from {os.path.basename(mapfile)})")


def write_ethos_u(args, path, stem):
    """The NPU graph, Vela's compiled file and report, and a README."""
    from snnzoo.export import vela

    name = c_name(stem)
    lowered = vela.npu_graph(path, os.path.join(args.out, f"{name}_npu.tflite"))
    report = vela.compile_vela(lowered["path"], args.out, args.target)
    report["rewritten_pairs"] = lowered["rewritten"]
    snnzoo_io.write_json(os.path.join(args.out, f"{name}_vela_report.json"), report)
    arch = report["accelerator"].rsplit("-", 1)[0].replace("ethos-", "")
    cpu_note = ("" if not report["cpu_ops"] else
                f" ({report['cpu_ops']} ops stay on the CPU: see the report)")
    snnzoo_io.write_text(os.path.join(args.out, "README.md"), ETHOS_README.format(
        name=name, accelerator=report["accelerator"], version=report["vela_version"],
        pairs=lowered["rewritten"], cpu_note=cpu_note, share=report["npu_share"],
        sram=report["sram_bytes"], memory=report["off_chip_memory"],
        off_chip=report["off_chip_bytes"], cycles=report["estimated_cycles"],
        ips=report["estimated_inferences_per_second"], mhz=report["clock_hz"] / 1e6,
        system=report["system_config"], memory_mode=report["memory_mode"], arch=arch))
    for p in (lowered["path"], report["vela_file"]):
        print(f"wrote {p}")
    print(f"Vela {report['vela_version']}, {report['accelerator']}: "
          f"{100 * report['npu_share']:.0f}% of ops on the NPU, SRAM {report['sram_bytes']:,} B, "
          f"{report['off_chip_memory']} {report['off_chip_bytes']:,} B, estimated "
          f"{report['estimated_inferences_per_second']:,.0f} inferences/s at "
          f"{report['clock_hz'] / 1e6:,.0f} MHz (Vela's estimate)")
