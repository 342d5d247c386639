"""Pages MkDocs builds from the repository (mkdocs-gen-files): one API
page per public module, the Colab notebooks, and the figures the benchmark
scripts wrote. Nothing here is hand-copied: each page is made from the
source at build time."""

import ast
import os

import mkdocs_gen_files

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def assigned(path, name):
    """The literal value assigned to `name` at the top of a module (read
    statically: building the docs imports no ML framework), else None."""
    tree = ast.parse(open(path).read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == name
                                                for t in node.targets):
            try:
                return ast.literal_eval(node.value)
            except ValueError:
                return None
    return None


def module_file(module):
    path = os.path.join(ROOT, *module.split("."))
    return os.path.join(path, "__init__.py") if os.path.isdir(path) else path + ".py"


def public_names(module):
    """`(name, identifier to render)` of a module's `__all__`; the top
    level's shortcuts are rendered from where they live."""
    if module == "snnzoo":
        shortcuts = assigned(module_file("snnzoo"), "SHORTCUTS")
        return [("__version__", "snnzoo.version.__version__")] + [
            (name, f"{target}.{attribute}") for name, (target, attribute) in shortcuts.items()]
    return [(name, f"{module}.{name}") for name in assigned(module_file(module), "__all__") or []]


def api_page(module):
    lines = [f"# `{module}`", "", f"::: {module}", "    options:", "      members: false",
             "      show_root_heading: false", ""]
    for name, identifier in public_names(module):
        lines += [f"::: {identifier}", "    options:", "      show_root_heading: true",
                  "      heading_level: 2", ""]
    return "\n".join(lines)


MODULES = ["snnzoo"] + [f"snnzoo.{name}"
                        for name in assigned(module_file("snnzoo"), "SUBPACKAGES")]
summary = []
for module in MODULES:
    with mkdocs_gen_files.open(f"reference/{module}.md", "w") as f:
        f.write(api_page(module))
    summary.append(f"* [{module}]({module}.md)\n")
with mkdocs_gen_files.open("reference/SUMMARY.md", "w") as f:
    f.writelines(summary)

for name in sorted(os.listdir(os.path.join(ROOT, "colab"))):
    if name.endswith(".ipynb"):
        with mkdocs_gen_files.open(f"notebooks/{name}", "wb") as f:
            f.write(open(os.path.join(ROOT, "colab", name), "rb").read())

results = os.path.join(ROOT, "benchmarks", "results")
for name in sorted(os.listdir(results)):
    if name.endswith(".png"):
        with mkdocs_gen_files.open(f"assets/{name}", "wb") as f:
            f.write(open(os.path.join(results, name), "rb").read())
