"""The house rules that can be checked by reading the code."""

import ast
import pathlib
import subprocess
import sys

import pytest

BACKEND_INDEPENDENT = True  # reads the source: no Keras

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "snnzoo"


def _modules(folder=PACKAGE):
    for path in sorted(folder.rglob("*.py")):
        yield path, ast.parse(path.read_text())


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


#: floor -> the packages it must never import (ARCHITECTURE.md, "Renovation, turn 3"):
#: data flows one way, release tooling (`zoo`) and the face (`cli`) sit on top.
NEVER = {
    "presets": ("training", "export", "quantization", "zoo", "cli"),
    "export": ("training", "presets", "quantization", "zoo", "cli"),
    "models": ("export", "training", "presets", "zoo", "cli"),
    "quantization": ("export", "presets", "zoo", "cli"),
    "training": ("export", "presets", "zoo", "cli"),
    "conversion": ("export", "presets", "training", "zoo", "cli"),
    "energy": ("training", "presets", "zoo", "cli"),
    "nir": ("export", "training", "presets", "zoo", "cli"),
    "cells": ("layers", "models", "export", "training", "presets", "zoo", "cli"),
    "zoo": ("cli",),
    "streaming": ("training", "presets", "quantization", "zoo", "cli"),
}


def _package_of(path):
    parts = path.relative_to(PACKAGE).parts
    return parts[0].removesuffix(".py")


@pytest.mark.parametrize("floor", sorted(NEVER))
def test_nothing_imports_a_floor_above_it(floor):
    banned = tuple(f"snnzoo.{p}" for p in NEVER[floor])
    bad = [(p.relative_to(ROOT).as_posix(), m)
           for p, tree in _modules() if _package_of(p) == floor
           for m in _imports(tree) if m == banned or m.startswith(banned)
           or any(m == b or m.startswith(b + ".") for b in banned)]
    assert bad == []


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph():
    """module -> the snnzoo modules it imports (a name imported from a
    package counts as its submodule when one exists)."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in files.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name in files}
            elif isinstance(node, ast.ImportFrom) and node.module in files:
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    edges.add(sub if sub in files else node.module)
        graph[name] = edges - {name}
    return graph


def test_no_import_circle():
    """Tarjan's strongly connected components of the module graph, with
    function-level imports too: none has more than one module."""
    graph, index, low, stack, on, circles = _import_graph(), {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert circles == []


def test_import_snnzoo_and_the_cli_load_no_ml_framework():
    code = ("import sys, snnzoo, snnzoo.cli, snnzoo.cli.bootstrap; "
            "print(sorted(m for m in ('keras', 'tensorflow', 'jax', 'torch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


#: The one module allowed several public classes, and why.
CLASS_FAMILIES = {
    "snnzoo/activations/surrogates.py": "the surrogate-gradient functions: one small "
                                        "serializable class each, kept together as "
                                        "keras.activations keeps its functions",
}


def test_one_public_class_per_file():
    crowded = []
    for path, tree in _modules():
        if path.relative_to(ROOT).as_posix() in CLASS_FAMILIES:
            continue
        public = [n.name for n in tree.body if isinstance(n, ast.ClassDef)
                  and not n.name.startswith("_")
                  and not any(getattr(b, "id", "").endswith(("Error", "Exception"))
                              for b in n.bases)]
        if len(public) > 1:
            crowded.append((path.relative_to(ROOT).as_posix(), public))
    assert crowded == []


def test_no_function_over_60_lines():
    long = [f"{p.relative_to(ROOT)}:{n.lineno} {n.name} ({n.end_lineno - n.lineno + 1})"
            for p, tree in _modules() for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
            and n.end_lineno - n.lineno + 1 > 60]
    assert long == []


def test_file_replacement_only_in_the_io_module():
    """Atomic writes go through snnzoo.io; nobody else renames files over others."""
    users = sorted({p.relative_to(ROOT).as_posix() for p, tree in _modules()
                    for n in ast.walk(tree)
                    if isinstance(n, ast.Attribute) and n.attr in ("replace", "rename")
                    and isinstance(n.value, ast.Name) and n.value.id == "os"})
    assert users == ["snnzoo/io.py"]


def test_no_global_statement_and_no_matplotlib_use():
    """No function rebinds module state; no plot selects a matplotlib backend."""
    found = [p.relative_to(ROOT).as_posix() for p, tree in _modules() for n in ast.walk(tree)
             if isinstance(n, ast.Global) or (isinstance(n, ast.Attribute) and n.attr == "use"
                                              and getattr(n.value, "id", "") == "matplotlib")]
    assert found == []


def test_snnzoo_imports_sit_at_the_top_of_their_files():
    """No import inside a function only to dodge a cycle: a function-level
    import of snnzoo is left only in `cli/` (the subcommands load their
    libraries when they run, so that `snnzoo --help` stays fast) and in the
    lazy `__getattr__` of the top level."""
    inside = []
    for path, tree in _modules():
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("snnzoo/cli/") or rel == "snnzoo/__init__.py":
            continue
        for fn in ast.walk(tree):
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inside += [f"{rel}:{n.lineno}" for n in ast.walk(fn)
                           if isinstance(n, (ast.Import, ast.ImportFrom))
                           and any(m.startswith("snnzoo") for m in _imports(n))]
    assert inside == []
