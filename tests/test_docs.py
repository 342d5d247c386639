"""The documentation: its generated tables are what the cards and the
manifest say today, the MkDocs site builds in strict mode, every public
name is in its API reference, and every public function and class says
what it does."""

import importlib
import inspect
import os
import pathlib
import subprocess
import sys
import zlib

import pytest

from snnzoo.zoo import readme

REPO = pathlib.Path(__file__).resolve().parents[1]
BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)


def test_committed_tables_equal_what_the_generator_writes():
    generated = readme.tables()
    pages = readme.pages(str(REPO / "README.md"))
    assert len(pages) > 10
    stale = [p for p in pages if readme.refreshed(open(p).read(), generated) != open(p).read()]
    assert stale == [], ("regenerate with python -c 'from snnzoo.zoo import readme; "
                         "readme.update_readme(\"README.md\")'")
    marked = [p for p in pages if "<!-- presets-short:begin -->" in open(p).read()]
    assert marked == [str(REPO / "README.md")]


def test_the_readme_is_a_front_door():
    lines = (REPO / "README.md").read_text().splitlines()
    assert len(lines) <= 200
    assert sum(line.startswith("| `") for line in lines) == len(
        __import__("snnzoo").presets.list_presets())


def _public():
    import snnzoo

    for module in ["snnzoo"] + [f"snnzoo.{m}" for m in snnzoo.SUBPACKAGES]:
        mod = importlib.import_module(module)
        for name in getattr(mod, "__all__", []):
            if module == "snnzoo" and name in snnzoo.SUBPACKAGES:
                continue
            yield module, name, getattr(mod, name)


def test_every_public_function_and_class_has_a_docstring():
    bare = [f"{m}.{n}" for m, n, obj in _public()
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and not inspect.getdoc(obj)]
    assert bare == []


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    pytest.importorskip("mkdocs", reason="the docs extra is not installed: "
                        "pip install -e '.[docs]'")
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true",
               PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                           "-d", str(out)], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_the_site_builds_strictly_with_every_public_name_in_the_api(site):
    import snnzoo

    data = (site / "objects.inv").read_bytes()
    names = {line.split(b" ")[0].decode()
             for line in zlib.decompress(data.split(b"\n", 4)[4]).split(b"\n") if line}
    shortcuts = {f"snnzoo.{n}": f"{m}.{a}" for n, (m, a) in snnzoo.SHORTCUTS.items()}
    missing = [f"{m}.{n}" for m, n, _ in _public()
               if f"{m}.{n}" not in names and shortcuts.get(f"{m}.{n}") not in names]
    assert missing == []
    for page in ("index.html", "presets/index.html", "reference/snnzoo.cells/index.html",
                 "notebooks/01_quickstart/index.html", "microcontrollers/index.html"):
        assert (site / page).exists(), page
