"""The house rules that can be checked by reading the code."""

import ast
import pathlib

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


def test_export_imports_neither_training_nor_presets():
    bad = [(p.name, m) for p, tree in _modules(PACKAGE / "export") for m in _imports(tree)
           if m.startswith(("snnzoo.training", "snnzoo.presets"))]
    assert bad == []


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
