"""The documentation: its generated tables are what the cards and the
manifest say today, the MkDocs site builds in strict mode, every public
name is in its API reference, and every public function and class says
what it does."""

import ast
import dataclasses
import importlib
import importlib.util
import inspect
import os
import pathlib
import subprocess
import sys
import textwrap
import zlib

import pytest

from snnzoo.zoo import readme

REPO = pathlib.Path(__file__).resolve().parents[1]
BACKEND_INDEPENDENT = True  # runs once, in the TensorFlow suite (tests/conftest.py)


def _make_tables():
    spec = importlib.util.spec_from_file_location("make_tables", REPO / "docs" / "make_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_tables_equal_what_the_generator_writes():
    """The cards' tables and every table of measured figures, regenerated
    from `exported_models/` and `benchmarks/results/*.json`, equal the pages."""
    make_tables = _make_tables()
    stale = [os.path.relpath(p, REPO) for p, _ in make_tables.stale_pages()]
    assert stale == [], "regenerate with python docs/make_tables.py"
    pages = readme.pages(str(REPO / "README.md"))
    assert len(pages) > 10
    marked = [p for p in pages if "<!-- presets-short:begin -->" in open(p).read()]
    assert marked == [str(REPO / "README.md")]


def test_every_generated_table_is_on_exactly_one_page():
    make_tables = _make_tables()
    texts = [open(p).read() for p in readme.pages(str(REPO / "README.md"))]
    tables = make_tables.generated()
    assert len(tables) == len(readme.tables()) + 1 + len(make_tables.result_tables().TABLES)
    misplaced = {begin: sum(begin in t and end in t for t in texts)
                 for begin, end in tables if begin != readme.BEGIN}
    assert {k: v for k, v in misplaced.items() if v != 1} == {}


def test_a_benchmark_table_is_rendered_from_its_numbers():
    """One renderer against hand-computed cells: 543.4 / 20.74 = 26.2x,
    14.35 / 20.74 = 0.69, the runner overhead 14.35 - 4.75 = 9.6."""
    tables = _make_tables().result_tables()
    row = {"preset": "p", "macs": 55808, "keras": 543.4, "litert_f32": 14.35,
           "litert_f32_bare": 4.75, "litert_f32_run": 13.65, "litert_i8": 20.74,
           "litert_i8_bare": 5.36, "litert_i8_run": 15.46, "tflm_i8": 85.8}
    line = tables.export_latency([row]).splitlines()[2]
    assert line == ("| `p` | 55,808 | 543 | 14.3 | 20.7 | 13.7 | 15.5 | 4.8 | 5.4 | 9.6 / 15.4 "
                    "| 8.9 / 10.1 | 86 | 26.2x | 0.69 | 0.88 | 0.89 |")
    rates = tables.spike_rate_tradeoff({"rows": [
        {"regularizer": None, "rate": 0.2674, "test_accuracy": 0.76219}]})
    assert rates.splitlines()[2] == "| none | 0.267 | 76.22% |"


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


def test_every_public_constant_has_a_docstring():
    """Module attributes in `__all__` (registries, tuples of choices) are
    documented where they are assigned, as the API reference reads them."""
    griffe = pytest.importorskip("griffe", reason="the docs extra is not installed")
    package = griffe.load("snnzoo", search_paths=[str(REPO)], docstring_parser="google")
    bare = []
    for m, n, obj in _public():
        if inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismodule(obj):
            continue
        found = package[f"{m}.{n}".removeprefix("snnzoo.")] if m != "snnzoo" else (
            package[n] if n != "__version__" else package["version.__version__"])
        while found.is_alias:
            found = found.final_target
        if not found.docstring:
            bare.append(f"{m}.{n}")
    assert bare == []


def _body_facts(tree):
    """`(returns a value, yields, raises or validates)` of a function's own
    body (nested functions excluded)."""
    returns = yields = raises = False
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Return) and node.value is not None and not (
                isinstance(node.value, ast.Constant) and node.value.value is None):
            returns = True
        yields |= isinstance(node, (ast.Yield, ast.YieldFrom))
        raises |= isinstance(node, ast.Raise) or (
            isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == "validation")
    return returns, yields, raises


def _documented_fields(cls):
    """Dataclass fields with an attribute docstring right below them."""
    body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body
    return {a.target.id for a, b in zip(body, body[1:])
            if isinstance(a, ast.AnnAssign) and isinstance(b, ast.Expr)
            and isinstance(b.value, ast.Constant) and isinstance(b.value.value, str)}


def _style_problems(obj):
    """What a Google-style docstring of `obj` leaves out: an argument, the
    return value, what is yielded, what is raised."""
    from griffe import Docstring, Parser

    sections = {s.kind.value: s.value
                for s in Docstring(inspect.getdoc(obj), parser=Parser.google).parse()}
    named = {p.name for p in sections.get("parameters", []) + sections.get("attributes", [])}
    init = obj.__init__ if inspect.isclass(obj) else obj
    params = [] if init is object.__init__ else [
        p.name for p in inspect.signature(init).parameters.values()
        if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if inspect.isclass(obj):
        named |= _documented_fields(obj) if dataclasses.is_dataclass(obj) else set()
        own = [f for f in ast.parse(textwrap.dedent(inspect.getsource(obj))).body[0].body
               if isinstance(f, ast.FunctionDef) and f.name in ("__init__", "__post_init__")]
        facts = [False, False, any(_body_facts(f)[2] for f in own)]
    else:
        facts = _body_facts(ast.parse(textwrap.dedent(inspect.getsource(obj))).body[0])
    problems = [f"argument {p}" for p in params if p not in named]
    problems += [section for section, needed in zip(("returns", "yields", "raises"), facts)
                 if needed and section not in sections]
    return problems


def test_public_docstrings_say_what_they_take_return_and_raise():
    """Google style for every public function and class: an `Args`
    (or, for dataclasses, `Attributes` / field docstrings) entry per
    argument, `Returns` when the body returns a value, `Yields`, and
    `Raises` when the body raises or validates its input."""
    pytest.importorskip("griffe", reason="the docs extra is not installed")
    problems = {f"{m}.{n}": p for m, n, obj in _public()
                if inspect.isfunction(obj) or inspect.isclass(obj)
                for p in [_style_problems(obj)] if p}
    assert problems == {}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The strict build of the site: the one `.ci/run` made before the tests
    (`SNNZOO_DOCS_SITE`, its exit status checked there), else a new one."""
    made = os.environ.get("SNNZOO_DOCS_SITE")
    if made and (pathlib.Path(made) / "objects.inv").is_file():
        return pathlib.Path(made)
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
