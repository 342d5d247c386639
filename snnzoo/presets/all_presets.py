"""The one place that collects every family's presets."""

from snnzoo.presets import adaptive_lif_presets
from snnzoo.presets import adlif_presets
from snnzoo.presets import cuba_lif_presets
from snnzoo.presets import hard_lstm_presets
from snnzoo.presets import hybrid_lstm_presets
from snnzoo.presets import lif_presets
from snnzoo.presets import spikgru_presets
from snnzoo.presets import spiking_lstm_presets
from snnzoo.presets.registry import register_presets

FAMILY_PRESETS = (hard_lstm_presets.PRESETS, hybrid_lstm_presets.PRESETS,
                  spiking_lstm_presets.PRESETS, lif_presets.PRESETS,
                  cuba_lif_presets.PRESETS, spikgru_presets.PRESETS,
                  adaptive_lif_presets.PRESETS, adlif_presets.PRESETS)


def register_all():
    for presets in FAMILY_PRESETS:
        register_presets(presets)
