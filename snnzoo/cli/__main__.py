"""`python -m snnzoo.cli`: the command line (the backend is whatever keras
was imported with; the `snnzoo` console script selects it first)."""

import sys

from snnzoo.cli import main

sys.exit(main())
