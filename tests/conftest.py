
import keras
import numpy as np
import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--run-slow", action="store_true", default=False, help="run slow tests"
    )


def _fsdd_folder():
    import os

    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.environ.get("SNNZOO_FSDD") or os.path.join(here, "..", "shared", "data", "fsdd")


def pytest_configure(config):
    import os

    # The library reads $SNNZOO_FSDD; tests also find the folder next to the
    # repository, where .ci/run finds it.
    if "SNNZOO_FSDD" not in os.environ and os.path.isdir(
            os.path.join(_fsdd_folder(), "recordings")):
        os.environ["SNNZOO_FSDD"] = os.path.abspath(_fsdd_folder())


def _fsdd_presets():
    from snnzoo.presets import registry

    return {name for name, entry in registry.BUILTIN_PRESETS.items()
            if entry["metadata"]["evaluation"]["dataset"] == "fsdd"}


def _preset_of(param):
    return param.get("preset") if isinstance(param, dict) else param


def _backend_independent_skips(items):
    """Modules that set `BACKEND_INDEPENDENT = True` test runtimes, files or
    data that no Keras backend touches (TFLM, LiteRT, Vela, QEMU, the C front
    end, loaders), and tests marked `backend_independent` (the console script
    in a process that picks its own backend): they run once, in the
    TensorFlow suite."""
    if keras.backend.backend() == "tensorflow":
        return
    skip = pytest.mark.skip(reason="backend-independent: runs once, in the TensorFlow suite")
    for item in items:
        if getattr(item.module, "BACKEND_INDEPENDENT", False) or item.get_closest_marker(
                "backend_independent"):
            item.add_marker(skip)


def pytest_collection_modifyitems(config, items):
    import os

    _backend_independent_skips(items)

    if not os.path.isdir(os.path.join(_fsdd_folder(), "recordings")):
        fsdd = _fsdd_presets()
        skip_fsdd = pytest.mark.skip(reason="the preset's test split is the FSDD recordings: "
                                     f"set SNNZOO_FSDD (none at {_fsdd_folder()})")
        for item in items:
            params = getattr(getattr(item, "callspec", None), "params", {})
            if any(isinstance(_preset_of(v), str) and _preset_of(v) in fsdd
                   for v in params.values()):
                item.add_marker(skip_fsdd)
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: needs --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def pytest_report_header(config):
    return f"keras {keras.__version__}, backend {keras.backend.backend()}"


@pytest.fixture(autouse=True)
def _seed():
    keras.utils.set_random_seed(1234)
    yield


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture(scope="session")
def fsdd_root():
    """The real FSDD recordings: `$SNNZOO_FSDD`, else `../shared/data/fsdd`
    next to the repository (where `.ci/run` finds them)."""
    import os

    root = _fsdd_folder()
    if not os.path.isdir(os.path.join(root, "recordings")):
        pytest.skip(f"needs the FSDD recordings (set SNNZOO_FSDD; none at {root})")
    return os.path.abspath(root)
