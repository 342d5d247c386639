"""Per-layer converters: `(cell class, method) -> converter function`."""

_CONVERTERS = {}


def register_converter(cell_class, method):
    """Decorator registering `fn(layer, context) -> new_layer` as the converter
    of RNN layers whose cell is `cell_class`, under conversion `method`.

    Args:
        cell_class: the cell class the converter applies to.
        method: the conversion method name (e.g. "hybrid", "spiking").

    Returns:
        The decorator; it returns `fn` unchanged.

    Raises:
        KeyError: a converter for `cell_class` and `method` is already
            registered.
    """

    def wrap(fn):
        key = (cell_class, method)
        if key in _CONVERTERS:
            raise KeyError(f"A converter for {cell_class.__name__}/{method} "
                           "is already registered.")
        _CONVERTERS[key] = fn
        return fn

    return wrap


def find_converter(cell, method):
    for cls in type(cell).__mro__:
        fn = _CONVERTERS.get((cls, method))
        if fn is not None:
            return fn
    return None


def methods():
    return sorted({m for _, m in _CONVERTERS})
