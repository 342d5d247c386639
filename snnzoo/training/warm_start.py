"""Start a run from another model's weights (transfer between tasks)."""

import keras

from snnzoo import validation


def warm_start(model, path):
    """Copy into `model` (in place) the weights of every layer of the `.keras`
    file at `path` whose name and weight shapes match; a layer that differs
    (the readout of a task with other classes) keeps its fresh init.
    Returns the names of the layers copied; raises when none matches."""
    path = validation.existing_file(path, "init_from", suffix=".keras")
    source = keras.saving.load_model(path, safe_mode=True, compile=False)
    by_name = {layer.name: layer for layer in source.layers}
    copied = []
    for layer in model.layers:
        other = by_name.get(layer.name)
        if other is None or not layer.weights:
            continue
        if [w.shape for w in layer.weights] != [w.shape for w in other.weights]:
            continue
        layer.set_weights(other.get_weights())
        copied.append(layer.name)
    if not copied:
        validation.fail("init_from", f"a model with layers named and shaped like "
                        f"{model.name!r}'s", path)
    return copied
