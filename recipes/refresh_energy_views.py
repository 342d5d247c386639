"""Add the memory-aware energy view (int8 weights and activations, int16
states, on-chip SRAM; against the same ANN, with the crossover spike rate)
and NeuroBench-convention synaptic ops to the shipped preset cards.

    python recipes/refresh_energy_views.py                  # every preset
    python recipes/refresh_energy_views.py --presets lif_speech_commands_2x128
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app  # noqa: E402
from absl import flags  # noqa: E402

PRESETS = flags.DEFINE_list("presets", None, "Preset names (default: all).")
README = flags.DEFINE_string("readme", None, "README whose tables are refreshed (optional).")


def main(argv):
    del argv
    from snnzoo import presets
    from snnzoo.zoo import package
    from snnzoo.zoo import readme

    for name in PRESETS.value or presets.list_presets():
        view = package.refresh_energy_views(name)["memory_aware"]
        from snnzoo.presets.cards import crossover_text

        ratio = f"{view['energy_ratio']:.2f}x" if "energy_ratio" in view else "(the ANN)"
        print(f"{name}: {view['per_sample']['energy_j']:.3e} J per sample "
              f"({view['profile']}), ANN / SNN {ratio}, SNN pays at a mean spike rate "
              f"{crossover_text(view.get('crossover'))}")
    if README.value:
        readme.update_readme(README.value)


if __name__ == "__main__":
    app.run(main)
