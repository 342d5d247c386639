"""Write the shipped `model.nir` of every preset whose cells have a NIR
primitive (LIF, Cuba-LIF, leaky readout), with its measured facts in the card.

    python recipes/export_nir.py                                   # every preset
    python recipes/export_nir.py --presets lif_speech_commands_2x128

Presets with other cells (SpikGRU, LSTMs) are listed with the reason.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app  # noqa: E402
from absl import flags  # noqa: E402

PRESETS = flags.DEFINE_list("presets", None, "Preset names (default: all).")
ROOT = flags.DEFINE_string("root", None, "Presets root (default: exported_models/).")


def main(argv):
    del argv
    from snnzoo.quiet import silenced

    with silenced():
        from snnzoo import presets
        from snnzoo.zoo import nir_files

        for name in PRESETS.value or presets.list_presets():
            try:
                record = nir_files.write_nir(name, ROOT.value)
            except ValueError as err:
                print(f"{name}: no NIR file ({err})")
                continue
            for file, r in record.items():
                print(f"{name}/{file} ({r['form']}, gain in {r['gain']}, dt {r['dt']:g} s): "
                      f"loaded back, spikes {100 * r['round_trip_spike_agreement']:.3f}% and "
                      f"predictions {100 * r['round_trip_prediction_agreement']:.2f}% "
                      f"identical; accuracy {100 * r['keras_accuracy']:.2f}% in snnzoo, "
                      f"{100 * r['nir_semantics_accuracy']:.2f}% under NIR's semantics "
                      f"(forward Euler, reset as the file states; {r['samples']} test samples)")


if __name__ == "__main__":
    app.run(main)
