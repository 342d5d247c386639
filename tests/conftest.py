
import keras
import numpy as np
import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--run-slow", action="store_true", default=False, help="run slow tests"
    )


def pytest_collection_modifyitems(config, items):
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

    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    root = os.environ.get("SNNZOO_FSDD") or os.path.join(here, "..", "shared", "data", "fsdd")
    if not os.path.isdir(os.path.join(root, "recordings")):
        pytest.skip(f"needs the FSDD recordings (set SNNZOO_FSDD; none at {root})")
    return os.path.abspath(root)
