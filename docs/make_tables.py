"""Write every generated table into the README and the documentation pages,
between its marker lines: the preset, export, Vela and Cortex-M tables and
the cards from `exported_models/` (`snnzoo.zoo.readme`), and the tables of
measured figures from the JSON the benchmark scripts saved
(`benchmarks/result_tables.py`).

    python docs/make_tables.py          # rewrite the pages that differ
    python docs/make_tables.py --check  # list them and exit 1; write nothing
"""

import argparse
import importlib.util
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def result_tables():
    """`benchmarks/result_tables.py`, loaded from its file (benchmarks/ is
    not a package)."""
    path = os.path.join(ROOT, "benchmarks", "result_tables.py")
    spec = importlib.util.spec_from_file_location("result_tables", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated():
    """`{(begin, end): Markdown}` of every generated table: the cards' (with
    the papers' claims, which also read the FSDD seed means) and the
    benchmarks'."""
    from snnzoo.zoo import readme

    results = result_tables()
    with open(os.path.join(results.RESULTS, "speech_orderings.json")) as f:
        claims = readme.paper_claims_table(json.load(f))
    return {**readme.tables(), ("<!-- paper-claims:begin -->", "<!-- paper-claims:end -->"):
            claims, **results.tables()}


def stale_pages():
    """`[(path, refreshed text)]` of the pages whose tables differ."""
    from snnzoo.zoo import readme

    tables = generated()
    out = []
    for path in readme.pages(os.path.join(ROOT, "README.md")):
        with open(path) as f:
            text = f.read()
        new = readme.refreshed(text, tables)
        if new != text:
            out.append((path, new))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="list the pages that differ and exit 1; write nothing")
    args = parser.parse_args()
    sys.path.insert(0, ROOT)
    from snnzoo import io as snnzoo_io
    from snnzoo.quiet import silenced

    with silenced():  # the cards' tables import TensorFlow, which logs
        stale = stale_pages()
    for path, text in stale:
        print(f"{'differs' if args.check else 'wrote'}: {os.path.relpath(path, ROOT)}")
        if not args.check:
            snnzoo_io.write_text(path, text)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
