"""`JsonConfig`: typed, validated configs that round-trip through JSON files."""

import dataclasses
import json

from snnzoo import io as snnzoo_io


class JsonConfig:
    """`replace`, `to_json`, `from_json` and `save` for frozen config dataclasses."""

    def replace(self, **changes):
        known = {f.name for f in dataclasses.fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"Unknown config fields {sorted(unknown)}; expected {sorted(known)}.")
        return dataclasses.replace(self, **changes)

    def to_json(self):
        return json.dumps(dataclasses.asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text):
        return cls(**json.loads(text))

    def save(self, path):
        snnzoo_io.write_text(path, self.to_json())
