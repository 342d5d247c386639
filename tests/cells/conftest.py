import pytest


@pytest.fixture(params=[True, False], ids=["SpikingRNN", "keras.RNN"])
def fast(request):
    """Run a cell through snnzoo's fast path and through Keras' generic loop."""
    return request.param
