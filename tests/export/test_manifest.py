"""manifest.json bookkeeping: entries replaced by file, omitted artifacts
recorded with their reason (and removed from the artifacts), README table."""

from snnzoo.export.bundle import manifest

BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)


def _entry(preset, quantization, mode, accuracy=0.9):
    return {"preset": preset, "quantization": quantization, "mode": mode,
            "file": f"{preset}/model_{quantization}_{mode}.tflite", "bytes": 2048,
            "float_tensors": 0, "verification": {"tflite_accuracy": accuracy,
                                                 "prediction_agreement": 1.0}}


def test_update_replaces_entries_and_records_omissions(tmp_path):
    root = str(tmp_path)
    manifest.update([_entry("a", "float32", "sequence"), _entry("a", "int8", "sequence")],
                    root)
    omit = {"preset": "a", "quantization": "int8", "mode": "sequence", "reason": "too big"}
    manifest.update([_entry("a", "float32", "sequence", 0.95)], root, [omit])
    m = manifest.read(root)
    assert [e["quantization"] for e in m["artifacts"]] == ["float32"]
    assert m["artifacts"][0]["verification"]["tflite_accuracy"] == 0.95
    assert m["omitted"] == [omit]
    table = manifest.markdown_table(root)
    assert "| `a` | sequence | 95.00 | not shipped: too big |" in table
    # Shipping it again drops the omission.
    manifest.update([_entry("a", "int8", "sequence", 0.93)], root)
    m = manifest.read(root)
    assert "omitted" not in m or m["omitted"] == []
    assert "| 93.00 |" in manifest.markdown_table(root)
