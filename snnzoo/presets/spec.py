"""`PresetSpec`: a preset name resolved once against the registry and a
presets root, frozen, and handed down to whatever works on the preset."""

import dataclasses
import os
import types

from snnzoo.presets import registry
from snnzoo.presets import store


@dataclasses.dataclass(frozen=True)
class PresetSpec:
    """A registered preset as one value (read-only); `PresetSpec.resolve(name)`
    looks it up.

    Attributes:
        name: the registered name.
        root: the presets root it was resolved under.
        folder: the preset's folder.
        metadata: its registry metadata (a read-only mapping).
    """

    name: str
    root: str
    folder: str
    metadata: types.MappingProxyType

    @classmethod
    def resolve(cls, name, root=None):
        """Look `name` up once (an unknown name raises, listing the known
        ones); the folder must exist under `root` (default
        `snnzoo.presets.presets_root()`)."""
        root = root or store.presets_root()
        entry = registry.get(name)
        folder = store.path(os.path.join(root, entry["path"]))
        return cls(name, root, folder, types.MappingProxyType(entry["metadata"]))

    @property
    def evaluation(self):
        """The test split's spec (`snnzoo.presets.evaluation.evaluation_data`)."""
        return self.metadata["evaluation"]

    @property
    def calibration(self):
        """The int8 calibration set's spec; raises if the preset has none."""
        spec = self.metadata.get("calibration")
        if spec is None:
            raise ValueError(f"Preset {self.name!r} has no calibration set in its registry "
                             "entry.")
        return spec

    @property
    def int8_preparation(self):
        """The int8 preparation's arguments, or None."""
        return self.metadata.get("int8_preparation")

    @property
    def int8_omitted_modes(self):
        """`{mode: reason}` of the int8 files the preset does not ship."""
        return self.metadata.get("int8_omitted_modes", {})
