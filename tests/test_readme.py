"""Every code block of the README and of the documentation pages
(`docs/*.md`) runs as written.

Python blocks run one by one, each in a fresh interpreter in an empty
folder (what a reader who pastes it gets). Shell blocks: every `snnzoo`
command line names a real subcommand and flags its parser accepts (the
install and test one-liners are what `.ci/run` itself runs)."""

import os
import pathlib
import re
import shlex
import subprocess
import sys

import pytest

from snnzoo import cli

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"
PAGES = [README] + sorted((README.parent / "docs").glob("*.md"))
BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)


def _blocks(languages, pages=PAGES):
    """`(page:index, code)` of the fenced blocks in `languages`."""
    return [(f"{page.stem}:{i}", code) for page in pages
            for i, (lang, code) in enumerate(BLOCK.findall(page.read_text()))
            if lang in languages]


PYTHON = _blocks(("python",))
SHELL = _blocks(("bash", "sh", ""))


def test_the_readme_has_python_and_shell_blocks():
    assert len(_blocks(("python",), [README])) >= 4 and len(_blocks(("bash",), [README])) == 2
    assert len(PYTHON) >= 10 and len(SHELL) >= 3


@pytest.mark.parametrize("index, code", PYTHON, ids=[i for i, _ in PYTHON])
def test_python_block_runs_as_written(tmp_path, index, code):
    # A reader's environment: no KERAS_BACKEND (the blocks that need one set it).
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    env["PYTHONPATH"] = str(README.parent)
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"block {index}:\n{code}\n{proc.stderr[-3000:]}"


def _commands():
    for index, code in SHELL:
        for line in code.splitlines():
            line = line.split("#")[0].strip()
            if line.startswith("snnzoo ") and "|" not in line and "[" not in line:
                yield index, line


COMMANDS = list(_commands())


@pytest.mark.parametrize("index, line", COMMANDS, ids=[c for _, c in COMMANDS])
def test_cli_lines_parse(index, line):
    args = shlex.split(line)[1:]
    parsed, extra = cli.build_parser().parse_known_args(args)
    assert not extra or getattr(parsed, "passthrough", False), (index, line, extra)
